#!/bin/sh
# method-twosided.sh DIR: the single-run rules of lr-suggest read off a
# two-sided smoothing of each range test instead of ema-smooth's causal
# EMA, for bench/quality.sh, as "run,method,lr,cost,own".
#
# ema-smooth's debiased EMA averages the losses before each point, so it
# lags the loss: its minimum comes after the loss's.  twosided.awk runs
# the same debiased EMA (beta 0.98, ema-smooth's default) forward and
# then backward over each run's raw losses (DIR/range.csv), which does
# not lag, and writes it as loss_smooth (DIR/twosided/fb.csv; and over
# the logarithm of the loss, fb-log.csv); lr-suggest -g run reads each
# rule's answer off it.  The methods are named "RULE (fb)" and
# "RULE (fb log)".  The cost is the one range test, as for
# method-suggest.sh.
here=$(cd "$(dirname "$0")" && pwd)
out=$1/twosided
mkdir -p "$out" || exit 1
cost=$(awk -v r="$RANGE_STEPS" -v s="$STEPS" 'BEGIN { printf "%.3g", r / s }')
echo "run,method,lr,cost,own"
for v in fb fb-log; do
	geo=0
	[ $v = fb ] || geo=1
	awk -F, -v geo=$geo -f "$here/twosided.awk" "$1/range.csv" \
	    > "$out/$v.csv" || exit 1
	"$TOOLS/lr-suggest" -g run -f csv \
	    -m minimum,valley,slide,steep,mingrad,halfway,plateau "$out/$v.csv" |
	    awk -F, -v cost="$cost" -v tag="$(echo $v | tr - ' ')" \
		'NR > 1 { print $1 "," $2 " (" tag ")," $3 "," cost ",0" }'
done
