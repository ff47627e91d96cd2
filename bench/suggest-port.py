"""lr-suggest's peers: the numpy/Python ports of fastai's and
pytorch-lr-finder's suggestions in tests/golden/gen_suggest.py (the
functions the golden vectors come from, windows included).

usage: python3 bench/suggest-port.py gen N FILE
           write a range test curve of N points (step,lr,loss,loss_smooth):
           gen_suggest.range_test_curve, noise 0.05, seed 1
       python3 bench/suggest-port.py METHOD FILE
           print the METHOD suggestion of FILE's loss_smooth (valley, slide,
           steep or mingrad), as lr-suggest -m METHOD does; the seconds
           spent in the method alone (window included, not the reading)
           go to stderr

gen_suggest imports torch at the top for the Lightning ports; these four
methods do not use it, so a stand-in module keeps torch's import (a second
or two) out of the figures.
"""
import os
import sys
import time
import types

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "golden"))
sys.modules.setdefault("torch", types.ModuleType("torch"))
import gen_suggest  # noqa: E402


def main():
    if sys.argv[1] == "gen":
        n, path = int(sys.argv[2]), sys.argv[3]
        lrs, raw, sm = gen_suggest.range_test_curve(n, 1)
        with open(path, "w") as f:
            f.write("step,lr,loss,loss_smooth\n")
            for k in range(n):
                f.write("%d,%r,%r,%r\n" % (k, lrs[k], raw[k], sm[k]))
        return
    method, path = sys.argv[1], sys.argv[2]
    d = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(1, 3))
    lrs, losses = d[:, 0].tolist(), d[:, 1].tolist()
    t0 = time.perf_counter()
    rows, fail = gen_suggest.suggest(method, lrs, losses, "")
    t1 = time.perf_counter()
    if rows is None:
        sys.exit("suggest-port.py: %s: %d points, needs %d" % ((method,)
                                                               + fail))
    print(repr(rows[0][1]))
    print("%.6f" % (t1 - t0), file=sys.stderr)


main()
