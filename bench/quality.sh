#!/bin/sh
# quality.sh: does the suggested learning rate train well?
#
# For each task of bench/quality/tasks (a data set, a model, an optimizer
# and a batch size for examples/mlp-train), over 5 seeds:
#
#   1. the range test, 100 steps (-n) from 1e-7 to 10, through sweep-run;
#   2. ema-smooth -g run, then every method's lr per run: each script
#      bench/quality/method-*.sh, run as "sh SCRIPT DIR" with the task in
#      the environment (see below), prints CSV "run,method,lr,cost[,own]":
#      the lr its method gives the run (the seed of runs.csv) and what it
#      spent, in trainings of the task, and of that what it trained
#      itself, beyond the range test (0 if left out); method-suggest.sh
#      gives every lr-suggest method's (pooled gives every run the one
#      answer of their mean curve), at the cost of one range test;
#   3. 5 epochs (-e) of 1cycle (lrsched onecycle max=<suggestion>) per seed with
#      that seed's suggestion, through sweep-run, keeping the final loss on
#      the held-out fifth of the data (mlp-train --val-out);
#   4. the same training at every max lr of a log-spaced grid (24 points
#      from 1e-4 to 10), 5 seeds each;
#   5. the peers: Optuna studies of the max lr (bench/quality/peer-optuna.py,
#      5 studies of each setting: TPE, and TPE with successive halving
#      pruning on the held-out loss after each epoch; each with 18 trials,
#      and with as many trainings as lr-confirm spent on the task);
#   6. out of sample: the grid's best lr, every method's answers and
#      every study's, trained again on 10 fresh seeds (FRESH) that no
#      selection saw (bench/quality/deal.awk deals a method's answers the
#      fresh seeds, one training per seed);
#
# and prints a Markdown table per task: each method's median suggestion,
# its spread across the seeds (max/min), the median final loss in
# percent above the grid's best (the least median over the grid's lrs),
# in sample (its answer for a seed trained on that seed, the grid's best
# on seeds 1 to 5) and on the fresh seeds (the median of its 10 fresh
# trainings against the median of the grid's best lr's), and its cost.
#
# A method that is not one lr-suggest call (one that trains candidates
# itself, say) is a new method-NAME.sh.  It finds in DIR range.csv (the
# range tests, sweep-run's rows), smooth.csv (ema-smooth -g run of it)
# and runs.csv (run,seed), and in the environment SWEEP_RUN, TRAINER,
# TOOLS (the folder of the built tools), DATA, BATCH, TRAIN_OPTS (the
# trainer's options), STEPS (the steps of one training), EPOCHS,
# RANGE_STEPS (of one range test), SEEDS and JOBS (-j); it keeps its own
# files in DIR/NAME/.
# Its lrs are then trained like every method's, from the same seeds.
# Then a summary over the tasks.  The trainings of one lr run in one
# sweep-run; -j of them at once.
#
# usage: sh bench/quality.sh [-k] [-e epochs] [-j jobs] [-m pattern]
#                            [-n steps] [-o dir] [-t pattern]
#   -e epochs   epochs of each 1cycle training (default 5)
#   -k          keep the losses of trainings already done in dir (the
#               trainer is deterministic given its seed and schedule):
#               a run stopped half way goes on where it was
#   -j jobs     processes at once (default 2)
#   -m pattern  only the methods whose script (method-NAME.sh) matches
#               the grep pattern, and the peers if "optuna" does
#   -n steps    steps of the range test (default 100, as fastai's); xF:
#               F times the steps of the task's training
#   -o dir      work and output folder (default bench/out/quality)
#   -t pattern  only the tasks whose name matches the grep pattern
#
# The environment: CONFIRM_OPTS and CONFIRM_NAME, lr-confirm's options
# and its row's name (bench/quality/method-confirm.sh); PYTHON, the
# Python with Optuna (default: python3, else /usr/bin/python3, Debian's
# python3-optuna).  Scoring a setting of lr-confirm against the grid
# and the fresh seeds already trained takes the range tests, its own
# trainings and its answer's on the fresh seeds (seconds a task); -m
# rewrites the folder's tables with the chosen methods only, so it runs
# in a copy of the folder, whose trainings it reuses:
#   cp -r bench/out/quality bench/out/quality-n5
#   CONFIRM_NAME=confirm-n5 CONFIRM_OPTS='-m pooled -n 5' \
#       sh bench/quality.sh -k -m confirm -o bench/out/quality-n5
# (bench/quality/settings.sh does so for several settings, and sets
# them side by side.)
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
jobs=2
out=$top/bench/out/quality
pattern=.
keep=0
EPOCHS=5
RANGE_STEPS=100
mpattern=.
while getopts ke:j:m:n:o:t: opt; do
	case $opt in
	e) EPOCHS=$OPTARG ;;
	k) keep=1 ;;
	j) jobs=$OPTARG ;;
	m) mpattern=$OPTARG ;;
	n) RANGE_STEPS=$OPTARG ;;
	o) out=$OPTARG ;;
	t) pattern=$OPTARG ;;
	*) echo "usage: sh bench/quality.sh [-k] [-e epochs] [-j jobs]" \
	    "[-m pattern] [-n steps] [-o dir] [-t pattern]" >&2; exit 2 ;;
	esac
