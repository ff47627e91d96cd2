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

# lr-suggest: fastai's valley on each seed's smoothed curve, then the median.
lr-suggest -g run --summary -f csv "$out/smooth.csv" > "$out/suggest.csv"
awk -F, 'NR == 2 { printf "demo: suggested lr %.3g: the median over %d seeds of fastai'"'"'s valley (halfway down the longest fall of the smoothed loss), spread %.2gx\n", $3, $2, $6 }' \
    "$out/suggest.csv"

if [ -x "$top/tools/lr-plot" ]; then
	lr-plot -g run -o "$out/range.svg" "$out/smooth.csv"
	echo "demo: the curves with the suggestions marked: demo/range.svg"
fi
