#!/bin/sh
# bowl.sh MAX SEED: for the k-th schedule row read, the loss
# 1 + ln(MAX/0.05)^2 + SEED/1000 + 1/k: a training whose final loss is
# least at max lr 0.05 and a little worse on each later seed.  MAX above
# $DIVERGE gives inf (a run that diverges); MAX above $FAIL exits 3 on
# seed 2 (a run that fails); $LOG gets a line per run.
[ -n "$LOG" ] && echo "max=$1 seed=$2" >> "$LOG"
read -r header
exec awk -v m="$1" -v d="${DIVERGE:-1e300}" -v f="${FAIL:-1e300}" -v s="$2" '
{
	if (m + 0 > f + 0 && s == 2)
		exit 3
	if (m + 0 > d + 0)
		print "inf"
	else
		printf "%.6g\n", 1 + log(m / 0.05) ^ 2 + s / 1000 + 1 / NR
	fflush()
}'
