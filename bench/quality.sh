#!/bin/sh
# quality.sh: does the suggested learning rate train well?
#
# For each task of bench/quality/tasks (a data set, a model, an optimizer
# and a batch size for examples/mlp-train), over 5 seeds:
#
#   1. the range test, 100 steps from 1e-7 to 10, through sweep-run;
#   2. ema-smooth -g run, then every lr-suggest method's suggestion per run
#      (pooled gives every run the one answer of their mean curve);
#   3. 5 epochs of 1cycle (lrsched onecycle max=<suggestion>) per seed with
#      that seed's suggestion, through sweep-run, keeping the final loss on
#      the held-out fifth of the data (mlp-train --val-out);
#   4. the same training at every max lr of a log-spaced grid (24 points
#      from 1e-4 to 10), 5 seeds each;
#
# and prints a Markdown table per task: each method's median suggestion,
# its spread across the seeds (max/min) and the median final loss in
# percent above the grid's best (the least median over the grid's lrs).
# Then a summary over the tasks.  The trainings of one lr run in one
# sweep-run; -j of them at once.
#
# usage: sh bench/quality.sh [-k] [-j jobs] [-o dir] [-t pattern]
#   -k          keep the losses of trainings already done in dir (the
#               trainer is deterministic given its seed and schedule)
#   -j jobs     processes at once (default 2)
#   -o dir      work and output folder (default bench/out/quality)
#   -t pattern  only the tasks whose name matches the grep pattern
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
jobs=2
out=$top/bench/out/quality
pattern=.
keep=0
while getopts kj:o:t: opt; do
	case $opt in
	k) keep=1 ;;
	j) jobs=$OPTARG ;;
	o) out=$OPTARG ;;
	t) pattern=$OPTARG ;;
	*) echo "usage: sh bench/quality.sh [-k] [-j jobs] [-o dir]" \
	    "[-t pattern]" >&2; exit 2 ;;
	esac
done

SEEDS=1,2,3,4,5
EPOCHS=5
VAL_FRAC=0.2	# mlp-train's default held-out fraction
SWEEP_RUN=$top/tools/sweep-run
TRAINER=$top/examples/mlp-train
for t in "$SWEEP_RUN" "$TRAINER" "$top/tools/ema-smooth" \
    "$top/tools/lr-suggest"; do
	[ -x "$t" ] || { echo "quality: $t: not built (make all)" >&2; exit 1; }
done
export SWEEP_RUN TRAINER
mkdir -p "$out" || exit 1
summary=$out/summary.tsv
: > "$summary"
start=$(date +%s)

echo "## Suggestion quality, $(date -u +%Y-%m-%d)"
echo
echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' \
    /proc/cpuinfo | head -n 1), $jobs jobs."
echo

# The grid: 24 max lrs, log-spaced from 1e-4 to 10.
grid=$(awk 'BEGIN { for (i = 0; i < 24; i++)
	printf "%.4g\n", 10 ^ (-4 + 5 * i / 23) }')

