#!/bin/sh
# short-rank.sh: does lr-confirm's first round on a shorter schedule
# (--fraction) rank the candidates as the whole schedule does?
#
# usage: sh bench/quality/short-rank.sh [-j jobs] [-t pattern] FULL SHORT ...
#   FULL, SHORT  settings scored by bench/quality/settings.sh, as NAME
#               (its folder bench/out/q-NAME) or NAME:DIR; FULL trains
#               round 1 on the whole schedule, each SHORT on a part of it
#   -j jobs     trainings at once (default 2)
#   -t pattern  only the tasks whose name matches the grep pattern
#
# Every candidate of the settings is trained on the whole schedule on
# seeds 4 to 10 (REFSEEDS: seeds no confirmation trains, as it trains
# seeds 1 to -k), with bench/quality/train.sh as bench/quality.sh trains
# (its final held-out loss kept in bench/out/q-ref/TASK/val/LR-SEED, and
# not trained again when there); a candidate's reference is its median
# over them.  bench/quality/short-rank.py then compares, per task, each
# SHORT's round 1 (seed 1 on the part of the schedule) with FULL's round
# 1 (seed 1 on the whole schedule) over SHORT's candidates, and both with
# the reference.
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$(dirname "$here")")
jobs=2
pattern=.
while getopts j:t: opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	t) pattern=$OPTARG ;;
	*) echo "usage: sh bench/quality/short-rank.sh [-j jobs]" \
	    "[-t pattern] FULL SHORT ..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { echo "short-rank: FULL and a SHORT are needed" >&2; exit 2; }
REFSEEDS=4,5,6,7,8,9,10
EPOCHS=5
VAL_FRAC=0.2	# as bench/quality.sh
SWEEP_RUN=$top/tools/sweep-run
TRAINER=$top/examples/mlp-train
export SWEEP_RUN TRAINER
ref=$top/bench/out/q-ref
specs=
for a in "$@"; do
	case $a in
	*:*) specs="$specs ${a%%:*}:${a#*:}" ;;
	*) specs="$specs $a:$top/bench/out/q-$a" ;;
	esac
done
tab=$(printf '\t')
mkdir -p "$ref" || exit 1
tasks=$ref/tasks.txt
: > "$tasks"
# shellcheck disable=SC2034 # a task's line, some fields unused
grep -v '^#' "$here/tasks" | grep -v '^$' |
while IFS=$tab read -r name batch kind data opts desc; do
	echo "$name" | grep -q -- "$pattern" || continue
	echo "$name" >> "$tasks"
	VALDIR=$ref/$name/val
	mkdir -p "$VALDIR" || exit 1
	DATA=$top/examples/data/$data
	BATCH=$batch
	TRAIN_OPTS=$opts
	STEPS=$(gzip -dc "$DATA" | awk -v b="$batch" -v f="$VAL_FRAC" \
	    -v e="$EPOCHS" 'NF { n++ }
	    END { t = n - int(n * f); print e * int(t / b) }')
	export DATA BATCH TRAIN_OPTS STEPS VALDIR
	# The candidates of every setting that ran on the task.
	for s in $specs; do
		f=${s#*:}/$name/${s%%:*}/ranked.csv
		[ ! -f "$f" ] || awk -F, 'NR > 1 { print $2 }' "$f"
	done | sort -u | while read -r lr; do
		s=$(echo "$REFSEEDS" | tr , '\n' | while read -r k; do
			[ -s "$VALDIR/$lr-$k" ] || [ -f "$VALDIR/$lr-$k.div" ] ||
			    echo "$k"
		done | paste -s -d , -)
		[ -z "$s" ] || echo "$lr $s"
	done > "$ref/$name/jobs.txt"
	[ ! -s "$ref/$name/jobs.txt" ] || xargs -P "$jobs" -L 1 \
	    sh "$here/train.sh" < "$ref/$name/jobs.txt" \
	    2>> "$ref/$name/train.log" || {
		echo "short-rank: $name: a training failed" >&2
		exit 1
	}
	# A run that diverged wrote nothing: mark it, so that it is not
	# trained again and counts as diverged.
	awk '{ n = split($2, s, ","); for (i = 1; i <= n; i++)
	    print $1 "-" s[i] }' "$ref/$name/jobs.txt" | while read -r f; do
		[ -s "$VALDIR/$f" ] || : > "$VALDIR/$f.div"
	done
done || exit 1
# shellcheck disable=SC2086 # specs is a list of NAME:DIR
python3 "$here/short-rank.py" "$ref" "$REFSEEDS" $specs
