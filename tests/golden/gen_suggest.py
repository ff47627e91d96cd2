"""Golden vectors for lr-suggest (tests/golden/README, section 4).

The expected suggestions come from line-by-line numpy ports of the anchors'
own code, quirks included:

  - fastai 2.7.x, fastai/callback/schedule.py: Learner.lr_find's window
    (recorder.lrs[num_it//10:-5], then cut at the first NaN loss) and the
    suggestion functions valley (its O(n^2) loop as written), slide,
    minimum and steep;
  - pytorch-lr-finder 0.2.x (davidtvs), torch_lr_finder/lr_finder.py,
    LRFinder.plot(skip_start=10, skip_end=5, suggest_lr=True):
    np.gradient(losses).argmin() ("mingrad"; fastai v1's
    Recorder.plot(suggestion=True) is the same);
  - Lightning >= 2.5.3, src/lightning/pytorch/tuner/lr_finder.py,
    _LRFinder.suggestion(skip_begin=10, skip_end=1): non-finite losses
    dropped, torch.gradient(losses, spacing=[lrs]), argmin mapped back
    through the dropped points ("lightning"; torch itself is called here);
  - Lightning < 2.5.3 (2.5.2), the same file: torch.gradient(losses) in
    unit spacing, argmin + skip_begin.  On finite curves this is lrkit's
    mingrad with --skip-start 10 --skip-end 1 (cases "l252").

The anchors hold the curve in float32 tensors; the ports (like lrkit) use
float64, which is what lets the expected values be compared at 1e-12.

Where an anchor returns no usable answer, the case says what lrkit does
instead, and the manifest records it (the "fail" lines):
  - too few points: the anchor raises IndexError/ValueError (or logs an
    error); lrkit exits 1 saying how many points there are and need;
  - pytorch-lr-finder does not cut at a NaN loss, so its argmin lands next
    to the NaN; lrkit cuts mingrad's window at the first NaN as fastai v2
    does (mingrad_window below applies that rule explicitly).

"range" is lrkit's own (Smith's two bounds from the longest valley); its
expected values come from a plain O(n^2) dynamic programme over the
definition in man/lr-suggest.1, independent of the C code's two patience
passes.

Writes tests/data/suggest/*.csv (inputs), *.expected (the output of
lr-suggest -f csv) and cases (the manifest tests/e2e/lr-suggest.sh reads).
Run from the top of the tree: /usr/bin/python3 tests/golden/gen_suggest.py
"""
import math
import os

import numpy as np
import torch

OUT = "tests/data/suggest"
METHODS = ["valley", "slide", "minimum", "steep", "mingrad", "lightning",
           "range"]


class NoAnswer(Exception):
    """The anchor raises or returns None: lrkit reports an error."""

    def __init__(self, has, needs):
        super().__init__("%d points, needs %d" % (has, needs))
        self.has = has
        self.needs = needs


