#!/usr/bin/python3
"""Expected tables for lr-import's JSON and MLflow readers.

The reference is Python's own json module, which wrote these files in the
first place (it reads NaN and Infinity as the floats Python wrote): for
trainer_state.json the training entries of log_history (those with
"loss"), or with --eval the entries with "eval_*" keys; the columns are
step, epoch, loss, learning_rate, grad_norm (those any chosen entry has),
then every other key that holds a number in some chosen entry, in the order
keys first appear.  JSON Lines: the numeric keys of all lines in first-seen
order.  Missing keys and nulls are empty cells.  Numbers are printed with
repr (int as int); tests compare them as numbers.

Also writes the JSON Lines and MLflow fixtures this needs: a W&B-style
history export (tests/data/import/history.jsonl) and a second metric,
train/lr, beside the real MLflow loss file of tests/data/foreign/ (copied
to tests/data/import/mlruns/... under its original path).

Run from the top of the source tree (tests/golden/regen.sh does).
"""
import json
import math
import os
import shutil

import pandas as pd

FOREIGN = os.path.join("tests", "data", "foreign")
OUT = os.path.join("tests", "data", "import")
RUN = os.path.join(OUT, "mlruns", "1", "ed05f9cd599442fe9a0c9222184710b8")


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def table(entries, first):
    cols = [k for k in first if any(is_number(e.get(k)) for e in entries)]
    for e in entries:
        for k, v in e.items():
            if is_number(v) and k not in cols:
                cols.append(k)
    lines = [",".join(cols)]
    for e in entries:
        lines.append(",".join(cell(e.get(k)) for k in cols))
    return "\n".join(lines) + "\n"


def hf(name, out, evaluation):
    with open(os.path.join(FOREIGN, name)) as f:
        hist = json.load(f)["log_history"]
    if evaluation:
        chosen = [e for e in hist if any(k.startswith("eval_") for k in e)]
        first = ["step", "epoch"]
    else:
        chosen = [e for e in hist if "loss" in e]
        first = ["step", "epoch", "loss", "learning_rate", "grad_norm"]
    with open(os.path.join(OUT, out), "w") as f:
        f.write(table(chosen, first))


# A W&B-style history export: _step, _runtime, _timestamp, slash-named
# metrics, a histogram object and a string to leave out, sparse keys,
# NaN and Infinity as Python's json writes them.
HISTORY = [
    {"_step": 0, "_runtime": 3.5, "_timestamp": 1700000000.25,
     "train/loss": 2.302585092994046, "train/lr": 1e-07,
     "run_name": "lrtest"},
    {"_step": 1, "_runtime": 4.0, "_timestamp": 1700000000.75,
     "train/loss": 2.29, "train/lr": 1.2045035402587823e-07,
     "gradients/fc1": {"_type": "histogram", "bins": [0, 1, 2],
                       "values": [3, 4]}},
    {"_step": 2, "_runtime": 4.5, "_timestamp": 1700000001.25,
     "train/loss": 2.27, "train/lr": 1.4508287784959398e-07},
    {"_step": 3, "_runtime": 5.0, "_timestamp": 1700000001.75,
     "val/loss": 2.2, "val/acc": 0.125},
    {"_step": 4, "_runtime": 5.5, "_timestamp": 1700000002.25,
     "train/loss": float("nan"), "train/lr": 1.7475284000076836e-07,
     "grad_norm": float("inf")},
    {"_step": 5, "_runtime": 6.0, "_timestamp": 1700000002.75,
     "train/loss": None, "train/lr": 2.104904144512021e-07,
     "grad_norm": float("-inf")},
    {"_step": 6, "_runtime": 6.5, "_timestamp": 1700000003.25,
     "train/loss": 2.2, "train/lr": 2.5353644939701164e-07, "epoch": 1},
]


def jsonl():
    with open(os.path.join(OUT, "history.jsonl"), "w") as f:
        for i, row in enumerate(HISTORY):
            f.write(json.dumps(row) + "\n")
            if i == 2:
                f.write("\n")       # a blank line is skipped
    with open(os.path.join(OUT, "history.csv"), "w") as f:
        f.write(table(HISTORY, []))


