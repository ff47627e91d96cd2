# twosided.awk: a two-sided (lag-free) smoothing of range tests.
#
#   awk -F, [-v beta=0.98] [-v geo=1] -f twosided.awk range.csv > fb.csv
#
# range.csv: sweep-run's rows (a header with "run" and "loss" columns,
# numbers only, no quoted cells).  Writes every row with a column
# loss_smooth appended, as ema-smooth -g run does, but the smoothing is
# forward-backward: the debiased EMA of ema-smooth(1) (weight beta on
# the old value, divided by 1 - beta^n) run forward over each run's
# losses, then the same debiased EMA run backward, from the run's last
# row to its first, over the forward pass's values.  The two passes lag
# in opposite directions, so the result does not lag the loss: its
# kernel is symmetric away from the ends.  Near the last rows the
# backward pass has seen few values and the result is close to the
# forward pass (the debiasing's truncated kernel).
#
# A loss that is not a finite number (nan, inf, empty) is left out of
# both passes and its loss_smooth cell repeats the loss cell, as
# ema-smooth's default (--nan skip) does; lr-suggest ends its window at
# a nan.
#
# With -v geo=1 the passes smooth the logarithm of the loss and
# loss_smooth is its exponential (a geometric average): a range test's
# last rows grow by orders of magnitude as it diverges, and the
# backward pass carries them far back into the curve; their logarithm
# grows by a few units.  A loss at or below 0 is then left out as a
# non-finite one is.

function finite(s) {
	return s ~ /^[ \t]*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?[ \t]*$/
}

BEGIN {
	if (beta == "")
		beta = 0.98
	beta += 0
}

NR == 1 {
	for (i = 1; i <= NF; i++) {
		if ($i == "run")
			rcol = i
		if ($i == "loss")
			lcol = i
	}
	if (!rcol || !lcol) {
		print "twosided.awk: no run or loss column" > "/dev/stderr"
		exit 2
	}
	header = $0
	next
}

{
	line[NR] = $0
	cell[NR] = $lcol
	ok[NR] = finite($lcol) && (!geo || $lcol + 0 > 0)
	val[NR] = geo && ok[NR] ? log($lcol) : $lcol + 0
	g = $rcol
	if (!(g in n))
		n[g] = 0
	row[g, ++n[g]] = NR
	grp[NR] = g
}

END {
	if (!rcol || !lcol)
		exit 2
	for (g in n) {
		# forward
		a = 0
		k = 0
		for (i = 1; i <= n[g]; i++) {
			r = row[g, i]
			if (!ok[r])
				continue
			a = beta * a + (1 - beta) * val[r]
			k++
			fwd[r] = a / (1 - beta ^ k)
		}
		# backward, over the forward values
		a = 0
		k = 0
		for (i = n[g]; i >= 1; i--) {
			r = row[g, i]
			if (!ok[r]) {
				out[r] = cell[r]
				continue
			}
			a = beta * a + (1 - beta) * fwd[r]
			k++
			v = a / (1 - beta ^ k)
			out[r] = sprintf("%.10g", geo ? exp(v) : v)
		}
	}
	print header ",loss_smooth"
	for (r = 2; r <= NR; r++)
		print line[r] "," out[r]
}
