# summary.awk: per method, over the tasks of one kind (-v kind=design,
# held-out, or all for every task) in bench/quality.sh's summary file
# (task kind method runs median_lr spread percent cost fresh own,
# tab-separated): in sample, the median and the worst of the percentages
# above the grid's best and on how many tasks the method is within 5%
# with a spread under 2; on the fresh seeds, the median and the worst of
# the percentages above the grid's best lr's and on how many tasks it is
# within 3%; the worst spread, and the median of its cost in trainings.

BEGIN {
	INF = 1e300
}

$2 == kind || kind == "all" {
	m = $3
	if (!(m in n)) {
		order[++nm] = m
		worst[m] = fworst[m] = -INF
		wspread[m] = 0
	}
	k = ++n[m]
	p = $7 == "inf" ? INF : $7 + 0
	s = $6 == "inf" ? INF : $6 + 0
	v[m, k] = p
	cv[m, k] = $8 + 0
	if (p > worst[m])
		worst[m] = p
	if (s > wspread[m])
		wspread[m] = s
	if (p <= 5 && s < 2)
		good[m]++
	if ($9 != "") {
		f = $9 == "inf" ? INF : $9 + 0
		fv[m, ++nf[m]] = f
		if (f > fworst[m])
			fworst[m] = f
		if (f <= 3)
			fgood[m]++
	}
	ntasks[$1] = 1
}

END {
	for (t in ntasks)
		total++
	for (i = 1; i <= nm; i++) {
		m = order[i]
		for (k = 1; k <= n[m]; k++) {
			w[k] = v[m, k]
			cw[k] = cv[m, k]
		}
		for (k = 1; k <= nf[m]; k++)
			fw[k] = fv[m, k]
		ws = wspread[m] >= INF ? "inf" : sprintf("%.2f", wspread[m])
		printf "| %s | %s | %s | %d of %d | %s | %s | %s | %s | %.3g |\n",
		    m, show(median(w, n[m])), show(worst[m]), good[m], total,
		    nf[m] ? show(median(fw, nf[m])) : "",
		    nf[m] ? show(fworst[m]) : "",
		    nf[m] ? sprintf("%d of %d", fgood[m], total) : "", ws,
		    median(cw, n[m])
	}
}
