#!/bin/sh
# ema-smooth against its peers on a generated 1M-row step,lr,loss table:
# libcsv's own parse speed (bench/csvparse.c: the floor), Miller's
# step -a ewma, a gawk one-liner, and pandas (Debian's python3).
# Then peak memory at 1M and 5M rows: it must not grow.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/measure.sh"
out=$here/out
mkdir -p "$out"
gen() {
	awk -v n="$1" 'BEGIN { srand(1); print "step,lr,loss"
		for (i = 0; i < n; i++)
			printf "%d,%.6g,%.6g\n", i, 1e-7 * 10 ^ (8 * i / (n - 1)), 2 + rand() * 0.2 }'
}
[ -f "$out/ema-1m.csv" ] || gen 1000000 > "$out/ema-1m.csv"
[ -f "$out/ema-5m.csv" ] || gen 5000000 > "$out/ema-5m.csv"
cc -O2 -o "$out/csvparse" "$here/csvparse.c" -lcsv
f=$out/ema-1m.csv
echo "## ema-smooth: 1M rows ($(wc -c < "$f") bytes), best of $REPEAT"
echo
{
	measure libcsv-parse "$out/csvparse < $f"
	measure ema-smooth "$top/tools/ema-smooth $f"
	if command -v mlr >/dev/null; then
		measure mlr-step-ewma "mlr --icsv --ocsv step -a ewma -d 0.02 -f loss $f"
	fi
	if command -v gawk >/dev/null; then
		measure gawk "gawk -F, -v OFS=, 'NR==1{print \$0,\"loss_smooth\";next}{a=.98*a+.02*\$3;n++;print \$0,a/(1-.98^n)}' $f"
	fi
	if /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
		measure pandas "/usr/bin/python3 -c 'import sys,pandas as pd; d=pd.read_csv(sys.argv[1]); d[\"loss_smooth\"]=d[\"loss\"].ewm(alpha=.02).mean(); d.to_csv(sys.stdout,index=False)' $f"
	fi
} | table ema-smooth
echo
echo "Peak memory (constant in the input size):"
echo
{
	measure ema-smooth-1M "$top/tools/ema-smooth $out/ema-1m.csv"
	measure ema-smooth-5M "$top/tools/ema-smooth $out/ema-5m.csv"
	measure ema-smooth-5M-g "awk -F, -v OFS=, 'NR==1{print \"run\",\$0;next}{print NR%64,\$0}' $out/ema-5m.csv | $top/tools/ema-smooth -g run"
} | table ema-smooth-1M
echo
