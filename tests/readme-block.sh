#!/bin/sh
# readme-block.sh SECTION N: the N-th fenced code block (from 1) of the
# README's section "## SECTION", as written, so that tests run the
# README's commands themselves.  Exits 1 when there is no such block.
awk -v section="## $1" -v want="$2" '
	!inblock && /^## / { here = ($0 == section) }
	here && /^```/ {
		if (inblock) {
			inblock = 0
			if (n == want) { found = 1; exit }
		} else {
			n++
			inblock = 1
		}
		next
	}
	here && inblock && n == want { print }
	END { exit !found }
' "$(dirname "$0")/../README.md"
