"""Estimate the final loss of two further rules on the pooled curve.

Usage (after `make quality`, from the top of the tree):
    /usr/bin/python3 bench/quality/estimate.py bench/out/quality TASK...

Each rule's lr is read off the mean of the seeds' smoothed curves
(fastai's window), and its final loss is estimated per seed from that
seed's grid losses by linear interpolation in log lr; the median over
the seeds, in percent above the grid's best, is printed per task for
`pooled`, the steepest fall before the minimum, and the geometric midpoint
of the fall.  See bench/RESULTS.md, "Suggestion quality".
"""
import csv, math, sys, os, statistics as st
Q = sys.argv[1]
tasks = sys.argv[2:]

def load(task):
    d = os.path.join(Q, task)
    runs = {}
    for r in csv.DictReader(open(os.path.join(d, 'smooth.csv'))):
        runs.setdefault(int(r['run']), []).append((float(r['lr']), float(r['loss_smooth'])))
    seed = {int(r['run']): int(r['seed']) for r in csv.DictReader(open(os.path.join(d, 'runs.csv')))}
    grid = [l.strip() for l in open(os.path.join(d, 'grid.txt')) if l.strip()]
    val = {}
    for l in open(os.path.join(d, 'val.txt')):
        lr, s, v = l.split()
        v = float(v) if v not in ('inf', 'nan', '-nan') else math.inf
        val[(lr, int(s))] = v
    sug = {}
    for r in csv.DictReader(open(os.path.join(d, 'suggest.csv'))):
        sug.setdefault(r['method'], {})[seed[int(r['run'])]] = float(r['lr'])
    return runs, seed, grid, val, sug

def window(c):
    n = len(c)
    lo, hi = n // 10, n - 5
    w = c[lo:hi]
    for i, (_, y) in enumerate(w):
        if math.isnan(y):
            return w[:i]
    return w

def pool(runs):
    m = min(len(v) for v in runs.values())
    k = len(runs)
    return [(runs[0][i][0], sum(runs[j][i][1] for j in runs) / k) for i in range(m)]

def argmin(w):
    b = 0
    for i in range(1, len(w)):
        if w[i][1] < w[b][1]:
            b = i
    return b

def top_of(w, b):
    t = 0
    for i in range(1, b):
        if w[i][1] > w[t][1]:
            t = i
    return t

def halfway(w):
    b = argmin(w); t = top_of(w, b)
    lvl = w[b][1] / 2 + w[t][1] / 2
    i = t + 1
    while w[i][1] > lvl:
        i += 1
    return w[i][0]

def steep_before_min(w):
    b = argmin(w)
    best = None; at = 0
    for i in range(0, b):
        g = (w[i + 1][1] - w[i][1]) / (math.log(w[i + 1][0]) - math.log(w[i][0]))
        if best is None or g < best:
            best, at = g, i
    return w[at][0]

def geomid(w):
    b = argmin(w); t = top_of(w, b)
    return math.sqrt(w[t][0] * w[b][0])

def geomid_snap(w):
    x = geomid(w)
    return min((abs(math.log(p[0] / x)), p[0]) for p in w)[1]

def interp(task_grid, val, seed, x):
    g = [float(v) for v in task_grid]
    ys = [val.get((v, seed), math.inf) for v in task_grid]
    lx = math.log(x)
    if x <= g[0]:
        return ys[0]
    if x >= g[-1]:
        return ys[-1]
    for i in range(len(g) - 1):
        if g[i] <= x <= g[i + 1]:
            a, b = math.log(g[i]), math.log(g[i + 1])
            f = (lx - a) / (b - a)
            if math.isinf(ys[i]) or math.isinf(ys[i + 1]):
                return math.inf if f > 0 and math.isinf(ys[i+1]) or f < 1 and math.isinf(ys[i]) else ys[i]
            return ys[i] + f * (ys[i + 1] - ys[i])

cands = {'pooled(re)': halfway, 'steep-pooled': steep_before_min,
         'geomid': geomid, 'geomid-snap': geomid_snap}
res = {}
for task in tasks:
    runs, seed, grid, val, sug = load(task)
    seeds = sorted(seed.values())
    meds = [st.median([val.get((g, s), math.inf) for s in seeds]) for g in grid]
    best = min(meds); bestlr = grid[meds.index(best)]
    w = window(pool(runs))
    print(f'## {task}: grid best {bestlr} {best:.4g}; pooled curve: min at {w[argmin(w)][0]:.3g}, top at {w[top_of(w, argmin(w))][0]:.3g}')
    # calibration: the estimate for existing methods vs the real figure
    for m in ('minimum', 'steep', 'halfway', 'pooled'):
        est = st.median([interp(grid, val, s, sug[m][s]) for s in seeds if s in sug[m]])
        real = st.median([val[(repr(sug[m][s]) if (repr(sug[m][s]), s) in val else str(sug[m][s]), s)] for s in seeds if s in sug[m]]) if False else None
        # real from val keyed by the lr string as written by quality.sh
        vals = []
        for s in seeds:
            if s not in sug[m]: continue
            key = [k for k in val if k[1] == s and abs(float(k[0]) / sug[m][s] - 1) < 1e-9]
            vals.append(val[key[0]] if key else math.nan)
        real = st.median(vals)
        print(f'   {m:14s} lr {st.median(sug[m].values()):.3g}  est {100*(est/best-1):+7.1f}%  real {100*(real/best-1):+7.1f}%')
        res.setdefault(m + ' real', []).append(100*(real/best-1))
        res.setdefault(m + ' est', []).append(100*(est/best-1))
    for name, f in cands.items():
        x = f(w)
        est = st.median([interp(grid, val, s, x) for s in seeds])
        print(f'   {name:14s} lr {x:.3g}  est {100*(est/best-1):+7.1f}%   (x/bestlr {x/float(bestlr):.2f})')
        res.setdefault(name, []).append(100*(est/best-1))
print()
for k, v in res.items():
    print(f'{k:18s} median {st.median(v):+7.1f}%  worst {max(v):+7.1f}%  within5 {sum(1 for x in v if x <= 5)}/{len(v)}   ' + ' '.join(f'{x:+.1f}' for x in v))
