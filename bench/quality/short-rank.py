"""Does round 1 on a shorter schedule rank the candidates as the whole does?

Usage (bench/quality/short-rank.sh runs it after training the reference):
    python3 bench/quality/short-rank.py REF REFSEEDS FULL SHORT ...

REF: the folder of the reference trainings (REF/TASK/val/LR-SEED holds
the final held-out loss of candidate LR trained on the whole schedule on
seed SEED; LR-SEED.div marks one that diverged); REF/tasks.txt, the
tasks, one a line.  REFSEEDS: their seeds, comma-separated.  FULL and
each SHORT: NAME:DIR, a setting of lr-confirm scored in DIR
(DIR/TASK/NAME/ranked.csv), FULL with round 1 on the whole schedule.

For each SHORT and task, over SHORT's candidates, seed 1's final loss
on the part of the schedule (SHORT's round 1) and on the whole (FULL's
round 1, for the candidates FULL has too), and the reference (the median
over REFSEEDS, whole schedule):

  rho       Spearman's rank correlation of the short and the whole
            round 1 (average ranks for ties; diverged: worst)
  first     the candidate each puts first, as a factor of the suggestion
  kept      of the ceil(n/3) candidates the short round keeps, how many
            the whole round keeps too (the plan's count; lr-confirm keeps
            fewer only when fewer are clean)
  best kept whether the reference's best candidate is kept by the short
            and by the whole round
  cost      the reference loss of the best candidate each round keeps,
            in percent above the reference's best candidate's: what
            round 1 threw away (0 when it kept the best)
  lean      the geometric mean lr of the short round's kept over the
            whole round's
"""
import math
import os
import statistics as st
import sys

REF, REFSEEDS = sys.argv[1], [int(s) for s in sys.argv[2].split(',')]
FULL = sys.argv[3].split(':', 1)
SHORTS = [a.split(':', 1) for a in sys.argv[4:]]
TASKS = [t.strip() for t in open(os.path.join(REF, 'tasks.txt')) if t.strip()]


def number(v):
    try:
        x = float(v)
    except ValueError:
        return math.inf
    return x if math.isfinite(x) else math.inf


def ranked(name, folder, task):
    """Per candidate lr: (factor, round, seed 1's final loss)."""
    f = os.path.join(folder, task, name, 'ranked.csv')
    if not os.path.exists(f):
        return None
    rows = {}
    lines = open(f).read().splitlines()
    head = lines[0].split(',')
    for line in lines[1:]:
        # the runs field has no comma; "why" (the last) may.
        c = dict(zip(head, line.split(',', len(head) - 1)))
        seed1 = math.inf
        for run in c['runs'].split():
            p = run.split(':')
            if p[0] == '1' and p[1] == 'done' and len(p) > 2:
                seed1 = number(p[2])
        rows[c['lr']] = (float(c['factor']), int(c['round']), seed1)
    return rows


def reference(task, lr):
    v = []
    for s in REFSEEDS:
        f = os.path.join(REF, task, 'val', '%s-%d' % (lr, s))
        v.append(number(open(f).read().strip()) if os.path.exists(f)
                 and os.path.getsize(f) else math.inf)
    return st.median(v)


def order(loss):
    """The candidates best first, as lr-confirm ranks round 1 (the lower
    loss, then the smaller lr)."""
    return sorted(loss, key=lambda lr: (loss[lr], float(lr)))


def ranks(loss):
    """Average ranks, ties (diverged runs among them) shared."""
    o = sorted(loss, key=lambda lr: loss[lr])
    r, i = {}, 0
    while i < len(o):
        j = i
        while j + 1 < len(o) and loss[o[j + 1]] == loss[o[i]]:
            j += 1
        for k in range(i, j + 1):
            r[o[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    keys = list(a)
    ma, mb = st.mean(ra[k] for k in keys), st.mean(rb[k] for k in keys)
    num = sum((ra[k] - ma) * (rb[k] - mb) for k in keys)
    den = math.sqrt(sum((ra[k] - ma) ** 2 for k in keys) *
                    sum((rb[k] - mb) ** 2 for k in keys))
    return num / den if den else math.nan


def pct(x, y):
    return math.inf if math.isinf(x) else 100 * (x / y - 1)


def show(x):
    return 'diverged' if math.isinf(x) else '%+.1f%%' % x


for sname, sdir in SHORTS:
    print('%s against %s (round 1 on seed 1; reference: the median over '
          'seeds %d to %d):' % (sname, FULL[0], REFSEEDS[0], REFSEEDS[-1]))
    print()
    print('| task | rho | first: short, whole | kept by both | reference\'s '
          'best kept: short, whole | cost: short | cost: whole | lean |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|')
    rhos, agree, nkept, bs, bf, cs, cf, leans = [], 0, 0, 0, 0, [], [], []
    for task in TASKS:
        short = ranked(sname, sdir, task)
        whole = ranked(FULL[0], FULL[1], task)
        if short is None or whole is None:
            continue
        cand = [lr for lr in short if lr in whole]
        if len(cand) < len(short):
            print('| %s | (%d of %d candidates not in %s) | | | | | | |' % (
                task, len(short) - len(cand), len(short), FULL[0]))
            continue
        s_loss = {lr: short[lr][2] for lr in cand}
        w_loss = {lr: whole[lr][2] for lr in cand}
        k = len(cand) if len(cand) <= 3 else math.ceil(len(cand) / 3)
        s_kept = order(s_loss)[:k]
        w_kept = order(w_loss)[:k]
        actual = sorted(lr for lr in cand if short[lr][1] >= 2)
        if sorted(s_kept) != actual:
            print('short-rank: %s %s: kept %s, lr-confirm kept %s' % (
                task, sname, s_kept, actual), file=sys.stderr)
        ref = {lr: reference(task, lr) for lr in cand}
        rbest = min(cand, key=lambda lr: (ref[lr], float(lr)))
        c_s = pct(min(ref[lr] for lr in s_kept), ref[rbest])
        c_w = pct(min(ref[lr] for lr in w_kept), ref[rbest])
        lean = math.exp(st.mean(math.log(float(lr)) for lr in s_kept) -
                        st.mean(math.log(float(lr)) for lr in w_kept))
        rho = spearman(s_loss, w_loss)
        both = len(set(s_kept) & set(w_kept))
        rhos.append(rho)
        agree += both
        nkept += k
        bs += rbest in s_kept
        bf += rbest in w_kept
        cs.append(c_s)
        cf.append(c_w)
        leans.append(lean)
        print('| %s | %.2f | %.2f, %.2f | %d of %d | %s, %s | %s | %s | %.2f |'
              % (task, rho, short[s_kept[0]][0], whole[w_kept[0]][0], both, k,
                 'yes' if rbest in s_kept else 'no',
                 'yes' if rbest in w_kept else 'no', show(c_s), show(c_w),
                 lean))
    if rhos:
        print('| *over %d tasks* | median %.2f | | %d of %d | %d, %d of %d | '
              'median %s, worst %s | median %s, worst %s | median %.2f |' % (
                  len(rhos), st.median(rhos), agree, nkept, bs, bf, len(rhos),
                  show(st.median(cs)), show(max(cs)), show(st.median(cf)),
                  show(max(cf)), st.median(leans)))
    print()