def fmt(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


# --- windows ---------------------------------------------------------------

def py_slice(n, start, end):
    """Indices of seq[start:-end] (end 0: seq[start:]), as Python slices."""
    hi = n - end if end > 0 else n
    return list(range(n))[start:hi] if hi > 0 else []


def fastai_window(lrs, losses, skip_start=None, skip_end=5):
    """Learner.lr_find: recorder.lrs[num_it//10:-5], cut at the first NaN.
    num_it is the number of rows here (lrkit has no other count)."""
    n = len(losses)
    if skip_start is None:
        skip_start = n // 10
    idx = py_slice(n, skip_start, skip_end)
    loss = np.array([losses[i] for i in idx], dtype=np.float64)
    nan_idxs = np.nonzero(np.isnan(loss))[0]
    if len(nan_idxs) > 0:
        idx = idx[:min(nan_idxs)]
    return idx


def mingrad_window(lrs, losses, skip_start=10, skip_end=5):
    """pytorch-lr-finder's [skip_start:-skip_end]; lrkit also cuts at the
    first NaN (the anchor would return the point next to it)."""
    return fastai_window(lrs, losses, skip_start, skip_end)


# --- fastai v2 -------------------------------------------------------------

def valley(lrs, losses):
    "fastai valley, the O(n^2) loop exactly as written."
    n = len(losses)
    if n == 0:
        raise NoAnswer(0, 1)
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(0, i):
            if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    idx = max_start + int(sections) + int(sections / 2)
    return idx % n, float(lrs[idx])


def slide(lrs, losses, lr_diff=15, thresh=.005, adjust_value=1.):
    "fastai slide; returns the position of local_min_lr as well."
    losses = np.asarray(losses, dtype=np.float64)
    n = len(losses)
    if n < max(2, lr_diff + 1):
        raise NoAnswer(n, max(2, lr_diff + 1))
    loss_grad = np.gradient(losses)
    r_idx = -1
    l_idx = r_idx - lr_diff
    local_min_lr = lrs[l_idx]
    at = l_idx
    while (l_idx >= -len(losses)) and \
            (abs(loss_grad[r_idx] - loss_grad[l_idx]) > thresh):
        local_min_lr = lrs[l_idx]
        at = l_idx
        r_idx -= 1
        l_idx -= 1
    suggestion = float(local_min_lr) * adjust_value
    return at % n, suggestion


def minimum(lrs, losses):
    losses = np.asarray(losses, dtype=np.float64)
    if len(losses) == 0:
        raise NoAnswer(0, 1)
    at = int(losses.argmin())
    lr_min = float(lrs[at])
    return at, lr_min / 10


def steep(lrs, losses):
    lrs = np.asarray(lrs, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64)
    if len(losses) < 2:
        raise NoAnswer(len(losses), 2)
    grads = (losses[1:] - losses[:-1]) / (np.log(lrs[1:]) - np.log(lrs[:-1]))
    at = int(grads.argmin())
    return at, float(lrs[at])


# --- pytorch-lr-finder, Lightning -----------------------------------------

def mingrad(lrs, losses):
    losses = np.asarray(losses, dtype=np.float64)
    if len(losses) < 2:
        raise NoAnswer(len(losses), 2)     # np.gradient raises ValueError
    at = int(np.gradient(losses).argmin())
    return at, float(lrs[at])


def cut(seq, skip_begin, skip_end):
    """seq[skip_begin:-skip_end]; lrkit reads skip_end 0 as "none" (as
    pytorch-lr-finder does) where Lightning's [b:-0] would be empty."""
    return seq[skip_begin:len(seq) - skip_end]


def lightning_253(all_lrs, all_losses, skip_begin=10, skip_end=1):
    """_LRFinder.suggestion, Lightning >= 2.5.3, on float64 tensors."""
    losses = torch.tensor(cut(all_losses, skip_begin, skip_end),
                          dtype=torch.float64)
    lrs = torch.tensor(cut(all_lrs, skip_begin, skip_end),
                       dtype=torch.float64)
    is_finite = torch.isfinite(losses)
    losses = losses[is_finite]
    lrs = lrs[is_finite]
    if len(losses) < 2:
        raise NoAnswer(len(losses), 2)
    gradients = torch.gradient(losses, spacing=[lrs])[0]
    min_grad = torch.argmin(gradients).item()
    all_losses_idx = torch.arange(len(all_losses))
    idx_non_skipped = cut(all_losses_idx, skip_begin, skip_end)
    idx_finite = idx_non_skipped[is_finite]
    optimal_idx = idx_finite[min_grad].item()
    return optimal_idx, all_lrs[optimal_idx]


def lightning_252(all_lrs, all_losses, skip_begin=10, skip_end=1):
    """_LRFinder.suggestion, Lightning < 2.5.3."""
    losses = torch.tensor(cut(all_losses, skip_begin, skip_end),
                          dtype=torch.float64)
    losses = losses[torch.isfinite(losses)]
    if len(losses) < 2:
        raise NoAnswer(len(losses), 2)
    min_grad = torch.gradient(losses)[0].argmin().item()
    optimal_idx = min_grad + skip_begin
    return optimal_idx, all_lrs[optimal_idx]


# --- range: the definition, by brute force ---------------------------------

def smith_range(lrs, losses):
    """The longest strictly decreasing subsequence; max = the first point
    ending one, base = the latest point starting one that ends there."""
    n = len(losses)
    if n < 2:
        raise NoAnswer(n, 2)
    lds = [1] * n
    for i in range(n):
        for j in range(i):
            if losses[j] > losses[i]:
                lds[i] = max(lds[i], lds[j] + 1)
    length = max(lds)
    if length < 2:
        raise NoAnswer(n, -1)           # the loss never falls
    end = lds.index(length)
    # longest decreasing run from s that ends at `end`
    run = [0] * n
    run[end] = 1
    for s in range(end - 1, -1, -1):
        if losses[s] > losses[end]:
            run[s] = 1 + max([run[k] for k in range(s + 1, end + 1)
                              if run[k] and losses[k] < losses[s]] or [0])
    base = max(s for s in range(end) if run[s] == length)
    return base, end


# --- curves ----------------------------------------------------------------

def ema(raw, beta=0.98):
    "fastai's AvgSmoothLoss: debiased EMA; a NaN stays."
    out, a = [], 0.0
    for k, x in enumerate(raw, 1):
        a = beta * a + (1 - beta) * x
        out.append(a / (1 - beta ** k))
    return out


def range_test_curve(n, seed, noise=0.05, beta=0.98, start=1e-7, end=10):
    rng = np.random.default_rng(seed)
    lrs = list(np.geomspace(start, end, n))
    t = np.log10(lrs)
    base = 2.3 - 1.6 / (1 + np.exp(-(t + 3.5) * 2.0))
    base = base + np.exp((t - 0.2) * 2.5)
    raw = base + rng.normal(0, noise, n)
    raw = [float("%.6g" % v) for v in raw]
    return [float(x) for x in lrs], raw, ema(raw, beta)


def write_curve(name, lrs, losses, raw=None):
    # The curve the methods read is the smoothed loss (lr-suggest would
    # smooth a column named as a raw loss): loss_smooth, alone when the
    # case has no raw loss behind it.
    with open(os.path.join(OUT, name + ".csv"), "w") as f:
        if raw is None:
            f.write("step,lr,loss_smooth\n")
            for k, (x, y) in enumerate(zip(lrs, losses)):
                f.write("%d,%s,%s\n" % (k, fmt(x), fmt(y)))
        else:
            f.write("step,lr,loss,loss_smooth\n")
            for k, (x, r, y) in enumerate(zip(lrs, raw, losses)):
                f.write("%d,%s,%s,%s\n" % (k, fmt(x), fmt(r), fmt(y)))


def opt_value(opts, name, default):
    words = opts.split()
    if name in words:
        return type(default)(words[words.index(name) + 1])
    return default


def suggest(method, lrs, losses, opts):
    """(rows, failure): the expected output rows, or (has, needs)."""
    ss = opt_value(opts, "--skip-start", -1)
    se = opt_value(opts, "--skip-end", -1)
    try:
        if method == "lightning":
            at, lr = lightning_253(lrs, losses, 10 if ss < 0 else ss,
                                   1 if se < 0 else se)
            return [(method, lr, losses[at], at)], None
        if method == "mingrad":
            idx = mingrad_window(lrs, losses, 10 if ss < 0 else ss,
                                 5 if se < 0 else se)
        else:
            idx = fastai_window(lrs, losses, None if ss < 0 else ss,
                                5 if se < 0 else se)
        wl = [lrs[i] for i in idx]
        wy = [losses[i] for i in idx]
        if method == "range":
            b, e = smith_range(wl, wy)
            return [("range_base", wl[b], wy[b], idx[b]),
                    ("range_max", wl[e], wy[e], idx[e])], None
        if method == "slide":
            at, lr = slide(wl, wy, opt_value(opts, "--lr-diff", 15),
                           opt_value(opts, "--thresh", .005),
                           opt_value(opts, "--adjust", 1.))
        else:
            at, lr = globals()[method](wl, wy)
        return [(method, lr, wy[at], idx[at])], None
    except NoAnswer as e:
        return None, (e.has, e.needs)


CASES = []


def case(name, curve, lrs, losses, opts="", methods=METHODS):
    rows, fails = [], []
    for m in methods:
        r, f = suggest(m, lrs, losses, opts)
        if r is None:
            fails.append((m, f))
        else:
            rows += r
    ok = [m for m in methods if m not in [f[0] for f in fails]]
    with open(os.path.join(OUT, name + ".expected"), "w") as f:
        f.write("method,lr,loss,index\n")
        for r in rows:
            f.write("%s,%s,%s,%d\n" % (r[0], fmt(r[1]), fmt(r[2]), r[3]))
    CASES.append("ok %s %s %s %s" % (name, curve, ",".join(ok),
                                     opts.replace(" ", ":") or "-"))
    for m, (has, needs) in fails:
        CASES.append("fail %s %s %s %d %d %s" % (name, curve, m, has, needs,
                                                 opts.replace(" ", ":") or "-"))


def l252_case(name, curve, lrs, losses):
    "Lightning < 2.5.3 against mingrad --skip-start 10 --skip-end 1."
    at, lr = lightning_252(lrs, losses)
    assert all(math.isfinite(v) for v in losses[10:-1]), name
    with open(os.path.join(OUT, name + ".expected"), "w") as f:
        f.write("method,lr,loss,index\n")
        f.write("mingrad,%s,%s,%d\n" % (fmt(lr), fmt(losses[at]), at))
    CASES.append("ok %s %s mingrad --skip-start:10:--skip-end:1" %
                 (name, curve))


def sweep():
    """Three seeds of one range test, rows interleaved as sweep-run writes
    them when the runs go in parallel; -g run, and --summary."""
    runs = {}
    for seed in (21, 22, 23):
        runs["s%d" % seed] = range_test_curve(100, seed, noise=0.1)
    rows = []
    for k in range(100):
        for name, (lrs, raw, sm) in runs.items():
            rows.append((name, k, lrs[k], raw[k], sm[k]))
    with open(os.path.join(OUT, "sweep.csv"), "w") as f:
        f.write("run,step,lr,loss,loss_smooth\n")
        for r in rows:
            f.write("%s,%d,%s,%s,%s\n" % (r[0], r[1], fmt(r[2]), fmt(r[3]),
                                         fmt(r[4])))
    per = {}
    with open(os.path.join(OUT, "sweep.expected"), "w") as f:
        f.write("run,method,lr,loss,index\n")
        for name, (lrs, raw, sm) in runs.items():
            where = [i for i, r in enumerate(rows) if r[0] == name]
            for m in METHODS:
                got, fail = suggest(m, lrs, sm, "")
                assert fail is None
                for r in got:
                    f.write("%s,%s,%s,%s,%d\n" % (name, r[0], fmt(r[1]),
                                                 fmt(r[2]), where[r[3]]))
                    per.setdefault(r[0], []).append(r[1])
    with open(os.path.join(OUT, "sweep-summary.expected"), "w") as f:
        f.write("method,groups,median,min,max,ratio\n")
        for m, v in per.items():
            v = np.array(v)
            f.write("%s,%d,%s,%s,%s,%s\n" % (m, len(v), fmt(np.median(v)),
                                            fmt(v.min()), fmt(v.max()),
                                            fmt(v.max() / v.min())))


def sparse():
    """A Lightning CSVLogger-like log: lr and loss on different rows, so
    most rows miss one of them; those rows are left out and the index
    still counts every data row."""
    lrs, raw, sm = range_test_curve(60, 31)
    rows = []
    for k in range(60):
        rows.append((k, lrs[k], ""))
        rows.append((k, "", sm[k]) if k % 7 else (k, "NA", sm[k]))
        rows[-2] = (k, lrs[k], sm[k]) if k % 5 == 0 else rows[-2]
    with open(os.path.join(OUT, "sparse.csv"), "w") as f:
        f.write("epoch,step,lr-SGD,train_loss_step\n")
        for k, x, y in rows:
            f.write("0,%d,%s,%s\n" % (k, fmt(x) if x != "" and x != "NA"
                                      else x, fmt(y) if y != "" else ""))
    keep = [i for i, (k, x, y) in enumerate(rows)
            if x not in ("", "NA") and y != ""]
    kl = [rows[i][1] for i in keep]
    ky = [rows[i][2] for i in keep]
    with open(os.path.join(OUT, "sparse.expected"), "w") as f:
        f.write("method,lr,loss,index\n")
        for m in ("valley", "steep", "minimum"):
            got, fail = suggest(m, kl, ky, "")
            for r in got:
                f.write("%s,%s,%s,%d\n" % (r[0], fmt(r[1]), fmt(r[2]),
                                          keep[r[3]]))


def main():
    os.makedirs(OUT, exist_ok=True)

    lrs, raw, sm = range_test_curve(100, 1)
    write_curve("typical", lrs, sm, raw)
    case("typical", "typical", lrs, sm)
    case("typical-noskip", "typical", lrs, sm,
         "--skip-start 0 --skip-end 0")
    case("typical-slide", "typical", lrs, sm,
         "--lr-diff 5 --thresh 0.01 --adjust 0.5", ["slide"])
    l252_case("typical-l252", "typical", lrs, sm)

    lrs, raw, sm = range_test_curve(300, 2, noise=0.3, beta=0.9)
    write_curve("noisy", lrs, sm, raw)
    case("noisy", "noisy", lrs, sm)
    case("noisy-skip", "noisy", lrs, sm, "--skip-start 50 --skip-end 20")
    case("noisy-slide", "noisy", lrs, sm,
         "--lr-diff 5 --thresh 0.01 --adjust 0.5", ["slide"])
    l252_case("noisy-l252", "noisy", lrs, sm)

    # a flat stretch (ties for argmin and for the gradients), then a fall
    lrs = [float(x) for x in np.geomspace(1e-6, 1, 80)]
    y = [2.0] * 40 + [2.0 - 0.05 * k for k in range(1, 25)] + \
        [0.8 + 0.2 * k for k in range(16)]
    write_curve("plateau", lrs, y)
    case("plateau", "plateau", lrs, y)

    # losses rounded to one decimal: ties everywhere
    lrs, raw, sm = range_test_curve(60, 3, noise=0.1)
    y = [round(v, 1) for v in sm]
    write_curve("ties", lrs, y)
    case("ties", "ties", lrs, y)

    # divergence ending in NaN, as fastai's smoother leaves it
    lrs, raw, sm = range_test_curve(100, 4)
    y = sm[:70] + [float("nan")] * 30
    write_curve("nantail", lrs, y)
    case("nantail", "nantail", lrs, y)

    # one NaN and one inf inside: fastai cuts, Lightning drops
    lrs, raw, sm = range_test_curve(100, 5)
    y = list(sm)
    y[50] = float("nan")
    y[60] = float("inf")
    write_curve("nanmid", lrs, y)
    case("nanmid", "nanmid", lrs, y)
    case("nanmid-lightning", "nanmid", lrs, y,
         "--skip-start 40 --skip-end 30", ["lightning"])

    # short windows: slide needs 16, Lightning and mingrad skip 10 first
    lrs, raw, sm = range_test_curve(20, 6)
    write_curve("short", lrs, sm)
    case("short", "short", lrs, sm)
    lrs, raw, sm = range_test_curve(12, 7)
    write_curve("tiny", lrs, sm)
    case("tiny", "tiny", lrs, sm)

    # no valley at all: fastai's start stays 0, so valley gives the first
    # point of the window; range has nothing to say
    lrs = [float(x) for x in np.geomspace(1e-5, 1, 50)]
    y = [1.0 + 0.01 * k * k for k in range(50)]
    write_curve("rising", lrs, y)
    case("rising", "rising", lrs, y)

    # a two-point valley at the window's start: start = -1, idx = -1, the
    # LAST point of the window
    lrs = [float(x) for x in np.geomspace(1e-5, 1, 30)]
    y = [9.0] * 3 + [5.0, 4.0] + [6.0 + 0.1 * k for k in range(25)]
    write_curve("valley2", lrs, y)
    case("valley2", "valley2", lrs, y, "", ["valley", "range"])

    # a five-point valley at the window's start: idx = -1 + 1 + 0 = 0
    y = [9.0] * 3 + [5.0, 4.0, 3.0, 2.0, 1.0] + [6.0 + 0.1 * k
                                                 for k in range(22)]
    write_curve("valley5", lrs, y)
    case("valley5", "valley5", lrs, y, "", ["valley", "range"])

    # Smith's linear range test, where Lightning's linear-lr gradient and
    # mingrad's unit gradient part ways
    rng = np.random.default_rng(8)
    lrs = [float(x) for x in np.linspace(1e-4, 1, 100)]
    t = np.array(lrs)
    raw = 2.3 - 1.5 * (1 - np.exp(-t * 8)) + 3 * t ** 4 + \
        rng.normal(0, 0.05, 100)
    raw = [float("%.6g" % v) for v in raw]
    sm = ema(raw)
    write_curve("linear", lrs, sm, raw)
    case("linear", "linear", lrs, sm)
    l252_case("linear-l252", "linear", lrs, sm)

    # strongly curved: every gradient pair differs, slide runs to the start
    lrs = [float(x) for x in np.geomspace(1e-4, 1, 40)]
    y = [10.0 - 0.5 * k + 0.05 * k * k * k / 10 for k in range(40)]
    write_curve("curved", lrs, y)
    case("curved", "curved", lrs, y)

    # random walks: valley's patience sort against fastai's O(n^2) loop
    for seed, n in ((11, 200), (12, 500), (13, 1000)):
        rng = np.random.default_rng(seed)
        lrs = [float(x) for x in np.geomspace(1e-7, 10, n)]
        y = [float("%.4g" % v) for v in
             5 + np.cumsum(rng.normal(0, 0.1, n))]
        name = "walk%d" % n
        write_curve(name, lrs, y)
        case(name, name, lrs, y)

    sweep()
    sparse()

    with open(os.path.join(OUT, "cases"), "w") as f:
        f.write("# written by tests/golden/gen_suggest.py\n")
        f.write("# ok CASE CURVE METHODS OPTIONS (':' for ' ', '-' none)\n")
        f.write("# fail CASE CURVE METHOD HAS NEEDS OPTIONS"
                " (NEEDS -1: the loss never falls)\n")
        for c in CASES:
            f.write(c + "\n")


if __name__ == "__main__":
    main()
