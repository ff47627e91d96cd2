#!/bin/sh
# quality.sh: does the suggested learning rate train well?
#
# For each task of bench/quality/tasks (a data set, a model, an optimizer
# and a batch size for examples/mlp-train), over 5 seeds:
#
#   1. the range test, 100 steps (-n) from 1e-7 to 10, through sweep-run;
#   2. ema-smooth -g run, then every method's lr per run: each script
#      bench/quality/method-*.sh, run as "sh SCRIPT DIR" with the task in
#      the environment (see below), prints CSV "run,method,lr,cost": the
#      lr its method gives the run (the seed of runs.csv) and what it
#      spent, in trainings of the task; method-suggest.sh gives every
#      lr-suggest method's (pooled gives every run the one answer of
#      their mean curve), at the cost of one range test;
#   3. 5 epochs (-e) of 1cycle (lrsched onecycle max=<suggestion>) per seed with
#      that seed's suggestion, through sweep-run, keeping the final loss on
#      the held-out fifth of the data (mlp-train --val-out);
#   4. the same training at every max lr of a log-spaced grid (24 points
#      from 1e-4 to 10), 5 seeds each;
#
# and prints a Markdown table per task: each method's median suggestion,
# its spread across the seeds (max/min), the median final loss in
# percent above the grid's best (the least median over the grid's lrs)
# and its cost.
#
# A method that is not one lr-suggest call (one that trains candidates
# itself, say) is a new method-NAME.sh.  It finds in DIR range.csv (the
# range tests, sweep-run's rows), smooth.csv (ema-smooth -g run of it)
# and runs.csv (run,seed), and in the environment SWEEP_RUN, TRAINER,
# TOOLS (the folder of the built tools), DATA, BATCH, TRAIN_OPTS (the
# trainer's options), STEPS (the steps of one training), RANGE_STEPS
# (of one range test), SEEDS and JOBS (-j); it keeps its own files in
# DIR/NAME/.
# Its lrs are then trained like every method's, from the same seeds.
# Then a summary over the tasks.  The trainings of one lr run in one
# sweep-run; -j of them at once.
#
# usage: sh bench/quality.sh [-k] [-e epochs] [-j jobs] [-n steps] [-o dir]
#                            [-t pattern]
#   -e epochs   epochs of each 1cycle training (default 5)
#   -k          keep the losses of trainings already done in dir (the
#               trainer is deterministic given its seed and schedule)
#   -j jobs     processes at once (default 2)
#   -n steps    steps of the range test (default 100, as fastai's); xF:
#               F times the steps of the task's training
#   -o dir      work and output folder (default bench/out/quality)
#   -t pattern  only the tasks whose name matches the grep pattern
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
jobs=2
out=$top/bench/out/quality
pattern=.
keep=0
EPOCHS=5
RANGE_STEPS=100
while getopts ke:j:n:o:t: opt; do
	case $opt in
	e) EPOCHS=$OPTARG ;;
	k) keep=1 ;;
	j) jobs=$OPTARG ;;
	n) RANGE_STEPS=$OPTARG ;;
	o) out=$OPTARG ;;
	t) pattern=$OPTARG ;;
	*) echo "usage: sh bench/quality.sh [-k] [-e epochs] [-j jobs]" \
	    "[-n steps] [-o dir] [-t pattern]" >&2; exit 2 ;;
	esac
done

SEEDS=1,2,3,4,5
MIDDLE=$(( ($(echo $SEEDS | tr , '\n' | wc -l) + 1) / 2 ))
RESEEDS=6,7,8,9,10	# the grid again on other seeds: is its best reproducible?
VAL_FRAC=0.2	# mlp-train's default held-out fraction
SWEEP_RUN=$top/tools/sweep-run
TRAINER=$top/examples/mlp-train
TOOLS=$top/tools
for t in "$SWEEP_RUN" "$TRAINER" "$top/tools/ema-smooth" \
    "$top/tools/lr-suggest"; do
	[ -x "$t" ] || { echo "quality: $t: not built (make all)" >&2; exit 1; }
done
JOBS=$jobs
export SWEEP_RUN TRAINER TOOLS SEEDS JOBS
mkdir -p "$out" || exit 1
summary=$out/summary.tsv
basins=$out/basins.tsv
: > "$summary"
: > "$basins"
start=$(date +%s)

echo "## Suggestion quality, $(date -u +%Y-%m-%d)"
echo
echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' \
    /proc/cpuinfo | head -n 1), $jobs jobs."
echo

# The grid: 24 max lrs, log-spaced from 1e-4 to 10.
grid=$(awk 'BEGIN { for (i = 0; i < 24; i++)
	printf "%.4g\n", 10 ^ (-4 + 5 * i / 23) }')

