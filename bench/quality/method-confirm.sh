#!/bin/sh
# method-confirm.sh DIR: lr-confirm's lr for the task of bench/quality.sh,
# as "run,method,lr,cost,own" (method "confirm", or $CONFIRM_NAME).
# lr-confirm reads the 5 range tests of DIR/smooth.csv, takes lr-suggest's
# pooled answer over them, and trains candidates around it with the
# task's trainer (its held-out loss, mlp-train --print-val, is the
# metric) by successive halving; its evidence is in DIR/NAME/.  Every
# run gets the one lr, and an equal share of the cost: the range tests
# (RANGE_STEPS steps each, whole) and every training lr-confirm ran,
# counted whole even when it diverged and was stopped early, in
# trainings of STEPS steps; own is the latter alone.  A round whose
# schedule is shorter than the task's (the runs of round-K/ that
# finished are L steps long) counts each of its runs as L / STEPS; a
# round none of whose runs finished counts them whole.
#
# The settings, argued from the design tasks only (bench/RESULTS.md,
# "Confirmation"): -m pooled, candidates 1/2 to 2 times the suggestion
# (-n 9, 2^(1/4) apart), 3 seeds for the last round (-k 3).  They are
# lr-confirm's defaults, given here so that the measurement does not
# move when the defaults do.  CONFIRM_OPTS, when set, replaces them (say
# CONFIRM_OPTS='-m pooled -n 5 -k 3'; set and empty: lr-confirm's own
# defaults), and CONFIRM_NAME names the row and the folder, so that a
# setting can be scored beside the default
# (bench/quality.sh's header has the whole command).
name=${CONFIRM_NAME:-confirm}
opts=${CONFIRM_OPTS--m pooled -n 9 -k 3}
out=$1/$name
rm -rf "$out"
# shellcheck disable=SC2086 # TRAIN_OPTS and opts are lists of options
lr=$("$TOOLS/lr-confirm" -j "${JOBS:-1}" $opts -o "$out" \
    -s "onecycle max={max} n=$STEPS" "$1/smooth.csv" -- "$TRAINER" \
    --seed '{seed}' --batch-size "$BATCH" --data "$DATA" $TRAIN_OPTS \
    --print-val) || exit 1
echo "$opts" > "$out/opts.txt"
# The steps of each run: one row per step after the header, the final
# evaluation's row (no lr) left out; and whether it finished (the
# Status of its row in the round's joblog.tsv, sweep-run's, is "done").
for f in "$out"/round-*/run-*.csv; do
	[ -f "$f" ] || continue
	d=${f%/*}
	k=${f##*/run-}
	k=${k%.csv}
	fin=$(awk -F'\t' -v k="$k" 'NR == 1 { for (i = 1; i <= NF; i++) {
		if ($i == "Seq") q = i; if ($i == "Status") c = i }; next }
	    $q == k { print ($c == "done") }' "$d/joblog.tsv")
	printf '%s %s %s\n' "${d##*/}" "$(awk -F, 'NR > 1 && $0 !~ /,,[^,]*$/' \
	    "$f" | wc -l)" "${fin:-0}"
done | awk -v s="$STEPS" '{ n[$1]++; if ($3 && $2 > len[$1]) len[$1] = $2 }
    END { for (r in n) own += n[r] * (len[r] > s || !len[r] ? s : len[r])
	  printf "%.6g\n", own / s }' > "$out/own.txt"
awk -F, -v lr="$lr" -v r="$RANGE_STEPS" -v s="$STEPS" -v name="$name" \
    -v own="$(cat "$out/own.txt")" \
    'NR == 1 { next }
    { run[++nrange] = $1 }
    END { cost = (nrange * r / s + own) / nrange
	  print "run,method,lr,cost,own"
	  for (i = 1; i <= nrange; i++)
		print run[i] "," name "," lr "," cost "," own / nrange }' \
    "$1/runs.csv"
