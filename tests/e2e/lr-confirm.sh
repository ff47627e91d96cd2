# lr-confirm end-to-end tests.  tests/children/bowl.sh is a training whose
# final loss is 1 + ln(max/0.05)^2 + seed/1000 + 1/steps, so the best
# candidate and every number of ranked.csv follow from the candidates;
# the bundled trainer, linked as ./mlp-train, gives the range tests and the
# manual's examples.
C=$top/tests/children
export C
ln -sf "$top/examples/mlp-train" mlp-train
# sweep-run, ema-smooth and lr-suggest are found next to lr-confirm.
PATH=$PATH:$top/tools
SCHED="constant base=1 n=3"
export SCHED

# ---- the rounds

t 'nine candidates, the best third on two more seeds' 0 \
    'lr-confirm --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>err &&
    cat confirm/ranked.csv err && ls confirm && ls confirm/round-1 confirm/round-2' <<'EOF'
0.0476
rank,lr,factor,round,seeds,unfinished,median,metric,runs,why
1,0.0476,1.189,2,3,0,1.33775,loss,1:done:1.33675 2:done:1.33775 3:done:1.33875,
2,0.0566,1.414,2,3,0,1.35071,loss,1:done:1.34971 2:done:1.35071 3:done:1.35171,
3,0.04,1,2,3,0,1.38513,loss,1:done:1.38413 2:done:1.38513 3:done:1.38613,
4,0.0673,1.682,1,1,0,1.42262,loss,1:done:1.42262,
5,0.0336,0.8409,1,1,0,1.49234,loss,1:done:1.49234,
6,0.08,2,1,1,0,1.55524,loss,1:done:1.55524,
7,0.0283,0.7071,1,1,0,1.65828,loss,1:done:1.65828,
8,0.0238,0.5946,1,1,0,1.8854,loss,1:done:1.8854,
9,0.02,0.5,1,1,0,2.17392,loss,1:done:2.17392,
lr-confirm: candidates around 0.04 (--lr)
lr-confirm: round 1: 9 candidates, 0.02 to 0.08, on seed 1 (confirm/round-1)
lr-confirm: round 1: 9 of 9 candidates clean; runs: 9 done
lr-confirm: round 2: 3 candidates, 0.04 to 0.0566, on seeds 2 to 3 (confirm/round-2)
lr-confirm: round 2: 3 of 3 candidates clean; runs: 6 done
lr-confirm: 0.0476, 1.189 x the suggestion: median loss 1.33775 over 3 seeds (confirm/ranked.csv)
lr-confirm: spent 15 runs, 45 steps: 15 trainings
ranked.csv
round-1
round-2
confirm/round-1:
joblog.tsv
run-0.csv
run-1.csv
run-2.csv
run-3.csv
run-4.csv
run-5.csv
run-6.csv
run-7.csv
run-8.csv

confirm/round-2:
joblog.tsv
run-0.csv
run-1.csv
run-2.csv
run-3.csv
run-4.csv
run-5.csv
EOF

t 'each round is one sweep-run over max and seed' 0 \
    'rm -rf c; LOG=$PWD/log lr-confirm -q -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} >/dev/null &&
    cat log && cut -f 10- c/round-2/joblog.tsv && head -n 2 c/round-2/run-5.csv' <<'EOF'
max=0.02 seed=1
max=0.0238 seed=1
max=0.0283 seed=1
max=0.0336 seed=1
max=0.04 seed=1
max=0.0476 seed=1
max=0.0566 seed=1
max=0.0673 seed=1
max=0.08 seed=1
max=0.04 seed=2
max=0.04 seed=3
max=0.0476 seed=2
max=0.0476 seed=3
max=0.0566 seed=2
max=0.0566 seed=3
max	seed	Status
0.04	2	done
0.04	3	done
0.0476	2	done
0.0476	3	done
0.0566	2	done
0.0566	3	done
run,max,seed,step,lr,loss
5,0.0566,3,0,0.3333333333333333,2.01837
EOF

t '-c: the factors given; 3 or fewer are one round on every seed' 0 \
    'rm -rf c; lr-confirm -q -o c --lr 0.1 -c 0.25,0.5,1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} &&
    cut -d, -f 2-7 c/ranked.csv && ls c' <<'EOF'
0.05
lr,factor,round,seeds,unfinished,median
0.05,0.5,1,3,0,1.33533
0.025,0.25,1,3,0,1.81579
0.1,1,1,3,0,1.81579
ranked.csv
round-1
EOF

t '-c with --lr 1: the candidates themselves; ties to the smaller lr' 0 \
    'rm -rf c; lr-confirm -q -o c --lr 1 -c 0.1,0.025 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} 1 &&
    cut -d, -f 1-2,7 c/ranked.csv' \
    'lr-confirm: 0.025 is the smallest candidate: a smaller lr may train better still (try -c with factors beyond 0.025)' <<'EOF'
0.025
rank,lr,median
1,0.025,1.81479
2,0.1,1.81479
EOF

