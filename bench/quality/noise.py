"""Why single-curve rules break on noisy starts: per task, the fall of the
smoothed loss against the raw loss's scatter, and how far above the
plateau halfway's top lies.

Usage (after `make quality`, from the top of the tree):
    /usr/bin/python3 bench/quality/noise.py bench/out/quality TASK...

For each run of TASK's range tests (smooth.csv, fastai's window [n/10 :
-5]), with bottom the least smoothed loss:
  - the plateau P, as lr-suggest -m plateau finds it: the median of the
    smoothed loss up to the last point before the bottom at or above that
    median (iterated until that point no longer moves);
  - the fall, P minus the bottom, in standard deviations of the raw loss
    on the plateau (the points up to that last point);
  - halfway's top (the highest smoothed loss before the bottom) above P,
    as a fraction of the fall: at 1 halfway's level (top + bottom) / 2 is
    P itself, and halfway answers on the plateau.
Prints per task the median over the runs of the fall in standard
deviations, how many times its standard deviation at the window's first
point the debiased EMA (beta 0.98) has against its steady state,
sqrt((1 + b^t) / (1 - b^t)) at step t, and each run's excess.
"""
import csv, math, os, statistics as st, sys

BETA = 0.98


def load(path):
    runs = {}
    for r in csv.DictReader(open(path)):
        runs.setdefault(r['run'], []).append(
            (float(r['lr']), float(r['loss']), float(r['loss_smooth'])))
    return runs


def window(c):
    lo, hi = len(c) // 10, len(c) - 5
    w = c[lo:hi]
    for i, p in enumerate(w):
        if math.isnan(p[2]):
            return w[:i], lo
    return w, lo


def argmin(v):
    return min(range(len(v)), key=lambda i: v[i])


def plateau(y, bottom):
    cut = bottom - 1
    while True:
        level = st.median(y[:cut + 1])
        nxt = cut
        while y[nxt] < level:
            nxt -= 1
        if nxt == cut:
            return level, cut
        cut = nxt


def main():
    q = sys.argv[1]
    print('| task | fall / sd(raw) | sd(EMA) at the window\'s start / steady '
          '| halfway\'s top above the plateau, / fall, per run |')
    print('|---|---:|---:|---|')
    for task in sys.argv[2:]:
        runs = load(os.path.join(q, task, 'smooth.csv'))
        falls, excess = [], []
        for _, c in sorted(runs.items()):
            w, lo = window(c)
            y = [p[2] for p in w]
            raw = [p[1] for p in w]
            b = argmin(y)
            top = max(range(b), key=lambda i: (y[i], -i))
            p, cut = plateau(y, b)
            falls.append((p - y[b]) / st.pstdev(raw[:cut + 1]))
            excess.append((y[top] - p) / (p - y[b]))
        t = lo + 1
        amp = math.sqrt((1 + BETA ** t) / (1 - BETA ** t))
        print('| %s | %.2f | %.1f (step %d) | %s |' % (
            task, st.median(falls), amp, lo,
            ', '.join('%.2f' % e for e in excess)))


main()