done

SEEDS=1,2,3,4,5
RESEEDS=6,7,8,9,10	# the grid again on other seeds: is its best reproducible?
# The fresh seeds: no range test, method, study or grid point is chosen
# on them (lr-confirm trains on seeds 1 to -k, Optuna's trials on 1000
# and above).
FRESH=101,102,103,104,105,106,107,108,109,110
STUDIES=5	# Optuna studies per setting and budget
PEER_TRIALS=18	# Optuna's own budget, in trials
VAL_FRAC=0.2	# mlp-train's default held-out fraction
SWEEP_RUN=$top/tools/sweep-run
TRAINER=$top/examples/mlp-train
TOOLS=$top/tools
for t in "$SWEEP_RUN" "$TRAINER" "$top/tools/ema-smooth" \
    "$top/tools/lr-suggest"; do
	[ -x "$t" ] || { echo "quality: $t: not built (make all)" >&2; exit 1; }
done
JOBS=$jobs
export SWEEP_RUN TRAINER TOOLS SEEDS JOBS EPOCHS
mkdir -p "$out" || exit 1
summary=$out/summary.tsv
basins=$out/basins.tsv
peers=$out/peers.tsv
: > "$summary"
: > "$basins"
: > "$peers"
# The peers run when -m matches "optuna" and a Python has Optuna.
python=
if echo optuna | grep -q -- "$mpattern"; then
	for p in ${PYTHON:-python3 /usr/bin/python3}; do
		if "$p" -c 'import optuna' 2>/dev/null; then
			python=$p
			break
		fi
	done
	[ -n "$python" ] || echo "quality: no Python with optuna" \
	    "(PYTHON=...): no peers" >&2
fi
start=$(date +%s)

echo "## Suggestion quality, $(date -u +%Y-%m-%d)"
echo
echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' \
    /proc/cpuinfo | head -n 1), $jobs jobs."
[ -z "$python" ] || echo "Peers: Optuna $("$python" -c \
    'import optuna; print(optuna.__version__)') ($python)."
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

