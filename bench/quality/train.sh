#!/bin/sh
# train.sh LR SEEDS: train the task of bench/quality.sh with 1cycle up to
# the max lr LR, once per seed of the comma-separated SEEDS, through
# sweep-run; each run writes its final held-out loss to $VALDIR/LR-SEED.
# A run that diverges (a non-finite loss) writes nothing.  The task comes
# in the environment: SWEEP_RUN, TRAINER, TRAIN_OPTS, BATCH, DATA, STEPS,
# VALDIR.
lr=$1
seeds=$2
# shellcheck disable=SC2086 # TRAIN_OPTS is a list of options
"$SWEEP_RUN" -j 1 --stop-div 0 -s "onecycle max=$lr n=$STEPS" \
    -p seed="$seeds" -- "$TRAINER" --seed '{seed}' --batch-size "$BATCH" \
    --data "$DATA" $TRAIN_OPTS --val-out "$VALDIR/$lr-{seed}" > /dev/null
