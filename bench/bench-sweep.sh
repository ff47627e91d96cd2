#!/bin/sh
# sweep-run: its own cost per step and the delay to stop a diverging run
# (bench/sweep-overhead.sh), then its cost per run against GNU parallel
# and xargs -P: RUNS runs (default 200) of the trivial child
# (bench/trivial-child.c, which answers each of the 100 schedule rows with
# a loss of 1), two at a time.  sweep-run -j 2 -p seed=1..RUNS gives each
# run the schedule and writes run,seed,step,lr,loss rows; parallel -j 2
# --tag and xargs -P 2 feed each child the same schedule from a file and
# pass on its output.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/measure.sh"
out=$here/out
mkdir -p "$out"
runs=${SWEEP_RUNS:-200}
sr=$top/tools/sweep-run
[ -x "$sr" ] || { echo "bench-sweep: build tools/sweep-run first" >&2; exit 1; }

echo "## sweep-run: cost per step, divergence to SIGTERM, cost per run vs GNU parallel"
echo
echo "bench/sweep-overhead.sh (sweep-run's own CPU, read from /proc by the child):"
echo
sh "$here/sweep-overhead.sh" | sed 's/^/- /'
echo
child=$out/trivial-child	# built by sweep-overhead.sh
seq "$runs" > "$out/sweep-seeds"
spec="range start=1e-7 end=10 n=100"
"$top/tools/lrsched" $spec > "$out/sweep-schedule.csv"
{
	measure sweep-run-j2 "$sr -j 2 -s '$spec' -p seed=@$out/sweep-seeds -- $child"
	if command -v parallel > /dev/null; then
		measure parallel-j2 "parallel -j 2 --tag '$child < $out/sweep-schedule.csv' :::: $out/sweep-seeds"
	fi
	measure xargs-P2 "xargs -P 2 -n 1 sh -c 'exec $child < $out/sweep-schedule.csv' x < $out/sweep-seeds"
} > "$out/sweep.times"
echo "$runs runs of the trivial child (100 schedule rows each), 2 at a time, best of $REPEAT:"
echo
awk -v n="$runs" '
	{ lab[NR] = $1; wall[NR] = $2; user[NR] = $3; rss[NR] = $4
	  if ($1 == "sweep-run-j2") b = $2 }
	END {
		printf "| %-14s | %7s | %7s | %6s | %11s | %11s | %12s |\n", "command", "wall s", "user s", "RSS MB", "ms/run wall", "ms/run user", "vs sweep-run"
		printf "|%s|%s|%s|%s|%s|%s|%s|\n", "----------------", "--------:", "--------:", "-------:", "------------:", "------------:", "-------------:"
		for (i = 1; i <= NR; i++)
			printf "| %-14s | %7.2f | %7.2f | %6.1f | %11.2f | %11.2f | %11.2fx |\n", lab[i], wall[i], user[i], rss[i], wall[i] * 1000 / n, user[i] * 1000 / n, (b > 0 ? wall[i] / b : 0)
	}' "$out/sweep.times"
echo
