# columns.awk: some methods side by side, a row per task, from
# bench/quality.sh's summary file.
#
#   awk -F'\t' -v methods='minimum|minimum (fb)' -f columns.awk SUMMARY
#
# SUMMARY: task kind method runs median_lr spread percent cost fresh own,
# tab-separated.  For each method of -v methods (separated by |): its
# median lr and its figure on the fresh seeds, in percent above the grid's
# best lr's; then per method the median and the worst over the tasks.

BEGIN {
	INF = 1e300
	nm = split(methods, m, "|")
	for (i = 1; i <= nm; i++)
		want[m[i]] = i
}

$3 in want && $9 != "" {
	if (!($1 in seen)) {
		seen[$1] = 1
		tasks[++nt] = $1
	}
	lr[$1, $3] = $5
	f[$1, $3] = $9 == "inf" ? INF : $9 + 0
}

END {
	printf "| task |"
	for (i = 1; i <= nm; i++)
		printf " %s: lr, fresh seeds |", m[i]
	printf "\n|---|"
	for (i = 1; i <= nm; i++)
		printf "---:|"
	printf "\n"
	for (j = 1; j <= nt; j++) {
		t = tasks[j]
		printf "| %s |", t
		for (i = 1; i <= nm; i++)
			if ((t SUBSEP m[i]) in f)
				printf " %.3g, %s |", lr[t, m[i]], show(f[t, m[i]])
			else
				printf " |"
		printf "\n"
	}
	for (k = 0; k < 2; k++) {
		printf "| *%s* |", k ? "worst" : "median"
		for (i = 1; i <= nm; i++) {
			n = 0
			w = -INF
			for (j = 1; j <= nt; j++)
				if ((tasks[j] SUBSEP m[i]) in f) {
					v[++n] = f[tasks[j], m[i]]
					if (v[n] > w)
						w = v[n]
				}
			printf " %s |", n ? show(k ? w : median(v, n)) : ""
		}
		printf "\n"
	}
}
