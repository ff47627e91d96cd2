#!/bin/sh
# layers.sh NOTE OBJECT...: the layers of lib/ as NOTE (lib/README) draws
# them, checked on the compiled objects.  NOTE's LAYERS table gives each
# file its layer (bottom up, in the order the layers first appear) and
# its ARROWS WITHIN A LAYER list the calls allowed inside a layer.  For
# every lrk_ symbol an object leaves undefined (nm -u), the object that
# defines it is found; the arrow between their files must go down a
# layer, or be listed.  Also refused: an object whose file has no line in
# the table, an arrow listed that the objects do not have (the note must
# say what the code is), arrows listed that make a cycle, and, outside
# the cli layer, a reference to what prints or exits (exit, abort,
# printf, puts, perror, err/warn, stdout, stderr).  A file in the table
# without an object yet is passed over.
note=$1
shift
tmp=${TMPDIR:-/tmp}/lrkit-layers.$$
mkdir "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# The note's two tables: "layer file" and "from to" pairs.  A section
# starts at a line of capitals at the left margin.
awk '
	/^[A-Z][A-Z ]*$/ { section = $0; next }
	section == "LAYERS" && /^  [a-z]+ +[A-Za-z0-9_]+\.c( |$)/ {
		print $1, $2
	}
' "$note" > "$tmp/layers"
awk '
	/^[A-Z][A-Z ]*$/ { section = $0; next }
	section == "ARROWS WITHIN A LAYER" && /^  [A-Za-z0-9_]+\.c +-> / {
		for (i = 3; i <= NF; i++)
			print $1, $i
	}
' "$note" > "$tmp/allowed"
if [ ! -s "$tmp/layers" ]; then
	echo "FAIL layers: $note: no LAYERS table"
	exit 1
fi

# What each object defines and what it leaves undefined: "file symbol".
: > "$tmp/defined"
: > "$tmp/undefined"
for o in "$@"; do
	f=$(basename "$o" .o).c
	echo "$f ." >> "$tmp/defined"
	nm -g --defined-only "$o" | awk -v f="$f" 'NF == 3 { print f, $3 }' \
	    >> "$tmp/defined" || exit 1
	nm -u "$o" | awk -v f="$f" '{ print f, $NF }' >> "$tmp/undefined" ||
	    exit 1
done

# Every arrow listed, as a graph: no cycle.
if ! tsort "$tmp/allowed" > /dev/null 2> "$tmp/tsort"; then
	echo "FAIL layers: $note: the arrows listed make a cycle:"
	sed 's/^/	/' "$tmp/tsort"
	exit 1
fi

awk -v note="$note" '
	BEGIN {
		n = split("exit _exit _Exit quick_exit abort __assert_fail " \
		    "printf vprintf puts putchar perror psignal err errx " \
		    "verr verrx warn warnx vwarn vwarnx error error_at_line " \
		    "stdout stderr", list, " ")
		for (i = 1; i <= n; i++)
			prints[list[i]] = 1
	}
	FILENAME == ARGV[1] {
		if ($2 in layer) {
			printf "FAIL layers: %s: %s is in the table twice\n",
			    note, $2
			bad++
		}
		if (!($1 in rank)) {
			rank[$1] = ++nlayers
			last = $1
		} else if ($1 != last) {
			printf "FAIL layers: %s: layer %s is split by %s\n",
			    note, $1, last
			bad++
		}
		layer[$2] = $1
		next
	}
	FILENAME == ARGV[2] {
		allowed[$1 " " $2] = 1
		if (!($1 in layer) || !($2 in layer)) {
			printf "FAIL layers: %s: arrow %s -> %s: %s\n", note,
			    $1, $2, "a file that is not in the table"
			bad++
		} else if (layer[$1] != layer[$2]) {
			printf "FAIL layers: %s: arrow %s -> %s: %s\n", note,
			    $1, $2, "not within one layer"
			bad++
		}
		next
	}
	FILENAME == ARGV[3] {
		if (!($1 in layer) && !($1 in unlisted)) {
			printf "FAIL layers: %s has no line in %s\n", $1, note
			unlisted[$1] = 1
			bad++
		}
		have[$1] = 1
		if ($2 ~ /^lrk_/ && ($2 in definer) && definer[$2] != $1) {
			printf "FAIL layers: %s and %s both define %s\n",
			    definer[$2], $1, $2
			bad++
		}
		if ($2 ~ /^lrk_/)
			definer[$2] = $1
		next
	}
	{
		from = $1
		sym = $2
		if (from in unlisted)
			next
		# the child proc.c forks ends with _exit before its exec:
		# the process that exits is the child, not the tool.
		if (from == "proc.c" && sym == "_exit")
			next
		if (layer[from] != "cli" && sym in prints) {
			printf "FAIL layers: %s uses %s: %s\n", from, sym,
			    "only cli.c prints and exits"
			bad++
			next
		}
		if (sym !~ /^lrk_/)
			next
		if (!(sym in definer)) {
			printf "FAIL layers: %s uses %s, which no object defines\n",
			    from, sym
			bad++
			next
		}
		to = definer[sym]
		if (to in unlisted || to == from)
			next
		used[from " " to] = 1
		if (rank[layer[to]] < rank[layer[from]])
			next
		if (rank[layer[to]] == rank[layer[from]] &&
		    ((from " " to) in allowed))
			next
		if (seen[from " " to]++)
			next
		how = "sideways, not listed"
		if (rank[layer[to]] > rank[layer[from]])
			how = "upward"
		printf "FAIL layers: %s -> %s (%s): %s, from %s to %s\n",
		    from, to, sym, how, layer[from], layer[to]
		bad++
	}
	END {
		for (a in allowed) {
			split(a, ft, " ")
			if ((ft[1] in have) && (ft[2] in have) && !(a in used)) {
				printf "FAIL layers: %s lists %s -> %s, %s\n",
				    note, ft[1], ft[2], "which the objects do not have"
				bad++
			}
		}
		n = 0
		for (f in have)
			n++
		printf "layers: %d objects in %d layers, %s\n", n, nlayers,
		    bad ? bad " failures" : "every arrow down or listed"
		exit bad != 0
	}
' "$tmp/layers" "$tmp/allowed" "$tmp/defined" "$tmp/undefined"