t '-n 5 -k 5: 5 candidates from 1/2 to 2 times, 2 of them on 5 seeds' 0 \
    'rm -rf c; lr-confirm -o c --lr 0.05 -n 5 -k 5 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>&1 >/dev/null |
    grep -v clean && cut -d, -f 2-6 c/ranked.csv' <<'EOF'
lr-confirm: candidates around 0.05 (--lr)
lr-confirm: round 1: 5 candidates, 0.025 to 0.1, on seed 1 (c/round-1)
lr-confirm: round 2: 2 candidates, 0.0354 to 0.05, on seeds 2 to 5 (c/round-2)
lr-confirm: 0.05, 1 x the suggestion: median loss 1.33633 over 5 seeds (c/ranked.csv)
lr-confirm: spent 13 runs, 39 steps: 13 trainings
lr,factor,round,seeds,unfinished
0.05,1,2,5,0
0.0354,0.7071,2,5,0
0.0707,1.414,1,1,0
0.025,0.5,1,1,0
0.1,2,1,1,0
EOF

t '-k 1: one round on one seed' 0 \
    'rm -rf c; lr-confirm -q -o c --lr 0.05 -n 3 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} &&
    cut -d, -f 2,4,5,9 c/ranked.csv' <<'EOF'
0.05
lr,round,seeds,runs
0.05,1,1,1:done:1.33433
0.025,1,1,1:done:1.81479
0.1,1,1,1:done:1.81479
EOF

t '-j 2: the same choice, two trainings at once' 0 \
    'rm -rf c; lr-confirm -q -o c -j 2 --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}' <<'EOF'
0.0476
EOF

# ---- diverged and failed runs

# lr-confirm(1): "a candidate with a run that diverged, failed or timed
# out ... ranks after every clean candidate, whatever round it reached".
t 'a diverged candidate ranks last; one failed seed ranks a candidate after every clean one' 0 \
    'rm -rf c; DIVERGE=0.06 FAIL=0.045 lr-confirm -q -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>err &&
    cut -d, -f 2,4- c/ranked.csv | sed "s|$C/bowl.sh|BOWL|" && grep -c "bowl.sh: exit status 3 after 0 of 3 steps" err' <<'EOF'
0.04
lr,round,seeds,unfinished,median,metric,runs,why
0.04,2,3,0,1.38513,loss,1:done:1.38413 2:done:1.38513 3:done:1.38613,
0.0336,1,1,0,1.49234,loss,1:done:1.49234,
0.0283,1,1,0,1.65828,loss,1:done:1.65828,
0.0238,1,1,0,1.8854,loss,1:done:1.8854,
0.02,1,1,0,2.17392,loss,1:done:2.17392,
0.0476,2,3,1,1.3377500000000002,loss,1:done:1.33675 2:failed 3:done:1.33875,seed 2: BOWL: exit status 3 after 0 of 3 steps
0.0566,2,3,1,1.3507099999999999,loss,1:done:1.34971 2:failed 3:done:1.35171,seed 2: BOWL: exit status 3 after 0 of 3 steps
0.0673,1,1,1,,loss,1:diverged:inf,
0.08,1,1,1,,loss,1:diverged:inf,
2
EOF

t 'every run failed: exit 1, ranked.csv says why' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 0.04 -c 1,2 -s "$SCHED" -- sh -c "exit 4" sh {max} 2>/dev/null; st=$?;
    cat c/ranked.csv; exit $st' <<'EOF'
rank,lr,factor,round,seeds,unfinished,median,metric,runs,why
1,0.04,1,1,3,3,,,1:failed 2:failed 3:failed,seed 1: sh: exit status 4 after 0 of 3 steps; seed 2: sh: exit status 4 after 0 of 3 steps; seed 3: sh: exit status 4 after 0 of 3 steps
2,0.08,2,1,3,3,,,1:failed 2:failed 3:failed,seed 1: sh: exit status 4 after 0 of 3 steps; seed 2: sh: exit status 4 after 0 of 3 steps; seed 3: sh: exit status 4 after 0 of 3 steps
EOF

t 'every run failed: the message' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 0.04 -c 1 -k 1 -s "$SCHED" -- nosuch-trainer {max}' \
    'lr-confirm: round 1: max=0.04 seed=1: nosuch-trainer: command not found
lr-confirm: no candidate trained cleanly on its seed: every one failed, diverged or timed out (c/ranked.csv says how)' <<'EOF'
EOF

t 'every candidate diverged' 1 \
    'rm -rf c; DIVERGE=0 lr-confirm -q -o c --lr 0.04 -n 4 -s "$SCHED" -- "$C/bowl.sh" {max} {seed};
    st=$?; cut -d, -f 2,4,9 c/ranked.csv; ls c; exit $st' \
    'lr-confirm: no candidate trained cleanly on every seed: every one failed, diverged or timed out (c/ranked.csv says how)' <<'EOF'
lr,round,runs
0.02,1,1:diverged:inf
0.0317,1,1:diverged:inf
0.0504,1,1:diverged:inf
0.08,1,1:diverged:inf
ranked.csv
round-1
EOF

