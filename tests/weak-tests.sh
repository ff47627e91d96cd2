#!/bin/sh
# weak-tests.sh [SUITE.sh...]: refuse end-to-end tests that cannot fail.
# Run by make lint, over tests/e2e/*.sh when no file is named.
#
# A tok test passes when its shell test exits 0.  One whose test ends in
# `|| cat FILE` (or echo, printf, head, tail, ls, find, true, complete: a
# command that shows something and succeeds) passes whenever that command
# succeeds, whatever the check before it gave; tok shows the output of a
# failing test already.  A test that prints SKIP and exits 0 is a pass in
# disguise: it must exit 77, which lib.sh counts as a skip.
#
# Each tok command is read with the shell's quoting (single, double,
# backslash; a command goes on over the lines its quotes span), and its
# second word, the shell test, is checked: it must not end in such a
# `|| COMMAND ...` (true included), nor may a command list inside it (one
# followed by ; or a new line; its status is then lost), and it must not
# print SKIP.  Each test refused is printed as FILE:LINE: NAME and what is
# wrong, and the exit status is then 1.
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# = 0 ] && set -- "$top"/tests/e2e/*.sh
awk -v sq="'" -v top="$top/" \
    -v show='cat|echo|printf|head|tail|ls|find|complete' '
# Split text, a command and the lines after it, into words as sh does
# for quoting only (no expansion), up to the first new line outside
# quotes: "words" gets them.  Returns how many, or -1 when a quote is
# still open (the command goes on on the next line).
function split_words(text,    i, c, q, w, inword, n) {
	n = 0; q = ""; w = ""; inword = 0
	for (i = 1; i <= length(text); i++) {
		c = substr(text, i, 1)
		if (q == sq) {
			if (c == sq) q = ""; else w = w c
			continue
		}
		if (q == "\"") {
			if (c == "\\" && i < length(text)) {
				w = w c substr(text, i + 1, 1); i++
			} else if (c == "\"")
				q = ""
			else
				w = w c
			continue
		}
		if (c == "\\" && i < length(text)) {
			if (substr(text, i + 1, 1) != "\n") {
				w = w substr(text, i + 1, 1); inword = 1
			}
			i++
			continue
		}
		if (c == sq || c == "\"") {
			q = c; inword = 1
			continue
		}
		if (c == " " || c == "\t" || c == "\n") {
			if (inword) words[++n] = w
			w = ""; inword = 0
			if (c == "\n") break
			continue
		}
		if (c == "#" && !inword) break
		w = w c; inword = 1
	}
	if (q != "") return -1
	if (inword) words[++n] = w
	return n
}
function check(file, line, text,    n, body, shape) {
	if (index(file, top) == 1) file = substr(file, length(top) + 1)
	delete words
	n = split_words(text)
	if (n < 3) return
	body = words[3]
	sub(/[ \t\n]+$/, "", body)
	shape = ""
	if (match(body, "\\|\\|[ \t]*(" show "|true)([ \t][^|&;\n]*)?$"))
		shape = substr(body, RSTART)
	else if (match(body, "\\|\\|[ \t]*(" show ")([ \t][^|&;\n]*)?[;\n]"))
		shape = substr(body, RSTART, RLENGTH - 1)
	if (shape != "") {
		printf "%s:%d: %s: \"%s\" passes whatever the check before it gave\n",
		    file, line, words[2], shape
		bad++
	}
	if (body ~ ("(echo|printf)[ \t]+[\"" sq "]?SKIP")) {
		printf "%s:%d: %s: prints SKIP and passes; exit 77 to be counted as a skip\n",
		    file, line, words[2]
		bad++
	}
}
# A command whose quotes never close would hide the tests after it.
function unclosed(    f) {
	if (pending == "") return
	f = pendingfile
	if (index(f, top) == 1) f = substr(f, length(top) + 1)
	printf "%s:%d: a tok command whose quotes do not close\n", f, start
	bad++
	pending = ""
}
FNR == 1 { unclosed() }
{
	if (pending != "") {
		pending = pending "\n" $0
	} else if ($0 ~ /^[ \t]*tok[ \t]/) {
		pending = $0; start = FNR; pendingfile = FILENAME
	} else
		next
	delete words
	if (split_words(pending "\n") >= 0) {
		check(FILENAME, start, pending "\n")
		pending = ""
	}
}
END { unclosed(); exit bad > 0 }
' "$@"
