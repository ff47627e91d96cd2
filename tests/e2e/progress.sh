# The status line of sweep-run and lr-confirm, as a person sees it: the
# tool on a terminal under tmux (tests/tmux.sh), the screen read with
# capture-pane; and the bytes, when the standard error is a file or a
# pipe.  The children are scripts in ./bin, slow enough for the line to
# be seen: each says a log line on its standard error in two pieces, so
# that a line torn by the status line (or tearing it) shows.
cat > bin/child <<'EOF'
#!/bin/sh
# child K [SECONDS]: a log line "piece-whole K" on stderr, written in two
# pieces; SECONDS (default 1) before the losses and after; K = 3 fails,
# K = 4 takes a second more.
read header
printf 'piece-' >&2
sleep 0.3
echo "whole $1" >&2
sleep "${2:-1}"
while read row; do echo 1; done
[ "$1" = 3 ] && exit 3
[ "$1" = 4 ] && sleep 1
sleep "${2:-1}"
EOF
cat > bin/trainer <<'EOF'
#!/bin/sh
# lr-confirm's training (SEED): a log line, a second, a loss of 1 a step.
read header
echo "log max=$max seed=$seed" >&2
sleep 1
while read row; do echo 1; done
EOF
chmod +x bin/child bin/trainer
# Without a terminal, the line is 100 columns wide, whatever the caller's.
COLUMNS=100
export COLUMNS

# ---- without a terminal: the bytes

# What is left of the standard error once each \r starts a line of its
# own and the erasing is dropped: the messages, and the lines drawn.
cat > bin/unroll <<'EOF'
#!/bin/sh
tr '\r' '\n' < "$1" | sed "s/$(printf '\033')\[K//g; /^\$/d"
EOF
chmod +x bin/unroll

t '--progress, stderr a file: the line drawn with \r, each message whole on a line of its own, the line cleared at the end' 0 '
	sweep-run --progress -p k=1,2 -o out -s "constant base=1 factor=1 n=2" -- child {k} 0.2 2> err
	grep -c "$(printf "\r")" err > /dev/null && echo "carriage returns"
	unroll err | grep -v "^sweep-run: [0-2]/2 finished, 0 failed, [01] running, 0:0[0-9] elapsed"
	unroll err | grep -c "^sweep-run: 2/2 finished" > /dev/null && echo "2/2 drawn"
	tail -c 4 err | od -An -c | tr -s " "' <<'EOF'
