#!/bin/sh
# demo.sh: the whole lrkit pipeline on the bundled example trainer.  The
# range test (1e-7 to 10 in 100 steps) of examples/mlp-train for three
# seeds through sweep-run, the smoothed loss, the suggested lr and the
# picture; everything lands in demo/.  Run it with "make demo".
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/demo
PATH=$top/tools:$PATH
mkdir -p "$out"

echo "demo: range test of examples/mlp-train (MLP on UCI digits), seeds 1 2 3"
sweep-run -p seed=1,2,3 -j 2 -- "$top/examples/mlp-train" --seed '{seed}' \
    > "$out/range.csv"
echo "demo: $(($(wc -l < "$out/range.csv") - 1)) rows in demo/range.csv"
ema-smooth -g run "$out/range.csv" > "$out/smooth.csv"

# lr-suggest: fastai's valley on each seed's smoothed curve (fastai's
# answer), and pooled: halfway down the fall of the mean curve of the
# seeds, lr-suggest's default over several runs of one configuration (the
# rule that trained best in make quality, bench/RESULTS.md).
lr-suggest -g run -m valley,pooled --summary -f csv "$out/smooth.csv" \
    > "$out/suggest.csv"
awk -F, '
	$1 == "valley" { printf "demo: valley (fastai'"'"'s default, halfway down the longest fall): median %.3g over %d seeds, spread %.2gx\n", $3, $2, $6 }
	$1 == "pooled" { printf "demo: pooled (lr-suggest'"'"'s default over the %d seeds: halfway down the fall of their mean): %.3g, the max lr to use for 1cycle\n", $2, $3 }
' "$out/suggest.csv"

# Each run is named by its parameters (sweep-run's columns between run and
# step): "seed=1" in the table below and in the plot's legend.
lr-suggest -g run -m valley "$out/smooth.csv" | sort | sed 's/^/demo: valley, /'

lr-plot -g run -s valley,pooled --title "examples/mlp-train: range test, 3 seeds" \
    -o "$out/range.svg" "$out/smooth.csv"
echo "demo: the curves with the suggestions marked: demo/range.svg"
lr-plot -T -g run -s pooled --size 72x18 "$out/smooth.csv" 2>/dev/null || true
