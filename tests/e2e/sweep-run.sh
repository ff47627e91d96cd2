# sweep-run end-to-end tests.  The children are small shell scripts in
# tests/children; the bundled trainer is linked into the scratch folder as
# ./mlp-train so that the manual's examples run as written.
C=$top/tests/children
S=$D/sweep/sched6.csv
export C S
ln -sf "$top/examples/mlp-train" mlp-train
cp "$top/examples/torch_train.py" torch_train.py
# The other tools, for the pipelines (the ones under test come first).
PATH=$PATH:$top/tools

# ---- the protocol

t 'a loss per row, header once' 0 \
    'sweep-run -S "$S" -- "$C/const.sh"' <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,1
0,2,0.1,1
0,3,1,1
0,4,10,1
0,5,100,1
EOF

t 'the child reads step,lr CSV with a header' 0 \
    'sweep-run -S "$S" -- "$C/echo-input.sh" 2>&1 >/dev/null' <<'EOF'
header: step,lr
row: 0,0.001
row: 1,0.01
row: 2,0.1
row: 3,1
row: 4,10
row: 5,100
EOF

t '--bare: one lr per line' 0 \
    'sweep-run --bare -S "$S" -- sh -c '\''while read l; do echo "$l" >&2; echo 2; done'\'' 2>err | tail -n 2; cat err' <<'EOF'
0,4,10,2
0,5,100,2
0.001
0.01
0.1
1
10
100
EOF

t 'a momentum column reaches the child' 0 \
    'sweep-run -S "$D/sweep/sched-mom.csv" -- "$C/echo-input.sh" 2>&1 >/dev/null' <<'EOF'
header: step,lr,momentum
row: 0,0.5,0.95
row: 1,1,0.85
row: 2,0.25,0.9
EOF

t '-S -: the schedule on stdin' 0 \
    'sweep-run -S - -- "$C/const.sh" < "$S" | tail -n 1' <<'EOF'
0,5,100,1
EOF

t '-s: lrsched words' 0 \
    'sweep-run -s "range start=1 end=100 n=3" -- "$C/const.sh"' <<'EOF'
run,step,lr,loss
0,0,1,1
0,1,10,1
0,2,100,1
EOF

t 'the default schedule: fastai range test, 100 steps' 0 \
    'sweep-run --stop-div 0 -- "$C/const.sh" | sed -n "2p;101p;102p"' <<'EOF'
0,0,1e-07,1
0,99,10,1
EOF

t 'log lines, blank lines, CSV rows and missing losses' 0 \
    'sweep-run -S "$S" -- "$C/garbage.sh" 2>/dev/null' <<'EOF'
run,step,lr,loss
0,0,0.001,2.5
0,1,0.01,2.25
0,2,0.1,2
0,3,1,1.5
0,4,10,1e0
0,5,100,0.5
EOF

t 'log lines go to stderr' 0 \
    'sweep-run -S "$S" -- "$C/garbage.sh" 2>&1 >/dev/null' <<'EOF'
epoch 1 starting
abc,0.8
nonsense 7
EOF

# Two columns named loss: ambiguous, as in the other tools; the run fails
# with the line of the child's output, and its file is not kept.
t 'a child header with two loss columns fails the run' 1 \
    'sweep-run -S "$S" -- sh -c "echo starting; echo step,loss,LOSS; while read r; do echo 1,2,3; done"' \
    'starting
sweep-run: run 0: line 2 of its output: loss column "loss" is ambiguous: columns 2 and 3 have that name; the header is: step, loss, LOSS' <<'EOF'
run,step,lr,loss
EOF
t 'two loss columns: the joblog says failed, no run file' 0 \
    'sweep-run -S "$S" -o dup -- sh -c "echo loss,loss; while read r; do echo 1,2; done" 2>/dev/null; echo $?; ls -A dup; cut -f 10 dup/joblog.tsv' <<'EOF'
1
joblog.tsv
Status
failed
EOF
t 'a header with many columns is listed in part' 1 \
    'sweep-run -S "$S" -y x -- sh -c "echo a,b,c,d,e,f,g,h,i,j,k,l,x,m,x; cat > /dev/null"' \
    'sweep-run: run 0: line 1 of its output: loss column "x" is ambiguous: columns 13 and 15 have that name; the header is: a, b, c, d, e, f, g, h, i, j, k, l, ... (15 columns)' <<'EOF'
run,step,lr,loss
EOF
t '-y: a loss column named once among other duplicates' 0 \
    'sweep-run -S "$S" -y val -- sh -c "echo a,a,val; yes 1,2,0.5 | head -n 6"' <<'EOF'
run,step,lr,loss,a,a
0,0,0.001,0.5,1,2
0,1,0.01,0.5,1,2
0,2,0.1,0.5,1,2
0,3,1,0.5,1,2
0,4,10,0.5,1,2
0,5,100,0.5,1,2
EOF

t '-y: another loss column' 0 \
    'sweep-run -S "$S" -y val -- sh -c "echo step,val; yes 3,0.5 | head -n 6"' <<'EOF'
run,step,lr,loss
0,0,0.001,0.5
0,1,0.01,0.5
0,2,0.1,0.5
0,3,1,0.5
0,4,10,0.5
0,5,100,0.5
EOF

cat > best-max.sh <<'EOF'
sweep-run -p max=0.1,0.2,0.4 -s 'onecycle max={max} n=500' -- ./mlp-train --print-val > oc.csv
awk -F, '$3 == "" && $6 != "" { print $6, $2 }' oc.csv | sort -g | head -n 1
EOF
t 'example: the held-out loss as each run'"'"'s last row, the best max lr' 0 \
    'sh best-max.sh | awk "{ print NF, (\$2 == 0.1 || \$2 == 0.2 || \$2 == 0.4) }"; head -n 1 oc.csv; grep -c "^[0-9],0\.[124],,,," oc.csv' <<'EOF'
2 1
run,max,step,lr,loss,val_loss
3
EOF

# ---- parameters in the schedule

t '-s: {name} takes the run'"'"'s value' 0 \
    'sweep-run -s "range start={lo} end=1 n=2" -p lo=0.01,0.1 -- sh -c "cat > /dev/null; echo 1; echo 2"' <<'EOF'
run,lo,step,lr,loss
0,0.01,0,0.01,1
0,0.01,1,1,2
1,0.1,0,0.1,1
1,0.1,1,1,2
EOF

t '-s: an unknown {name} is an error' 2 \
    'sweep-run -s "onecycle max={mx} n=5" -p max=1 -- true' \
    'sweep-run: -s: "onecycle max={mx} n=5": {mx}: no such parameter (give it with -p mx=...)
Try '"'"'sweep-run --help'"'"' for more information.' < /dev/null

t '-s: a value that makes a bad schedule is an error before any run' 2 \
    'sweep-run -s "onecycle max={max} n=5" -p max=1,x -- echo ran' \
    'sweep-run: -s: "onecycle max=x n=5" (run 1): onecycle: max: "x" is not a number
Try '"'"'sweep-run --help'"'"' for more information.' < /dev/null

tok 'example: a sweep over the max lr of one-cycle' \
    'sweep-run -p max=0.1,0.2,0.4 -s '"'"'onecycle max={max} n=500'"'"' -- ./mlp-train > oc.csv &&
     [ $(wc -l < oc.csv) = 1501 ] &&
     awk -F, "NR > 1 { if (\$4 > top[\$2]) top[\$2] = \$4 } END { for (m in top) if (top[m] > m + 0 || top[m] < 0.99 * m) exit 1 }" oc.csv'

# ---- the child's other columns, the final evaluation

t 'every column the child declares is kept after loss' 0 \
    'sweep-run -S "$S" -- sh -c "read h; echo loss,val_loss,acc; while read r; do echo 1,,0.5; done; echo ,0.153,0.95"' <<'EOF'
run,step,lr,loss,val_loss,acc
0,0,0.001,1,,0.5
0,1,0.01,1,,0.5
0,2,0.1,1,,0.5
0,3,1,1,,0.5
0,4,10,1,,0.5
0,5,100,1,,0.5
0,,,,0.153,0.95
EOF

t 'the child step, lr and parameter columns are left out; a bare loss has empty extras' 0 \
    'sweep-run -S "$S" -p seed=1 -- sh -c "read h; echo step,Seed,loss,acc; read r; echo 0,1,2,0.1; read r; echo 3; while read r; do echo 9,1,2,0.2; done; echo 9,1,1.5,0.3; echo ,,,0.4"' <<'EOF'
run,seed,step,lr,loss,acc
0,1,0,0.001,2,0.1
0,1,1,0.01,3,
0,1,2,0.1,2,0.2
0,1,3,1,2,0.2
0,1,4,10,2,0.2
0,1,5,100,2,0.2
0,1,,,1.5,0.3
EOF

t '-o: each run file has its child columns' 0 \
    'sweep-run -S "$S" -o extra -p k=1,2 -- sh -c "read h; [ {k} = 1 ] && echo loss,acc || echo loss,f1; while read r; do echo 1,0.{k}; done" && head -n 2 extra/run-0.csv extra/run-1.csv && sweep-run -S "$S" -o extra --resume -p k=1,2 -- false' <<'EOF'
==> extra/run-0.csv <==
run,k,step,lr,loss,acc
0,1,0,0.001,1,0.1

==> extra/run-1.csv <==
run,k,step,lr,loss,f1
1,2,0,0.001,1,0.2
EOF