carriage returns
piece-whole 1
piece-whole 2
2/2 drawn
 \r 033 [ K
EOF

t '--progress: standard output, the rows, has no escape sequence' 0 '
	sweep-run --progress -p k=1,2 -s "constant base=1 factor=1 n=2" -- child {k} 0.2 > rows 2> err
	grep -c "$(printf "\033")" err > /dev/null && echo "escapes on stderr"
	tr -d "\r\033" < rows | cmp -s - rows && echo "none on stdout"; cat rows' <<'EOF'
escapes on stderr
none on stdout
run,k,step,lr,loss
0,1,0,1,1
0,1,1,1,1
1,2,0,1,1
1,2,1,1,1
EOF

# The rows and the standard error into one pipe or one file (2>&1):
# the line would be bytes among the rows, so even --progress leaves it
# off, as it does when the two share a terminal.
t '--progress with the rows in the same pipe or file: no line, the rows whole' 0 '
	sweep-run --progress -p k=1 -s "constant base=1 factor=1 n=2" -- child 1 0.2 2>&1 | cat > piped
	sweep-run --progress -p k=1 -s "constant base=1 factor=1 n=2" -- child 1 0.2 > both 2>&1
	for f in piped both; do tr -d "\r\033" < $f | cmp -s - $f && echo "$f: no line"; done
	cat both' <<'EOF'
piped: no line
both: no line
piece-whole 1
run,k,step,lr,loss
0,1,0,1,1
0,1,1,1,1
EOF

t 'a pipe: no line, the messages as they are' 0 '
	sweep-run -p k=1,2 -o out -s "constant base=1 factor=1 n=2" -- child {k} 0.2 2>&1 | cat' <<'EOF'
piece-whole 1
piece-whole 2
EOF

t '-q wins over --progress: no line' 0 '
	sweep-run -q --progress -p k=1,2 -o out -s "constant base=1 factor=1 n=2" -- child {k} 0.2 2> err
	cat err' <<'EOF'
piece-whole 1
piece-whole 2
EOF

t 'lr-confirm --progress: the round on the line, its messages whole, cleared before the answer' 0 '
	lr-confirm --progress --lr 0.1 -c 1,2 -k 1 -o conf -s "constant base={max} factor=1 n=2" -- trainer {seed} 2> err > answer
	unroll err | grep -c "^lr-confirm: round 1/1, [0-2]/2 finished" > /dev/null && echo "round 1/1 drawn"
	unroll err | grep -v "^lr-confirm: round 1/1, [0-2]/2 finished, 0 failed, [01] running, 0:0[0-9] elapsed"
	cat answer' <<'EOF'
round 1/1 drawn
lr-confirm: candidates around 0.1 (--lr)
lr-confirm: round 1: 2 candidates, 0.1 to 0.2, on seed 1 (conf/round-1)
log max=0.1 seed=1
log max=0.2 seed=1
lr-confirm: round 1: 2 of 2 candidates clean; runs: 2 done
lr-confirm: 0.1, 1 x the suggestion: median loss 1 over 1 seeds (conf/ranked.csv)
lr-confirm: spent 2 runs, 4 steps: 2 trainings
lr-confirm: 0.1 is the smallest candidate: a smaller lr may train better still (try -c with factors beyond 1)
0.1
EOF

# ---- on a terminal: the screen

if ! sh "$top/tests/tmux.sh" check; then
	skip 'the status line on a terminal' 'tmux is not installed (apt-get install tmux)'
	return 0
fi
printf '#!/bin/sh\nexec sh "$top/tests/tmux.sh" "$@"\n' > bin/tmux.sh
chmod +x bin/tmux.sh
# Rows that are not empty, sorted: what the runs at once said, in any
# order.
cat > bin/rows <<'EOF'
#!/bin/sh
tmux.sh capture "$1" | sed '/^$/d' | sort
EOF
chmod +x bin/rows

# The line counts the runs as they end (one fails), the log lines and
# sweep-run's own message about the failure come whole above it, and at
# the end nothing of it is left: the cursor at the start of the row
# under the messages.  The rows, redirected, have no escape sequence.
t 'sweep-run -j 2 on a terminal: the line updates, the messages whole above it, nothing left of it' 0 '
	tmux.sh start a 100 10 "sweep-run -j 2 -p k=1,2,3,4 -s \"constant base=1 factor=1 n=2\" -- child {k} > rows.csv"
	tmux.sh wait a "^sweep-run: [01]/4 finished, 0 failed, [12] running, 0:0[0-9] elapsed" 20 > /dev/null && echo "0 or 1 of 4"
	tmux.sh wait a "^sweep-run: [23]/4 finished, 1 failed, [12] running, 0:0[0-9] elapsed, ETA" 20 > /dev/null && echo "3 of 4, 1 failed"
	echo "status $(tmux.sh wait-exit a 30)"
	rows a; tmux.sh cursor a; tmux.sh stop a
	tr -d "\r\033" < rows.csv | cmp -s - rows.csv && echo "none in the rows"' <<'EOF'
0 or 1 of 4
3 of 4, 1 failed
status 1
[run 0] piece-whole 1
[run 1] piece-whole 2
[run 2] piece-whole 3
[run 3] piece-whole 4
sweep-run: run 2: child: exit status 3 after 2 of 2 steps
0 5
none in the rows
EOF

# One run at a time: its standard error goes through a pipe too while
# the line is shown, else the child's own writes to the terminal would
# land after the line.  The clock moves while nothing else does.
t 'sweep-run -j 1 on a terminal: the child log lines whole, the clock on time' 0 '
	tmux.sh start b 100 6 "sweep-run -p k=1,2 -o out -s \"constant base=1 factor=1 n=2\" -- child {k} 1.5"
	tmux.sh wait b "^sweep-run: 0/2 finished, 0 failed, 1 running, 0:01 elapsed\$" 20 > /dev/null &&
	    tmux.sh wait b "^sweep-run: 0/2 finished, 0 failed, 1 running, 0:02 elapsed\$" 20 > /dev/null && echo "the clock moves"
	echo "status $(tmux.sh wait-exit b 30)"
	tmux.sh capture b; tmux.sh cursor b; tmux.sh stop b' <<'EOF'
the clock moves
status 0
piece-whole 1
piece-whole 2




0 2
EOF

t 'lr-confirm on a terminal: the round, the round messages whole, the answer on stdout' 0 '
	tmux.sh start c 150 16 "lr-confirm --lr 0.1 -n 4 -k 2 -o conf2 -s \"constant base={max} factor=1 n=2\" -- trainer {seed} > answer"
	tmux.sh wait c "^lr-confirm: round 1/2, [0-3]/4 finished, 0 failed, 1 running" 20 > /dev/null && echo "round 1 of 2"
	tmux.sh wait c "^lr-confirm: round 2/2, [01]/2 finished, 0 failed, 1 running" 30 > /dev/null && echo "round 2 of 2"
	echo "status $(tmux.sh wait-exit c 30)"
	tmux.sh capture c; tmux.sh cursor c; tmux.sh stop c
	cat answer' <<'EOF'
round 1 of 2
round 2 of 2
status 0
lr-confirm: candidates around 0.1 (--lr)
lr-confirm: round 1: 4 candidates, 0.05 to 0.2, on seed 1 (conf2/round-1)
log max=0.05 seed=1
log max=0.0794 seed=1
log max=0.126 seed=1
log max=0.2 seed=1
lr-confirm: round 1: 4 of 4 candidates clean; runs: 4 done
lr-confirm: round 2: 2 candidates, 0.05 to 0.0794, on seed 2 (conf2/round-2)
log max=0.05 seed=2
log max=0.0794 seed=2
lr-confirm: round 2: 2 of 2 candidates clean; runs: 2 done
lr-confirm: 0.05, 0.5 x the suggestion: median loss 1 over 2 seeds (conf2/ranked.csv)
lr-confirm: spent 6 runs, 12 steps: 6 trainings
lr-confirm: 0.05 is the smallest candidate: a smaller lr may train better still (try -c with factors beyond 0.5)


0 14
0.05
EOF

# Off: -q, a terminal that cannot erase (TERM=dumb), rows that scroll
# on the same terminal (the line would tear them; even --progress leaves
# it off), and a job in the background of a shell with job control (it
# would write over what the foreground shows).  Seen while the run goes
# on.
t 'no line on a terminal: -q, TERM=dumb, the rows on the same terminal, a background job' 0 '
	tmux.sh start d 100 4 "sweep-run -q -p k=1 -o out -s \"constant base=1 factor=1 n=2\" -- child 1 4"
	tmux.sh start e 100 4 "TERM=dumb sweep-run -p k=1 -o out2 -s \"constant base=1 factor=1 n=2\" -- child 1 4"
	tmux.sh start f 100 6 "sweep-run --progress -p k=1 -s \"constant base=1 factor=1 n=2\" -- child 1 4"
	tmux.sh start i 100 4 "set -m; sweep-run -p k=1 -o out5 -s \"constant base=1 factor=1 n=2\" -- child 1 4 & wait"
	for s in d e f i; do tmux.sh wait $s "whole 1\$" 20 > /dev/null; done
	sleep 1.2
	for s in d e f i; do tmux.sh capture $s; tmux.sh stop $s; done' <<'EOF'
piece-whole 1



piece-whole 1



piece-whole 1





piece-whole 1



EOF

# In the background the line is not drawn, and nothing is drawn in its
# place: the tool sleeps in poll() (its CPU time, user and system, read
# from /proc after 2.5 s of a run that only sleeps: under a quarter of a
# second).  timeout(1) runs its command outside the terminal's
# foreground too; --progress draws the line there all the same.
cat > bin/cputime <<'EOF'
#!/bin/sh
# cputime PID: "little" when PID has used under 25 clock ticks of CPU.
t=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
[ "$t" -lt 25 ] && echo little || echo "much ($t ticks)"
EOF
chmod +x bin/cputime
t 'in the background: no line, and no busy loop; under timeout, --progress draws it' 0 '
	tmux.sh start j 100 4 "set -m; sweep-run -p k=1 -o out6 -s \"constant base=1 factor=1 n=2\" -- child 1 4 & sleep 2.5; echo cpu \$(cputime \$!); wait"
	tmux.sh wait j "^cpu " 20 > /dev/null
	tmux.sh capture j; tmux.sh stop j
	tmux.sh start k 100 4 "timeout 20 sweep-run --progress -p k=1 -o out7 -s \"constant base=1 factor=1 n=2\" -- child 1 2"
	tmux.sh wait k "^sweep-run: 0/1 finished, 0 failed, 1 running" 20 > /dev/null && echo "drawn under timeout"
	tmux.sh stop k' <<'EOF'
piece-whole 1
cpu little


drawn under timeout
EOF

t 'the rows on the same terminal: whole, and no line after them' 0 '
	tmux.sh start g 100 6 "sweep-run --progress -p k=1 -s \"constant base=1 factor=1 n=2\" -- child 1 0.2"
	echo "status $(tmux.sh wait-exit g 20)"
	tmux.sh capture g; tmux.sh cursor g; tmux.sh stop g' <<'EOF'
status 0
piece-whole 1
run,k,step,lr,loss
0,1,0,1,1
0,1,1,1,1


0 4
EOF

# SIGWINCH: the terminal made narrower, the line fits it at once (a
# line as wide as before would wrap, and \r go back to its second row).
t 'a window made narrower: the line fits it' 0 '
	tmux.sh start h 100 4 "sweep-run -p k=1 -o out3 -s \"constant base=1 factor=1 n=2\" -- child 1 4"
	tmux.sh wait h "^sweep-run: 0/1 finished, 0 failed, 1 running" 20 > /dev/null &&
	    tmux.sh resize h 30 4 && tmux.sh wait h "^0/1 finished, 0 failed\$" 3 > /dev/null && echo "fits in 30"
	tmux.sh capture h; tmux.sh stop h' <<'EOF'
fits in 30
piece-whole 1
0/1 finished, 0 failed


EOF
