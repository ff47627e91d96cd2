"""lr-import's peer: pandas turning a JSON log into CSV.

usage: python3 bench/import-pandas.py jsonl FILE
           pandas.read_json(FILE, lines=True), written with to_csv
       python3 bench/import-pandas.py jsonl-precise FILE
           the same with precise_float=True (the default parser may be off
           in the last digit)
       python3 bench/import-pandas.py hf trainer_state.json
           json.load, the training entries of log_history (those with a
           "loss"), pandas.json_normalize, written with to_csv

The CSV goes to stdout, as lr-import's does.
"""
import json
import sys

import pandas as pd


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "jsonl":
        d = pd.read_json(path, lines=True)
    elif kind == "jsonl-precise":
        d = pd.read_json(path, lines=True, precise_float=True)
    elif kind == "hf":
        with open(path) as f:
            state = json.load(f)
        d = pd.json_normalize([e for e in state["log_history"]
                               if "loss" in e])
    else:
        sys.exit("import-pandas.py: %s: no such format" % kind)
    d.to_csv(sys.stdout, index=False)


main()
