# sweep-run under stress: 64 runs at once, children that flood stdout or
# stderr with 100 MB, children that exit without reading their input,
# storms of SIGTERM while runs are starting.  Checked: the exit status the
# manual gives, no descriptor leaked into a child, no zombie while
# sweep-run runs, no process of any run (children and grandchildren) left
# once it has exited.  The children record their pids in $PIDS.
#
# Under valgrind the 100 MB floods are skipped and the time limits are
# longer.
PIDS=$PWD/pids
slow=1
[ "${VALGRIND:-}" = 1 ] && slow=5
export PIDS slow

cat > bin/to <<'EOF'
#!/bin/sh
# to CMD...: CMD with a time limit; a hang or a death by a signal other
# than SIGPIPE is reported on stderr.
limit=$((30 * slow))
timeout -k 5 "$limit" "$@"
st=$?
if [ "$st" = 124 ] || [ "$st" = 137 ]; then
	echo "to: $1: still running after $limit s" >&2
elif [ "$st" -gt 128 ] && [ "$st" != 141 ]; then
	echo "to: $1: killed by signal $((st - 128))" >&2
fi
exit "$st"
EOF
# halfslow I: records its pid; a loss per row, after 0.3 s (1 s under
# valgrind) when I is odd.
cat > bin/halfslow <<'EOF'
#!/bin/sh
echo $$ >> "$PIDS"
pause=0.3
[ "$slow" != 1 ] && pause=1
read -r header
while read -r row; do
	[ $(($1 % 2)) = 1 ] && sleep $pause
	echo 1
done
EOF

# fdcheck: records its pid, reports on stderr every descriptor above 2 it
# inherited (one without close-on-exec: the shell's own descriptors have
# the flag), then prints a loss of 1 per schedule row.
cat > bin/fdcheck <<'EOF'
#!/bin/sh
echo $$ >> "$PIDS"
for f in /proc/$$/fd/*; do
	n=${f##*/}
	[ "$n" -gt 2 ] && [ -e "/proc/$$/fdinfo/$n" ] || continue
	flags=
	while read -r key value; do
		[ "$key" = flags: ] && flags=$value
	done < "/proc/$$/fdinfo/$n"
	[ -n "$flags" ] && [ $((0$flags & 02000000)) = 0 ] &&
		echo "leaked fd $n -> $(readlink "$f")" >&2
done
read -r header
while read -r row; do
	echo 1
done
EOF
# slowkid [TERM]: records its pid and a grandchild's (sleep 30, in its
# process group), then a loss every 0.2 s; with TERM it ignores SIGTERM.
cat > bin/slowkid <<'EOF'
#!/bin/sh
[ "$1" = TERM ] && trap '' TERM
sleep 30 &
echo "$$ $!" >> "$PIDS"
read -r header
while read -r row; do
	sleep 0.2
	echo 1
done
EOF
# flood out|err: 100 MB of log lines (1 000 000 of 100 bytes) on stdout
# or stderr before reading anything, then a loss per row.
cat > bin/flood <<'EOF'
#!/bin/sh
if [ "$1" = err ]; then
	exec 3>&2
else
	exec 3>&1
fi
yes "a log line of the child $(printf %075d 0)" | head -n 1000000 >&3
exec 3>&-
read -r header
while read -r row; do
	echo 1
done
EOF
# gone: every pid in $PIDS has ended and been reaped within 3 seconds
# (a grandchild killed with its group is reaped by init, a moment later);
# else names those left and their state.
cat > bin/gone <<'EOF'
#!/bin/sh
i=0
while [ $i -lt 30 ]; do
	left=
	for p in $(cat "$PIDS"); do
		ps -o pid= -p "$p" > /dev/null && left="$left $p"
	done
	[ -z "$left" ] && exit 0
	sleep 0.1
	i=$((i + 1))
done
echo "left behind:"
for p in $left; do
	ps -o pid=,ppid=,stat=,args= -p "$p"
done
exit 1
EOF
chmod +x bin/to bin/halfslow bin/fdcheck bin/slowkid bin/flood bin/gone

# ---- descriptors and many runs at once

t 'the descriptor check finds a leaked descriptor' 0 \
    ': > "$PIDS"; fdcheck 5< /dev/null < /dev/null 2>&1 | grep "^leaked fd 5 "' <<'EOF'
