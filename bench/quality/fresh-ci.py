"""How precise is a figure on the fresh seeds?  A paired bootstrap.

Usage (after `make quality`, from the top of the tree):
    python3 bench/quality/fresh-ci.py bench/out/quality METHOD [TASK...]

For each task (default: those of bench/quality/tasks with a fresh.csv
in the folder, in that order), the figure of
METHOD on the fresh seeds as bench/quality.sh gives it (the median of its
fresh trainings over the median of the grid's best lr's on the same
seeds, in percent above 1), and a 90% interval for it: the fresh seeds
resampled with replacement 2000 times (random.Random(1)), the method's
and the reference's trainings of each drawn seed taken together, as
they share the seed.  A diverged training counts as infinite.
METHOD "reseeds" is the row "grid best, other seeds": the grid's lr of
least median over seeds 6 to 10 (RESEEDS), trained on the fresh seeds.
"""
import math
import os
import random
import statistics as st
import sys

Q, METHOD = sys.argv[1], sys.argv[2]
TASKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'tasks')
tasks = sys.argv[3:] or [
    t for t in (l.split('\t')[0] for l in open(TASKS)
                if l.strip() and not l.startswith('#'))
    if os.path.exists(os.path.join(Q, t, 'fresh.csv'))]
FRESH = list(range(101, 111))
SEEDS = [1, 2, 3, 4, 5]
RESEEDS = [6, 7, 8, 9, 10]


def loss(v):
    try:
        x = float(v)
    except ValueError:
        return math.inf
    return x if math.isfinite(x) else math.inf


def pct(a, b):
    return math.inf if math.isinf(a) else 100 * (a / b - 1)


print('| task | %s, fresh seeds | 90%% interval |' % METHOD)
print('|---|---:|---:|')
for task in tasks:
    d = os.path.join(Q, task)
    val = {}
    for line in open(os.path.join(d, 'val.txt')):
        lr, s, v = line.split()
        val[(lr, int(s))] = loss(v)
    grid = [g.strip() for g in open(os.path.join(d, 'grid.txt')) if g.strip()]
    med = [st.median(val.get((g, s), math.inf) for s in SEEDS) for g in grid]
    best = grid[med.index(min(med))]
    mine = {}
    if METHOD == 'reseeds':
        rmed = [st.median(val.get((g, s), math.inf) for s in RESEEDS)
                for g in grid]
        rbest = grid[rmed.index(min(rmed))]
        mine = {s: val.get((rbest, s), math.inf) for s in FRESH}
    else:
        for line in open(os.path.join(d, 'fresh.csv')):
            m, lr, s = line.strip().split(',')
            if m == METHOD:
                mine[int(s)] = val.get((lr, int(s)), math.inf)
    if not mine:
        continue
    ref = {s: val.get((best, s), math.inf) for s in FRESH}
    fig = pct(st.median(mine.values()), st.median(ref.values()))
    rng = random.Random(1)
    boot = []
    for _ in range(2000):
        draw = [rng.choice(FRESH) for _ in FRESH]
        boot.append(pct(st.median(mine[s] for s in draw),
                        st.median(ref[s] for s in draw)))
    boot.sort()
    print('| %s | %+.1f%% | %+.1f%% to %+.1f%% |' % (
        task, fig, boot[int(0.05 * len(boot))], boot[int(0.95 * len(boot)) - 1]))
