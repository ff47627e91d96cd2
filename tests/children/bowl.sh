#!/bin/sh
# bowl.sh MAX SEED: for the k-th schedule row read, the loss
# 1 + ln(MAX/0.05)^2 + SEED/1000 + 1/k: a training whose final loss is
# least at max lr 0.05 and a little worse on each later seed.  MAX above
# $DIVERGE gives inf (a run that diverges); MAX above $FAIL exits 3 on
# seed 2 (a run that fails), and with $DIVSEED only on that seed and
# later ones; $LOG gets a line per run.  With VAL=1 it
# prints CSV under loss,val_loss and, after the schedule, a final row
# with the held-out loss 1 + ln(MAX/0.03)^2 + SEED/1000, least at 0.03.
[ -n "$LOG" ] && echo "max=$1 seed=$2" >> "$LOG"
read -r header
exec awk -v m="$1" -v d="${DIVERGE:-1e300}" -v f="${FAIL:-1e300}" -v s="$2" \
    -v val="${VAL:-0}" -v ds="${DIVSEED:-0}" '
BEGIN { if (val) { print "loss,val_loss"; fflush() } }
{
	if (m + 0 > f + 0 && s == 2)
		exit 3
	if (m + 0 > d + 0 && s + 0 >= ds + 0)
		loss = "inf"
	else
		loss = sprintf("%.6g", 1 + log(m / 0.05) ^ 2 + s / 1000 + 1 / NR)
	print loss (val ? "," : "")
	fflush()
}
END { if (val) printf ",%.6g\n", 1 + log(m / 0.03) ^ 2 + s / 1000 }'
