# summary.awk: the experiment's table, one row per configuration, from the
# files its Makefile made.  awk -f summary.awk CONFIG... (names as in conf/):
# the parameters (conf/C), the suggested lr (lr/C), how the 1cycle run ended
# (the Status of fit/C/joblog.tsv's last row: done or diverged) and its
# final loss, the mean of the last tenth of its losses (fit/C/run-0.csv).
BEGIN {
	printf "config,seed,wd,lr,status,final_loss\n"
	for (a = 1; a < ARGC; a++) {
		c = ARGV[a]
		seed = wd = ""
		while ((getline line < ("conf/" c)) > 0) {
			if (line ~ /^seed=/)
				seed = substr(line, 6)
			else if (line ~ /^wd=/)
				wd = substr(line, 4)
		}
		getline lr < ("lr/" c)
		status = ""
		while ((getline line < ("fit/" c "/joblog.tsv")) > 0) {
			nf = split(line, f, "\t")
			status = f[nf]
		}
		file = "fit/" c "/run-0.csv"
		getline line < file
		nf = split(line, f, ",")
		col = 0
		for (i = 1; i <= nf; i++)
			if (f[i] == "loss")
				col = i
		if (col == 0) {
			printf "summary.awk: %s: no loss column\n", file > "/dev/stderr"
			exit 1
		}
		n = 0
		while ((getline line < file) > 0) {
			split(line, f, ",")
			loss[++n] = f[col]
		}
		if (n == 0) {
			printf "summary.awk: %s: no rows\n", file > "/dev/stderr"
			exit 1
		}
		k = int(n / 10)
		if (k < 1)
			k = 1
		sum = 0
		for (i = n - k + 1; i <= n; i++)
			sum += loss[i]
		printf "%s,%s,%s,%s,%s,%.6g\n", c, seed, wd, lr, status, sum / k
		close("conf/" c)
		close("lr/" c)
		close("fit/" c "/joblog.tsv")
		close(file)
	}
	exit 0
}
