# report.awk: one task's table for bench/quality.sh.
#
#   awk -v task=NAME -v kind=design|held-out -v desc=TEXT -v steps=N \
#       -f report.awk GRID RUNS SUGGEST VAL
#
# GRID: the grid's max lrs, one a line.  RUNS: sweep-run --list output
# (run,seed).  SUGGEST: lr-suggest -g run -f csv output (run,method,lr,...).
# VAL: "lr seed loss" lines, the final held-out loss of each training
# (loss "inf" for a run that diverged).
#
# The grid's best is the least, over the grid's lrs, of the median over
# the seeds of the final loss.  A method's figure is the median over the
# seeds of the final loss its own suggestion for that seed gives, in
# percent above the grid's best.  Prints the Markdown table, and one
# tab-separated line per method to the file given as -v summary=FILE:
# task kind method runs median_lr spread percent.

function median(v, n,    i, j, t, w) {
	for (i = 1; i <= n; i++)
		w[i] = v[i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && w[j - 1] > w[j]; j--) {
			t = w[j]; w[j] = w[j - 1]; w[j - 1] = t
		}
	if (n % 2)
		return w[(n + 1) / 2]
	return (w[n / 2] + w[n / 2 + 1]) / 2
}

function loss_of(lr, seed) {
	if ((lr SUBSEP seed) in val)
		return val[lr, seed]
	return DIVERGED
}

function pct(x) {
	if (x >= DIVERGED)
		return "diverged"
	return percent(100 * (x / best - 1))
}

function percent(x) {
	return sprintf(x < 1e4 ? "%+.1f%%" : "%+.2g%%", x)
}

BEGIN {
	DIVERGED = 1e300
	FS = ","
}

FNR == 1 {
	file++
}

file == 1 {
	ngrid++
	grid[ngrid] = $1
	next
}

file == 2 && FNR > 1 {
	seed_of[$1] = $2
	nseeds++
	seeds[nseeds] = $2
	next
}

file == 3 && FNR > 1 {
	if (!($2 in seen)) {
		seen[$2] = 1
		nmethods++
		methods[nmethods] = $2
	}
	count[$2]++
	sug[$2, count[$2]] = $3
	sugseed[$2, count[$2]] = seed_of[$1]
	next
}

file == 4 {
	split($0, f, " ")
	val[f[1], f[2]] = f[3] == "inf" || f[3] == "nan" || f[3] == "-nan" ?
	    DIVERGED : f[3] + 0
}

END {
	best = DIVERGED
	for (g = 1; g <= ngrid; g++) {
		for (s = 1; s <= nseeds; s++)
			v[s] = loss_of(grid[g], seeds[s])
		m = median(v, nseeds)
		if (m < best) {
			best = m
			bestlr = grid[g]
		}
	}
	printf "### %s (%s)\n\n", task, kind
	printf "%s; 1cycle over %d steps (5 epochs). ", desc, steps
	if (best >= DIVERGED) {
		printf "Every lr of the grid diverged.\n\n"
		exit 1
	}
	printf "Grid best: max lr %.3g, median final loss %.4g.\n\n",
	    bestlr, best
	printf "| method | median lr | spread (max/min) | final loss vs grid best |\n"
	printf "|---|---:|---:|---:|\n"
	for (i = 1; i <= nmethods; i++) {
		m = methods[i]
		n = count[m]
		lo = hi = sug[m, 1]
		for (k = 1; k <= n; k++) {
			lr[k] = sug[m, k]
			loss[k] = loss_of(sug[m, k], sugseed[m, k])
			if (lr[k] + 0 < lo + 0)
				lo = lr[k]
			if (lr[k] + 0 > hi + 0)
				hi = lr[k]
		}
		name = m
		if (n < nseeds)
			name = sprintf("%s (%d of %d runs)", m, n, nseeds)
		mlr = median(lr, n)
		ml = median(loss, n)
		spread = lo > 0 ? sprintf("%.2f", hi / lo) : "inf"
		printf "| %s | %.3g | %s | %s |\n", name, mlr, spread, pct(ml)
		if (summary != "")
			printf "%s\t%s\t%s\t%d\t%.6g\t%s\t%s\n", task, kind, m,
			    n, mlr, spread, ml >= DIVERGED ? "inf" :
			    sprintf("%.2f", 100 * (ml / best - 1)) >> summary
	}
	printf "\n"
}
