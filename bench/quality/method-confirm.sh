#!/bin/sh
# method-confirm.sh DIR: lr-confirm's lr for the task of bench/quality.sh,
# as "run,method,lr,cost" (method "confirm").  lr-confirm reads the 5
# range tests of DIR/smooth.csv, takes lr-suggest's pooled answer over
# them, and trains candidates around it with the task's trainer (its
# held-out loss, mlp-train --print-val, is the metric) by successive
# halving; its evidence is in DIR/confirm/.  Every run gets the one lr,
# and an equal share of the cost: the range tests (RANGE_STEPS steps
# each, whole) and every training lr-confirm ran, counted whole even when
# it diverged and was stopped early, in trainings of STEPS steps.
#
# The settings, argued from the design tasks only (bench/RESULTS.md,
# "Confirmation"): -m pooled, candidates 1/2 to 2 times the suggestion
# (-n 9, 2^(1/4) apart), 3 seeds for the last round (-k 3).  They are
# lr-confirm's defaults, given here so that the measurement does not
# move when the defaults do.
out=$1/confirm
rm -rf "$out"
# shellcheck disable=SC2086 # TRAIN_OPTS is a list of options
lr=$("$TOOLS/lr-confirm" -j "${JOBS:-1}" -m pooled -n 9 -k 3 -o "$out" \
    -s "onecycle max={max} n=$STEPS" "$1/smooth.csv" -- "$TRAINER" \
    --seed '{seed}' --batch-size "$BATCH" --data "$DATA" $TRAIN_OPTS \
    --print-val) || exit 1
# The runs: one per seed of each candidate, the "seeds" column.
awk -F, -v lr="$lr" -v r="$RANGE_STEPS" -v s="$STEPS" \
    'FNR == 1 { file++; next }
    file == 1 { run[++nrange] = $1; next }
    file == 2 { runs += $5 }
    END { cost = (nrange * r / s + runs) / nrange
	  print "run,method,lr,cost"
	  for (i = 1; i <= nrange; i++)
		print run[i] ",confirm," lr "," cost }' "$1/runs.csv" "$out/ranked.csv"
