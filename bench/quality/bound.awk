# bound.awk: could a constant multiple of a method meet the bar?
#
#   awk -F'\t' -f bound.awk BASINS SUMMARY
#
# BASINS: per task, the max lrs whose median final loss is within 5% of
# the grid's best (task kind lo hi, from report.awk); SUMMARY: per task
# and method, the median suggestion (task kind method runs median_lr
# spread percent).
#
# A rule "k times the method's lr" puts task t within 5% when k times the
# median suggestion s lies in [lo, hi], that is when k lies in
# [lo / s, hi / s].  For each method, the most tasks that one k can serve
# (k chosen with hindsight, on the very tasks it is scored on), the k
# that does, and the spread over the tasks of the ratio of the lrs within
# 5% to the suggestion (the middle of [lo / s, hi / s], max/min): a rule
# of that form needs it below the narrowest [lo, hi]'s width.  The
# seeds' suggestions differ from their median, so this is a close
# estimate of the bound rather than a measurement of a rule.

BEGIN {
	OFS = ""
}

FNR == 1 {
	file++
}

file == 1 {
	lo[$1] = $3
	hi[$1] = $4
	if (!($1 in task))
		ntasks++
	task[$1] = 1
	next
}

$3 != "grid best, other seeds" && ($1 in task) && $5 + 0 > 0 {
	m = $3
	if (!(m in n))
		order[++nm] = m
	k = ++n[m]
	a[m, k] = lo[$1] / $5
	b[m, k] = hi[$1] / $5
}

END {
	for (i = 1; i <= nm; i++) {
		m = order[i]
		if (n[m] < ntasks)
			continue
		best = 0
		rmin = rmax = sqrt(a[m, 1] * b[m, 1])
		for (j = 1; j <= n[m]; j++) {
			r = sqrt(a[m, j] * b[m, j])
			if (r < rmin)
				rmin = r
			if (r > rmax)
				rmax = r
			# the tasks that k = a[m, j] serves
			c = 0
			for (t = 1; t <= n[m]; t++)
				if (a[m, t] <= a[m, j] && a[m, j] <= b[m, t])
					c++
			if (c > best) {
				best = c
				bk = a[m, j]
			}
		}
		printf "| %s | %.3g..%.3g | %.2f | %d of %d | %.3g |\n", m,
		    rmin, rmax, rmax / rmin, best, ntasks, bk
	}
}