leaked fd 5 -> /dev/null
EOF

tok '64 runs at once (-j 64): all done, no descriptor leaked, none left' '
	: > "$PIDS"
	timeout $((20 * slow)) sweep-run -j 64 -p i=$(seq -s, 0 63) \
	    -s "range start=1e-7 end=10 n=50" -- fdcheck 7< /dev/null > out 2> err
	st=$?; echo "status $st"; head -n 5 err
	[ $st = 0 ] && [ ! -s err ] && [ $(wc -l < out) = 3201 ] &&
	[ "$(cut -d, -f 1 out | sed 1d | sort -n | uniq -c | awk "\$1 == 50" | wc -l)" = 64 ] &&
	[ $(wc -l < "$PIDS") = 64 ] && gone'

tok '256 runs through 64 slots, one file each' '
	: > "$PIDS"
	timeout $((30 * slow)) sweep-run -j 64 -p i=$(seq -s, 0 255) \
	    -s "range start=1e-7 end=10 n=20" -o many -- fdcheck > out 2> err
	st=$?; echo "status $st"; head -n 5 err
	[ $st = 0 ] && [ ! -s err ] && [ ! -s out ] &&
	[ $(ls many | grep -c "^run-[0-9]*[.]csv\$") = 256 ] &&
	[ -z "$(ls -A many | grep "^[.]")" ] &&
	[ $(cat many/run-*.csv | grep -vc "^run") = 5120 ] &&
	[ $(awk -F "\t" "NR > 1 && \$NF == \"done\"" many/joblog.tsv | wc -l) = 256 ] &&
	gone'

tok 'no zombie while sweep-run runs: ended runs are reaped at once' '
	: > "$PIDS"
	sweep-run -j 8 -p i=0,1,2,3,4,5,6,7 -s "range start=1e-7 end=10 n=10" \
	    -- halfslow {i} > out 2> err &
	pid=$!
	sleep $slow; zombies=$(ps -o stat= --ppid $pid | grep -c Z)
	alive=$(ps -o pid= --ppid $pid | wc -l)
	wait $pid; st=$?
	echo "status $st, $alive children, $zombies zombies"; cat err
	[ $st = 0 ] && [ "$zombies" = 0 ] && [ "$alive" = 4 ] &&
	[ $(wc -l < out) = 81 ] && gone'

tok 'a run that ends leaves no process of its group behind' '
	: > "$PIDS"
	timeout $((20 * slow)) sweep-run -j 4 -p i=0,1,2,3 \
	    -s "range start=1e-7 end=10 n=3" -- slowkid > out 2> err
	st=$?; echo "status $st"; cat err
	[ $st = 0 ] && [ $(wc -l < out) = 13 ] && [ $(wc -w < "$PIDS") = 8 ] && gone'

# ---- floods

if [ "${VALGRIND:-}" != 1 ]; then
tok 'a child that floods stdout with 100 MB before reading' '
	: > "$PIDS"
	timeout 30 sweep-run -S "$D/sweep/sched6.csv" -- flood out > out 2> err
	st=$?; echo "status $st"; tail -n 2 err
	[ $st = 0 ] && [ $(wc -l < out) = 7 ] && [ $(wc -c < err) = 100000000 ] &&
	[ "$(sort -u err)" = "a log line of the child $(printf %075d 0)" ]'

tok 'a child that floods stderr with 100 MB before reading' '
	timeout 30 sweep-run -S "$D/sweep/sched6.csv" -- flood err > out 2> err
	st=$?; echo "status $st"; tail -n 2 err
	[ $st = 0 ] && [ $(wc -l < out) = 7 ] && [ $(wc -c < err) = 100000000 ]'

tok 'two runs flooding stdout and stderr at once: lines stay whole' '
	timeout 40 sweep-run -j 2 -p s=out,err -S "$D/sweep/sched6.csv" \
	    -- flood {s} > out 2> err
	st=$?; echo "status $st"; tail -n 2 err
	[ $st = 0 ] && [ $(wc -l < out) = 13 ] &&
	[ $(wc -c < err) = 216000000 ] &&
	line="a log line of the child $(printf %075d 0)" &&
	[ $(grep -cx "\[run 0\] $line" err) = 1000000 ] &&
	[ $(grep -cx "\[run 1\] $line" err) = 1000000 ]'
