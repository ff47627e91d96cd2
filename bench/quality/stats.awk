# stats.awk: what the quality scripts share, loaded before each with
# "awk -f stats.awk -f SCRIPT.awk": median(v, n) of v[1..n] (the mean of
# the middle two for an even n), and show(x), a percentage as the tables
# print it (INF, set by the script, is a run that diverged).

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

function show(x) {
	if (x >= INF)
		return "diverged"
	return sprintf(x < 1e4 ? "%+.1f%%" : "%+.2g%%", x)
}
