# awk -f numcmp.awk GOLDEN GOT: compare two CSV tables cell by cell.  Cells
# that are numbers in both are equal within a relative error of 1e-12 (an
# absolute 1e-300 near zero); nan, inf and any other text must match
# exactly; line ends (LF or CRLF) do not matter.  Prints the first
# differences and exits 1 on any.
BEGIN { FS = ","; tol = 1e-12; bad = 0 }
{ sub(/\r$/, "") }
function isnum(s) {
	return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/
}
function abs(x) { return x < 0 ? -x : x }
NR == FNR { n1 = FNR; for (i = 1; i <= NF; i++) g[FNR, i] = $i; nf[FNR] = NF; next }
{
	n2 = FNR
	if (nf[FNR] != NF) {
		printf "line %d: %d cells, expected %d\n", FNR, NF, nf[FNR]
		if (++bad > 10) exit 1
		next
	}
	for (i = 1; i <= NF; i++) {
		a = g[FNR, i]; b = $i
		if (isnum(a) && isnum(b)) {
			d = abs(a - b); m = abs(a) > abs(b) ? abs(a) : abs(b)
			if (d > tol * m && d > 1e-300) {
				printf "line %d cell %d: %s, expected %s\n", FNR, i, b, a
				if (++bad > 10) exit 1
			}
		} else if (tolower(a) != tolower(b)) {
			printf "line %d cell %d: \"%s\", expected \"%s\"\n", FNR, i, b, a
			if (++bad > 10) exit 1
		}
	}
}
END {
	if (n1 != n2) { printf "%d lines, expected %d\n", n2, n1; bad++ }
	exit bad > 0
}