# train FILE: the trainings FILE asks for ("lr seed,seed..." lines) that
# are not done yet, -j at once.
train() {
	awk -v dir="$VALDIR" -v keep=$keep '
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
	    "$1" > "$dir/jobs.txt"
	ntrained=$((ntrained + $(awk '{ n += split($2, s, ",") }
	    END { print n + 0 }' "$dir/jobs.txt")))
	# (xargs runs its command once even on no input.)
	[ ! -s "$dir/jobs.txt" ] || xargs -P "$jobs" -L 1 \
	    sh "$here/quality/train.sh" < "$dir/jobs.txt" 2>> "$dir/train.log" || {
		echo "quality: $name: a training failed:" >&2
		tail -n 3 "$dir/train.log" >&2
		return 1
	}
}

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
	# -n xF: F times the training's steps
	case $RANGE_STEPS in
	x*) range_n=$(awk -v f="${RANGE_STEPS#x}" -v n="$STEPS" \
	    'BEGIN { printf "%d", f * n + 0.5 }') ;;
	*) range_n=$RANGE_STEPS ;;
	esac
	tstart=$(date +%s)
	ntrained=0
	: > "$dir/train.log"

	# shellcheck disable=SC2086 # opts is a list of options
	"$SWEEP_RUN" -j "$jobs" -p seed=$SEEDS \
	    -s "range start=1e-7 end=10 n=$range_n" -- "$TRAINER" --seed '{seed}' \
	    --batch-size "$batch" --data "$DATA" $opts \
	    > "$dir/range.csv" 2> "$dir/range.log" || {
		echo "quality: $name: the range test failed:" >&2
		tail -n 3 "$dir/range.log" >&2
		exit 1
	}
	"$top/tools/ema-smooth" -g run "$dir/range.csv" > "$dir/smooth.csv" ||
	    exit 1
	"$SWEEP_RUN" --list -p seed=$SEEDS > "$dir/runs.csv"
	# A method that cannot answer for a run says why (in
	# DIR/method-NAME.log) and is left out.
	RANGE_STEPS=$range_n
	export RANGE_STEPS
	echo run,method,lr,cost > "$dir/suggest.csv"
	for m in "$here"/quality/method-*.sh; do
		mname=${m##*/method-}
		sh "$m" "$dir" 2> "$dir/method-${mname%.sh}.log" |
		    sed 1d >> "$dir/suggest.csv"
	done
	echo "$grid" > "$dir/grid.txt"

	# One line per max lr: the lr and the seeds to train with it: the
	# grid (on the replicate seeds too), and each seed's suggestions.
	{
		for lr in $grid; do
			echo "$lr $SEEDS,$RESEEDS"
		done
		awk -F, 'FNR == 1 { file++; next }
		    file == 1 { seed[$1] = $2; next }
		    { print $3, seed[$1] }' "$dir/runs.csv" "$dir/suggest.csv"
	} > "$dir/wanted.txt"
	train "$dir/wanted.txt" || exit 1

	# Then a finer grid around the grid's best (steps of 10^0.025,
	# 1.06x, up to 10^0.2 either side), which shows how wide the lrs
	# within 5% of the best are.  The best is the least median over the
	# seeds (the middle one: SEEDS has an odd count), as in report.awk.
	# A loss that is not a number (mlp-train prints -nan when its
	# weights blew up) counts as diverged, as in report.awk: sort -g
	# would put it before every number.
	for lr in $grid; do
		printf '%s ' "$lr"
		for s in $(echo $SEEDS | tr , ' '); do
			cat "$VALDIR/$lr-$s" 2>/dev/null || echo inf
		done | sed 's/.*[nN][aA][nN].*/inf/' | sort -g | sed -n "${MIDDLE}p"
	done | sort -g -k 2 | awk 'NR == 1 { for (j = -8; j <= 8; j++)
	    if (j) printf "%.4g\n", $1 * 10 ^ (j / 40) }' > "$dir/fine.txt"
	sed "s/\$/ $SEEDS/" "$dir/fine.txt" > "$dir/wanted.txt"
	train "$dir/wanted.txt" || exit 1

	for f in "$VALDIR"/*; do
		[ -f "$f" ] || continue
		b=${f##*/}
		printf '%s %s %s\n' "${b%-*}" "${b##*-}" "$(cat "$f")"
	done > "$dir/val.txt"
	awk -v task="$name" -v kind="$kind" -v desc="$desc" \
	    -v steps="$STEPS" -v epochs="$EPOCHS" -v reseeds="$RESEEDS" \
	    -v summary="$summary" -v basins="$basins" -f "$here/quality/report.awk" \
	    "$dir/grid.txt" "$dir/fine.txt" "$dir/runs.csv" \
	    "$dir/suggest.csv" "$dir/val.txt" || exit 1
	echo "($(($(date +%s) - tstart)) s, $ntrained trainings)"
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
	echo "| method | median vs best | worst vs best | worst spread | within 5% and spread < 2 | cost (trainings) |"
	echo "|---|---:|---:|---:|---:|---:|"
	awk -F'\t' -v kind="$kind" -f "$here/quality/summary.awk" "$summary"
	echo
done

echo "### Could a constant multiple of a method do it?"
echo
echo "| method | lrs within 5% / suggestion, over the tasks | spread | most tasks one k serves | k |"
echo "|---|---:|---:|---:|---:|"
awk -F'\t' -f "$here/quality/bound.awk" "$basins" "$summary"
echo
echo "Total: $(($(date +%s) - start)) s."
exit $status
