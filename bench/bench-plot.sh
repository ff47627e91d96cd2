#!/bin/sh
# lr-plot on a 1M-row range test curve (step,lr,loss,loss_smooth, the
# generator of bench/suggest-port.py): SVG and text (-T), against pandas
# and matplotlib drawing the same raw and smoothed loss against a log lr
# axis as SVG (bench/plot-matplotlib.py; skipped without
# python3-matplotlib).
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/measure.sh"
out=$here/out
mkdir -p "$out"
py=/usr/bin/python3
lp=$top/tools/lr-plot
[ -x "$lp" ] || { echo "bench-plot: build tools/lr-plot first" >&2; exit 1; }
f=$out/suggest-1000000.csv
[ -f "$f" ] || $py "$here/suggest-port.py" gen 1000000 "$f" || {
	echo "bench-plot: the curve needs python3-numpy" >&2
	exit 1
}

rm -f "$out/plot-mpl.svg"
echo "## lr-plot: 1M rows ($(wc -c < "$f") bytes) vs matplotlib, best of $REPEAT"
echo
{
	measure lr-plot-svg "$lp -o $out/plot.svg $f"
	measure lr-plot-T "$lp -T --size 100x30 $f"
	if $py -c 'import matplotlib, pandas' 2>/dev/null; then
		measure matplotlib-svg "$py $here/plot-matplotlib.py $f $out/plot-mpl.svg"
	fi
} | table lr-plot-svg
echo
echo "SVG sizes: lr-plot $(wc -c < "$out/plot.svg") bytes$(
	[ -f "$out/plot-mpl.svg" ] && echo ", matplotlib $(wc -c < "$out/plot-mpl.svg") bytes")."
echo