fi

# ---- children that do not read

t 'a child that exits without reading a schedule of 200 000 rows' 1 \
    'to sweep-run -s "range start=1e-7 end=10 n=200000" -- sh -c "exit 0"' \
    'sweep-run: run 0: sh: ended after 0 of 200000 steps (exit status 0)' <<'EOF'
run,step,lr,loss
EOF

t 'a child that prints every loss without reading: done' 0 \
    'to sweep-run -s "range start=1e-7 end=10 n=200000" --stop-div 0 -- sh -c "yes 1 | head -n 200000" | sed -n "1p;\$p"' <<'EOF'
run,step,lr,loss
0,199999,10,1
EOF

tok '64 children that close stdin at once: 64 failed runs, exit 1' '
	to sweep-run -j 64 -p i=$(seq -s, 0 63) -s "range start=1e-7 end=10 n=200000" \
	    -o closed -- sh -c "exec 0<&-; echo 1; sleep 0.1" > out 2> err
	st=$?; echo "status $st"; head -n 3 err
	[ $st = 1 ] && [ $(wc -l < err) = 64 ] &&
	[ $(grep -c "^sweep-run: run [0-9]*: sh: ended after 1 of 200000 steps (exit status 0)\$" err) = 64 ] &&
	[ $(awk -F "\t" "NR > 1 && \$NF == \"failed\"" closed/joblog.tsv | wc -l) = 64 ] &&
	[ -z "$(ls -A closed | grep -v joblog.tsv)" ]'

# ---- signal storms

# storm SIG N DELAY ARGS...: starts sweep-run ARGS in the background, sends
# it N signals 10 ms apart after DELAY seconds, and prints its exit status
# and whether it took less than 3 s (plus the signals' time).
cat > bin/storm <<'EOF'
#!/bin/sh
sig=$1 n=$2 delay=$3
shift 3
s=$(date +%s%N)
: > out
: > err
sweep-run "$@" > out 2> err &
pid=$!
sleep "$delay"
[ "$slow" != 1 ] && sleep "$delay"	# valgrind starts slowly
i=0
while [ $i -lt "$n" ]; do
	kill -"$sig" $pid 2> /dev/null
	sleep 0.01
	i=$((i + 1))
done
# (dash says "Terminated" when a signal came before sweep-run's handlers)
wait $pid 2> /dev/null
st=$?
e=$(( ($(date +%s%N) - s) / 1000000 ))
limit=$(( 3000 * slow ))
[ $e -lt $limit ] && fast="under 3 s" || fast="$e ms"
echo "status $st, $fast"
EOF
chmod +x bin/storm

# At 0 s sweep-run may not have made its folder yet (or even set its
# handlers: SIGTERM's default action gives 143 too).
for delay in 0 0.05 0.3 1; do
t "five SIGTERMs $delay s after the start of 64 runs: 143, nothing left" 0 \
    ': > "$PIDS"; rm -rf st; storm TERM 5 '$delay' -j 16 -p i=$(seq -s, 0 63) -o st -- slowkid;
     cat err; { [ ! -d st ] || [ "$(ls -A st)" = joblog.tsv ]; } && echo "no temporary file";
     gone && ! sed 1d st/joblog.tsv 2> /dev/null | grep .' <<EOF
status 143, under 3 s
no temporary file
EOF
done

t 'a SIGTERM storm on children that ignore SIGTERM: SIGKILL at once' 0 \
    ': > "$PIDS"; storm TERM 3 0.5 -j 8 -p i=$(seq -s, 0 7) -o ign -- slowkid TERM;
     cat err; ls -A ign; gone && sed 1d ign/joblog.tsv' <<'EOF'
status 143, under 3 s
joblog.tsv
EOF

t 'one SIGTERM on children that ignore it: SIGKILL after --grace' 0 \
    ': > "$PIDS"; storm TERM 1 0.5 --grace 1 -j 4 -p i=0,1,2,3 -- slowkid TERM;
     cat err; gone' <<'EOF'
status 143, under 3 s
EOF

t 'a SIGINT storm: 130' 0 \
    ': > "$PIDS"; storm INT 5 0.3 -j 16 -p i=$(seq -s, 0 31) -- slowkid; cat err; gone' <<'EOF'
status 130, under 3 s
EOF
