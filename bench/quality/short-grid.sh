#!/bin/sh
# short-grid.sh: where is the best max lr of 1cycle on a part of the
# schedule, against the whole?
#
# usage: sh bench/quality/short-grid.sh [-f from] [-j jobs] [-t pattern] F
#   F           the part of the schedule (lr-confirm's --fraction): the
#               training of each task on round(F x STEPS) steps
#   -f from     a finished `make quality` run (default bench/out/quality):
#               its grid on the whole schedule, seeds 1 to 5
#   -j jobs     trainings at once (default 2)
#   -t pattern  only the tasks whose name matches the grep pattern
#
# Each task's 24 grid lrs are trained on F of the schedule on seeds 1 to
# 5 (bench/quality/train.sh, into bench/out/q-grid-F/TASK/val; kept and
# not trained again), and per task the grid's best on the part (the least
# median over the seeds, as bench/quality.sh's) is set beside its best on
# the whole: their ratio, and the whole schedule's median loss at the
# part's best in percent above the whole's best (what choosing on the
# part costs, in sample).
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$(dirname "$here")")
from=$top/bench/out/quality
jobs=2
pattern=.
while getopts f:j:t: opt; do
	case $opt in
	f) from=$OPTARG ;;
	j) jobs=$OPTARG ;;
	t) pattern=$OPTARG ;;
	*) echo "usage: sh bench/quality/short-grid.sh [-f from] [-j jobs]" \
	    "[-t pattern] F" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "short-grid: F is needed" >&2; exit 2; }
frac=$1
SEEDS=1,2,3,4,5
EPOCHS=5
VAL_FRAC=0.2	# as bench/quality.sh
SWEEP_RUN=$top/tools/sweep-run
TRAINER=$top/examples/mlp-train
export SWEEP_RUN TRAINER
out=$top/bench/out/q-grid-$frac

# best DIR: the lr of least median over SEEDS of DIR's LR-SEED files
# (missing or not a number: diverged), the lowest of equal ones.
best() {
	# shellcheck disable=SC2013 # one lr a line, no spaces
	for lr in $(cat "$from/$name/grid.txt"); do
		printf '%s ' "$lr"
		for s in $(echo "$SEEDS" | tr , ' '); do
			cat "$1/$lr-$s" 2>/dev/null || echo inf
		done | sed 's/.*[nN][aA][nN].*/inf/' | sort -g | sed -n 3p
	done | sort -s -g -k 2 | awk 'NR == 1 { print $1, $2 }'
}

echo "| task | steps | best lr: whole | on $frac of it | ratio | whole schedule's loss at the part's best |"
echo "|---|---:|---:|---:|---:|---:|"
tab=$(printf '\t')
# shellcheck disable=SC2034 # a task's line, some fields unused
grep -v '^#' "$here/tasks" | grep -v '^$' |
while IFS=$tab read -r name batch kind data opts desc; do
	echo "$name" | grep -q -- "$pattern" || continue
	[ -s "$from/$name/grid.txt" ] || continue
	VALDIR=$out/$name/val
	mkdir -p "$VALDIR" || exit 1
	DATA=$top/examples/data/$data
	BATCH=$batch
	TRAIN_OPTS=$opts
	whole=$(gzip -dc "$DATA" | awk -v b="$batch" -v f="$VAL_FRAC" \
	    -v e="$EPOCHS" 'NF { n++ }
	    END { t = n - int(n * f); print e * int(t / b) }')
	# as lr-confirm --fraction rounds n=
	STEPS=$(awk -v n="$whole" -v f="$frac" \
	    'BEGIN { printf "%d", int(n * f + 0.5) }')
	export DATA BATCH TRAIN_OPTS STEPS VALDIR
	# shellcheck disable=SC2013 # one lr a line, no spaces
	for lr in $(cat "$from/$name/grid.txt"); do
		[ -f "$VALDIR/$lr.done" ] || echo "$lr $SEEDS"
	done > "$out/$name/jobs.txt"
	[ ! -s "$out/$name/jobs.txt" ] || xargs -P "$jobs" -L 1 \
	    sh "$here/train.sh" < "$out/$name/jobs.txt" \
	    2>> "$out/$name/train.log" || {
		echo "short-grid: $name: a training failed" >&2
		exit 1
	}
	while read -r lr s; do
		: > "$VALDIR/$lr.done"
	done < "$out/$name/jobs.txt"
	# shellcheck disable=SC2046 # best prints two words
	set -- $(best "$from/$name/val")
	wbest=$1
	wloss=$2
	# shellcheck disable=SC2046 # best prints two words
	set -- $(best "$VALDIR")
	sbest=$1
	# the whole schedule's median at the part's best
	at=$(for s in $(echo "$SEEDS" | tr , ' '); do
		cat "$from/$name/val/$sbest-$s" 2>/dev/null || echo inf
	done | sed 's/.*[nN][aA][nN].*/inf/' | sort -g | sed -n 3p)
	awk -v t="$name" -v n="$STEPS" -v w="$wbest" -v s="$sbest" \
	    -v wl="$wloss" -v at="$at" -v k="$kind" 'BEGIN {
		printf "| %s (%s) | %d | %s | %s | %.2f | %s |\n", t, k, n, w, s,
		    s / w, at == "inf" ? "diverged" :
		    sprintf("%+.1f%%", 100 * (at / wl - 1)) }'
done
