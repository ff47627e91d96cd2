#!/usr/bin/python3
"""Golden vectors for lrsched (tests/golden/README, sections 1 and 2).

The PyTorch policies come from torch.optim.lr_scheduler itself: a real SGD
optimizer, the real scheduler (SequentialLR for `then`), one step() per row,
lr from get_last_lr() and momentum from the optimizer's param group.  The
range-test conventions and fastai's fit_one_cycle are not in torch; they are
ported here line by line from pytorch-lr-finder, fastai and Lightning (the
fastai port keeps its float32 phase tensor and its pct_train accumulation).

Writes tests/data/sched/NAME.csv and tests/data/sched/cases.txt, one line
per case: NAME|lrsched arguments.  Run from the top of the source tree
(tests/golden/regen.sh does).
"""
import math
import os
import warnings

import torch
from torch.optim import lr_scheduler as L

warnings.filterwarnings("ignore")
OUT = os.path.join("tests", "data", "sched")


def optimizer(lr=1.0):
    p = torch.nn.Parameter(torch.zeros(1))
    return torch.optim.SGD([p], lr=lr, momentum=0.9)


def run_torch(builders, lengths, momentum=False, base=1.0):
    """Step torch's schedulers; several are chained with SequentialLR."""
    opt = optimizer(base)
    scheds = [b(opt) for b in builders]
    if len(scheds) == 1:
        sched = scheds[0]
    else:
        miles, acc = [], 0
        for n in lengths[:-1]:
            acc += n
            miles.append(acc)
        sched = L.SequentialLR(opt, scheds, milestones=miles)
    rows = []
    for _ in range(sum(lengths)):
        row = [sched.get_last_lr()[0]]
        if momentum:
            row.append(opt.param_groups[0]["momentum"])
        rows.append(row)
        opt.step()
        sched.step()
    return rows


# The range test (tests/golden/README, section 1), ported.

def lr_finder_endpoint(start, end, n, linear):
    # pytorch-lr-finder ExponentialLR/LinearLR: r = curr_iter / (num_iter - 1)
    rows = []
    for k in range(n):
        r = k / (n - 1)
        rows.append([start + r * (end - start) if linear
                     else start * (end / start) ** r])
    return rows


def fastai_lr_find(start, end, n, linear):
    # fastai LRFinder.before_batch: pos = train_iter / num_it; SchedExp
    rows = []
    for k in range(n):
        pos = k / n
        rows.append([start + pos * (end - start) if linear
                     else start * (end / start) ** pos])
    return rows


def lightning_lr_find(start, end, n, linear):
    # Lightning _ExponentialLR/_LinearLR as recorded by its lr_find:
    # step 0 is base_lr, step k >= 1 has r = (k + 1) / num_training.
    rows = []
    for k in range(n):
        if k == 0:
            rows.append([start])
            continue
        r = (k + 1) / n
        rows.append([start + r * (end - start) if linear
                     else start * (end / start) ** r])
    return rows


# fastai's fit_one_cycle, ported from fastai/callback/schedule.py and
# fastai/callback/core.py (TrainEvalCallback).

def sched_cos(start, end, pos):
    return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2


def combine_scheds(pcts, scheds):
    assert sum(pcts) == 1.
    # fastai's tensor() turns the float64 list into float32.
    pcts = torch.tensor([0] + list(pcts), dtype=torch.float64).float()
    assert torch.all(pcts >= 0)
    pcts = torch.cumsum(pcts, 0)
    pct_lim = len(pcts) - 2

    def _inner(pos):
        idx = min((pos >= pcts).nonzero().max(), pct_lim)
        actual_pos = (pos - pcts[idx]) / (pcts[idx + 1] - pcts[idx])
        return scheds[idx](actual_pos.item())
    return _inner


def combined_cos(pct, start, middle, end):
    return combine_scheds([pct, 1 - pct],
                          [lambda p: sched_cos(start, middle, p),
                           lambda p: sched_cos(middle, end, p)])


def fastai_one_cycle(lr_max, n_epoch, n_iter, div=25., div_final=1e5,
                     pct_start=0.25, moms=(0.95, 0.85, 0.95)):
    lr = combined_cos(pct_start, lr_max / div, lr_max, lr_max / div_final)
    mom = combined_cos(pct_start, *moms)
    rows = []
    for epoch in range(n_epoch):
        pct_train = epoch / n_epoch          # before_train
        for _ in range(n_iter):
            rows.append([lr(pct_train), mom(pct_train)])   # before_batch
            pct_train += 1. / (n_iter * n_epoch)           # after_batch
    return rows


