#!/bin/sh
# man-examples.sh PAGE...: every command line in a page's EXAMPLES section
# (each .Dl line, each line of a .Bd -literal block) must appear verbatim
# in the end-to-end tests of that tool (tests/e2e/TOOL.sh; for lrkit.7, any
# of them), so that the manual cannot drift from the code.
top=$(cd "$(dirname "$0")/.." && pwd)
bad=0
n=0
for page in "$@"; do
	name=$(basename "$page")
	tool=${name%.*}
	if [ "$tool" = lrkit ]; then
		tests=$(ls "$top"/tests/e2e/*.sh)
	else
		tests=$top/tests/e2e/$tool.sh
	fi
	# Print the example lines with mandoc's escapes undone.
	awk '
		/^\.Sh / { inex = ($2 == "EXAMPLES"); next }
		!inex { next }
		/^\.Bd -literal/ { lit = 1; next }
		/^\.Ed/ { lit = 0; next }
		lit { print; next }
		/^\.Dl / { sub(/^\.Dl /, ""); print }
	' "$page" | sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\(aq/'"'"'/g' \
	    -e 's/\\&//g' > "${TMPDIR:-/tmp}/lrkit-ex.$$"
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		n=$((n + 1))
		if ! grep -qF -- "$line" $tests; then
			echo "FAIL man-examples: $name: not tested: $line"
			bad=$((bad + 1))
		fi
	done < "${TMPDIR:-/tmp}/lrkit-ex.$$"
	rm -f "${TMPDIR:-/tmp}/lrkit-ex.$$"
done
echo "man-examples: $n example lines, $bad not tested"
[ "$bad" = 0 ]
