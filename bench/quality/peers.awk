# peers.awk: lr-confirm beside its peers, for bench/quality.sh.
#
#   awk -F'\t' -v mode=tasks|summary [-v kind=design|held-out|all] \
#       [-v method=confirm] -f peers.awk SUMMARY PEERS
#
# SUMMARY: bench/quality.sh's summary file (task kind method runs
# median_lr spread percent cost fresh own); PEERS: one line per study of
# a peer (task kind peer study lr fresh_percent cost).  Figures are on
# the fresh seeds, in percent above the grid's best lr's.
#
# mode=tasks: a row per task: the method's (default confirm) figure, in
# sample too, and its trainings (its own in brackets); per peer the
# median and the worst of its studies' figures and their median
# trainings.
# mode=summary: over the tasks of -v kind (all: every task), a row for
# the method and per peer: the median and the worst over the tasks of
# the task's figure (a peer's: its median study), the worst of every
# study, how many (tasks, or studies) are within 3%, and the trainings
# (median, least and most).

function num(s) {
	return s == "inf" ? INF : s + 0
}

BEGIN {
	INF = 1e300
	if (method == "")
		method = "confirm"
}

FNR == 1 {
	file++
}

file == 1 && $3 == method && $9 != "" {
	if (!($1 in mfresh))
		tasks[++nt] = $1
	tkind[$1] = $2
	mfresh[$1] = num($9)
	min[$1] = num($7)
	mcost[$1] = $8
	mown[$1] = $10
	next
}

file == 2 {
	if (!($3 in np))
		peers[++npeers] = $3
	np[$3] = 1
	if (!($1 in tkind)) {
		tasks[++nt] = $1
		tkind[$1] = $2
	}
	k = ++ns[$1, $3]
	pf[$1, $3, k] = num($6)
	pc[$1, $3, k] = $7 + 0
}

# The median and worst study of peer p on task t, and the median cost.
function study(t, p,    k, v, c) {
	smed = swor = -INF
	for (k = 1; k <= ns[t, p]; k++) {
		v[k] = pf[t, p, k]
		c[k] = pc[t, p, k]
		if (v[k] > swor)
			swor = v[k]
	}
	smed = median(v, ns[t, p])
	scost = median(c, ns[t, p])
}

END {
	if (mode == "tasks") {
		printf "| task | %s: fresh seeds | in sample | trainings (own) |",
		    method
		for (i = 1; i <= npeers; i++)
			printf " %s: median study, worst (trainings) |", peers[i]
		printf "\n|---|---:|---:|---:|"
		for (i = 1; i <= npeers; i++)
			printf "---:|"
		printf "\n"
		for (j = 1; j <= nt; j++) {
			t = tasks[j]
			if (t in mfresh)
				printf "| %s | %s | %s | %.3g (%.3g) |", t,
				    show(mfresh[t]), show(min[t]), mcost[t],
				    mown[t]
			else
				printf "| %s | | | |", t
			for (i = 1; i <= npeers; i++) {
				p = peers[i]
				if (!ns[t, p]) {
					printf " |"
					continue
				}
				study(t, p)
				printf " %s, %s (%.3g) |", show(smed),
				    show(swor), scost
			}
			printf "\n"
		}
		exit
	}
	printf "| | tasks | median over the tasks | worst task | worst study | within 3%% | trainings: median (range) |\n"
	printf "|---|---:|---:|---:|---:|---:|---:|\n"
	n = 0
	for (j = 1; j <= nt; j++) {
		t = tasks[j]
		if (kind != "all" && tkind[t] != kind || !(t in mfresh))
			continue
		v[++n] = mfresh[t]
		c[n] = mcost[t]
	}
	if (n)
		row(method " (one run a task)", n, v, v, n, c)
	for (i = 1; i <= npeers; i++) {
		p = peers[i]
		n = na = 0
		for (j = 1; j <= nt; j++) {
			t = tasks[j]
			if (kind != "all" && tkind[t] != kind || !ns[t, p])
				continue
			study(t, p)
			v[++n] = smed
			for (k = 1; k <= ns[t, p]; k++) {
				a[++na] = pf[t, p, k]
				c[na] = pc[t, p, k]
			}
		}
		if (n)
			row(p " (median study)", n, v, a, na, c)
	}
}

# A summary row: v[1..n] the tasks' figures, a[1..na] every study's (or
# the tasks' again), c[1..na] their trainings.
function row(name, n, v, a, na, c,    k, w, aw, good, lo, hi) {
	w = aw = -INF
	for (k = 1; k <= n; k++)
		if (v[k] > w)
			w = v[k]
	lo = hi = c[1]
	for (k = 1; k <= na; k++) {
		if (a[k] > aw)
			aw = a[k]
		if (a[k] <= 3)
			good++
		if (c[k] < lo)
			lo = c[k]
		if (c[k] > hi)
			hi = c[k]
	}
	printf "| %s | %d | %s | %s | %s | %d of %d | %.3g (%.3g to %.3g) |\n",
	    name, n, show(median(v, n)), show(w), show(aw), good, na,
	    median(c, na), lo, hi
}
