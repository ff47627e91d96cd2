"""Golden vectors for ema-smooth (tests/golden/README, section 3).

Every expected column comes from pandas' own ewm() where pandas has the
behaviour (debias = adjust=True, first = adjust=False, com/span/halflife,
hold = pandas' NaN rule with and without ignore_na, halflife over times),
and otherwise from line-by-line ports of the anchor's code:
  - skip: TensorBoard's smoothing (tensorboard/webapp/widgets/line_chart_v2
    data_transformer.ts, classicSmoothing), NaN and +-Inf pass through;
  - propagate: fastai v2 AvgSmoothLoss (fastai/learner.py): lerp from 0,
    divided by 1-beta^count, a NaN stays forever;
  - zero: the biased EMA from 0;
  - --stop-div: fastai v2 LRFinder.after_batch (fastai/callback/schedule.py):
    best = min(best, smooth); stop once smooth > 4 * best.

Run from the top of the tree: /usr/bin/python3 tests/golden/gen_ema.py
"""
import math
import os

import numpy as np
import pandas as pd

OUT = "tests/data/ema"


def fmt(x):
    if isinstance(x, float) and math.isnan(x):
        return "nan"
    return repr(float(x))


def series(n, seed, nan_at=(), inf_at=()):
    rng = np.random.default_rng(seed)
    # a range-test-like curve: flat, falling, then rising, with noise
    k = np.arange(n)
    base = 2.3 - 1.5 / (1 + np.exp(-(k - n * 0.45) / (n * 0.08)))
    base += np.where(k > n * 0.8, ((k - n * 0.8) / (n * 0.05)) ** 2, 0)
    x = base + rng.normal(0, 0.15, n)
    x = [float("%.6g" % v) for v in x]
    for i in nan_at:
        x[i] = float("nan")
    for i in inf_at:
        x[i] = float("inf")
    return x


def write_input(name, header, rows):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def write_golden(name, header, rows, smooth):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(",".join(header) + "\n")
        for r, s in zip(rows, smooth):
            f.write(",".join(r + [s]) + "\n")


def cell(x):
    return "nan" if math.isnan(x) else ("%.6g" % x)


def tensorboard(xs, w):
    last, num = 0.0, 0
    constant = all(v == xs[0] for v in xs)
    out = []
    for v in xs:
        if constant or not math.isfinite(v):
            out.append(v)
        else:
            last = last * w + (1 - w) * v
            num += 1
            out.append(last / (1 - w ** num) if w != 1 else last)
    return out


def fastai(xs, beta):
    val, count, out = 0.0, 0, []
    for v in xs:
        val = v + beta * (val - v)      # torch.lerp(loss, val, beta)
        count += 1
        out.append(val / (1 - beta ** count))
    return out