# ---- the suggestion from a range test

sweep-run -p seed=1,2,3 -- ./mlp-train --seed {seed} > range.csv 2>/dev/null
ema-smooth -g run range.csv > smooth.csv
# What lr-confirm should start from: the median of the runs' answers.
cat > bin/expect-lr <<'EOT'
#!/bin/sh
# expect-lr METHOD FACTOR: lr-suggest's median answer over the runs times
# FACTOR, to three significant digits.
lr-suggest -g run -m "$1" smooth.csv | awk -v f="$2" '{ print $2 }' |
    sort -g | awk -v f="$2" '{ v[NR] = $1 } END {
	m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	printf "%.3g\n", m * f }'
EOT
chmod +x bin/expect-lr

tok 'a raw range test is smoothed first, by run, and the median answer taken' \
    'rm -rf c; got=$(lr-confirm -q -o c -m minimum -c 1 -k 1 range.csv -s "$SCHED" -- "$C/bowl.sh" {max} 1) &&
    want=$(expect-lr minimum 1) && echo "$got $want" && [ "$got" = "$want" ]'

tok 'a smoothed table on stdin gives the same' \
    'rm -rf c; got=$(lr-confirm -q -o c -m minimum -c 2 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} 1 < smooth.csv) &&
    want=$(expect-lr minimum 2) && echo "$got $want" && [ "$got" = "$want" ]'

tok 'options after the file; -g names the run column' \
    'rm -rf c; got=$(lr-confirm -q range.csv -o c -g run -m steep -c 1 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} 1) &&
    want=$(expect-lr steep 1) && echo "$got $want" && [ "$got" = "$want" ]'

tok 'the summary counts the range test in trainings' \
    'rm -rf c; lr-confirm -o c -m minimum -c 1 -k 1 range.csv -s "$SCHED" -- "$C/bowl.sh" {max} 1 2>err >/dev/null &&
    rows=$(($(wc -l < range.csv) - 1)) && cat err &&
    grep -q "the range test: $rows steps, $(awk -v r=$rows "BEGIN { printf \"%.3g\", r / 3 }") trainings of 3" err &&
    grep -q "spent 1 runs, 3 steps: 1 trainings, $(awk -v r=$rows "BEGIN { printf \"%.3g\", 1 + r / 3 }") with the range test" err'

tok 'a run lr-suggest cannot answer for: the others'"'"' median, with a warning' \
    '{ head -n 1 range.csv; grep "^0," range.csv; printf "9,9,0,1e-7,2\n9,9,1,1e-6,2\n"; } > part.csv &&
    got=$(lr-confirm -q -o c2 -m minimum -c 1 -k 1 -s "$SCHED" part.csv -- "$C/bowl.sh" {max} 1 2>err) && cat err &&
    want=$(lr-suggest -g run -m minimum smooth.csv | head -n 1 | awk "{ printf \"%.3g\", \$2 }") && echo "$got $want" &&
    [ "$got" = "$want" ] && grep -q "^lr-confirm: part.csv: run 9: minimum needs" err &&
    grep -qx "lr-confirm: part.csv: an answer for 1 of its 2 runs only" err'

t 'no suggestion: why, then exit 1, and no folder' 1 \
    'rm -rf c; printf "lr,loss\n1,2\n" | lr-confirm -q -o c -m halfway -s "$SCHED" -- "$C/bowl.sh" {max} 1 2>err;
    st=$?; cat err; [ ! -e c ] && exit $st' <<'EOF'
lr-confirm: stdin: no smoothed column: loss smoothed here (beta 0.98, debiased), as ema-smooth does
lr-confirm: stdin: halfway needs at least 2 points and has 0 (of 1, after skipping 0 at the start and 5 at the end)
lr-confirm: stdin: no suggestion: halfway had no answer
EOF

# ---- the metric

t '-y: another column of the runs; --higher: more is better' 0 \
    'rm -rf c; lr-confirm -q -o c --lr 1 -c 0.1,0.2 -k 1 -y loss --higher -s "$SCHED" -- "$C/bowl.sh" {max} 1 &&
    cut -d, -f 2,7,8 c/ranked.csv' \
    'lr-confirm: 0.2 is the largest candidate: a larger lr may train better still (try -c with factors beyond 0.2)' <<'EOF'
0.2
lr,median,metric
0.2,3.25615,loss
0.1,1.81479,loss
EOF

t 'val_loss, when the runs print it, is the metric: its last value, after the schedule' 0 \
    'rm -rf c; VAL=1 lr-confirm -q -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} &&
    cut -d, -f 2,4- c/ranked.csv | head -n 4 && tail -n 2 c/round-1/run-0.csv' <<'EOF'
0.0283
lr,round,seeds,unfinished,median,metric,runs,why
0.0283,2,3,0,1.0054,val_loss,1:done:1.0044 2:done:1.0054 3:done:1.0064,
0.0336,2,3,0,1.01484,val_loss,1:done:1.01384 2:done:1.01484 3:done:1.01584,
0.0238,2,3,0,1.0556,val_loss,1:done:1.0546 2:done:1.0556 3:done:1.0566,
0,0.02,1,2,0.3333333333333333,2.17392,
0,0.02,1,,,,1.1654
EOF

