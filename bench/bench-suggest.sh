#!/bin/sh
# lr-suggest against the numpy/Python ports of fastai's valley, slide and
# steep and pytorch-lr-finder's mingrad (bench/suggest-port.py, which runs
# the ports of tests/golden/gen_suggest.py) on generated range test curves
# of 1k, 10k, 100k and 1M points.  fastai's valley is O(n^2) as written:
# it runs under a timeout of VALLEY_LIMIT seconds (default 60), and once it
# is killed it is not tried at the larger sizes.  Every port's answer is
# also checked against lr-suggest's.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$here/measure.sh"
out=$here/out
mkdir -p "$out"
py=/usr/bin/python3
limit=${VALLEY_LIMIT:-60}
sizes=${SUGGEST_SIZES:-"1000 10000 100000 1000000"}
methods="valley slide steep mingrad"
ls=$top/tools/lr-suggest
[ -x "$ls" ] || { echo "bench-suggest: build tools/lr-suggest first" >&2; exit 1; }
port=0
$py -c 'import numpy' 2>/dev/null && port=1

echo "## lr-suggest: 1k to 1M points vs numpy/Python ports of fastai and pytorch-lr-finder"
echo
times=$out/suggest.times
: > "$times"
valley_ok=1
for n in $sizes; do
	f=$out/suggest-$n.csv
	[ -f "$f" ] || {
		if [ $port = 1 ]; then
			$py "$here/suggest-port.py" gen "$n" "$f"
		else
			echo "bench-suggest: the curves need python3-numpy" >&2
			exit 1
		fi
	}
	for m in $methods; do
		r=$(measure ls "$ls -m $m $f") || exit 1
		set -- $r
		lsw=$2 lsu=$3 lsr=$4
		mine=$("$ls" -m $m "$f")
		if [ $port = 0 ]; then
			echo "$n $m $lsw $lsu $lsr - - - - -" >> "$times"
			continue
		fi
		if [ $m = valley ] && [ $valley_ok = 0 ]; then
			echo "$n $m $lsw $lsu $lsr skipped - - - -" >> "$times"
			continue
		fi
		# One run for the answer and the time in the method alone;
		# valley's run also tells whether it finishes in time.
		rc=0
		timeout "$limit" $py "$here/suggest-port.py" $m "$f" \
		    > "$out/port.out" 2> "$out/port.err" || rc=$?
		if [ $rc = 124 ]; then
			echo "$n $m $lsw $lsu $lsr killed - - - -" >> "$times"
			valley_ok=0
			continue
		fi
		[ $rc = 0 ] || { cat "$out/port.err" >&2; exit 1; }
		theirs=$(cat "$out/port.out")
		alone=$(cat "$out/port.err")
		same=no
		[ "$mine" = "$theirs" ] && same=yes
		r=$(measure port "$py $here/suggest-port.py $m $f") || exit 1
		set -- $r
		echo "$n $m $lsw $lsu $lsr $2 $3 $4 $alone $same" >> "$times"
	done
	r=$(measure ls "$ls -m all -f csv $f") || exit 1
	set -- $r
	echo "$n all $2 $3 $4 - - - - -" >> "$times"
done
echo "Best of $REPEAT; whole processes (reading the CSV included), except"
echo "\"method s\": the port's time in the method alone (its window included)."
echo "\"x wall\" is the port's wall time over lr-suggest's; \"same\": the two"
echo "print the same lr.  \"all\" is lr-suggest -m all -f csv (every method)."
echo
awk -v limit="$limit" '
	function k(n) { return n >= 1000000 ? n / 1000000 "M" : n >= 1000 ? n / 1000 "k" : n }
	BEGIN {
		printf "| %5s | %-7s | %8s | %8s | %6s | %7s | %7s | %6s | %8s | %8s | %4s |\n", "n", "method", "lrk wall", "lrk user", "lrk MB", "py wall", "py user", "py MB", "method s", "x wall", "same"
		printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "------:", "---------", "---------:", "---------:", "-------:", "--------:", "--------:", "-------:", "---------:", "---------:", "------"
	}
	$6 == "killed" || $6 == "skipped" {
		printf "| %5s | %-7s | %8.3f | %8.3f | %6.1f | %s |\n", k($1), $2, $3, $4, $5,
		    ($6 == "killed" ? "killed after " limit " s" : "not run (killed at a smaller size)") " | | | | | "
		next
	}
	$6 == "-" {
		printf "| %5s | %-7s | %8.3f | %8.3f | %6.1f | %7s | %7s | %6s | %8s | %8s | %4s |\n", k($1), $2, $3, $4, $5, "-", "-", "-", "-", "-", "-"
		next
	}
	# GNU time counts hundredths: under that, the ratio is a bound.
	{ r = $3 > 0 ? sprintf("%7.1fx", $6 / $3) : sprintf(">%.0fx", $6 / 0.01)
	  printf "| %5s | %-7s | %8.3f | %8.3f | %6.1f | %7.3f | %7.3f | %6.1f | %8.4f | %8s | %4s |\n", k($1), $2, $3, $4, $5, $6, $7, $8, $9, r, $10 }
' "$times"
echo