# best SEEDS: the grid's lr of least median final loss over SEEDS (a
# comma-separated list of an odd count), the lowest of equal ones, as in
# report.awk.  A loss that is not a number (mlp-train prints -nan when
# its weights blew up) counts as diverged, as in report.awk: sort -g
# would put it before every number.
best() {
	mid=$(( ($(echo "$1" | tr , '\n' | wc -l) + 1) / 2 ))
	for lr in $grid; do
		printf '%s ' "$lr"
		for s in $(echo "$1" | tr , ' '); do
			cat "$VALDIR/$lr-$s" 2>/dev/null || echo inf
		done | sed 's/.*[nN][aA][nN].*/inf/' | sort -g | sed -n "${mid}p"
	done | sort -s -g -k 2 | awk 'NR == 1 { print $1 }'
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
	echo run,method,lr,cost,own > "$dir/suggest.csv"
	for m in "$here"/quality/method-*.sh; do
		mname=${m##*/method-}
		mname=${mname%.sh}
		echo "$mname" | grep -q -- "$mpattern" || continue
		sh "$m" "$dir" 2> "$dir/method-$mname.log" |
		    awk -F, 'NR > 1 { print $0 (NF < 5 ? ",0" : "") }' \
		    >> "$dir/suggest.csv"
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
	bestlr=$(best $SEEDS)
	rbestlr=$(best $RESEEDS)
	awk -v b="$bestlr" 'BEGIN { for (j = -8; j <= 8; j++)
	    if (j) printf "%.4g\n", b * 10 ^ (j / 40) }' > "$dir/fine.txt"

	# The peers: STUDIES studies of each setting, with PEER_TRIALS trials
	# and with lr-confirm's trainings on the task (when confirm ran:
	# its cost, the range tests included).
	: > "$dir/peers.csv"
	if [ -n "$python" ]; then
		budget=$(awk -F, '$2 == "confirm" { c += $4 }
		    END { if (c > 0) printf "%.6g", c }' "$dir/suggest.csv")
		[ $keep = 1 ] || rm -rf "$dir/optuna"
		mkdir -p "$dir/optuna/cache" || exit 1
		for setting in tpe sha; do
			for b in $PEER_TRIALS ${budget:+b}; do
				s=1
				while [ $s -le $STUDIES ]; do
					echo "$setting $b $s"
					s=$((s + 1))
				done
			done
		done > "$dir/optuna/studies.txt"
		# One study a line: setting, trials (b: lr-confirm's budget),
		# study.
		# shellcheck disable=SC2016 # expanded by the sh -c
		CACHE=$dir/optuna/cache PY=$python PEER=$here/quality/peer-optuna.py \
		    BUDGET=${budget:-0} ODIR=$dir/optuna xargs -P "$jobs" -L 1 \
		    sh -c 'if [ "$2" = b ]; then t=0; else t=$2; fi
			"$PY" "$PEER" "$1" "$3" "$t" "$BUDGET" \
			    "$ODIR/$1-$2-$3.csv" > "$ODIR/$1-$2-$3.out"' sh \
		    < "$dir/optuna/studies.txt" 2>> "$dir/train.log" || true
		while read -r setting b s; do
			f=$dir/optuna/$setting-$b-$s.out
			[ -s "$f" ] || {
				echo "quality: $name: optuna $setting $b $s failed:" >&2
				tail -n 3 "$dir/train.log" >&2
				exit 1
			}
			echo "optuna-$setting-$b,$s,$(cat "$f")"
		done < "$dir/optuna/studies.txt" > "$dir/peers.csv" || exit 1
	fi

	# Out of sample: the grid's best lrs (on SEEDS and on RESEEDS), each
	# method's answers dealt the fresh seeds, each study's answer on
	# every fresh seed; and the finer grid, on SEEDS.
	awk -F, -v fresh=$FRESH -f "$here/quality/deal.awk" "$dir/runs.csv" \
	    "$dir/suggest.csv" > "$dir/fresh.csv"
	{
		sed "s/\$/ $SEEDS/" "$dir/fine.txt"
		echo "$bestlr $FRESH"
		echo "$rbestlr $FRESH"
		awk -F, '{ print $2, $3 }' "$dir/fresh.csv"
		awk -F, '{ print $3, fresh }' fresh=$FRESH "$dir/peers.csv"
	} > "$dir/wanted.txt"
	train "$dir/wanted.txt" || exit 1

	for f in "$VALDIR"/*; do
		[ -f "$f" ] || continue
		b=${f##*/}
		printf '%s %s %s\n' "${b%-*}" "${b##*-}" "$(cat "$f")"
	done > "$dir/val.txt"
	awk -v task="$name" -v kind="$kind" -v desc="$desc" \
	    -v steps="$STEPS" -v epochs="$EPOCHS" -v reseeds="$RESEEDS" \
	    -v fresh="$FRESH" -v dealt="$dir/fresh.csv" -v peers="$dir/peers.csv" \
	    -v summary="$summary" -v basins="$basins" -v peerout="$peers" \
	    -f "$here/quality/stats.awk" -f "$here/quality/report.awk" \
	    "$dir/grid.txt" "$dir/fine.txt" "$dir/runs.csv" \
	    "$dir/suggest.csv" "$dir/val.txt" || exit 1
	echo "($(($(date +%s) - tstart)) s, $ntrained trainings)"
	echo
done || status=1

# Over the tasks: per method, the median and the worst of the figures in
# sample and on the fresh seeds, on how many tasks it is within 5% of the
# grid's best with a spread under 2 (in sample) and within 3% (fresh
# seeds), and the worst spread.
for kind in design held-out all; do
	[ $kind = all ] || grep -q "$tab$kind$tab" "$summary" || continue
	if [ $kind = all ]; then
		echo "### Summary over all the tasks"
	else
		echo "### Summary over the $kind tasks"
	fi
	echo
	echo "| method | in sample: median vs best | worst | within 5% and spread < 2 | fresh seeds: median vs best | worst | within 3% | worst spread | cost (trainings) |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' -v kind="$kind" -f "$here/quality/stats.awk" -f "$here/quality/summary.awk" "$summary"
	echo
done

if [ -s "$peers" ]; then
	echo "### lr-confirm beside Optuna, on the fresh seeds"
	echo
	awk -F'\t' -v mode=tasks -f "$here/quality/stats.awk" -f "$here/quality/peers.awk" "$summary" \
	    "$peers"
	echo
	for kind in design held-out all; do
		[ $kind = all ] || grep -q "$tab$kind$tab" "$peers" || continue
		if [ $kind = all ]; then
			echo "All the tasks:"
		else
			echo "The $kind tasks:"
		fi
		echo
		awk -F'\t' -v mode=summary -v kind=$kind \
		    -f "$here/quality/stats.awk" -f "$here/quality/peers.awk" "$summary" "$peers"
		echo
	done
fi

echo "### Could a constant multiple of a method do it?"
echo
echo "| method | lrs within 5% / suggestion, over the tasks | spread | most tasks one k serves | k |"
echo "|---|---:|---:|---:|---:|"
awk -F'\t' -f "$here/quality/bound.awk" "$basins" "$summary"
echo
echo "Total: $(($(date +%s) - start)) s."
exit $status