t '-y loss: the training loss all the same' 0 \
    'rm -rf c; VAL=1 lr-confirm -q -o c -y loss --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}' <<'EOF'
0.0476
EOF

tok 'mlp-train --print-val: ranked by the held-out loss' \
    'rm -rf c && lr-confirm -q -o c --lr 0.1 -n 3 -k 1 -s "onecycle max={max} n=110" -- ./mlp-train --seed {seed} --print-val &&
    cat c/ranked.csv && [ "$(cut -d, -f 8 c/ranked.csv | sort -u | tr "\n" " ")" = "metric val_loss " ] &&
    for k in 0 1 2; do tail -n 1 c/round-1/run-$k.csv; done &&
    [ "$(sed -n 2p c/ranked.csv | cut -d, -f 7)" = "$(for k in 0 1 2; do tail -n 1 c/round-1/run-$k.csv | cut -d, -f 7; done | sort -g | head -n 1)" ]'

t 'a child header without the loss column: the runs fail, sweep-run says why' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 0.04 -c 1 -k 1 -s "$SCHED" -- sh -c "echo acc,val; read h; while read r; do echo 1,2; done" sh {max} 2>err;
    st=$?; grep -v "^acc,val$" err; cat c/ranked.csv; exit $st' <<'EOF'
lr-confirm: round 1: max=0.04 seed=1: line 1 of its output: no loss column "loss"; the header is: acc, val
lr-confirm: no candidate trained cleanly on its seed: every one failed, diverged or timed out (c/ranked.csv says how)
rank,lr,factor,round,seeds,unfinished,median,metric,runs,why
1,0.04,1,1,1,1,,,1:failed,"seed 1: line 1 of its output: no loss column ""loss""; the header is: acc, val"
EOF

t '-y: a column the runs do not have' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 1 -c 0.1 -k 1 -y acc -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: c/round-1/run-0.csv: no metric column "acc"; the header is: run, max, seed, step, lr, loss' <<'EOF'
EOF

# ---- the evidence folder

t 'a folder with a confirmation in it is not overwritten' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 0.04 -c 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} &&
    lr-confirm -q -o c --lr 0.04 -c 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}' \
    'lr-confirm: c/round-1 exists: remove it, give another -o, or --resume to go on with its runs' <<'EOF'
0.04
EOF

t '--resume: the runs already done are not run again' 0 \
    'rm -rf c log; lr-confirm -q -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} > first &&
    rm c/round-2/run-1.csv c/ranked.csv &&
    LOG=$PWD/log lr-confirm -q -o c --resume --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} &&
    cat log first && wc -l < c/ranked.csv' <<'EOF'
0.0476
max=0.04 seed=3
0.0476
10
EOF

t '--resume: another confirmation in the folder is an error' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 0.04 -c 1,2 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} >/dev/null &&
    lr-confirm -q -o c --resume --lr 0.05 -c 1,2 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>&1 |
    grep -c "lr-confirm: round 1: sweep-run failed\|c/round-1/joblog.tsv" ; exit 1' <<'EOF'
1
EOF

# The joblog is the record: a run file without its joblog row (a crash
# between the two) is a run to train again, and only that one.
t '--resume: a run whose state the joblog has lost is trained again' 0 \
    'rm -rf c log; lr-confirm -q -o c --lr 0.04 -c 1,2 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>/dev/null &&
    head -n 2 c/round-1/joblog.tsv > j && mv j c/round-1/joblog.tsv && rm c/ranked.csv &&
    LOG=$PWD/log lr-confirm -q -o c --resume --lr 0.04 -c 1,2 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>/dev/null &&
    cat log && cut -f 10,11,12 c/round-1/joblog.tsv && ls c' <<'EOF'
0.04
0.04
max=0.08 seed=1
max	seed	Status
0.04	1	done
0.08	1	done
ranked.csv
round-1
EOF

# ---- bad usage

t 'no -s' 2 'lr-confirm --lr 1 -- "$C/bowl.sh" {max} 1' \
    "lr-confirm: -s: the training's schedule is needed, as -s 'onecycle max={max} n=STEPS'
Try 'lr-confirm --help' for more information." <<'EOF'
EOF

t '-s without {max}, and no {max} for the command either' 2 \
    'lr-confirm --lr 1 -s "$SCHED" -- "$C/bowl.sh" 1 1' \
    'lr-confirm: -s: "constant base=1 n=3" has no {max} and the command no {max}, $max or ${max}: every candidate would train alike
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-s: a schedule with no length' 2 \
    'lr-confirm --lr 1 -s "onecycle max={max}" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -s: "onecycle max={max}": onecycle: missing n= (or give epochs and steps per epoch)
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-s: a parameter that is neither max nor seed' 2 \
    'lr-confirm --lr 1 -s "onecycle max={max} n={steps}" -- "$C/bowl.sh" {max} 1 2>&1 | head -n 1; exit 2' <<'EOF'
