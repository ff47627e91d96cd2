#!/bin/sh
# parabola.sh SEED WD: a range test's loss for each row of the schedule
# read: a parabola in the step, a small wobble by seed, steeper with wd.
# The grid that lr-plot's and lr-suggest's tests name runs from.
awk -v seed="$1" -v wd="$2" 'NR > 1 { x = (NR - 2) / 40
	printf "%.6f\n", 2 - 3 * x + 4 * x * x + wd * 1000 * x + 0.01 * sin(seed * NR); fflush() }'
