# report.awk: one task's table for bench/quality.sh.
#
#   awk -v task=NAME -v kind=design|held-out -v desc=TEXT -v steps=N \
#       -v epochs=N -v reseeds=S,S... -v fresh=S,S... -v dealt=FILE \
#       -v peers=FILE -f report.awk GRID FINE RUNS SUGGEST VAL
#
# GRID: the grid's max lrs, one a line; FINE: the finer grid's around
# the best, the same way (these trained on the seeds of RUNS only; GRID
# on the seeds of -v reseeds too).  RUNS: sweep-run --list output
# (run,seed).  SUGGEST: the methods' lrs (run,method,lr,cost,own), cost
# in trainings of the task, own the part of it the method trained
# itself.
# VAL: "lr seed loss" lines, the final held-out loss of each training
# (loss "inf" for a run that diverged).
#
# In sample: the grid's best is the least, over the grid's lrs, of the
# median over the seeds of the final loss.  A method's figure is the
# median over the seeds of the final loss its own suggestion for that
# seed gives, in percent above the grid's best.  The grid's best on the
# other seeds (reseeds), scored on the seeds of RUNS, is a row of its
# own: how well one could do knowing the grid's best from an independent
# replicate.
# Out of sample (-v fresh, seeds no selection used): the reference is
# the median over the fresh seeds of the final loss at the grid's best
# lr (chosen on the seeds of RUNS); a method's figure is the median of
# the final losses of its trainings on the fresh seeds, one per seed,
# which -v dealt lists (method,lr,seed lines: deal.awk), in percent
# above the reference; the reseeds' best is scored on the fresh seeds
# too.
# A method's cost is the sum of its runs' costs: the trainings it spent
# for its answers on all the seeds (the grid on other seeds costs one
# training per lr and seed).
# -v peers: the peers' studies (peer,study,lr,cost,trials lines, from
# peer-optuna.py); each study's answer is trained on every fresh seed
# and scored as a method's; a table gives per peer the median and the
# worst of its studies' figures, and their trainings.
# Under the table: the lrs of GRID and FINE whose median is within 5% of
# the grid's best, and the figures of the grid's lrs either side of its
# best.  Prints the Markdown tables, and one
# tab-separated line per method to the file given as -v summary=FILE:
# task kind method runs median_lr spread percent cost fresh_percent own;
# one line per study to -v peerout=FILE: task kind peer study lr
# fresh_percent cost; and the
# lrs within 5% to the file given as -v basins=FILE: task kind lo hi.

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

file == 2 {
	fine[++nfine] = $1
	next
}

file == 3 && FNR > 1 {
	seed_of[$1] = $2
	nseeds++
	seeds[nseeds] = $2
	next
}

file == 4 && FNR > 1 {
	if (!($2 in seen)) {
		seen[$2] = 1
		nmethods++
		methods[nmethods] = $2
	}
	count[$2]++
	cost[$2] += $4
	own[$2] += $5
	sug[$2, count[$2]] = $3
	sugseed[$2, count[$2]] = seed_of[$1]
	next
}

file == 5 {
	split($0, f, " ")
	if (f[3] == "inf" || f[3] == "nan" || f[3] == "-nan")
		val[f[1], f[2]] = DIVERGED
	else
		val[f[1], f[2]] = f[3] + 0
}

END {
	nre = split(reseeds, re, ",")
	best = rbest = DIVERGED
	for (g = 1; g <= ngrid; g++) {
		m = median_at(grid[g], seeds, nseeds)
		gmed[g] = m
		if (m < best) {
			best = m
			bestg = g
		}
		if (nre && (m = median_at(grid[g], re, nre)) < rbest) {
			rbest = m
			rlr = grid[g]
		}
	}
	bestlr = grid[bestg]
	printf "### %s (%s)\n\n", task, kind
	printf "%s; 1cycle over %d steps (%d epochs). ", desc, steps, epochs
	if (best >= DIVERGED) {
		printf "Every lr of the grid diverged.\n\n"
		exit 1
	}
	nfr = split(fresh, fr, ",")
	fbest = nfr ? median_at(bestlr, fr, nfr) : DIVERGED
	read_dealt()
	printf "Grid best: max lr %.3g, median final loss %.4g", bestlr, best
	if (nfr)
		printf "; on the fresh seeds %s to %s, %.4g (%s of the grid " \
		    "best's loss on seeds %s to %s)", fr[1], fr[nfr], fbest,
		    percent(100 * (fbest / best - 1)), seeds[1], seeds[nseeds]
	printf ".\n\n"
	printf "| method | median lr | spread (max/min) | final loss vs grid best, in sample | fresh seeds | cost (trainings) |\n"
	printf "|---|---:|---:|---:|---:|---:|\n"
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
		spread = lo > 0 ? sprintf("%.2f", hi / lo) : "inf"
		row(name, m, n, median(lr, n), spread, median(loss, n), cost[m],
		    fresh_of(m), own[m])
	}
	if (nre && rbest < DIVERGED)
		row("*grid's best on seeds " reseeds "*", "grid best, other seeds", nseeds,
		    rlr, "1.00", median_at(rlr, seeds, nseeds), ngrid * nre,
		    nfr ? median_at(rlr, fr, nfr) : DIVERGED, ngrid * nre)
	printf "\n"
	basin()
	peer_table()
}