lr-confirm: -s: "onecycle max={max} n={steps}": {steps}: only {max}, {seed}, {run} and {slot} are put in
EOF

t '-c: empty' 2 'lr-confirm --lr 1 -c "" -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -c: no factors
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-c: zero' 2 'lr-confirm --lr 1 -c 1,0 -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -c: 0: a factor must be positive
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-c: negative' 2 'lr-confirm --lr 1 -c -0.5 -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -c: -0.5: a factor must be positive
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-c: not numbers' 2 'lr-confirm --lr 1 -c 1,x -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -c: "1,x": not a list of numbers
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-c: two factors that round to one lr' 2 \
    'lr-confirm --lr 1 -c 1,1.001 -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -c: the factors 1 and 1.001 give the same lr, 1
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-c and -n' 2 'lr-confirm --lr 1 -c 1 -n 3 -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -c and -n: give one of them
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-n 0' 2 'lr-confirm --lr 1 -n 0 -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -n: 0: must be at least 1
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '--lr 0' 2 'lr-confirm --lr 0 -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: --lr: 0: must be greater than 0
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '--lr with a range test' 2 'lr-confirm --lr 1 -s "$SCHED" range.csv -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: --lr: no range test is read: drop range.csv
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t '-m: several methods' 2 'lr-confirm -m valley,steep -s "$SCHED" range.csv -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -m: "valley,steep": one method
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t 'no --' 2 'lr-confirm --lr 1 -s "$SCHED" "$C/bowl.sh" {max} 1' \
    'lr-confirm: the training command goes after --
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t 'no command' 2 'lr-confirm --lr 1 -s "$SCHED" --' \
    'lr-confirm: no training command after --
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t 'two range tests' 2 'lr-confirm -s "$SCHED" range.csv smooth.csv -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: smooth.csv: one range test only (several runs go in one table, with -g)
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t 'an unknown option' 2 'lr-confirm --bogus -s "$SCHED" -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: --bogus: unknown option
Try '\''lr-confirm --help'\'' for more information.' <<'EOF'
EOF

t 'a range test that is not there' 1 'lr-confirm -s "$SCHED" nosuch.csv -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: nosuch.csv: No such file or directory' <<'EOF'
EOF

t 'an empty range test' 1 'lr-confirm -s "$SCHED" -- "$C/bowl.sh" {max} 1 < /dev/null' \
    'lr-confirm: stdin: the input is empty' <<'EOF'
EOF

tok '--help and --version' \
    'lr-confirm --help | head -n 1 | grep -q "^usage: lr-confirm " &&
    lr-confirm --version | grep -q "^lr-confirm (lrkit) "'

# ---- output, signals

t '> /dev/full: a write error' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 1 -c 1 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} 1 > /dev/full' \
    'lr-confirm: write error: No space left on device' <<'EOF'
EOF

tok 'SIGTERM reaches sweep-run and its runs; exit 143, nothing left behind' \
    'lr-confirm -q -o sig --lr 1 -c 1,2 -j 2 -s "constant base=1 n=30" -- "$C/sleepy.sh" 1.07 {max} 2>err &
    pid=$!; i=0
    while ! pgrep -f "sh [^ ]*/sleepy[.]sh 1[.]07" >/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    sleep 0.2; kill -TERM $pid; wait $pid; st=$?
    echo "status $st"; cat err; ls -A sig sig/round-1
    [ $st = 143 ] && sleep 0.2 && ! pgrep -f "sh [^ ]*/sleepy[.]sh 1[.]07" >/dev/null &&
    [ ! -e sig/ranked.csv ] && [ -z "$(ls -A sig/round-1 | grep "^[.]")" ]'

tok 'SIGINT: exit 130' \
    'lr-confirm -q -o int --lr 1 -c 1 -k 1 -s "constant base=1 n=30" -- "$C/sleepy.sh" 1.09 {max} 2>err &
    pid=$!; i=0
    while ! pgrep -f "sh [^ ]*/sleepy[.]sh 1[.]09" >/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    kill -INT $pid; wait $pid; st=$?; echo "status $st"
    [ $st = 130 ] && sleep 0.2 && ! pgrep -f "sh [^ ]*/sleepy[.]sh 1[.]09" >/dev/null'

tok 'SIGUSR1 (a scheduler asking to wrap up) reaches sweep-run: exit 138, nothing left' \
    'lr-confirm -q -o usr --lr 1 -c 1 -k 1 -s "constant base=1 n=30" -- "$C/sleepy.sh" 1.11 {max} 2>err &
    pid=$!; i=0
    while ! pgrep -f "sh [^ ]*/sleepy[.]sh 1[.]11" >/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    kill -USR1 $pid; wait $pid; st=$?; echo "status $st"
    [ $st = 138 ] && sleep 0.2 && ! pgrep -f "sh [^ ]*/sleepy[.]sh 1[.]11" >/dev/null'

# ---- with the bundled trainer: the manual

