"""lr-plot's peer: the lr-vs-loss plot drawn with pandas and matplotlib.

usage: python3 bench/plot-matplotlib.py FILE OUT.svg

Reads step,lr,loss,loss_smooth with pandas.read_csv and draws what lr-plot
draws by default: the raw loss as a light line, the smoothed loss as a
strong one, the lr on a log axis, 640x480 pixels, as SVG.
"""
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def main():
    d = pd.read_csv(sys.argv[1])
    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    ax.plot(d["lr"], d["loss"], color="C0", alpha=0.3, linewidth=0.8,
            label="loss")
    ax.plot(d["lr"], d["loss_smooth"], color="C0", linewidth=1.5,
            label="loss_smooth")
    ax.set_xscale("log")
    ax.set_xlabel("lr")
    ax.set_ylabel("loss")
    ax.legend()
    fig.savefig(sys.argv[2], format="svg")


main()