t 'stdout: the first run fixes the columns, a warning for the others' 0 \
    'sweep-run -S "$S" -p k=1,2 -- sh -c "read h; [ {k} = 1 ] && echo loss,acc || echo loss,f1; while read r; do echo 1,0.{k}; done" | sed -n "1p;2p;8p"' \
    'sweep-run: run 1: column "f1" is left out: the output'"'"'s columns are the first run'"'"'s (give -o for a file per run)' <<'EOF'
run,k,step,lr,loss,acc
0,1,0,0.001,1,0.1
1,2,0,0.001,1,
EOF

t 'a child header without the loss column fails the run' 1 \
    'sweep-run -S "$S" -- sh -c "echo val_loss,acc; while read r; do echo 1,2; done"' \
    'val_loss,acc
sweep-run: run 0: line 1 of its output: no loss column "loss"; the header is: val_loss, acc' <<'EOF'
run,step,lr,loss
EOF

t '-y names one of its columns: that one is the loss' 0 \
    'sweep-run -S "$S" -y val_loss -- sh -c "echo val_loss,acc; while read r; do echo 1,2; done" | sed -n "1,2p"' <<'EOF'
run,step,lr,loss,acc
0,0,0.001,1,2
EOF

# The pipeline passes the extra columns through.
t 'ema-smooth, lr-suggest, lr-plot on rows with the child columns' 0 \
    'sweep-run -s "range start=1e-4 end=1 n=30" --stop-div 0 -p seed=1,2 -- ./mlp-train --seed {seed} --print-val > val.csv; head -n 1 val.csv; ema-smooth -g run val.csv > val-s.csv; head -n 1 val-s.csv; tail -n 1 val-s.csv | awk -F, "{ print (\$3 == \"\" && \$4 == \"\" && \$5 == \"\" && \$6 != \"\") }"; lr-suggest -g run -m minimum val-s.csv | wc -l; lr-plot -g run -o val.svg val-s.csv && xmllint --noout val.svg && echo svg' <<'EOF'
run,seed,step,lr,loss,val_loss
run,seed,step,lr,loss,val_loss,loss_smooth
1
2
svg
EOF

t 'more losses than rows: a warning, the run is done' 0 \
    'sweep-run -S "$S" -- sh -c "yes 1 | head -n 8" | wc -l' \
    'sweep-run: run 0: more losses than the 6 schedule rows; the extra ones are ignored' <<'EOF'
7
EOF

# ---- divergence

t 'diverged: that row is the last, exit 0' 0 \
    'sweep-run -S "$S" -- "$C/losses.sh" 1 1 1 100 1 1' <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,1
0,2,0.1,1
0,3,1,100
EOF

t 'a non-finite loss diverges' 0 \
    'sweep-run -S "$S" -- "$C/losses.sh" 1 nan 1 1 1 1' <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,nan
EOF

# The same rule as ema-smooth --stop-div: no ratio test once the best
# smoothed loss is 0 or below.
t 'a loss that goes negative is not stopped by the ratio' 0 \
    'sweep-run --beta 0.5 -S "$S" -- "$C/losses.sh" 0.5 -0.1 -0.5 -0.2 3 1' <<'EOF'
run,step,lr,loss
0,0,0.001,0.5
0,1,0.01,-0.1
0,2,0.1,-0.5
0,3,1,-0.2
0,4,10,3
0,5,100,1
EOF

t '--stop-div 0 keeps going' 0 \
    'sweep-run --stop-div 0 -S "$S" -- "$C/losses.sh" 1 1 1 100 inf 1 | tail -n 2' <<'EOF'
0,4,10,inf
0,5,100,1
EOF

# The debiased EMA (beta .5): 1, 1, 5/3 (= 1 + 4 * 1/3 > 1.5 x 1).
t '--stop-div K --beta B' 0 \
    'sweep-run --stop-div 1.5 --beta 0.5 -S "$S" -- "$C/losses.sh" 1 1 3 1 1 1' <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,1
0,2,0.1,3
EOF

t 'the bundled trainer gives a real range test: flat, falling, diverging' 0 \
    'sweep-run -- ./mlp-train --seed 1 | awk -F, '\''NR > 1 { n++; l[n] = $4 }
	END { flat = 1; for (i = 1; i <= 30; i++) if (l[i] < 2.1 || l[i] > 2.5) flat = 0;
	  min = 9; for (i = 1; i <= n; i++) if (l[i] < min) min = l[i];
	  print (flat ? "flat" : "not flat"), (min < 1 ? "falls" : "no fall"),
	    (n < 100 && l[n] > 4 ? "diverges" : "no divergence") }'\''' <<'EOF'
flat falls diverges
EOF

# ---- ends of runs

t 'a crash by a signal: failed, exit 1' 1 \
    'sweep-run -S "$S" -- "$C/crash.sh"' \
    "sweep-run: run 0: $C/crash.sh: killed by signal 11 (Segmentation fault) after 2 of 6 steps" <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,1
EOF

t 'an early exit 0 is a failure' 1 \
    'sweep-run -S "$S" -- "$C/early.sh"' \
    "sweep-run: run 0: $C/early.sh: ended after 2 of 6 steps (exit status 0)" <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,2
EOF

t 'one loss short, exit 0: a failure' 1 \
    'sweep-run -S "$S" -- sh -c "cat > /dev/null; seq 5"' \
    'sweep-run: run 0: sh: ended after 5 of 6 steps (exit status 0)' <<'EOF'
run,step,lr,loss
0,0,0.001,1
0,1,0.01,2
0,2,0.1,3
0,3,1,4
0,4,10,5
EOF

# A header's loss column is found in any case, as two of them in different
# cases are ambiguous (above).
t 'the child'"'"'s Loss column is the loss' 0 \
    'sweep-run -S "$S" -- sh -c "read h; echo step,Loss,acc; while read r; do echo 1,2,3; done" | sed -n "1,2p"' <<'EOF'
run,step,lr,loss,acc
0,0,0.001,2,3
EOF

t 'a non-zero exit after all the losses is a failure' 1 \
    'sweep-run -S "$S" -- sh -c "yes 1 | head -n 6; exit 3" > out; st=$?; wc -l < out; exit $st' \
    'sweep-run: run 0: sh: exit status 3 after 6 of 6 steps' <<'EOF'
7
EOF

t 'a missing command: 127, named' 1 \
    'sweep-run -S "$S" -o miss -- no-such-trainer --x; st=$?; cut -f 7-10 miss/joblog.tsv; exit $st' \
    'sweep-run: run 0: no-such-trainer: command not found' <<'EOF'
Exitval	Signal	Command	Status
127	0	no-such-trainer --x	failed
EOF

printf 'echo 1\n' > noexec
chmod 644 noexec
t 'a command that cannot be executed: 126' 1 \
    'sweep-run -S "$S" -o noexec.d -- ./noexec; st=$?; cut -f 7,8,10 noexec.d/joblog.tsv; exit $st' \
    'sweep-run: run 0: ./noexec: Permission denied' <<'EOF'
Exitval	Signal	Status
126	0	failed
EOF

tok '--timeout and --grace: SIGTERM ignored, SIGKILL after the grace' '
	s=$(date +%s%N)
	sweep-run -S "$S" --timeout 0.5 --grace 0.5 -o to -- "$C/hang.sh" 2>err
	st=$?; e=$(( ($(date +%s%N) - s) / 1000000 ))
	echo "status $st, $e ms"; cat err
	[ $st = 1 ] && [ $e -ge 1000 ] && [ $e -lt 4000 ] &&
	grep -q "^sweep-run: run 0: $C/hang.sh: timed out after 0.5 s (1 of 6 steps)\$" err &&
	[ "$(cut -f 7,8,10 to/joblog.tsv | tail -n 1)" = "$(printf "0\t9\ttimeout")" ] &&
	[ ! -e to/run-0.csv ] && [ -z "$(ls -A to | grep "^\.")" ] &&
	! pgrep -f "$C/hang[.]sh" >/dev/null'

tok 'a grandchild holding stdout open does not hang sweep-run' '
	s=$(date +%s%N)
	timeout 4 sweep-run -S "$S" -- "$C/grandchild.sh" > out
	st=$?; e=$(( ($(date +%s%N) - s) / 1000000 ))
	echo "status $st, $e ms"; cat out
	[ $st = 0 ] && [ $e -lt 2000 ] && [ $(wc -l < out) = 7 ]'

tok 'a child that floods its output before reading: no deadlock' '
	timeout 20 sweep-run -S "$S" -- "$C/flood.sh" > out 2> err
	st=$?; echo "status $st"
	[ $st = 0 ] && [ $(wc -l < out) = 7 ] && [ $(wc -l < err) = 40000 ]'

tok 'a child that reads the whole schedule first: no deadlock' '
	timeout 20 sweep-run -s "range start=1e-7 end=10 n=200000" --stop-div 0 \
	    -- "$C/slurp.sh" > out
	st=$?; echo "status $st"; tail -n 1 out
	[ $st = 0 ] && [ $(wc -l < out) = 200001 ] &&
	[ "$(tail -n 1 out)" = "0,199999,10,1" ]'

# ---- signals