tok 'the manual: a range test of three seeds, then the confirmation' \
    'rm -rf confirm && sweep-run -p seed=1,2,3 -- ./mlp-train --seed {seed} > range.csv &&
    lr=$(lr-confirm -s "onecycle max={max} n=110" range.csv -- ./mlp-train --seed {seed} --print-val) &&
    echo "$lr" && cat confirm/ranked.csv && [ "$(sed -n 2p confirm/ranked.csv | cut -d, -f 8)" = val_loss ] &&
    [ "$(sed -n "2s/^1,\([^,]*\),.*/\1/p" confirm/ranked.csv)" = "$lr" ] &&
    [ $(ls confirm/round-1/run-*.csv | wc -l) = 9 ] &&
    [ $(ls confirm/round-2/run-*.csv | wc -l) = 6 ]'

tok 'the manual: two at once, from minimum; the same choice as one at a time' \
    'rm -rf confirm-minimum c &&
    lr-confirm -j 2 -m minimum -o confirm-minimum -s "onecycle max={max} n=110" range.csv -- ./mlp-train --seed {seed} > a &&
    lr-confirm -q -m minimum -o c -s "onecycle max={max} n=110" range.csv -- ./mlp-train --seed {seed} > b &&
    cat a b && cmp a b && cmp confirm-minimum/ranked.csv c/ranked.csv'

tok 'the manual: around a known lr, 5 candidates' \
    'rm -rf confirm && lr-confirm --lr 0.1 -n 5 -s "onecycle max={max} n=110" -- ./mlp-train --seed {seed} 2>err &&
    cat err && grep -q "spent 9 runs, 990 steps: 9 trainings" err'

tok 'the manual: given candidates, one seed each; the evidence' \
    'rm -rf confirm && lr-confirm --lr 1 -c 0.03,0.1,0.3 -k 1 -s "onecycle max={max} n=110" -- ./mlp-train 2>/dev/null &&
    cut -d, -f 1-7 confirm/ranked.csv > ranked && cat ranked && [ $(wc -l < ranked) = 4 ]'

tok 'the schedule reaches the child with the candidate in it' \
    'rm -rf c && lr-confirm -q -o c --lr 0.2 -c 1 -k 1 -s "onecycle max={max} n=110" -- ./mlp-train --seed {seed} &&
    awk -F, "NR > 1 && \$5 > m { m = \$5 } END { print m }" c/round-1/run-0.csv | grep -qx 0.2'

tok 'the manual: the evidence, best first' \
    'rm -rf confirm && lr-confirm -q --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} >/dev/null &&
    cut -d, -f 1-7 confirm/ranked.csv | head -n 2 | tee got2 && [ "$(sed -n 2p got2)" = "1,0.0476,1.189,2,3,0,1.33775" ]'

# -m range answers a bound and a max, not one lr to train around.
t '-m range is refused' 2 'lr-confirm -m range -s "$SCHED" x.csv -- "$C/bowl.sh" {max} 1' \
    'lr-confirm: -m: "range": it answers a range, not one lr to train around
Try '"'"'lr-confirm --help'"'"' for more information.' <<'EOF2'
EOF2


# ---- what a week of GPU time needs (rounds, lrkit's failures, resume,
# one folder, no process left)

# lr-confirm(1): "A lone clean candidate trains on alone: no candidate is
# printed before it trained on all -k seeds."
t 'a lone clean candidate of round 1 still meets seeds 2 and 3' 0 \
    'rm -rf c log; DIVERGE=0.021 LOG=$PWD/log lr-confirm -q -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>/dev/null &&
    grep "max=0.02 " log && sed -n 2p c/ranked.csv | cut -d, -f 2,4,5,6' <<'EOF'
0.02
max=0.02 seed=1
max=0.02 seed=2
max=0.02 seed=3
0.02,2,3,0
EOF

# Every candidate of round 2 diverges on the new seeds: none of them is
# printed; the best clean one of round 1 takes their place, and the
# summary says what happened.
t 'round 2 diverges on its new seeds: a refill round, and the summary counts it' 0 \
    'rm -rf c; DIVERGE=0.039 DIVSEED=2 lr-confirm -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>err &&
    grep ": round [0-9]" err && cut -d, -f 2,4,5,6 c/ranked.csv | head -n 3' <<'EOF'
0.0336
lr-confirm: round 1: 9 candidates, 0.02 to 0.08, on seed 1 (c/round-1)
lr-confirm: round 1: 9 of 9 candidates clean; runs: 9 done
lr-confirm: round 2: 3 candidates, 0.04 to 0.0566, on seeds 2 to 3 (c/round-2)
lr-confirm: round 2: 0 of 3 candidates clean; runs: 0 done, 6 diverged
lr-confirm: round 3 (in the place of those not clean): 1 candidate, 0.0673, on seeds 2 to 3 (c/round-3)
lr-confirm: round 3: 0 of 1 candidate clean; runs: 0 done, 2 diverged
lr-confirm: round 4 (in the place of those not clean): 1 candidate, 0.0336, on seeds 2 to 3 (c/round-4)
lr-confirm: round 4: 1 of 1 candidate clean; runs: 2 done
lr,round,seeds,unfinished
0.0336,4,3,0
0.08,1,1,0
EOF