def fastai_minimum(lrs, losses):
    # fastai/callback/schedule.py minimum(): a tenth of the lr at the least
    # loss (the first of equal ones), lr-suggest's default.
    return float(lrs[min(range(len(losses)), key=lambda i: losses[i])]) / 10


def range_test_run():
    """A range-test log (run.csv, for the manual's 1cycle example) and the
    lr lr-suggest suggests for it by default (fastai's minimum)."""
    import pandas
    n = 100
    lrs = [r[0] for r in lr_finder_endpoint(1e-7, 10, n, False)]
    loss = []
    for k, lr in enumerate(lrs):
        x = math.log10(lr)
        loss.append(2.3 - 1.6 / (1 + math.exp(-2 * (x + 3.5)))
                    + math.exp(2.2 * (x - 0.2)) + 0.03 * math.sin(7 * k))
    smooth = list(pandas.Series(loss).ewm(alpha=0.02, adjust=True).mean())
    with open(os.path.join(OUT, "run.csv"), "w") as f:
        f.write("step,lr,loss,loss_smooth\n")
        for k in range(n):
            f.write("%d,%r,%r,%r\n" % (k, lrs[k], loss[k], smooth[k]))
    skip = n // 10
    return fastai_minimum(lrs[skip:-5], smooth[skip:-5])


