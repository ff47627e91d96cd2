#!/bin/sh
# lr-import on a large JSONL log (JSONL_ROWS lines, default 500k, W&B
# style: _step, _runtime, _timestamp, train/loss, train/lr, and val/loss,
# val/acc on every 100th line) and a large Hugging Face trainer_state.json
# (HF_ROWS training entries, default 200k, an evaluation entry every 1000,
# indented as the Trainer writes it), against pandas: read_json(lines=True)
# and json.load + json_normalize, each writing CSV (bench/import-pandas.py).
# The outputs are compared column by column, as numbers.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/measure.sh"
out=$here/out
mkdir -p "$out"
py=/usr/bin/python3
li=$top/tools/lr-import
[ -x "$li" ] || { echo "bench-import: build tools/lr-import first" >&2; exit 1; }
jn=${JSONL_ROWS:-500000}
hn=${HF_ROWS:-200000}
jl=$out/import-$jn.jsonl
hf=$out/import-$hn-trainer_state.json
pandas=0
$py -c 'import pandas' 2>/dev/null && pandas=1

[ -f "$jl" ] || awk -v n="$jn" 'BEGIN { srand(2)
	for (i = 0; i < n; i++) {
		printf "{\"_step\": %d, \"_runtime\": %.3f, \"_timestamp\": %.3f, \"train/loss\": %.6g, \"train/lr\": %.17g",
		    i, 3.5 + i * 0.05, 1700000000 + i * 0.05, 2 + rand() * 0.2, 1e-7 * 10 ^ (8 * i / (n - 1))
		if (i % 100 == 99)
			printf ", \"val/loss\": %.6g, \"val/acc\": %.4f", 1.9 + rand() * 0.1, rand()
		print "}"
	} }' > "$jl"
[ -f "$hf" ] || awk -v n="$hn" 'BEGIN { srand(3)
	print "{\n  \"best_metric\": null,\n  \"epoch\": 3.0,\n  \"global_step\": " n ",\n  \"log_history\": ["
	for (i = 1; i <= n; i++) {
		printf "    {\n      \"epoch\": %.17g,\n      \"grad_norm\": %.17g,\n      \"learning_rate\": %.17g,\n      \"loss\": %.4f,\n      \"step\": %d\n    }",
		    3 * i / n, 0.5 + rand(), 5e-5 * (1 - i / n), 2 + rand() * 0.2, i
		if (i % 1000 == 0)
			printf ",\n    {\n      \"epoch\": %.17g,\n      \"eval_loss\": %.17g,\n      \"eval_runtime\": %.4f,\n      \"step\": %d\n    }",
			    3 * i / n, 1.9 + rand() * 0.1, 10 + rand(), i
		print (i < n ? "," : "")
	}
	print "  ],\n  \"max_steps\": " n ",\n  \"num_train_epochs\": 3\n}" }' > "$hf"

# same A.csv B.csv: the rows of A where a column differs from B's column
# of the same name, as numbers (both empty counts as equal).
same() {
	paste -d, "$1" "$2" | awk -F, '
		NR == 1 { h = NF / 2
			for (i = 1; i <= h; i++) name[$i] = i
			for (j = h + 1; j <= NF; j++) if ($j in name) map[name[$j]] = j
			for (i = 1; i <= h; i++) if (!(i in map)) { print "columns differ"; exit }
			next }
		{ for (i = 1; i <= h; i++) {
			a = $i; b = $(map[i])
			if (a != b && (a == "" || b == "" || a + 0 != b + 0)) { bad++; break } } }
		END { if (NR > 1) printf "%d of %d rows differ", bad, NR - 1 }'
}

echo "## lr-import: JSONL and trainer_state.json vs pandas, best of $REPEAT"
echo
{
	measure lr-import-jsonl "$li $jl"
	if [ $pandas = 1 ]; then
		measure pandas-read_json "$py $here/import-pandas.py jsonl $jl"
		measure pandas-precise "$py $here/import-pandas.py jsonl-precise $jl"
	fi
} > "$out/import-jsonl.times"
echo "$jn lines of JSONL ($(wc -c < "$jl") bytes):"
echo
table lr-import-jsonl < "$out/import-jsonl.times"
echo
if [ $pandas = 1 ]; then
	"$li" "$jl" > "$out/import-lrk.csv"
	$py "$here/import-pandas.py" jsonl "$jl" > "$out/import-pd.csv"
	$py "$here/import-pandas.py" jsonl-precise "$jl" > "$out/import-pdp.csv"
	echo "Against lr-import's numbers: read_json $(same "$out/import-lrk.csv" "$out/import-pd.csv"),"
	echo "with precise_float=True $(same "$out/import-lrk.csv" "$out/import-pdp.csv")."
	echo
fi
{
	measure lr-import-hf "$li $hf"
	if [ $pandas = 1 ]; then
		measure pandas-json_normalize "$py $here/import-pandas.py hf $hf"
	fi
} > "$out/import-hf.times"
echo "trainer_state.json with $hn training entries ($(wc -c < "$hf") bytes):"
echo
table lr-import-hf < "$out/import-hf.times"
echo
if [ $pandas = 1 ]; then
	"$li" "$hf" > "$out/import-lrk.csv"
	$py "$here/import-pandas.py" hf "$hf" > "$out/import-pd.csv"
	echo "Against lr-import's numbers: json_normalize $(same "$out/import-lrk.csv" "$out/import-pd.csv")."
	echo
fi
rm -f "$out/import-lrk.csv" "$out/import-pd.csv" "$out/import-pdp.csv"