status=0
tab=$(printf '\t')
grep -v '^#' "$here/quality/tasks" | grep -v '^$' |
while IFS=$tab read -r name batch kind data opts desc; do
	echo "$name" | grep -q -- "$pattern" || continue
	dir=$out/$name
	VALDIR=$dir/val
	mkdir -p "$VALDIR" || exit 1
	[ $keep = 1 ] || rm -f "$VALDIR"/*
	DATA=$top/examples/data/$data
	BATCH=$batch
	TRAIN_OPTS=$opts
	# mlp-train holds out int(rows * 0.2) rows and takes whole batches.
	STEPS=$(gzip -dc "$DATA" | awk -v b="$batch" -v f="$VAL_FRAC" \
	    -v e="$EPOCHS" 'NF { n++ }
	    END { t = n - int(n * f); print e * int(t / b) }')
	export DATA BATCH TRAIN_OPTS STEPS VALDIR
	tstart=$(date +%s)

	# shellcheck disable=SC2086 # opts is a list of options
	"$SWEEP_RUN" -j "$jobs" -p seed=$SEEDS \
	    -s 'range start=1e-7 end=10 n=100' -- "$TRAINER" --seed '{seed}' \
	    --batch-size "$batch" --data "$DATA" $opts \
	    > "$dir/range.csv" 2> "$dir/range.log" || {
		echo "quality: $name: the range test failed:" >&2
		tail -n 3 "$dir/range.log" >&2
		exit 1
	}
	"$top/tools/ema-smooth" -g run "$dir/range.csv" > "$dir/smooth.csv" ||
	    exit 1
	# A method that cannot answer for a run says why and is left out.
	"$top/tools/lr-suggest" -g run -m all -f csv "$dir/smooth.csv" \
	    > "$dir/suggest.csv" 2> "$dir/suggest.log"
	"$SWEEP_RUN" --list -p seed=$SEEDS > "$dir/runs.csv"
	echo "$grid" > "$dir/grid.txt"

	# One line per max lr: the lr and the seeds to train with it.
	{
		for lr in $grid; do
			echo "$lr $SEEDS"
		done
		awk -F, 'FNR == 1 { file++; next }
		    file == 1 { seed[$1] = $2; next }
		    { print $3, seed[$1] }' "$dir/runs.csv" "$dir/suggest.csv"
	} | awk -v dir="$VALDIR" -v keep=$keep '
	    { n = split($2, s, ",")
	      for (i = 1; i <= n; i++) {
		if (($1, s[i]) in done)
			continue
		done[$1, s[i]] = 1
		if (keep && (getline line < (dir "/" $1 "-" s[i])) > 0)
			continue
		if (!($1 in seeds))
			order[++nlr] = $1
		seeds[$1] = seeds[$1] (seeds[$1] == "" ? "" : ",") s[i]
	      } }
	    END { for (i = 1; i <= nlr; i++) print order[i], seeds[order[i]] }' \
	    > "$dir/jobs.txt"
	# (xargs runs its command once even on no input.)
	[ ! -s "$dir/jobs.txt" ] || xargs -P "$jobs" -L 1 \
	    sh "$here/quality/train.sh" < "$dir/jobs.txt" 2> "$dir/train.log" || {
		echo "quality: $name: a training failed:" >&2
		tail -n 3 "$dir/train.log" >&2
		exit 1
	}

	for f in "$VALDIR"/*; do
		[ -f "$f" ] || continue
		b=${f##*/}
		printf '%s %s %s\n' "${b%-*}" "${b##*-}" "$(cat "$f")"
	done > "$dir/val.txt"
	awk -v task="$name" -v kind="$kind" -v desc="$desc" \
	    -v steps="$STEPS" -v summary="$summary" \
	    -f "$here/quality/report.awk" "$dir/grid.txt" "$dir/runs.csv" \
	    "$dir/suggest.csv" "$dir/val.txt" || exit 1
	echo "($(($(date +%s) - tstart)) s, $(wc -l < "$dir/jobs.txt") lrs" \
	    "trained)"
	echo
done || status=1

# Over the tasks: per method, the median and the worst of the figures, the
# worst spread, and on how many tasks it is within 5% of the grid's best
# with a spread under 2.
for kind in design held-out all; do
	[ $kind = all ] || grep -q "$tab$kind$tab" "$summary" || continue
	if [ $kind = all ]; then
		echo "### Summary over all the tasks"
	else
		echo "### Summary over the $kind tasks"
	fi
	echo
	echo "| method | median vs best | worst vs best | worst spread | within 5% and spread < 2 |"
	echo "|---|---:|---:|---:|---:|"
	awk -F'\t' -v kind="$kind" -f "$here/quality/summary.awk" "$summary"
	echo
done

echo "Total: $(($(date +%s) - start)) s."
exit $status