def cases():
    """(name, lrsched arguments, rows, header)."""
    c = []

    def add(name, args, rows, momentum=False):
        c.append((name, args, rows, momentum))

    # Range test: three conventions, both spacings.
    for conv, port in (("endpoint", lr_finder_endpoint),
                       ("fastai", fastai_lr_find),
                       ("lightning", lightning_lr_find)):
        add("range-%s" % conv,
            "range start=1e-7 end=10 n=100 convention=%s" % conv,
            port(1e-7, 10, 100, False))
        add("range-%s-linear" % conv,
            "range start=0.001 end=2.5 n=37 spacing=linear convention=%s"
            % conv, port(0.001, 2.5, 37, True))
    add("range-default", "range start=1e-8 end=1 n=2",
        lr_finder_endpoint(1e-8, 1, 2, False))
    add("range-long", "range start=1e-7 end=10 n=3000",
        lr_finder_endpoint(1e-7, 10, 3000, False))

    # OneCycleLR.
    def onecycle(n, **kw):
        return lambda o: L.OneCycleLR(o, total_steps=n, **kw)
    add("onecycle", "-m onecycle max=1 n=10",
        run_torch([onecycle(10, max_lr=1.0)], [10], True), True)
    add("onecycle-linear", "-m onecycle max=1 n=10 anneal=linear",
        run_torch([onecycle(10, max_lr=1.0, anneal_strategy="linear")], [10],
                  True), True)
    add("onecycle-three-phase", "-m onecycle max=1 n=10 three-phase=1",
        run_torch([onecycle(10, max_lr=1.0, three_phase=True)], [10], True),
        True)
    add("onecycle-options",
        "-m onecycle max=0.3 n=37 pct=0.4 div=10 final-div=100 "
        "base-mom=0.8 max-mom=0.9",
        run_torch([onecycle(37, max_lr=0.3, pct_start=0.4, div_factor=10.,
                            final_div_factor=100., base_momentum=0.8,
                            max_momentum=0.9)], [37], True), True)
    add("onecycle-three-linear",
        "-m onecycle max=2 n=23 pct=0.25 three-phase=1 anneal=linear",
        run_torch([onecycle(23, max_lr=2.0, pct_start=0.25, three_phase=True,
                            anneal_strategy="linear")], [23], True), True)
    add("onecycle-odd-pct", "onecycle max=0.01 n=17 pct=0.3",
        run_torch([onecycle(17, max_lr=0.01, pct_start=0.3)], [17]))
    add("onecycle-tiny-pct", "onecycle max=1 n=10 pct=0.05",
        run_torch([onecycle(10, max_lr=1.0, pct_start=0.05)], [10]))
    add("onecycle-long", "onecycle max=0.1 n=3000",
        run_torch([onecycle(3000, max_lr=0.1)], [3000]))
    add("onecycle-epochs",
        "-m --epochs 3 --steps-per-epoch 7 onecycle max=0.5",
        run_torch([lambda o: L.OneCycleLR(o, max_lr=0.5, epochs=3,
                                          steps_per_epoch=7)], [21], True),
        True)

    # CyclicLR.
    def cyclic(**kw):
        return lambda o: L.CyclicLR(o, **kw)
    add("cyclic-triangular", "-m cyclic base=0.1 max=1 up=4 n=20",
        run_torch([cyclic(base_lr=0.1, max_lr=1.0, step_size_up=4)], [20],
                  True), True)
    add("cyclic-triangular2", "-m cyclic base=0.1 max=1 up=3 down=5 "
        "mode=triangular2 n=40",
        run_torch([cyclic(base_lr=0.1, max_lr=1.0, step_size_up=3,
                          step_size_down=5, mode="triangular2")], [40], True),
        True)
    add("cyclic-exp-range", "-m cyclic base=0.001 max=0.1 up=7 "
        "mode=exp_range gamma=0.99 base-mom=0.7 max-mom=0.95 n=50",
        run_torch([cyclic(base_lr=0.001, max_lr=0.1, step_size_up=7,
                          mode="exp_range", gamma=0.99, base_momentum=0.7,
                          max_momentum=0.95)], [50], True), True)
    add("cyclic-fractional", "cyclic base=0.2 max=0.9 up=2.5 down=1.5 n=30",
        run_torch([cyclic(base_lr=0.2, max_lr=0.9, step_size_up=2.5,
                          step_size_down=1.5)], [30]))

    # CosineAnnealingLR: torch's recursion, short and long.
    def cosine(T, eta_min=0):
        return lambda o: L.CosineAnnealingLR(o, T_max=T, eta_min=eta_min)
    add("cosine", "cosine base=1 T=10 min=0.1 n=25",
        run_torch([cosine(10, 0.1)], [25]))
    add("cosine-zero", "cosine base=0.5 T=6 n=20",
        run_torch([cosine(6)], [20], base=0.5))
    add("cosine-long", "cosine base=1 T=1000 min=0.01 n=10000",
        run_torch([cosine(1000, 0.01)], [10000]))
    add("cosine-long-short-period", "cosine base=0.3 T=7 min=0.1 n=10000",
        run_torch([cosine(7, 0.1)], [10000], base=0.3))
    # eta_min above base: the curve rises from base to eta_min.  Far above
    # it, torch's recursion drifts from the closed form (1e-6 relative at
    # eta_min = 1e6 base); lrsched follows the recursion, not the formula.
    add("cosine-min-above-base", "cosine base=0.1 T=10 min=0.5 n=50",
        run_torch([cosine(10, 0.5)], [50], base=0.1))
    add("cosine-min-far-above-base", "cosine base=1e-8 T=100 min=0.01 "
        "n=2000", run_torch([cosine(100, 0.01)], [2000], base=1e-8))
    add("cosine-min-equals-base", "cosine base=0.3 T=7 min=0.3 n=30",
        run_torch([cosine(7, 0.3)], [30], base=0.3))

    # CosineAnnealingWarmRestarts.
    def restarts(T0, Tm=1, eta_min=0):
        return lambda o: L.CosineAnnealingWarmRestarts(o, T_0=T0, T_mult=Tm,
                                                       eta_min=eta_min)
    add("cosine-restarts", "cosine-restarts base=1 T0=4 Tmult=2 min=0.1 n=40",
        run_torch([restarts(4, 2, 0.1)], [40]))
    add("cosine-restarts-flat", "cosine-restarts base=0.1 T0=5 n=23",
        run_torch([restarts(5)], [23], base=0.1))
    add("cosine-restarts-3", "cosine-restarts base=1 T0=3 Tmult=3 min=0.001 "
        "n=200", run_torch([restarts(3, 3, 0.001)], [200]))

    # The chainable ones; long runs against torch's recursion.
    add("step", "step base=0.5 size=3 gamma=0.5 n=20",
        run_torch([lambda o: L.StepLR(o, step_size=3, gamma=0.5)], [20],
                  base=0.5))
    add("step-default", "step base=1 size=2 n=9",
        run_torch([lambda o: L.StepLR(o, step_size=2)], [9]))
    add("step-long", "step base=1 size=7 gamma=0.999 n=10000",
        run_torch([lambda o: L.StepLR(o, step_size=7, gamma=0.999)],
                  [10000]))
    add("multistep", "multistep base=1 milestones=9,2,5,5 gamma=0.3 n=15",
        run_torch([lambda o: L.MultiStepLR(o, milestones=[9, 2, 5, 5],
                                           gamma=0.3)], [15]))
    add("multistep-zero", "multistep base=0.2 milestones=0,3 n=6",
        run_torch([lambda o: L.MultiStepLR(o, milestones=[0, 3])], [6],
                  base=0.2))
    add("exp", "exp base=0.1 gamma=0.95 n=30",
        run_torch([lambda o: L.ExponentialLR(o, gamma=0.95)], [30],
                  base=0.1))
    add("exp-long", "exp base=1 gamma=0.9995 n=10000",
        run_torch([lambda o: L.ExponentialLR(o, gamma=0.9995)], [10000]))
    add("linear", "linear base=1 start-factor=0.25 end-factor=0.75 T=8 n=15",
        run_torch([lambda o: L.LinearLR(o, start_factor=0.25,
                                        end_factor=0.75, total_iters=8)],
                  [15]))
    add("linear-default", "linear base=0.3 n=8",
        run_torch([lambda o: L.LinearLR(o)], [8], base=0.3))
    add("linear-long", "linear base=1 start-factor=0.001 T=2000 n=3000",
        run_torch([lambda o: L.LinearLR(o, start_factor=0.001,
                                        total_iters=2000)], [3000]))
    add("constant", "constant base=1 factor=0.5 T=4 n=8",
        run_torch([lambda o: L.ConstantLR(o, factor=0.5, total_iters=4)],
                  [8]))
    add("constant-default", "constant base=0.9 n=8",
        run_torch([lambda o: L.ConstantLR(o)], [8], base=0.9))
    add("poly", "poly base=1 T=8 power=2.5 n=12",
        run_torch([lambda o: L.PolynomialLR(o, total_iters=8, power=2.5)],
                  [12]))
    add("poly-default", "poly base=0.01 n=8",
        run_torch([lambda o: L.PolynomialLR(o)], [8], base=0.01))

    # SequentialLR.
    add("then-linear-cosine",
        "linear base=1 start-factor=0.1 T=3 n=3 then cosine base=1 T=5 n=7",
        run_torch([lambda o: L.LinearLR(o, start_factor=0.1, total_iters=3),
                   cosine(5)], [3, 7]))
    add("then-constant-exp",
        "constant base=1 factor=0.1 T=2 n=2 then exp base=1 gamma=0.9 n=6",
        run_torch([lambda o: L.ConstantLR(o, factor=0.1, total_iters=2),
                   lambda o: L.ExponentialLR(o, gamma=0.9)], [2, 6]))
    add("then-three",
        "linear base=0.5 start-factor=0.01 T=100 n=100 then cosine base=0.5 "
        "T=400 min=0.001 n=500 then step base=0.5 size=10 gamma=0.7 n=50",
        run_torch([lambda o: L.LinearLR(o, start_factor=0.01,
                                        total_iters=100),
                   cosine(400, 0.001),
                   lambda o: L.StepLR(o, step_size=10, gamma=0.7)],
                  [100, 500, 50], base=0.5))
    add("then-restarts",
        "linear base=1 start-factor=0.2 T=4 n=5 then cosine-restarts base=1 "
        "T0=3 Tmult=2 n=20",
        run_torch([lambda o: L.LinearLR(o, start_factor=0.2, total_iters=4),
                   restarts(3, 2)], [5, 20]))
    add("then-momentum",
        "-m onecycle max=1 n=10 then cyclic base=0.1 max=1 up=3 n=9",
        run_torch([onecycle(10, max_lr=1.0),
                   cyclic(base_lr=0.1, max_lr=1.0, step_size_up=3)],
                  [10, 9], True), True)

    # fastai's fit_one_cycle.
    add("fastai-onecycle", "-m fastai-onecycle max=1 n=20",
        fastai_one_cycle(1.0, 1, 20), True)
    add("fastai-onecycle-options",
        "-m fastai-onecycle max=0.003 n=37 pct=0.3 div=10 final-div=1e4 "
        "base-mom=0.8 max-mom=0.9",
        fastai_one_cycle(0.003, 1, 37, div=10., div_final=1e4, pct_start=0.3,
                         moms=(0.9, 0.8, 0.9)), True)
    add("fastai-onecycle-epochs",
        "-m --epochs 4 --steps-per-epoch 25 fastai-onecycle max=0.01",
        fastai_one_cycle(0.01, 4, 25), True)
    add("fastai-onecycle-long", "fastai-onecycle max=0.1 n=3000",
        [r[:1] for r in fastai_one_cycle(0.1, 1, 3000)])

    # The manual's example: a 1cycle whose max is lr-suggest's default.
    best = range_test_run()
    add("onecycle-suggested", "-m onecycle max=%r n=1000" % best,
        run_torch([onecycle(1000, max_lr=best)], [1000], True), True)
    return c


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".csv") or old == "cases.txt":
            os.remove(os.path.join(OUT, old))
    with open(os.path.join(OUT, "cases.txt"), "w") as manifest:
        for name, args, rows, momentum in cases():
            manifest.write("%s|%s\n" % (name, args))
            with open(os.path.join(OUT, name + ".csv"), "w") as f:
                f.write("step,lr,momentum\n" if momentum else "step,lr\n")
                for k, row in enumerate(rows):
                    f.write(",".join([str(k)] + [repr(float(x))
                                                 for x in row]) + "\n")


if __name__ == "__main__":
    main()
