#!/bin/sh
# method-suggest.sh DIR: every lr-suggest method's lr for each run of the
# range tests in DIR/smooth.csv (bench/quality.sh), as "run,method,lr,cost";
# the cost is the one range test, RANGE_STEPS steps, in trainings of
# STEPS steps.  A method that cannot answer for a run says why on stderr.
cost=$(awk -v r="$RANGE_STEPS" -v s="$STEPS" 'BEGIN { printf "%.3g", r / s }')
"$TOOLS/lr-suggest" -g run -m all -f csv "$1/smooth.csv" |
    awk -F, -v cost="$cost" 'NR == 1 { print "run,method,lr,cost"; next }
	{ print $1 "," $2 "," $3 "," cost }'