t 'no candidate clean on every seed: exit 1, no lr printed, the summary honest' 1 \
    'rm -rf c; DIVERGE=0 DIVSEED=2 lr-confirm -o c --lr 0.04 -n 3 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2>err;
    st=$?; grep "round 1:.*clean" err; grep -c "no candidate trained cleanly on every seed" err; exit $st' <<'EOF'
lr-confirm: round 1: 0 of 3 candidates clean; runs: 3 done, 6 diverged
1
EOF

# A write error of lrkit's own (the file size limit: the joblog cannot
# grow) is not a training that failed: exit 1, no lr printed, no
# ranked.csv; --resume then goes on where it stopped.
cat > fsize.sh <<'EOF'
trap '' XFSZ
rm -rf c
(ulimit -f 1 && exec lr-confirm -q -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}) > out 2> err
echo "exit $?"
grep -c "write error: File too large\|joblog.tsv: File too large" err
[ -s out ] || echo "nothing printed"
[ -e c/ranked.csv ] || echo "no ranked.csv"
lr-confirm -q -o c --resume --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}
EOF
t 'a full disk in a round is lrkit failing, not the training: exit 1, then --resume' 0 'sh fsize.sh' <<'EOF'
exit 1
1
nothing printed
no ranked.csv
0.0476
EOF

# lr-confirm(1), --resume: "only the runs not yet recorded are trained":
# a failed run stays failed (a transient failure that would now succeed
# does not reorder round 1), unless --rerun-failed.
t '--resume keeps a failed run as recorded; --rerun-failed trains it again' 0 \
    'rm -rf c log; FAIL=0.045 lr-confirm -q -o c --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} > first 2>/dev/null &&
    rm c/ranked.csv &&
    LOG=$PWD/log lr-confirm -q -o c --resume --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} > second &&
    [ ! -e log ] && cmp first second && cat first &&
    LOG=$PWD/log lr-confirm -q -o c --resume --rerun-failed --lr 0.04 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} &&
    cat log' <<'EOF'
0.04
0.0476
max=0.0476 seed=2
max=0.0566 seed=2
EOF

t '--rerun-failed without --resume' 2 \
    'lr-confirm --rerun-failed --lr 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}' \
    "lr-confirm: --rerun-failed: give it with --resume
Try 'lr-confirm --help' for more information." <<'EOF'
EOF

# One folder, one confirmation: a second lr-confirm into the same -o
# while the first works is refused before it trains anything.
t 'two lr-confirm into one folder at once: the second is refused' 0 \
    'rm -rf c log; LOG=$PWD/log lr-confirm -q -o c --lr 0.04 -c 1 -k 1 -s "$SCHED" -- sh -c "sleep 2; exec \"\$0\" \"\$@\"" "$C/bowl.sh" {max} {seed} > a 2>/dev/null &
    sleep 0.5
    LOG=$PWD/log lr-confirm -q -o c --resume --lr 0.04 -c 1 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} 2> err; echo "exit $?"
    wait; cat a err log' <<'EOF'
exit 1
0.04
lr-confirm: c: another lr-confirm is working in this folder
max=0.04 seed=1
EOF

tok 'kill -9 of lr-confirm takes its trainings with it' '
	rm -rf c; lr-confirm -q -o c -j 2 --lr 0.04 -c 1,2 -k 1 -s "$SCHED" -- sh -c "exec sleep 313" {max} {seed} 2> /dev/null & pid=$!
	n=0; until [ $(ps -eo args | grep -c "^sleep 313") = 2 ] || [ $n -gt 100 ]; do sleep 0.1; n=$((n + 1)); done
	[ $(ps -eo args | grep -c "^sleep 313") = 2 ] || exit 1
	kill -9 $pid
	n=0; while ps -eo args | grep -q "^sleep 313" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	! ps -eo args | grep -q "^sleep 313"'

t '--timeout: a training that hangs is stopped and ranked as timed out' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 0.04 -c 1 -k 1 --timeout 0.5 --grace 0.2 -s "$SCHED" -- sh -c "trap \"\" TERM; sleep 30" {max} {seed} 2>/dev/null;
    st=$?; cut -d, -f 9 c/ranked.csv; exit $st' <<'EOF'
runs
1:timeout
EOF

t 'runs that finish without a finite metric: said so' 1 \
    'rm -rf c; lr-confirm -q -o c --lr 0.04 -c 1 -k 1 -s "$SCHED" -- sh -c "echo loss,val_loss; read h; while read r; do echo 1,; done; echo 1," {max} {seed}' \
    'lr-confirm: every run ended without a finite val_loss: check -y and what the training prints (c/ranked.csv)' <<'EOF'
EOF

t 'no {seed} for the training: a warning' 0 \
    'rm -rf c; lr-confirm -o c --lr 0.04 -c 1 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} 1 2>&1 >/dev/null | grep "takes {seed}"' <<'EOF'
