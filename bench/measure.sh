# measure.sh: sourced by the benchmarks.  measure LABEL COMMAND runs the
# command (output to /dev/null) REPEAT times (default 3) and prints the best
# wall time, its user time and the peak RSS: "LABEL wall user rss_mb".
# Needs GNU time (Debian package "time").
REPEAT=${REPEAT:-3}
command -v /usr/bin/time >/dev/null 2>&1 || {
	echo "bench: GNU time is missing: apt-get install -y time" >&2
	exit 1
}
measure() {
	label=$1
	shift
	best=
	for i in $(seq "$REPEAT"); do
		/usr/bin/time -f '%e %U %M' -o "${TMPDIR:-/tmp}/lrkit-time.$$" \
		    sh -c "$*" > /dev/null 2> "${TMPDIR:-/tmp}/lrkit-err.$$" || {
			echo "bench: $label failed:" >&2
			tail -n 3 "${TMPDIR:-/tmp}/lrkit-err.$$" >&2
			return 1
		}
		read -r wall user rss < "${TMPDIR:-/tmp}/lrkit-time.$$"
		if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then
			best=$wall bestuser=$user bestrss=$rss
		fi
	done
	rm -f "${TMPDIR:-/tmp}/lrkit-time.$$" "${TMPDIR:-/tmp}/lrkit-err.$$"
	printf '%s %s %s %.1f\n' "$label" "$best" "$bestuser" \
	    "$(awk "BEGIN{print $bestrss/1024}")"
}

# table BASE_LABEL < "label wall user rss" lines: a table with the ratio of
# each wall time to BASE_LABEL's.
table() {
	awk -v base="$1" '
		{ label[NR] = $1; wall[NR] = $2; user[NR] = $3; rss[NR] = $4
		  if ($1 == base) b = $2 }
		END {
			printf "| %-28s | %8s | %8s | %8s | %9s |\n", "command", "wall s", "user s", "RSS MB", "vs " base
			printf "|%s|%s|%s|%s|%s|\n", "------------------------------", "---------:", "---------:", "---------:", "----------:"
			for (i = 1; i <= NR; i++)
				printf "| %-28s | %8.3f | %8.3f | %8.1f | %8.2fx |\n", label[i], wall[i], user[i], rss[i], (b > 0 ? wall[i] / b : 0)
		}'
}