def zero(xs, beta):
    a, out = 0.0, []
    for v in xs:
        a = beta * a + (1 - beta) * v
        out.append(a)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    n = 300
    xs = series(n, 1)
    rows = [[str(k), "%.6g" % (1e-7 * 1e8 ** (k / (n - 1))), cell(v)]
            for k, v in enumerate(xs)]
    hdr = ["step", "lr", "loss"]
    write_input("curve.csv", hdr, rows)
    s = pd.Series([float(r[2]) for r in rows])
    out = hdr + ["loss_smooth"]
    cases = {
        "debias-b098": s.ewm(alpha=0.02, adjust=True).mean(),
        "debias-b06": s.ewm(alpha=0.4, adjust=True).mean(),
        "first-a04": s.ewm(alpha=0.4, adjust=False).mean(),
        "span10": s.ewm(span=10, adjust=True).mean(),
        "com3": s.ewm(com=3, adjust=True).mean(),
        "halflife5": s.ewm(halflife=5, adjust=True).mean(),
        "first-span10": s.ewm(span=10, adjust=False).mean(),
    }
    for name, sm in cases.items():
        write_golden(name + ".csv", out, rows, [fmt(v) for v in sm])
    write_golden("zero-b09.csv", out, rows,
                 [fmt(v) for v in zero(s.tolist(), 0.9)])

    # Missing values: nan cells and empty cells.
    xs = series(200, 2, nan_at=(0, 1, 50, 51, 52, 120))
    rows = [[str(k), "%.6g" % (1e-6 * 1e6 ** (k / 199)), cell(v)]
            for k, v in enumerate(xs)]
    rows[51][2] = ""                      # an empty cell is missing too
    write_input("gaps.csv", hdr, rows)
    s = pd.Series(xs)
    for name, sm in {
        "hold-debias": s.ewm(alpha=0.1, adjust=True).mean(),
        "hold-debias-ignore": s.ewm(alpha=0.1, adjust=True,
                                    ignore_na=True).mean(),
        "hold-first": s.ewm(alpha=0.1, adjust=False).mean(),
        "hold-first-ignore": s.ewm(alpha=0.1, adjust=False,
                                   ignore_na=True).mean(),
    }.items():
        write_golden(name + ".csv", out, rows, [fmt(v) for v in sm])
    tb = tensorboard(xs, 0.9)
    write_golden("skip-b09.csv", out, rows,
                 [r[2] if not math.isfinite(x) else fmt(v)
                  for r, x, v in zip(rows, xs, tb)])

    # fastai's rule: a NaN poisons the state for good.
    xs = series(100, 3, nan_at=(70,))
    rows = [[str(k), "1", cell(v)] for k, v in enumerate(xs)]
    write_input("poison.csv", hdr, rows)
    write_golden("propagate-b098.csv", out, rows,
                 [fmt(v) for v in fastai(xs, 0.98)])

    # Time-weighted: pandas ewm(halflife=h, times=t), irregular steps.
    rng = np.random.default_rng(4)
    t = np.cumsum(rng.integers(1, 50, 150))
    xs = series(150, 5)
    rows = [[str(int(ti)), "1", cell(v)] for ti, v in zip(t, xs)]
    write_input("times.csv", hdr, rows)
    sm = pd.Series(xs).ewm(halflife=pd.Timedelta(seconds=40),
                           times=pd.to_datetime(t, unit="s")).mean()
    write_golden("times-h40.csv", out, rows, [fmt(v) for v in sm])

    # Interleaved groups: per-run state, rows in any order.
    a, b = series(120, 6), series(80, 7)
    rows, order = [], []
    ia = ib = 0
    rng = np.random.default_rng(8)
    while ia < len(a) or ib < len(b):
        if ib >= len(b) or (ia < len(a) and rng.random() < 0.6):
            rows.append(["a", str(ia), cell(a[ia])])
            ia += 1
        else:
            rows.append(["b", str(ib), cell(b[ib])])
            ib += 1
    ghdr = ["run", "step", "loss"]
    write_input("groups.csv", ghdr, rows)
    df = pd.DataFrame({"run": [r[0] for r in rows],
                       "loss": [float(r[2]) for r in rows]})
    sm = df.groupby("run")["loss"].transform(
        lambda g: g.ewm(alpha=0.05).mean())
    write_golden("groups-a005.csv", ghdr + ["loss_smooth"], rows,
                 [fmt(v) for v in sm])

    # --stop-div 4 (fastai): the row that crosses is the last one written.
    xs = series(300, 9)
    rows = [[str(k), "1", cell(v)] for k, v in enumerate(xs)]
    write_input("diverge.csv", hdr, rows)
    sm = fastai([float(r[2]) for r in rows], 0.98)
    best, last = math.inf, len(rows) - 1
    for i, v in enumerate(sm):
        best = min(best, v)
        if v > 4 * best:
            last = i
            break
    write_golden("stopdiv4.csv", out, rows[:last + 1],
                 [fmt(v) for v in sm[:last + 1]])

    # The man page's examples: a sweep smoothed per run with the default
    # beta, and a TensorBoard export (CRLF, "Wall time,Step,Value") smoothed
    # over its irregular Step column with a half-life of 100 steps.
    df = pd.DataFrame({"run": [r[0] for r in rows],
                       "loss": [float(r[2]) for r in rows]})
    rows = []
    for run, lr_scale in (("0", 1.0), ("1", 3.0)):
        for k, v in enumerate(series(60, 10 + len(rows))):
            rows.append([run, str(k), "%.6g" % (lr_scale * 1e-5 * 1.2 ** k),
                         cell(v)])
    rows.sort(key=lambda r: (int(r[1]), r[0]))     # interleaved
    shdr = ["run", "step", "lr", "loss"]
    write_input("sweep.csv", shdr, rows)
    df = pd.DataFrame({"run": [r[0] for r in rows],
                       "loss": [float(r[3]) for r in rows]})
    sm = df.groupby("run")["loss"].transform(
        lambda g: g.ewm(alpha=0.02).mean())
    write_golden("sweep-smoothed.csv", shdr + ["loss_smooth"], rows,
                 [fmt(v) for v in sm])

    rng = np.random.default_rng(11)
    steps = np.cumsum(rng.integers(1, 120, 80))
    wall = 1.6e9 + steps * 0.731
    xs = series(80, 12)
    rows = [[repr(float(w)), str(int(st)), cell(v)]
            for w, st, v in zip(wall, steps, xs)]
    thdr = ["Wall time", "Step", "Value"]
    with open(os.path.join(OUT, "run-tag-loss.csv"), "w", newline="") as f:
        f.write(",".join(thdr) + "\r\n")
        for r in rows:
            f.write(",".join(r) + "\r\n")
    sm = pd.Series(xs).ewm(halflife=pd.Timedelta(seconds=100),
                           times=pd.to_datetime(steps, unit="s")).mean()
    write_golden("run-tag-loss-h100.csv", thdr + ["Value_smooth"], rows,
                 [fmt(v) for v in sm])


if __name__ == "__main__":
    main()
