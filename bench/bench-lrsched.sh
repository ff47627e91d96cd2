#!/bin/sh
# lrsched against the loop a PyTorch user writes to print a schedule
# (bench/lrsched-torch.py: get_last_lr() and a print per step, Debian's
# python3-torch): exponential, cosine and 1cycle.  lrsched prints 10M rows,
# the Python loop 1M (it takes about as long); the figure to compare is
# rows per second.  The Python loops are slow and steady, so they run
# SLOW_REPEAT times (default 1), lrsched REPEAT times.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/measure.sh"
out=$here/out
mkdir -p "$out"
py=/usr/bin/python3
big=10000000
small=1000000
lrsched=$top/tools/lrsched
[ -x "$lrsched" ] || { echo "bench-lrsched: build tools/lrsched first" >&2; exit 1; }
torch=0
$py -c 'import torch' 2>/dev/null && torch=1

slow() {
	r=$REPEAT
	REPEAT=${SLOW_REPEAT:-1}
	measure "$@" || { REPEAT=$r; return 1; }
	REPEAT=$r
}

# The lrsched words for the Python loop's schedule over N steps.
spec() {
	case $1 in
	exp) echo "exp base=0.1 gamma=0.999999 n=$2" ;;
	cosine) echo "cosine base=0.1 T=$2 n=$2" ;;
	onecycle) echo "onecycle max=0.1 n=$2" ;;
	esac
}

echo "## lrsched: $big rows vs a Python loop over torch's schedulers ($small steps)"
echo
if [ $torch = 1 ]; then
	# Both print the same numbers: the largest relative difference over
	# 1000 steps.
	printf 'Same schedules (largest relative difference over 1000 steps):'
	for k in exp cosine onecycle; do
		$py "$here/lrsched-torch.py" $k 1000 > "$out/sched-torch.csv"
		"$lrsched" $(spec $k 1000) > "$out/sched-lrsched.csv"
		paste -d, "$out/sched-torch.csv" "$out/sched-lrsched.csv" |
		    awk -F, -v k=$k 'NR > 1 && $4 != 0 { d = ($2 - $4) / $4
			if (d < 0) d = -d; if (d > m) m = d }
			END { printf " %s %.1e", k, m }'
	done
	echo
	echo
fi
: > "$out/lrsched.times"
for k in exp cosine onecycle; do
	measure lrsched-$k "$lrsched $(spec $k $big)" >> "$out/lrsched.times"
	if [ $torch = 1 ]; then
		slow torch-loop-$k "$py $here/lrsched-torch.py $k $small" \
		    >> "$out/lrsched.times"
	fi
done
echo "Best of $REPEAT (lrsched), ${SLOW_REPEAT:-1} (Python).  Rows per second"
echo "from the wall time and from the user time (steadier on a busy machine);"
echo "the ratios are lrsched's rate over the Python loop's."
echo
awk -v big=$big -v small=$small '
	{ split($1, w, "-"); k = w[length(w)]; rows = $1 ~ /^lrsched/ ? big : small
	  lab[NR] = $1; n[NR] = rows; wall[NR] = $2; user[NR] = $3; rss[NR] = $4
	  rw[NR] = rows / $2; ru[NR] = $3 > 0 ? rows / $3 : 0
	  if ($1 ~ /^lrsched/) { lw[k] = rw[NR]; lu[k] = ru[NR] } }
	END {
		printf "| %-19s | %8s | %7s | %7s | %6s | %11s | %11s | %8s | %8s |\n", "command", "rows", "wall s", "user s", "RSS MB", "rows/s wall", "rows/s user", "x wall", "x user"
		printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "---------------------", "---------:", "--------:", "--------:", "-------:", "------------:", "------------:", "---------:", "---------:"
		for (i = 1; i <= NR; i++) {
			split(lab[i], w, "-"); k = w[length(w)]
			printf "| %-19s | %8d | %7.2f | %7.2f | %6.1f | %11.0f | %11.0f | %7.0fx | %7.0fx |\n", lab[i], n[i], wall[i], user[i], rss[i], rw[i], ru[i], lw[k] / rw[i], (ru[i] > 0 ? lu[k] / ru[i] : 0)
		}
	}' "$out/lrsched.times"
echo