# The methods' trainings on the fresh seeds (-v dealt).
function read_dealt(    line, f) {
	if (dealt == "")
		return
	while ((getline line < dealt) > 0) {
		split(line, f, ",")
		k = ++ndealt[f[1]]
		dlr[f[1], k] = f[2]
		dseed[f[1], k] = f[3]
	}
	close(dealt)
}

# The median final loss of method m's trainings on the fresh seeds.
function fresh_of(m,    k, v) {
	if (!(m in ndealt))
		return ""
	for (k = 1; k <= ndealt[m]; k++)
		v[k] = loss_of(dlr[m, k], dseed[m, k])
	return median(v, ndealt[m])
}

# The peers' studies (-v peers): per peer, each study's answer scored on
# every fresh seed; the median and worst over the studies.
function peer_table(    line, f, p, np, order, ns, k, v, c, l, lo, hi, w, i, cmin, cmax,
    x, sp) {
	if (peers == "" || !nfr)
		return
	while ((getline line < peers) > 0) {
		split(line, f, ",")
		if (!(f[1] in ns))
			order[++np] = f[1]
		k = ++ns[f[1]]
		plr[f[1], k] = f[3]
		pcost[f[1], k] = f[4]
	}
	close(peers)
	if (!np)
		return
	printf "| peer | studies | median lr | spread (max/min) | fresh seeds: median study | worst study | trainings: median (range) |\n"
	printf "|---|---:|---:|---:|---:|---:|---:|\n"
	for (i = 1; i <= np; i++) {
		p = order[i]
		lo = hi = plr[p, 1]
		w = -1
		for (k = 1; k <= ns[p]; k++) {
			v[k] = median_at(plr[p, k], fr, nfr)
			if (v[k] > w)
				w = v[k]
			c[k] = pcost[p, k]
			l[k] = plr[p, k]
			if (l[k] + 0 < lo + 0)
				lo = l[k]
			if (l[k] + 0 > hi + 0)
				hi = l[k]
			if (k == 1 || c[k] < cmin)
				cmin = c[k]
			if (k == 1 || c[k] > cmax)
				cmax = c[k]
		}
		x = median(v, ns[p])
		sp = lo > 0 ? sprintf("%.2f", hi / lo) : "inf"
		printf "| %s | %d | %.3g | %s | %s | %s | %.3g (%.3g to %.3g) |\n",
		    p, ns[p], median(l, ns[p]), sp, fpct(x), fpct(w),
		    median(c, ns[p]), cmin, cmax
		if (peerout != "")
			for (k = 1; k <= ns[p]; k++)
				printf "%s\t%s\t%s\t%d\t%s\t%s\t%.4g\n", task,
				    kind, p, k, l[k], fnum(v[k]), c[k] >> peerout
	}
	printf "\n"
}

function fpct(x) {
	if (x >= DIVERGED)
		return "diverged"
	return percent(100 * (x / fbest - 1))
}

function fnum(x) {
	return x >= DIVERGED ? "inf" : sprintf("%.4f", 100 * (x / fbest - 1))
}

function median_at(lr, sl, ns,    s, v) {
	for (s = 1; s <= ns; s++)
		v[s] = loss_of(lr, sl[s])
	return median(v, ns)
}

function row(name, m, n, mlr, spread, ml, c, fl, o,    p, cs) {
	cs = o > 0 && o < c ? sprintf("%.3g (own %.3g)", c, o) : sprintf("%.3g", c)
	printf "| %s | %.3g | %s | %s | %s | %s |\n", name, mlr, spread,
	    pct(ml), fl == "" ? "" : fpct(fl), cs
	p = ml >= DIVERGED ? "inf" : sprintf("%.4f", 100 * (ml / best - 1))
	if (summary != "")
		printf "%s\t%s\t%s\t%d\t%.6g\t%s\t%s\t%.3g\t%s\t%.3g\n", task,
		    kind, m, n, mlr, spread, p, c, fl == "" ? "" : fnum(fl),
		    o >> summary
}

# The lrs of the grid and the finer grid whose median is within 5% of the
# grid's best: the run of them around the least median.
function basin(    n, x, y, i, j, t, b, lo, hi) {
	for (i = 1; i <= ngrid; i++)
		x[++n] = grid[i]
	for (i = 1; i <= nfine; i++)
		x[++n] = fine[i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && x[j - 1] + 0 > x[j] + 0; j--) {
			t = x[j]; x[j] = x[j - 1]; x[j - 1] = t
		}
	b = 1
	for (i = 1; i <= n; i++) {
		y[i] = median_at(x[i], seeds, nseeds)
		if (y[i] < y[b])
			b = i
	}
	for (lo = b; lo > 1 && y[lo - 1] <= 1.05 * best; lo--)
		;
	for (hi = b; hi < n && y[hi + 1] <= 1.05 * best; hi++)
		;
	printf "Least median over the grid and a finer grid around its best "
	printf "(%d lrs, 1.06x apart): %s at max lr %.3g.  ", nfine,
	    pct(y[b]), x[b]
	printf "Within 5%% of the grid's best: max lr %.3g to %.3g " \
	    "(%.2fx wide).  ", x[lo], x[hi], x[hi] / x[lo]
	if (basins != "")
		printf "%s\t%s\t%s\t%s\n", task, kind, x[lo], x[hi] >> basins
	printf "The grid's lrs either side of its best: %s and %s.\n\n",
	    (bestg > 1 ? pct(gmed[bestg - 1]) : "none"),
	    (bestg < ngrid ? pct(gmed[bestg + 1]) : "none")
}