tok 'SIGINT during a parallel sweep: 130, temporary files gone, done runs kept' '
	sweep-run -S "$S" -p t=0,1.01,1.02 -j 2 -o int -- "$C/sleepy.sh" {t} int-$$ 2>err &
	pid=$!
	i=0; while [ ! -e int/run-0.csv ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 0.3; kill -INT $pid; wait $pid; st=$?
	echo "status $st"; ls -A int; cat int/joblog.tsv err
	[ $st = 130 ] && [ -f int/run-0.csv ] && [ ! -e int/run-1.csv ] &&
	[ ! -e int/run-2.csv ] && [ -z "$(ls -A int | grep "^\.")" ] &&
	[ $(wc -l < int/joblog.tsv) = 2 ] && [ $(wc -l < int/run-0.csv) = 7 ] &&
	sleep 0.2 && ! pgrep -f "sleepy[.]sh 1[.]0[12] int-$$" >/dev/null'

tok 'SIGTERM and SIGHUP: 143 and 129' '
	for sig in TERM HUP; do
		sweep-run -S "$S" -- "$C/sleepy.sh" 1.03 sig-$$ >/dev/null &
		pid=$!; sleep 0.5; kill -$sig $pid; wait $pid; echo "$sig $?"
	done > got.sig
	cat got.sig
	[ "$(cat got.sig)" = "$(printf "TERM 143\nHUP 129")" ] &&
	sleep 0.2 && ! pgrep -f "sleepy[.]sh 1[.]03 sig-$$" >/dev/null'

# Each signal of the manual's list, with standard output to a reader that
# does not read (the pipe full, sweep-run's rows waiting): it takes effect
# within the grace period, the child is gone, the status is 128 + signal.
tok 'stop signals take effect while the reader does not read' '
	all="TERM:15 HUP:1 INT:2 USR1:10 USR2:12 ALRM:14 XCPU:24"
	for p in $all; do
		sig=${p%:*}
		mkfifo blk.$sig
		sleep 30 < blk.$sig & echo $! > rd.$sig
		sweep-run --grace 0.3 --stop-div 0 \
		    -s "range start=1e-7 end=10 n=30000" \
		    -- sh -c "\"\$0\" blk-$$-$sig; echo child-done >&2" \
		    "$C/slurp.sh" > blk.$sig 2> err.$sig &
		echo $! > pid.$sig
	done
	# Each child done: sweep-run holds rows the reader will never take.
	for p in $all; do
		i=0
		while ! grep -q child-done err.${p%:*} && [ $i -lt 200 ]; do
			sleep 0.05; i=$((i + 1))
		done
	done
	s=$(date +%s%N)
	for p in $all; do kill -${p%:*} $(cat pid.${p%:*}); done
	for p in $all; do
		sig=${p%:*} num=${p#*:}
		wait $(cat pid.$sig); st=$?
		e=$(( ($(date +%s%N) - s) / 1000000 ))
		kill $(cat rd.$sig)
		echo "$sig $st $e ms"
		[ $st = $((128 + num)) ] && [ $e -lt 3000 ] &&
		grep -q "output cut" err.$sig &&
		! pgrep -f "slurp[.]sh blk-$$-$sig" >/dev/null || exit 1
	done'

tok 'SIGINT twice while the reader does not read: no grace' '
	mkfifo int2.fifo
	sleep 30 < int2.fifo & rd=$!
	sweep-run --grace 60 -S "$S" -- "$C/hang.sh" int2-$$ > int2.fifo 2>/dev/null &
	pid=$!
	sleep 0.5; s=$(date +%s%N)
	kill -INT $pid; sleep 0.2; kill -INT $pid; wait $pid; st=$?
	e=$(( ($(date +%s%N) - s) / 1000000 ))
	kill $rd; wait $rd 2>/dev/null
	echo "status $st, $e ms"
	[ $st = 130 ] && [ $e -lt 2500 ] && ! pgrep -f "hang[.]sh int2-$$" >/dev/null'

tok '--timeout while the reader does not read: the run is stopped' '
	mkfifo to2.fifo
	sleep 30 < to2.fifo & rd=$!
	sweep-run --timeout 0.5 --grace 0.5 --stop-div 0 \
	    -s "range start=1e-7 end=10 n=100000" \
	    -- "$C/slurp.sh" to2-$$ > to2.fifo 2> to2.err &
	pid=$!
	sleep 1.5
	pgrep -f "slurp[.]sh to2-$$" | grep -vx $pid; gone=$?
	kill -0 $pid; alive=$?
	kill $rd; wait $rd 2>/dev/null; wait $pid; st=$?
	echo "gone $gone alive $alive status $st"; cat to2.err
	[ $gone = 1 ] && [ $alive = 0 ] && [ $st = 1 ] &&
	grep -q "timed out after 0.5 s" to2.err'

tok 'a grandchild in a session of its own does not outlive its run' '
	sweep-run -S "$S" -p k=1,2 -- "$C/setsid.sh" 97.$$ > /dev/null &&
	sleep 0.2 && ! pgrep -f "sleep 97[.]$$" &&
	{ sweep-run -S "$S" -- sh -c "\"$C/setsid.sh\" 98.$$; sleep 30" > /dev/null &
	pid=$!; sleep 0.5; kill -TERM $pid; wait $pid; [ $? = 143 ]; } &&
	sleep 0.2 && ! pgrep -f "sleep 98[.]$$"'

# ---- job control

# A job's processes share one group, and the terminal's Ctrl-Z (SIGTSTP)
# reaches them all; each run leads a group of its own, so sweep-run passes
# the stop on, as a shell does.  bin/pgrp starts a command as the leader
# of a new process group under the test's shell, as a shell with job
# control starts a job (a stop in an orphaned group would be discarded).
cat > bin/pgrp <<'EOF'
#!/bin/sh
exec perl -e 'setpgrp(0, 0); exec { $ARGV[0] } @ARGV or die "$ARGV[0]: $!\n"' "$@"
EOF
# bin/state PID...: the state letter of each process (T: stopped).
cat > bin/state <<'EOF'
#!/bin/sh
ps -o stat= -p "$(echo "$@" | tr ' ' ,)" | cut -c 1 | sort -u | paste -sd ' '
EOF
# bin/waitstate PID STATE: until the process is in STATE (3 s at most).
cat > bin/waitstate <<'EOF'
#!/bin/sh
i=0
until [ "$(state "$1")" = "$2" ] || [ $i -ge 60 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(state "$1")" = "$2" ]
EOF
# bin/tick SECS STEPS...: a child that sleeps SECS before each loss.
cat > bin/tick <<'EOF'
#!/bin/sh
read -r header
while read -r row; do sleep "$1"; echo 1; done
EOF
chmod +x bin/pgrp bin/state bin/waitstate bin/tick

for sig in TSTP TTIN TTOU; do
tok "kill -$sig: every run's group stops with sweep-run; kill -CONT: they go on" "
	: > jc.out
	pgrp sweep-run -j 2 -p k=1,2 -s 'constant base=1 factor=1 n=8' -- tick 0.15 > jc.out 2> jc.err & pid=\$!
	i=0; until [ \$(pgrep -P \$pid | wc -l) = 2 ] && [ \$(wc -l < jc.out) -gt 2 ] || [ \$i -ge 100 ]; do sleep 0.05; i=\$((i + 1)); done
	kill -$sig \$pid
	waitstate \$pid T || exit 1
	kids=\$(pgrep -P \$pid | paste -sd ' ')
	members=\$(for c in \$kids; do pgrep -g \$c; done | paste -sd ' ')
	echo \"children \$kids, their groups \$members\"
	[ \$(echo \$kids | wc -w) = 2 ] && [ \$(echo \$members | wc -w) -ge 2 ] || exit 1
	state \$members
	[ \"\$(state \$members)\" = T ] || exit 1
	rows=\$(wc -l < jc.out); sleep 0.6
	[ \$(wc -l < jc.out) = \$rows ] || { echo rows went on while stopped; exit 1; }
	kill -CONT \$pid; wait \$pid; st=\$?
	echo \"status \$st\"; cat jc.err
	[ \$st = 0 ] && [ \$(wc -l < jc.out) = 17 ] && [ ! -s jc.err ]"
done

# A batch job runs in a session of its own, an orphaned process group,
# where the system discards a stop by SIGTSTP: a scheduler that sends it
# to suspend the job gets it suspended all the same.
tok 'kill -TSTP in an orphaned process group (a batch job) stops the runs and sweep-run' '
	: > or.out
	perl -e "use POSIX; POSIX::setsid() or die; exec @ARGV or die" sweep-run -s "constant base=1 factor=1 n=8" -- tick 0.15 > or.out 2> or.err & pid=$!
	i=0; until [ $(wc -l < or.out) -gt 2 ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
	kid=$(pgrep -P $pid)
	kill -TSTP $pid
	waitstate $pid T || exit 1
	state $(pgrep -g $kid)
	[ "$(state $(pgrep -g $kid))" = T ] || exit 1
	kill -CONT $pid; wait $pid; st=$?
	echo "status $st"; cat or.err
	[ $st = 0 ] && [ $(wc -l < or.out) = 9 ] && [ ! -s or.err ]'

# --timeout counts the time a run could run: 1.5 s of training, stopped
# for 3 s in the middle, is within --timeout 2.
tok '--timeout does not count the time the job was stopped (kill -TSTP)' '
	: > to.out
	pgrp sweep-run --timeout 2 -s "constant base=1 factor=1 n=6" -- tick 0.25 > to.out 2> to.err & pid=$!
	i=0; until [ $(wc -l < to.out) -ge 3 ] || [ $i -ge 100 ]; do sleep 0.02; i=$((i + 1)); done
	kill -TSTP $pid
	waitstate $pid T || exit 1
	sleep 3
	kill -CONT $pid; wait $pid; st=$?
	echo "status $st"; cat to.err
	[ $st = 0 ] && [ $(wc -l < to.out) = 7 ] && [ ! -s to.err ]'

# SIGSTOP cannot be caught: a scheduler's suspend sends it to every
# process of the job, the runs' included; the time until SIGCONT is not
# counted either.
tok '--timeout does not count the time the job was suspended (kill -STOP to every process)' '
	: > st.out
	sweep-run --timeout 2 -s "constant base=1 factor=1 n=6" -- tick 0.25 > st.out 2> st.err & pid=$!
	i=0; until [ $(wc -l < st.out) -ge 3 ] || [ $i -ge 100 ]; do sleep 0.02; i=$((i + 1)); done
	kid=$(pgrep -P $pid)
	kill -STOP $pid -$kid
	waitstate $pid T || exit 1
	sleep 3
	kill -CONT -$kid $pid; wait $pid; st=$?
	echo "status $st"; cat st.err
	[ $st = 0 ] && [ $(wc -l < st.out) = 7 ] && [ ! -s st.err ]'

# Stopped, then ended as a shell ends a stopped job (kill %1: SIGTERM,
# then SIGCONT): the runs end too, and sweep-run with 143.
tok 'a stopped sweep-run ends on SIGTERM and SIGCONT, and so do its runs' '
	pgrp sweep-run -s "constant base=1 factor=1 n=6" -- tick 30 > /dev/null 2>&1 & pid=$!
	i=0; until [ $(pgrep -P $pid | wc -l) = 1 ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
	kid=$(pgrep -P $pid)
	kill -TSTP $pid; waitstate $pid T || exit 1
	kill -TERM $pid; kill -CONT $pid; wait $pid; st=$?
	echo "status $st"
	[ $st = 143 ] && ! kill -0 $kid 2>/dev/null'

# ---- the grid

t 'the grid: last parameter fastest, {name} and the environment' 0 \
    'sweep-run -S "$S" --stop-div 0 -p a=1,2 -p b=10,20,30 -- "$C/echo-env.sh" b {a}:{b}:{run} 2>err | awk -F, "\$4 == 1 || NR == 1"; cat err' <<'EOF'
run,a,b,step,lr,loss
0,1,10,1,0.01,10
1,1,20,1,0.01,20
2,1,30,1,0.01,30
3,2,10,1,0.01,10
4,2,20,1,0.01,20
5,2,30,1,0.01,30
args: b 1:10:0
args: b 1:20:1
args: b 1:30:2
args: b 2:10:3
args: b 2:20:4
args: b 2:30:5
EOF

t 'LRKIT_RUN and PYTHONUNBUFFERED in the environment' 0 \
    'PYTHONUNBUFFERED=0 LRKIT_RUN=x sweep-run -S "$S" -p s=5,6 -- sh -c "read h; while read r; do echo \$((LRKIT_RUN * 10 + PYTHONUNBUFFERED)); done" | sed -n "2p;8p"' <<'EOF'
0,5,0,0.001,1
1,6,0,0.001,11
EOF

t '-p NAME=@FILE: values with commas are quoted in the rows' 0 \
    'sweep-run -S "$S" -p v=@"$D/sweep/values.txt" -- "$C/const.sh" | sed -n "1p;2p;8p"' <<'EOF'
run,v,step,lr,loss
0,"1,5",0,0.001,1
1,"""2,5""",0,0.001,1
EOF

t '--list' 0 'sweep-run --list -p wd=0,1e-4 -p seed=1,2,3' <<'EOF'
run,wd,seed
0,0,1
1,0,2
2,0,3
3,1e-4,1
4,1e-4,2
5,1e-4,3
EOF

t '--list --index' 0 'sweep-run --list --index 4 -p wd=0,1e-4 -p seed=1,2,3' <<'EOF'
run,wd,seed
4,1e-4,2
EOF

t '--count' 0 'sweep-run --count -p wd=0,1e-4 -p seed=1,2,3' <<'EOF'
6
EOF

t '--count without a grid' 0 'sweep-run --count' <<'EOF'
1
EOF

t '--index: one run, its number kept' 0 \
    'sweep-run -S "$S" --index 2 -p x=a,b,c -- "$C/const.sh" | sed -n "1,2p"' <<'EOF'
run,x,step,lr,loss
2,c,0,0.001,1
EOF

t '-j: rows of parallel runs never mix within a line' 0 \
    'sweep-run -s "range start=1e-7 end=10 n=5000" --stop-div 0 -j 4 -p r=1,2,3,4,5,6,7,8 -- "$C/const.sh" > out; awk -F, "NR > 1 && NF == 5 && \$5 == 1 { c[\$1]++ } END { for (r in c) n += (c[r] == 5000); print n }" out; wc -l < out' <<'EOF'
8
40001
EOF

# Several sweep-run processes writing into one pipe: rows of up to
# PIPE_BUF bytes (here about 1 KB) never mix within a line.
tok 'several sweep-run processes on one pipe: rows never mix' '
	{ for k in 1 2 3; do
		sweep-run -s "range start=1e-7 end=10 n=400" --stop-div 0 \
		    -p k=$k -- "$C/wide.sh" 1000 &
	done; wait; } | cat > shared.csv
	awk -F, "NF != 6 || (\$1 != \"run\" && length(\$6) != 1000) { bad++ }
	    END { print NR, bad + 0 }" shared.csv > shared.got
	cat shared.got; [ "$(cat shared.got)" = "1203 0" ]'

t '-j: stderr and log lines tagged with the run' 0 \
    'sweep-run -S "$S" -j 2 -p a=1,2 -- "$C/echo-env.sh" a 2>&1 >/dev/null | sort' <<'EOF'
[run 0] args: a
[run 1] args: a
EOF

# ---- slots and GPUs

# bin/device SLOT: a child that records its run, {slot} (SLOT),
# LRKIT_SLOT, CUDA_VISIBLE_DEVICES and its start and end times in
# $DEVLOG, having slept its run's length in ./lengths (random).  Stopped,
# it records its end too, as killed.  $LENGTHS names another file of
# lengths.
cat > bin/device <<'EOF'
#!/bin/sh
start=$(date +%s.%N)
say() { echo "$LRKIT_RUN $1 $LRKIT_SLOT ${CUDA_VISIBLE_DEVICES-none} $start $(date +%s.%N) $2" >> "$DEVLOG"; }
trap 'say "$1" killed; exit 143' TERM
read -r header
sleep "$(sed -n "$((LRKIT_RUN + 1))p" "${LENGTHS:-lengths}")"
while read -r row; do echo 1; done
say "$1" done
EOF
# bin/slots DEVICES: from the records on stdin, whether each run's {slot}
# is its LRKIT_SLOT, its device the slot's entry of DEVICES, and no two
# runs of one slot overlap in time; says why not and fails.
cat > bin/slots <<'EOF'
#!/bin/sh
sort -k 3,3n -k 5,5n | awk -v devices="$1" '
	BEGIN { n = split(devices, dev, ",") }
	$2 != $3 { print "run " $1 ": {slot} " $2 ", LRKIT_SLOT " $3; bad = 1 }
	$3 < 1 || $3 > n || $4 != dev[$3] {
		print "run " $1 ": slot " $3 ", device " $4; bad = 1
	}
	$3 == slot && $5 < end {
		print "slot " $3 ": run " $1 " started at " $5 " before run " last " ended at " end
		bad = 1
	}
	{ slot = $3; end = $6; last = $1; used[$3] = 1 }
	END {
		for (s in used) nused++
		print NR " runs in " nused " slots"
		exit bad
	}'
EOF
chmod +x bin/device bin/slots
# Run 0 is the longest, so that slots that went by the run's number (run 3
# in slot 1) would overlap.
awk 'BEGIN { srand(); print 0.8; for (i = 1; i < 9; i++) printf "%.2f\n", 0.05 + rand() * 0.3 }' > lengths
# Run 0 lasts a minute, so that the stop always finds it running (its
# run again, after the stop, is short).
awk 'BEGIN { srand(); print 60; for (i = 1; i < 9; i++) printf "%.2f\n", 0.1 + rand() * 0.5 }' > lengths2
DEVLOG=$PWD/dev.log
export DEVLOG

tok '--gpus: -j is the list'"'"'s length, each run on its slot'"'"'s device, no slot held twice at once' '
	: > dev.log
	sweep-run --gpus 5,6,7 -p k=1,2,3,4,5,6,7,8,9 -s "constant base=1 factor=1 n=2" -o dev -- device {slot} &&
	cat lengths dev.log &&
	slots 5,6,7 < dev.log > slots.out; st=$?; cat slots.out
	[ $st = 0 ] && [ "$(tail -n 1 slots.out)" = "9 runs in 3 slots" ] &&
	[ $(grep -c " done$" dev.log) = 9 ] && [ $(grep -c "	done$" dev/joblog.tsv) = 9 ]'

# Stopped after some runs (before run 0, the longest, ends), then resumed:
# the runs of both invocations keep to their slots, and no run that
# finished is run again.
tok '--gpus across --resume: no slot held twice at once, no finished run again' '
	: > dev.log
	LENGTHS=lengths2 && export LENGTHS
	sweep-run -j 3 --gpus 5,6,7 -p k=1,2,3,4,5,6,7,8,9 -s "constant base=1 factor=1 n=2" -o gres -- device {slot} 2> /dev/null & pid=$!
	i=0; until [ $(ls gres/run-*.csv 2>/dev/null | wc -l) -ge 3 ] || [ $i -ge 1000 ]; do sleep 0.02; i=$((i + 1)); done
	kill -INT $pid; wait $pid; echo "stopped: $?"
	first=$(ls gres/run-*.csv | wc -l)
	sed -i "1s/.*/0.2/" lengths2
	sweep-run -j 3 --gpus 5,6,7 -p k=1,2,3,4,5,6,7,8,9 -s "constant base=1 factor=1 n=2" -o gres --resume -- device {slot} &&
	cat lengths2 dev.log &&
	slots 5,6,7 < dev.log > slots.out; st=$?; cat slots.out
	echo "$first runs before the stop"
	[ $st = 0 ] && [ $first -ge 3 ] &&
	grep -q "^0 1 1 5 .* killed$" dev.log &&
	[ $(grep -c " done$" dev.log) = 9 ] &&
	[ $(cut -d " " -f 1 dev.log | sort -u | wc -l) = 9 ] &&
	[ $(ls gres/run-*.csv | wc -l) = 9 ] &&
	[ $(awk -F "\t" "\$NF == \"done\"" gres/joblog.tsv | wc -l) = 9 ]'

t '{slot} in the schedule'"'"'s words' 0 \
    'sweep-run -j 2 -p k=1,2 -s "constant base={slot} factor=1 n=2" -o sl -- "$C/const.sh" && cat sl/run-0.csv sl/run-1.csv' <<'EOF'
run,k,step,lr,loss
0,1,0,1,1
0,1,1,1,1
run,k,step,lr,loss
1,2,0,2,1
1,2,1,2,1
EOF

t 'LRKIT_SLOT is 1 under --index, CUDA_VISIBLE_DEVICES the caller'"'"'s' 0 \
    'CUDA_VISIBLE_DEVICES=3 sweep-run --index 2 -p k=1,2,3 -S "$S" -- sh -c "read h; while read r; do echo \$((LRKIT_SLOT * 10 + CUDA_VISIBLE_DEVICES)); done" | sed -n "1p;2p"' <<'EOF'
run,k,step,lr,loss
2,3,0,0.001,13
EOF

t 'without --gpus, the caller'"'"'s CUDA_VISIBLE_DEVICES; -j 2: slots 1 and 2' 0 \
    'CUDA_VISIBLE_DEVICES=4 sweep-run -j 2 -p k=1,2 -S "$S" -- sh -c "read h; while read r; do echo \$((LRKIT_SLOT * 10 + CUDA_VISIBLE_DEVICES)); done" | grep -v ^run | sort -t , -k 1,1n -k 3,3n | sed -n "1p;7p"' <<'EOF'
0,1,0,0.001,14
1,2,0,0.001,24
EOF

# Bad input: exit 2, and nothing started.
t '--gpus: an empty list' 2 \
    'sweep-run --gpus "" -- touch started; s=$?; [ -e started ] && echo started; exit $s' \
    "sweep-run: --gpus: the list of devices is empty (give them as 0,1,2,3)
Try 'sweep-run --help' for more information." < /dev/null
t '--gpus: an empty entry' 2 \
    'sweep-run --gpus 0,,1 -- touch started; s=$?; [ -e started ] && echo started; exit $s' \
    "sweep-run: --gpus: \"0,,1\": entry 2 is empty
Try 'sweep-run --help' for more information." < /dev/null
t '--gpus: an entry that is no device name' 2 \
    'sweep-run --gpus "0, 1" -- touch started; s=$?; [ -e started ] && echo started; exit $s' \
    "sweep-run: --gpus: \"0, 1\": entry 2 is not a device name (a number, or letters, digits, -, _, : and /, as CUDA_VISIBLE_DEVICES takes them)
Try 'sweep-run --help' for more information." < /dev/null
t '--gpus: -j larger than the list' 2 \
    'sweep-run -o big --gpus 0,1 -j 3 -- touch started; s=$?; [ -e started ] && echo started; [ -e big ] && echo big; exit $s' \
    "sweep-run: -j 3: more runs at once than the 2 devices of --gpus (give a device twice to run two on it, as 0,0,1,1)
Try 'sweep-run --help' for more information." < /dev/null
t '-S with a bad lr and a bad -j for --gpus: the table is said first' 1 \
    'printf "step,lr\n0,x\n" > badlr.csv; sweep-run -S badlr.csv --gpus 0,1 -j 3 -- true' \
    'sweep-run: badlr.csv:2: lr: "x" is not a finite lr' < /dev/null
t '--gpus with --index' 2 \
    'sweep-run --index 0 --gpus 0 -- touch started; s=$?; [ -e started ] && echo started; exit $s' \
    "sweep-run: --gpus: a run started alone (--index) holds no slot (its devices are the scheduler's to give)
Try 'sweep-run --help' for more information." < /dev/null
t '{slot} with --index' 2 \
    'sweep-run --index 1 -p k=1,2 -- touch started --gpu={slot}; s=$?; [ -e started ] && echo started; exit $s' \
    "sweep-run: --gpu={slot}: {slot}: a run started alone (--index) holds no slot (its devices are the scheduler's to give)
Try 'sweep-run --help' for more information." < /dev/null
t '{slot} in the schedule with --index' 2 \
    'sweep-run --index 0 -s "constant base={slot} n=2" -- touch started; s=$?; [ -e started ] && echo started; exit $s' \
    "sweep-run: -s: \"constant base={slot} n=2\": {slot}: a run started alone (--index) holds no slot (its devices are the scheduler's to give)
Try 'sweep-run --help' for more information." < /dev/null

# ---- -o, the joblog, --resume

t '-o: one file per run and the joblog' 0 \
    'sweep-run -S "$S" -o res -p loss_at=1,100 -- "$C/losses.sh" 1 1 {loss_at} 100; ls -A res; cat res/run-1.csv; cut -f 1,2,5,9- res/joblog.tsv | sed "s|$C/||"' <<'EOF'
joblog.tsv
run-0.csv
run-1.csv
run,loss_at,step,lr,loss
1,100,0,0.001,1
1,100,1,0.01,1
1,100,2,0.1,100
Seq	Host	Send	Command	loss_at	Status
0	:	44	losses.sh 1 1 1 100	1	diverged
1	:	44	losses.sh 1 1 100 100	100	diverged
EOF

t '-o: the run files and the joblog get the mode the umask gives' 0 \
    '(umask 022; sweep-run -S "$S" -o modes -- "$C/const.sh" && stat -c "%a %n" modes/run-0.csv modes/joblog.tsv)' <<'EOF'
644 modes/run-0.csv
644 modes/joblog.tsv
EOF
t '--resume: the runs with a file are skipped; the joblog grows' 0 \
    'rm res/run-1.csv; sweep-run -S "$S" -o res --resume -p loss_at=1,100 -- "$C/losses.sh" 1 1 {loss_at} 100; ls -A res; cut -f 1,10- res/joblog.tsv' <<'EOF'
joblog.tsv
run-0.csv
run-1.csv
Seq	loss_at	Status
0	1	diverged
1	100	diverged
1	100	diverged
EOF

# A crash can leave a joblog cut in the middle of a row and a run file
# with its header alone (or empty): the row is ended, the run done again.
t '--resume after a crash: a cut joblog line ended, empty run files redone' 0 \
    'sweep-run -S "$S" -o cut -p k=1,2,3 -- "$C/const.sh" && printf "9\t:\t17" >> cut/joblog.tsv && head -n 1 cut/run-1.csv > h && mv h cut/run-1.csv && : > cut/run-2.csv && sweep-run -S "$S" -o cut --resume -p k=1,2,3 -- "$C/const.sh" && cut -f 1,10- cut/joblog.tsv && wc -l < cut/run-1.csv && wc -l < cut/run-2.csv' <<'EOF'
Seq	k	Status
0	1	done
1	2	done
2	3	done
9
1	2	done
2	3	done
7
7
EOF

t '-o: a failed run leaves no file' 1 \
    'sweep-run -S "$S" -o fail -- "$C/early.sh" 2>/dev/null; st=$?; ls -A fail; exit $st' <<'EOF'
joblog.tsv
EOF

t '-o: a folder that cannot be made' 1 \
    'sweep-run -S "$S" -o /nonexistent/runs -- "$C/const.sh"' \
    'sweep-run: /nonexistent/runs: No such file or directory' <<'EOF'
EOF

# ---- output errors

t '> /dev/full: a write error' 1 \
    'sweep-run -S "$S" -- "$C/const.sh" > /dev/full' \
    'sweep-run: write error: No space left on device' <<'EOF'
EOF

# A write to a run's file that fails (the file size limit, soft, with
# SIGXFSZ ignored: EFBIG) is lrkit's failure, not the training's: the
# message gives the errno of that write, every run is stopped at once, and
# the run is not logged, so that --resume trains it again.  The child
# would go on for a minute; it is stopped long before.
cat > efbig.sh <<'EOF'
trap '' XFSZ
start=$(date +%s)
(ulimit -S -f 2 && exec sweep-run -s "range start=1e-7 end=10 n=300" -o efbig -- \
    sh -c 'read h; i=0; while [ $i -lt 300 ]; do echo 1.5; i=$((i + 1)); done
	sleep 60') 2> efbig.err
echo "exit $?"
[ $(($(date +%s) - start)) -lt 30 ] && echo "stopped at once"
sed 's/\.run-0\.[A-Za-z0-9]*/.run-0.TMP/' efbig.err
ls -A efbig
cut -f 10 efbig/joblog.tsv
EOF
t 'a failed write to a run file: lrkit fails, the run is not logged' 0 'sh efbig.sh' <<'EOF'
exit 1
stopped at once
sweep-run: efbig/.run-0.TMP: write error: File too large
joblog.tsv
Status
EOF

t '| head -1 ends quietly' 0 \
    '{ sweep-run -s "range start=1e-7 end=10 n=1000000" --stop-div 0 -- "$C/const.sh"; echo "status $?" >&2; } | head -n 1' \
    'status 0' <<'EOF'
run,step,lr,loss
EOF

# ---- schedule errors

t '-S: a missing file' 1 'sweep-run -S nofile.csv -- "$C/const.sh"' \
    'sweep-run: nofile.csv: No such file or directory' <<'EOF'
EOF

t '-S: a bad lr' 1 \
    'sweep-run -S "$D/sweep/sched-bad.csv" -- "$C/const.sh"' \
    "sweep-run: $D/sweep/sched-bad.csv:3: lr: \"x\" is not a finite lr" <<'EOF'
EOF

t '-S: no rows' 1 'printf "step,lr\n" | sweep-run -S - -- "$C/const.sh"' \
    'sweep-run: stdin: the schedule has no rows' <<'EOF'
EOF

# ---- usage errors

usage="Try 'sweep-run --help' for more information."
t 'no command' 2 'sweep-run -S "$S"' \
    "sweep-run: no command to run (give it after --)
$usage" <<'EOF'
EOF
t '-s and -S' 2 'sweep-run -s "range n=5" -S "$S" -- true' \
    "sweep-run: give -s or -S, not both
$usage" <<'EOF'
EOF
t '-s: a bad schedule' 2 'sweep-run -s "nonsense" -- true' \
    "sweep-run: -s: \"nonsense\": $(sweep-run -s nonsense -- true 2>&1 | sed -n '1s/.*"nonsense": //p')
$usage" <<'EOF'
EOF
t '-p: no =' 2 'sweep-run -p seed -- true' \
    "sweep-run: -p: \"seed\": give NAME=V1,V2,... or NAME=@FILE
$usage" <<'EOF'
EOF
t '-p: a bad name' 2 'sweep-run -p 1x=2 -- true' \
    "sweep-run: -p: \"1x\": a parameter name is letters, digits and _, not starting with a digit
$usage" <<'EOF'
EOF
t '-p: a reserved name' 2 'sweep-run -p lr=1,2 -- true' \
    "sweep-run: -p: \"lr\": lr-suggest and lr-plot would read a column of that name as the lr (see lrkit(7)); choose another name
$usage" <<'EOF'
EOF
# A parameter column the other tools would take for one of theirs.
for n in label_smooth:smoothed-loss LR:lr Loss:loss Run:run Value:loss; do
	t "-p: ${n%:*} would be read as a role" 2 "sweep-run -p ${n%:*}=0,0.1 -- true" \
	    "sweep-run: -p: \"${n%:*}\": lr-suggest and lr-plot would read a column of that name as the $(echo ${n#*:} | tr - ' ') (see lrkit(7)); choose another name
$usage" < /dev/null
done
t '-p: twice' 2 'sweep-run -p a=1 -p a=2 -- true' \
    "sweep-run: -p: \"a\": the parameter is given twice
$usage" <<'EOF'
EOF
t '-p: an empty value' 2 'sweep-run -p a=1,,2 -- true' \
    "sweep-run: -p: a: an empty value (values with commas, or empty ones, go in a file: a=@FILE)
$usage" <<'EOF'
EOF
t '-p: a missing file' 2 'sweep-run -p a=@nofile -- true' \
    "sweep-run: -p: nofile: No such file or directory
$usage" <<'EOF'
EOF
# Control bytes and bytes that are not UTF-8 in a bad argument come back
# as \xNN, and a long one is cut after 64 bytes.
t '-p: an escape sequence instead of NAME=...' 2 "sweep-run -p \"\$(printf '\\033[2J')\" -- true" \
    "sweep-run: -p: \"\\x1b[2J\": give NAME=V1,V2,... or NAME=@FILE
$usage" <<'EOF'
EOF
t '-p: an escape sequence in the name' 2 "sweep-run -p \"\$(printf 'a\\033[1mb')=1\" -- true" \
    "sweep-run: -p: \"a\\x1b[1mb\": a parameter name is letters, digits and _, not starting with a digit
$usage" <<'EOF'
EOF
t '-p: an escape sequence in the file name' 2 "sweep-run -p \"a=@\$(printf 'f\\033[1m')\" -- true" \
    "sweep-run: -p: f\\x1b[1m: No such file or directory
$usage" <<'EOF'
EOF
t '-s: an escape sequence in the schedule' 2 "sweep-run -s \"\$(printf 'range \\033[2J')\" -- true" \
    "sweep-run: -s: \"range \\x1b[2J\": range: \"\\x1b[2J\": expected key=value
$usage" <<'EOF'
EOF
t '-s: a long schedule is cut after 64 bytes' 2 "sweep-run -s \"range start=1 end=10 n=\$(printf '%070dx' 1)\" -- true" \
    "sweep-run: -s: \"range start=1 end=10 n=00000000000000000000000000000000000000000...\": range: n: \"0000000000000000000000000000000000000000000000000000000000000000...\" is not a whole number
$usage" <<'EOF'
EOF
t '{name}: an escape sequence in the word' 2 "sweep-run -p wd=0 -- true \"\$(printf '{seed}\\033[2J')\"" \
    "sweep-run: {seed}\\x1b[2J: {seed}: no such parameter (give it with -p seed=...)
$usage" <<'EOF'
EOF
t '--beta: a tab in the value' 2 "sweep-run --beta \"\$(printf '1\\t')\" -- true" \
    "sweep-run: --beta: 1\\x09: must be less than 1
$usage" <<'EOF'
EOF
t '{name} that is no parameter' 2 'sweep-run -p wd=0 -- ./mlp-train --wd {wd} --seed {seed}' \
    "sweep-run: {seed}: {seed}: no such parameter (give it with -p seed=...)
$usage" <<'EOF'
EOF
t '-j 0' 2 'sweep-run -j 0 -- true' \
    "sweep-run: -j: 0: must be at least 1
$usage" <<'EOF'
EOF
t '-j x' 2 'sweep-run -j x -- true' \
    "sweep-run: -j: \"x\" is not a whole number
$usage" <<'EOF'
EOF
t '--resume without -o' 2 'sweep-run --resume -- true' \
    "sweep-run: --resume needs -o
$usage" <<'EOF'
EOF
t '--index past the grid' 2 'sweep-run --index 6 -p wd=0,1e-4 -p seed=1,2,3 -- true' \
    "sweep-run: --index: 6: the grid has 6 runs (0 to 5)
$usage" <<'EOF'
EOF
t '--index -1' 2 'sweep-run --index -1 -- true' \
    "sweep-run: --index: -1: must be at least 0
$usage" <<'EOF'
EOF
t '--list and --count' 2 'sweep-run --list --count' \
    "sweep-run: give --list or --count, not both
$usage" <<'EOF'
EOF
t '--stop-div 1' 2 'sweep-run --stop-div 1 -- true' \
    "sweep-run: --stop-div: 1: must be 0 (never) or more than 1
$usage" <<'EOF'
EOF
t '--beta 1' 2 'sweep-run --beta 1 -- true' \
    "sweep-run: --beta: 1: must be less than 1
$usage" <<'EOF'
EOF
t '--timeout 0' 2 'sweep-run --timeout 0 -- true' \
    "sweep-run: --timeout: 0: must be greater than 0
$usage" <<'EOF'
EOF
t '--grace -1' 2 'sweep-run --grace -1 -- true' \
    "sweep-run: --grace: -1: must be at least 0
$usage" <<'EOF'
EOF
t '-o ""' 2 'sweep-run -o "" -- true' \
    "sweep-run: -o: the folder name is empty
$usage" <<'EOF'
EOF
t '-y ""' 2 'sweep-run -y "" -- true' \
    "sweep-run: -y: the column name is empty
$usage" <<'EOF'
EOF
t 'an unknown option' 2 'sweep-run --bogus -- true' \
    "sweep-run: --bogus: unknown option
$usage" <<'EOF'
EOF
t 'an unknown short option' 2 'sweep-run -x -- true' \
    "sweep-run: -x: unknown option
$usage" <<'EOF'
EOF
t 'an option without its value' 2 'sweep-run -j' \
    "sweep-run: -j: needs a value
$usage" <<'EOF'
EOF
t 'a long option without its value' 2 'sweep-run --timeout' \
    "sweep-run: --timeout: needs a value
$usage" <<'EOF'
EOF
tok '--help and --version' '
	sweep-run --help | head -n 1 | grep -q "^usage: sweep-run " &&
	sweep-run --version | grep -q "^sweep-run (lrkit) "'

# ---- the manual's examples

tok 'EXAMPLES: the range test of the bundled trainer' '
	sweep-run -- ./mlp-train > range.csv &&
	[ "$(head -n 1 range.csv)" = "run,step,lr,loss" ] &&
	[ $(wc -l < range.csv) -gt 50 ]'

tok 'EXAMPLES: a grid, two at a time, one file per run' '
	sweep-run -p wd=0,1e-4 -p seed=1,2,3 -j 2 -o runs -- ./mlp-train --wd {wd} --seed {seed} &&
	[ $(ls runs/run-*.csv | wc -l) = 6 ] &&
	[ $(grep -c "	diverged$" runs/joblog.tsv) = 6 ] &&
	cat runs/run-*.csv | grep -v ^run | sort > grid.rows &&
	sweep-run -p wd=0,1e-4 -p seed=1,2,3 -- ./mlp-train --wd {wd} --seed {seed} |
	    grep -v ^run | sort | cmp - grid.rows'

tok 'EXAMPLES: a schedule file, --bare' '
	cp "$S" sched.csv &&
	sweep-run --bare -S sched.csv -- ./mlp-train --bare > bare.csv &&
	[ $(wc -l < bare.csv) -ge 2 ] && head -n 2 bare.csv | tail -n 1 | grep -q "^0,0,0.001,2\."'

# A 4-GPU machine, as the manual shows it: python is python3, train.py a
# loop under the child protocol that notes its seed, slot and devices.
mkdir -p gpu4/pybin
ln -sf "$(command -v python3)" gpu4/pybin/python
cat > gpu4/train.py <<'EOF'
import os
import sys

seed = sys.argv[sys.argv.index("--seed") + 1]
with open("devices.log", "a") as log:
    log.write("%s %s %s %s\n" % (seed, os.environ["LRKIT_SLOT"],
              os.environ.get("CUDA_VISIBLE_DEVICES", "-"),
              os.environ.get("HIP_VISIBLE_DEVICES", "-")))
sys.stdin.readline()
for row in sys.stdin:
    step, lr = row.split(",")
    print(1 / (1 + float(lr)))
EOF
tok 'EXAMPLES: a 4-GPU machine, one seed a GPU' '
	cd gpu4 && PATH=$PWD/pybin:$PATH &&
	sweep-run --gpus 0,1,2,3 -p seed=1,2,3,4 -o runs -- python train.py --seed {seed} &&
	sort devices.log && cut -f 10- runs/joblog.tsv &&
	[ $(wc -l < devices.log) = 4 ] &&
	[ $(cut -d " " -f 3 devices.log | sort -u | paste -sd ,) = 0,1,2,3 ] &&
	! awk "\$3 != \$2 - 1" devices.log | grep . &&
	[ $(grep -c "	done$" runs/joblog.tsv) = 4 ] && [ $(ls runs/run-*.csv | wc -l) = 4 ]'

# DESCRIPTION: another device variable set from the slot (ROCm's).
tok 'ROCm: HIP_VISIBLE_DEVICES from LRKIT_SLOT' '
	cd gpu4 && PATH=$PWD/pybin:$PATH && rm -f devices.log &&
	sweep-run -j 4 -p seed=1,2,3,4 -- sh -c '"'"'HIP_VISIBLE_DEVICES=$((LRKIT_SLOT - 1)) exec python train.py --seed $seed'"'"' > hip.csv &&
	sort devices.log &&
	[ $(wc -l < devices.log) = 4 ] &&
	[ $(cut -d " " -f 4 devices.log | sort -u | paste -sd ,) = 0,1,2,3 ] &&
	! awk "\$4 != \$2 - 1" devices.log | grep . &&
	[ $(cut -d " " -f 1 devices.log | sort -u | paste -sd ,) = 1,2,3,4 ]'

tok 'EXAMPLES: a Slurm array task' '
	mkdir -p slurm && cd slurm && ln -sf ../mlp-train . &&
	SLURM_ARRAY_TASK_ID=4 &&
	sweep-run --index $SLURM_ARRAY_TASK_ID -o runs -p wd=0,1e-4 -p seed=1,2,3 -- ./mlp-train --wd {wd} --seed {seed} &&
	[ "$(ls runs)" = "joblog.tsv
run-4.csv" ] && sed -n 2p runs/run-4.csv | grep -q "^4,1e-4,2,0,"'

tok 'EXAMPLES: GNU parallel, the same rows as one sweep-run' '
	command -v parallel >/dev/null || { echo "no GNU parallel (apt-get install parallel)"; exit 77; }
	mkdir -p par && cd par && ln -sf ../mlp-train . &&
	n=$(sweep-run --count -p wd=0,1e-4 -p seed=1,2,3)
	seq 0 $((n - 1)) | parallel -j 2 sweep-run --index {} -o runs -p wd=0,1e-4 -p seed=1,2,3 -- ./mlp-train --wd {wd} --seed {seed}
	[ $(ls runs/run-*.csv | wc -l) = 6 ] &&
	[ $(wc -l < runs/joblog.tsv) = 7 ] &&
	[ $(head -n 1 runs/joblog.tsv | tr "\t" "\n" | grep -c Seq) = 1 ] &&
	cat runs/run-*.csv | grep -v ^run | sort | cmp - ../grid.rows'

tok 'EXAMPLES: the runs smoothed and suggested' '
	ema-smooth -g run runs/run-*.csv | lr-suggest -g run -m minimum > sugg &&
	cat sugg && [ $(wc -l < sugg) = 6 ]'

tok 'lrkit.7 EXAMPLES: sweep-run, ema-smooth, lr-suggest' '
	lr=$(sweep-run -- ./mlp-train | ema-smooth | lr-suggest) &&
	echo "$lr" && awk -v x="$lr" "BEGIN { exit !(x > 1e-3 && x < 1) }"'

tok 'EXAMPLES: the PyTorch loop (when torch is installed)' '
	py=$(command -v python3)
	"$py" -c "import torch" 2>/dev/null || py=/usr/bin/python3
	"$py" -c "import torch" 2>/dev/null || { echo "no python3 with torch (apt-get install python3-torch)"; exit 77; }
	mkdir -p pybin && ln -sf "$py" pybin/python3 && PATH=$PWD/pybin:$PATH &&
	sweep-run --timeout 600 -- python3 torch_train.py > torch.csv &&
	[ "$(head -n 1 torch.csv)" = "run,step,lr,loss" ] &&
	[ $(wc -l < torch.csv) -gt 50 ] &&
	awk -F, "NR > 1 && \$4 + 0 != \$4 { exit 1 }" torch.csv'

tok 'the PyTorch loop with --print-val: its held-out loss is the last row' '
	py=$(command -v python3)
	"$py" -c "import torch" 2>/dev/null || py=/usr/bin/python3
	"$py" -c "import torch" 2>/dev/null || { echo "no python3 with torch (apt-get install python3-torch)"; exit 77; }
	mkdir -p pybin && ln -sf "$py" pybin/python3 && PATH=$PWD/pybin:$PATH &&
	sweep-run -s "onecycle max=0.01 n=50" -- python3 torch_train.py 1 --print-val > torchval.csv &&
	[ "$(head -n 1 torchval.csv)" = "run,step,lr,loss,val_loss" ] &&
	[ $(wc -l < torchval.csv) = 52 ] &&
	tail -n 1 torchval.csv | awk -F, "{ exit !(\$2 == \"\" && \$4 == \"\" && \$5 > 0) }"'

# A headerless schedule "step,lr": the lr is the last column.
t 'headerless step,lr schedule' 0 'printf "0,0.001\n1,0.002\n" > s.csv && sweep-run -S s.csv -- sh -c "cat > /dev/null; echo 1; echo 2"' <<'EOF2'
run,step,lr,loss
0,0,0.001,1
0,1,0.002,2
EOF2

# The child's last line counts without its newline too (a print with
# end="", a shell's printf).
t 'the last loss without its newline is the last row' 0 'printf "0,0.001\n1,0.002\n" > s2.csv && sweep-run -S s2.csv -- sh -c "cat > /dev/null; printf \"1\\n2\""' <<'EOF2'
run,step,lr,loss
0,0,0.001,1
0,1,0.002,2
EOF2

# lrsched -m --bare prints "lr,momentum" without a header: the lr is the
# first column, not the momentum.
t 'headerless lr,momentum schedule (lrsched -m --bare)' 0 \
    'lrsched -m --bare cyclic base=1 max=2 up=2 n=3 > lm.csv && sweep-run -S lm.csv -- "$C/echo-input.sh" 2>err; cat err' <<'EOF2'
run,step,lr,loss
0,0,1,1
0,1,1.5,1
0,2,2,1
header: step,lr,momentum
row: 0,1,0.9
row: 1,1.5,0.8500000000000001
row: 2,2,0.8
EOF2

t 'headerless step,lr,momentum schedule' 0 \
    'printf "0,0.5,0.9\n1,0.25,0.8\n" > slm.csv && sweep-run -S slm.csv -- "$C/echo-input.sh" 2>err; cat err' <<'EOF2'
run,step,lr,loss
0,0,0.5,1
0,1,0.25,1
header: step,lr,momentum
row: 0,0.5,0.9
row: 1,0.25,0.8
EOF2

t 'headerless step,lr: the steps may start at 1' 0 \
    'printf "1,0.5\n2,0.25\n" > s1.csv && sweep-run -S s1.csv -- "$C/const.sh"' <<'EOF2'
run,step,lr,loss
0,1,0.5,1
0,2,0.25,1
EOF2

t 'headerless lr,momentum: a bad momentum names its line' 1 \
    'printf "0.5,0.9\n0.25,x\n" > bad2.csv && sweep-run -S bad2.csv -- "$C/const.sh"' \
    'sweep-run: bad2.csv:2: 2: "x" is not a finite number' < /dev/null

t 'headerless schedule of 4 columns' 1 \
    'printf "0,0.5,0.9,7\n" > s4.csv && sweep-run -S s4.csv -- "$C/const.sh"' \
    'sweep-run: s4.csv: a schedule without a header has 1 to 3 columns (lr; step,lr or lr,momentum; step,lr,momentum), not 4: give it a header' < /dev/null

# --resume skips runs by number: after a value is put in the middle of the
# grid, run 1 is another point, and its old file must not stand for it.
t '--resume after the grid changed' 1 \
    'sweep-run -o chg -S "$S" -p wd=0,1e-4 -- "$C/const.sh" && sweep-run -o chg --resume -S "$S" -p wd=0,1e-3,1e-4 -- "$C/const.sh"; st=$?; ls chg; exit $st' \
    'sweep-run: chg/run-1.csv: --resume: not the file of run 1 of this grid (wd=1e-3): the grid has changed; give another folder' <<'EOF2'
joblog.tsv
run-0.csv
run-1.csv
EOF2

t '--resume: a value added at the end keeps the numbers' 0 \
    'sweep-run -o chg --resume -S "$S" -p wd=0,1e-4,1e-3 -- "$C/const.sh"; cut -f 1,10- chg/joblog.tsv' <<'EOF2'
Seq	wd	Status
0	0	done
1	1e-4	done
2	1e-3	done
EOF2

t '-o: a joblog of other parameters' 0 \
    'sweep-run -o chg -S "$S" -p seed=1 -- "$C/const.sh"; a=$?; sweep-run -o chg -S "$S" -- "$C/const.sh"; echo "status $a $?"; cut -f 1,10- chg/joblog.tsv' \
    'sweep-run: chg/joblog.tsv: the log of a grid of other parameters (this one has seed); give another folder
sweep-run: chg/joblog.tsv: the log of a grid of other parameters (this one has no parameters); give another folder' <<'EOF2'
status 1 1
Seq	wd	Status
0	0	done
1	1e-4	done
2	1e-3	done
EOF2

# ${NAME} is left for the shell: replaced, "${wd}" would be "$0.5", which
# sh expands to its $0 and ".5".
t '${NAME} in a shell script argument is the shell'\''s' 0 \
    'sweep-run -S "$S" -p wd=0.5 -- sh -c '\''echo "wd=${wd} {wd} home=${HOME+set}" >&2; exec "$1"'\'' sh "$C/const.sh" 2>&1 >/dev/null' <<'EOF2'
wd=0.5 0.5 home=set
EOF2

# --index runs one run: nothing the size of the grid is made or scanned.
t '--index in a grid of 10^12 runs' 0 \
    'v=$(seq -s, 1 10000); timeout 10 sweep-run --index 999999999999 -S "$S" -p a=$v -p b=$v -p c=$v -- "$C/const.sh" | tail -n 1; timeout 10 sweep-run --list --index 5 -p a=$v -p b=$v -p c=$v' <<'EOF2'
999999999999,10000,10000,10000,5,100,1
run,a,b,c
5,1,1,6
EOF2

# The temporary file of run 1000 and over: its name's template once lost
# its XXXXXX to a 15-byte buffer.
t '-o: run 1000' 0 \
    'sweep-run -o k1 --index 1000 -S "$S" -p a=$(seq -s, 1 1001) -- "$C/const.sh"; ls -A k1; tail -n 1 k1/run-1000.csv' <<'EOF2'
joblog.tsv
run-1000.csv
1000,1001,5,100,1
EOF2

# The temporary files a sweep-run killed with SIGKILL left: removed by the
# next one in the folder; a fresh one and other names are not touched.
t '-o: temporary files of a killed sweep-run are removed' 0 \
    'mkdir stale && touch stale/.run-5.abcDEF stale/.run-7.Xy12z9 stale/.run-x.abcdef stale/.run-6.abc && touch -d "1 minute ago" stale/.run-5.abcDEF stale/.run-x.abcdef stale/.run-6.abc && sweep-run -o stale -S "$S" -- "$C/const.sh" && ls -A stale' <<'EOF2'
.run-6.abc
.run-7.Xy12z9
.run-x.abcdef
joblog.tsv
run-0.csv
EOF2

tok '-o: the temporary file of a live run is kept, however old' '
	sweep-run -o live --index 0 -p a=1,2 -S "$S" -- sh -c "read h; read r; echo 1; sleep 2; while read r; do echo 1; done" &
	pid=$!
	sleep 0.5
	touch -d "1 minute ago" live/.run-0.* &&
	sweep-run -o live --index 1 -p a=1,2 -S "$S" -- "$C/const.sh" &&
	ls -A live | grep -q "^\.run-0\." &&
	wait $pid && ls -A live | tr "\n" " " | grep -qx "joblog.tsv run-0.csv run-1.csv "'

# The child's cells stay one table: a cell with a comma or a quote is
# written quoted, as the child quoted it; a column the other tools would
# misread (a *_smooth: the smoothed loss; a second lr) is left out, with
# a message saying why.
t "the child's quoted cells stay CSV" 0 \
    'sweep-run -s "range start=1e-5 end=10 n=2" -- sh -c "read h; echo loss,note,label_smooth,LR; while read l; do echo 1.5,\\\"a,b\\\",0.1,2; done; echo ,\\\"x\\\"\\\"y\\\",,"' \
    'sweep-run: run 0: column "label_smooth" is left out: the other tools would read it as the smoothed loss' <<'EOF2'
run,step,lr,loss,note
0,0,1e-05,1.5,"a,b"
0,1,10,1.5,"a,b"
0,,,,"x""y"
EOF2
t "-y: the child's own loss column is left out, and said" 0 \
    'sweep-run -y acc -s "range start=1e-5 end=10 n=2" -- sh -c "read h; echo loss,acc; while read l; do echo 1.5,0.9; done"' \
    'sweep-run: run 0: column "loss" is left out: the row has a column of that name' <<'EOF2'
run,step,lr,loss
0,0,1e-05,0.9
0,1,10,0.9
EOF2

# ---- no process outlives sweep-run, even killed outright

tok 'kill -9 of sweep-run takes its runs with it (they die with their parent)' '
	sweep-run -j 2 -p k=1,2 -- sh -c "exec sleep 307" 2> /dev/null & pid=$!
	n=0; until [ $(ps -eo args | grep -c "^sleep 307") = 2 ] || [ $n -gt 100 ]; do sleep 0.1; n=$((n + 1)); done
	[ $(ps -eo args | grep -c "^sleep 307") = 2 ] || exit 1
	kill -9 $pid
	n=0; while ps -eo args | grep -q "^sleep 307" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	! ps -eo args | grep -q "^sleep 307"'

# sweep-run(1), --momentum: "the child must get the momentum column".
t '--momentum: 1cycle gives the child step,lr,momentum' 0 \
    'sweep-run --momentum -s "onecycle max=1 n=3" -- sh -c "read h; echo \"\$h\" >&2; while read r; do echo 1; done" 2>&1 >/dev/null' <<'EOF'
step,lr,momentum
EOF

t '--momentum with a policy that has none' 2 \
    'sweep-run --momentum -s "cosine base=1 T=3 n=3" -- cat' \
    "sweep-run: -s: \"cosine base=1 T=3 n=3\": cosine has no momentum (onecycle, cyclic and fastai-onecycle have)
Try 'sweep-run --help' for more information." <<'EOF'
EOF

t '--momentum with --bare' 2 'sweep-run --momentum --bare -- cat' \
    "sweep-run: --momentum: --bare gives the child the lr alone
Try 'sweep-run --help' for more information." <<'EOF'
EOF

# The README's recipe for a machine of four GPUs, with a trainer that
# records the device it was given and when it ran: every run got a
# device of the list, and no device had two runs at once.
cat > bin/gputrain <<'EOF'
#!/bin/sh
# gputrain --seed N: a loss a schedule row, least at lr 0.01, and
# "device start end" noted.
start=$(date +%s.%N)
read -r header
awk -F, '{ print 1 + log($2 / 0.01) ^ 2 / 100; fflush() }'
echo "$CUDA_VISIBLE_DEVICES $start $(date +%s.%N)" >> "$GPULOG"
EOF
chmod +x bin/gputrain
tok 'README: a machine with several GPUs, the range test and the confirmation' '
	rm -rf gpu && mkdir gpu && cd gpu && GPULOG=$PWD/log && export GPULOG &&
	sh "$top/tests/readme-block.sh" "A machine with several GPUs" 1 |
	    sed "s/python3 train.py --seed {seed}/gputrain --seed {seed}/; s/n=5000/n=5/" > recipe.sh &&
	cat recipe.sh && sh recipe.sh 2> err; st=$?; cat err; [ $st = 0 ] &&
	[ "$(cut -d " " -f 1 log | sort -u | tr "\n" " ")" = "0 1 2 3 " ] &&
	awk "{ n[\$1]++; s[\$1, n[\$1]] = \$2; e[\$1, n[\$1]] = \$3 }
	    END { for (d in n) for (i = 1; i <= n[d]; i++) for (j = 1; j <= n[d]; j++)
	        if (i != j && s[d, i] < e[d, j] && s[d, j] < e[d, i]) exit 1 }" log'

# sweep-run(1), EXAMPLES: the range test over three seeds, one answer.
tok 'EXAMPLES: three seeds, smoothed run by run, one answer' '
	lr=$(sweep-run -p seed=1,2,3 -- ./mlp-train --seed {seed} | ema-smooth -g run | lr-suggest) &&
	echo "$lr" && awk -v x="$lr" "BEGIN { exit !(x > 1e-3 && x < 1) }"'

t 'a refusal names the option of a group as typed: -qj0' 2 'sweep-run -qj0 -- true' \
    "sweep-run: -j: 0: must be at least 1
Try 'sweep-run --help' for more information." <<'EOF'
EOF
