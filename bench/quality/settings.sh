#!/bin/sh
# settings.sh: score settings of lr-confirm against the grid and the fresh
# seeds of a finished `make quality` run, each in a copy of its folder.
#
# usage: sh bench/quality/settings.sh [-f from] [-t pattern] NAME:OPTIONS ...
#   -f from     the finished run's folder (default bench/out/quality)
#   -t pattern  only the tasks whose name matches (bench/quality.sh -t)
#   NAME:OPTIONS  a setting: lr-confirm's options (CONFIRM_OPTS of
#               bench/quality/method-confirm.sh) and the name of its row
#
# For each setting, from the top of the tree: the folder is copied to
# bench/out/q-NAME (a copy left by an earlier call is replaced), and
#   CONFIRM_NAME=NAME CONFIRM_OPTS=OPTIONS sh bench/quality.sh -k -m confirm \
#       -t PATTERN -o bench/out/q-NAME > bench/out/q-NAME.md
# runs lr-confirm on the range tests again and trains its answer in
# sample and on the fresh seeds; every other training is the copy's.
# Then the settings side by side: per task, each one's lr and figure on
# the fresh seeds (columns.awk), and over the tasks of each kind, the
# summary rows of bench/quality.sh.
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$(dirname "$here")")
from=$top/bench/out/quality
pattern=.
while getopts f:t: opt; do
	case $opt in
	f) from=$OPTARG ;;
	t) pattern=$OPTARG ;;
	*) echo "usage: sh bench/quality/settings.sh [-f from] [-t pattern]" \
	    "NAME:OPTIONS ..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "settings: no setting" >&2; exit 2; }
[ -s "$from/summary.tsv" ] || {
	echo "settings: $from: no finished run (make quality)" >&2
	exit 1
}
names=
all=$(mktemp) || exit 1
trap 'rm -f "$all"' EXIT
for s in "$@"; do
	name=${s%%:*}
	opts=${s#*:}
	case $name in
	''|*/*|"$s") echo "settings: $s: not NAME:OPTIONS" >&2; exit 2 ;;
	esac
	out=$top/bench/out/q-$name
	rm -rf "$out"
	cp -r "$from" "$out" || exit 1
	CONFIRM_NAME=$name CONFIRM_OPTS=$opts sh "$top/bench/quality.sh" -k \
	    -m confirm -t "$pattern" -o "$out" > "$out.md" 2> "$out.err" || {
		echo "settings: $name failed:" >&2
		tail -n 3 "$out.err" >&2
		exit 1
	}
	awk -F'\t' -v n="$name" '$3 == n' "$out/summary.tsv" >> "$all"
	names=${names:+$names|}$name
done
echo "| setting | options |"
echo "|---|---|"
for s in "$@"; do
	echo "| ${s%%:*} | \`${s#*:}\` |"
done
echo
awk -F'\t' -v methods="$names" -f "$here/stats.awk" -f "$here/columns.awk" "$all"
tab=$(printf '\t')
for kind in design held-out; do
	grep -q "$tab$kind$tab" "$all" || continue
	echo
	echo "The $kind tasks:"
	echo
	echo "| setting | in sample: median vs best | worst | within 5% and spread < 2 | fresh seeds: median vs best | worst | within 3% | worst spread | trainings, median |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' -v kind="$kind" -f "$here/stats.awk" -f "$here/summary.awk" "$all" |
	    grep -v '^| grid best'
done