lr-confirm: neither -s nor the command takes {seed}, $seed or ${seed}: each seed trains alike, unless the training reads seed from its environment
EOF

t '$max_steps is not $max' 2 \
    'lr-confirm --lr 1 -s "$SCHED" -- sh -c "train \$max_steps" {seed}' \
    "lr-confirm: -s: \"constant base=1 n=3\" has no {max} and the command no {max}, \$max or \${max}: every candidate would train alike
Try 'lr-confirm --help' for more information." <<'EOF'
EOF

# The evidence round-trips whatever the command holds: quotes (the
# usual sh -c 'exec ./train "$max" "$seed"'), a tab, a newline, a
# backslash.
cat > quoted.sh <<'EOF'
q='exec "$0" "$max" "$seed" # \"	x
y'
rm -rf c
lr-confirm -q -o c --lr 0.04 -c 1,2 -k 2 -s "$SCHED" -- sh -c "$q" "$C/bowl.sh" > first 2>/dev/null &&
rm c/ranked.csv &&
lr-confirm -q -o c --resume --lr 0.04 -c 1,2 -k 2 -s "$SCHED" -- sh -c "$q" "$C/bowl.sh" > second 2>/dev/null &&
cmp first second && cat first && wc -l < c/round-1/joblog.tsv
EOF
t 'a command with quotes, a tab and a newline: --resume reads its own joblog' 0 'sh quoted.sh' <<'EOF'
0.04
5
EOF

# lr-confirm(1), --fraction: round 1 trains on that share of the
# schedule's steps, the later rounds on the whole of it.
t '--fraction 0.5: round 1 on half the schedule, round 2 on all of it' 0 \
    'rm -rf c; lr-confirm -q -o c --fraction 0.5 --lr 0.04 -s "constant base=1 n=6" -- "$C/bowl.sh" {max} {seed} 2>/dev/null &&
    for f in c/round-1/run-0.csv c/round-2/run-0.csv; do echo $(($(wc -l < $f) - 1)); done' <<'EOF'
0.0476
3
6
EOF

t '--fraction 0 is refused' 2 \
    'lr-confirm --fraction 0 --lr 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}' \
    "lr-confirm: --fraction: 0: must be greater than 0
Try 'lr-confirm --help' for more information." <<'EOF'
EOF

t '--momentum: a schedule without momentum is refused before any training' 2 \
    'rm -rf c; lr-confirm --momentum -o c --lr 0.04 -s "cosine base={max} T=3 n=3" -- "$C/bowl.sh" {max} {seed}; st=$?; [ ! -e c/round-1/run-0.csv ] && exit $st' \
    "lr-confirm: -s: \"cosine base={max} T=3 n=3\": --momentum: cosine has no momentum (onecycle, cyclic and fastai-onecycle have)
Try 'lr-confirm --help' for more information." <<'EOF'
EOF

# Nothing read from a training is held whole: a chatty one (a progress
# bar of 30 MB on its standard error, lines ended by \r, and a log line a
# step on its standard output) trains under a 60 MB address-space limit,
# two at once, and its log reaches the standard error.
cat > bin/chatty <<'EOF'
#!/bin/sh
# chatty MAX SEED: bowl.sh's losses, and 30 MB of progress bar on stderr.
awk 'BEGIN { s = sprintf("%1000s", ""); for (i = 0; i < 30000; i++) printf "\r%s", s > "/dev/stderr" }'
exec "$C/bowl.sh" "$@"
EOF
chmod +x bin/chatty
if [ -z "${SAN:-}" ] && [ "${VALGRIND:-}" != 1 ]; then
t 'a chatty training: its log passed on, not held' 0 \
    'rm -rf c; (ulimit -v 60000 && exec lr-confirm -q -o c -j 2 --lr 0.04 -c 1,2 -k 1 -s "$SCHED" -- chatty {max} {seed}) 2> err;
    st=$?; [ $(wc -c < err) -gt 30000000 ] && exit $st' <<'EOF'
0.04
EOF
else
	skip 'a chatty training: its log passed on, not held' 'the address-space limit would count ASan or valgrind memory'
fi

# lr-confirm(1): every refusal names the option as it was given.
t 'a refusal names the option as typed: --jobs=0' 2 \
    'lr-confirm --jobs=0 --lr 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}' \
    "lr-confirm: --jobs: 0: must be at least 1
Try 'lr-confirm --help' for more information." <<'EOF'
EOF

t 'a refusal names the option as typed: --factors x' 2 \
    'lr-confirm --factors x --lr 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed}' \
    "lr-confirm: --factors: \"x\": not a list of numbers
Try 'lr-confirm --help' for more information." <<'EOF'
EOF

# Standard input and error closed: the tool's own pipes must not take
# their places (a signal pipe on descriptor 2 read messages as signals).
t 'standard input and error closed' 0 \
    'rm -rf c; lr-confirm -q -o c --lr 0.04 -c 1 -k 1 -s "$SCHED" -- "$C/bowl.sh" {max} {seed} <&- 2>&-' <<'EOF'
0.04
EOF
