#!/bin/sh
# sweep-overhead.sh [STEPS]: sweep-run's own cost.
#  1. CPU per step: sweep-run feeds a schedule of STEPS rows (default 1M)
#     to a trivial C child that answers each with "1"; the child reads
#     sweep-run's user+system time from /proc at the end of its input, so
#     only sweep-run's work is counted (not the child's, not the start-up).
#  2. The delay from a diverging line to the child's death: the child notes
#     the time just before it prints a diverging loss and again when
#     SIGTERM arrives; 20 trials, median and maximum.
# Needs a C compiler; builds the child into bench/out/.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=$here/out
steps=${1:-1000000}
mkdir -p "$out"
${CC:-cc} -O2 -o "$out/trivial-child" "$here/trivial-child.c"
sr=$top/tools/sweep-run
[ -x "$sr" ] || { echo "sweep-overhead: build tools/sweep-run first" >&2; exit 1; }

# 1. CPU per step, the best of 3.
best=
for i in 1 2 3; do
	rm -f "$out/selftime"
	t0=$(date +%s%N)
	SELFTIME_OUT=$out/selftime "$sr" -s "range start=1e-7 end=10 n=$steps" \
	    --stop-div 0 -- "$out/trivial-child" > "$out/sweep-rows.csv"
	t1=$(date +%s%N)
	rows=$(($(wc -l < "$out/sweep-rows.csv") - 1))
	[ "$rows" = "$steps" ] || { echo "sweep-overhead: $rows rows of $steps" >&2; exit 1; }
	cpu=$(cat "$out/selftime")
	echo "run $i: sweep-run CPU $cpu s for $steps steps, wall $(( (t1 - t0) / 1000000 )) ms (schedule build included)"
	if [ -z "$best" ] || awk -v a="$cpu" -v b="$best" 'BEGIN { exit !(a < b) }'; then
		best=$cpu
	fi
done
awk -v c="$best" -v n="$steps" 'BEGIN {
	printf "sweep-run CPU per step: %.3f us (best of 3, %d steps; target < 1 us)\n", c / n * 1e6, n }'

# 2. Divergence to death.
: > "$out/delays"
for i in $(seq 1 20); do
	rm -f "$out/delay"
	DIVERGE_AT=50 DELAY_OUT=$out/delay "$sr" -s "range start=1e-7 end=10 n=100" \
	    -- "$out/trivial-child" > /dev/null
	cat "$out/delay" >> "$out/delays"
done
sort -n "$out/delays" | awk '{ d[NR] = $1 } END {
	printf "diverging line to SIGTERM in the child: median %.0f us, max %.0f us over %d runs (target < 100 ms)\n",
	    d[int((NR + 1) / 2)], d[NR], NR }'
