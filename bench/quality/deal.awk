# deal.awk: which fresh seed trains which answer, for bench/quality.sh.
#
#   awk -F, -v fresh=S,S,... -f deal.awk RUNS SUGGEST
#
# RUNS: sweep-run --list output (run,seed); SUGGEST: the methods' lrs
# (run,method,lr,...).  Every method is scored out of sample on the same
# fresh seeds, one training per seed: the answers it gave (one per run
# it answered, in the order of RUNS) are dealt the fresh seeds in turn,
# the j-th fresh seed to answer (j - 1) mod (answers) + 1.  With 5 runs
# and 10 fresh seeds each run's answer trains on 2 of them; a method
# that gives every run the one answer (pooled, confirm) trains it on
# all 10.  Prints "method,lr,seed" lines.

FNR == 1 {
	file++
	next
}

file == 1 {
	order[$1] = ++nruns
	next
}

{
	if (!($2 in seen)) {
		seen[$2] = 1
		methods[++nm] = $2
	}
	lr[$2, order[$1]] = $3
}

END {
	nf = split(fresh, f, ",")
	for (i = 1; i <= nm; i++) {
		m = methods[i]
		na = 0
		for (r = 1; r <= nruns; r++)
			if ((m SUBSEP r) in lr)
				ans[++na] = lr[m, r]
		for (j = 1; j <= nf; j++)
			print m "," ans[(j - 1) % na + 1] "," f[j]
	}
}