def mlflow():
    metrics = os.path.join(RUN, "metrics")
    os.makedirs(os.path.join(metrics, "train"), exist_ok=True)
    shutil.copyfile(os.path.join(FOREIGN, "mlflow-metric-loss-swahili-stt.txt"),
                    os.path.join(metrics, "loss"))
    with open(os.path.join(metrics, "loss")) as f:
        loss = [line.split() for line in f]
    # train/lr: logged a few ms after the loss, at every other step, one
    # step past the end.
    lr = [(int(ts) + 7, 1e-3 * 0.5 ** (int(st) // 2), int(st))
          for ts, _, st in loss if int(st) % 2 == 0]
    lr.append((int(loss[-1][0]) + 5000, 1e-5, 10))
    with open(os.path.join(metrics, "train", "lr"), "w") as f:
        for ts, v, st in lr:
            f.write("%d %r %d\n" % (ts, v, st))
    rows = {}
    for ts, v, st in loss:
        rows.setdefault(int(st), {})["loss"] = (int(ts), v)
    for ts, v, st in lr:
        rows.setdefault(st, {})["train/lr"] = (ts, repr(v))
    with open(os.path.join(OUT, "mlflow-joined.csv"), "w") as f:
        f.write("step,timestamp,loss,train/lr\n")
        for st in sorted(rows):
            r = rows[st]
            ts = min(t for t, _ in r.values())
            f.write("%d,%d,%s,%s\n" % (st, ts, r.get("loss", (0, ""))[1],
                                       r.get("train/lr", (0, ""))[1]))


MISSING = {"", "na", "n/a", "#na#", "null", "none"}


def dense(name, out, merge=None, ffill=(), split=None, select=None):
    """--split-restarts, --merge, --ffill, --select with pandas, every cell
    kept as the text it was (dtype=str), missing cells as None."""
    df = pd.read_csv(os.path.join(FOREIGN, name), dtype=str,
                     keep_default_na=False)
    df = df.applymap(lambda v: None if v.strip().lower() in MISSING else v)
    cols = list(df.columns)
    if split is not None:
        x = pd.to_numeric(df[split])
        prev = x.ffill().shift()
        df["run"] = (1 + (x < prev).cumsum()).astype(str)
        cols.append("run")
    if merge is not None:
        keys = [merge] if split is None else ["run", merge]
        df = df.groupby(keys, sort=False, dropna=False).last().reset_index()
        df = df[cols]
    for c in ffill:
        if split is None:
            df[c] = df[c].ffill()
        else:
            df[c] = df.groupby("run", sort=False)[c].ffill()
    if select is not None:
        df = df[select]
    df.to_csv(os.path.join(OUT, out), index=False, na_rep="",
              lineterminator="\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    dense("lightning-metrics-erav1-session13-v4.csv", "lightning-v4-merged.csv",
          merge="step")
    dense("lightning-metrics-pl-wrapper.csv", "pl-wrapper-merged.csv",
          merge="step")
    dense("lightning-metrics-erav1-session13-v1-nan.csv",
          "lightning-v1-ffill.csv", ffill=["lr-Adam"],
          select=["step", "lr-Adam", "train_loss"])
    dense("keras-csvlogger-catclassifier-appended.log", "keras-split.csv",
          split="epoch")
    dense("tensorboard-export-attention-ocr.csv", "tensorboard-split.csv",
          split="Step", merge="Step", select=["run", "Step", "Value"])
    hf("hf-trainer_state-tinyllama-sft.json", "hf-tinyllama.csv", False)
    hf("hf-trainer_state-tinyllama-sft.json", "hf-tinyllama-eval.csv", True)
    hf("hf-trainer_state-whisper-ja.json", "hf-whisper.csv", False)
    hf("hf-trainer_state-whisper-ja.json", "hf-whisper-eval.csv", True)
    jsonl()
    mlflow()


if __name__ == "__main__":
    main()
