# Data-parallel training under sweep-run: examples/ddp_train.py, real
# torch.distributed on the gloo backend, 2 processes.  Rank 0 is the
# process sweep-run starts and starts the other rank itself; whatever ends
# rank 0 must end every rank.  Skipped, saying so, where Debian's
# python3-torch is not installed.
if ! /usr/bin/python3 -c 'import torch.distributed' 2> /dev/null; then
	skip 'the whole suite' '/usr/bin/python3 cannot import torch (apt-get install python3-torch)'
	return 0
fi
# The README's commands say python3: here it is Debian's, the one with torch.
printf '#!/bin/sh\nexec /usr/bin/python3 "$@"\n' > bin/python3
mkdir examples
cp "$top/examples/ddp_train.py" examples/
PATH=$PATH:$top/tools
slow=1
[ "${VALGRIND:-}" = 1 ] && slow=5
# The commands under test get this in their environment, and so every
# process they start, so that what is left of them can be found.
mark=ddp.$$
export mark slow

# ranks: the pids of the processes of this test still running (ranks of
# examples/ddp_train.py and anything they started).
cat > bin/ranks <<'EOF'
#!/bin/sh
# (a zombie's environment reads empty: it is not counted)
grep -lsxzF "LRKIT_TEST_DDP=$mark" /proc/[0-9]*/environ | sed 's|^/proc/||; s|/environ$||'
exit 0
EOF
# gone: succeeds once no process of this test is left, within 5 s;
# otherwise lists them and fails.
cat > bin/gone <<'EOF'
#!/bin/sh
i=0
while [ $i -lt $((50 * slow)) ]; do
	left=$(ranks)
	[ -z "$left" ] && exit 0
	sleep 0.1
	i=$((i + 1))
done
echo "left behind:"
for p in $left; do ps -o pid=,ppid=,pgid=,stat=,args= -p "$p"; done
exit 1
EOF
# waitrows N FILE: wait (up to 60 s) until FILE has N lines.
cat > bin/waitrows <<'EOF'
#!/bin/sh
i=0
while [ $i -lt $((600 * slow)) ]; do
	[ -f "$2" ] && [ $(wc -l < "$2") -ge "$1" ] && exit 0
	sleep 0.1
	i=$((i + 1))
done
echo "waitrows: $2: fewer than $1 lines after $((60 * slow)) s" >&2
exit 1
EOF
chmod +x bin/python3 bin/ranks bin/gone bin/waitrows

# The README's commands ("Several processes"), as written.
sh "$top/tests/readme-block.sh" "Several processes" 1 > pipeline.sh
sh "$top/tests/readme-block.sh" "Several processes" 2 > same.sh
sh "$top/tests/readme-block.sh" "Several processes" 3 > torchrun.sh

tok 'README: the range test on 2 processes, smoothed and suggested' '
	LRKIT_TEST_DDP=$mark timeout $((120 * slow)) sh pipeline.sh > lr 2> err
	st=$?; echo "status $st"; cat err lr
	[ $st = 0 ] && [ ! -s err ] && [ $(wc -l < lr) = 1 ] &&
	awk -v x="$(cat lr)" "BEGIN { exit !(x > 1e-6 && x < 10) }" && gone'

# DDP averages the gradients of the two halves of each batch and the loss
# is the mean of the ranks' losses: the same numbers as one process on the
# whole batch, to float32's rounding.  A broadcast lr that did not arrive,
# a shard read twice or a loss not reduced would show.
tok 'README: 2 processes give the losses of 1' '
	LRKIT_TEST_DDP=$mark timeout $((120 * slow)) sh same.sh 2> err
	st=$?; echo "status $st"; cat err; head -n 3 same.csv
	[ $st = 0 ] && [ ! -s err ] && [ $(wc -l < same.csv) = 61 ] &&
	awk -F , "
		NR == 1 { next }
		{ loss[\$2, \$3] = \$5 }
		END {
			for (s = 0; s < 30; s++) {
				a = loss[1, s]; b = loss[2, s]
				if (a == \"\" || b == \"\" || a + 0 <= 0) { print \"step \" s \": no loss\"; bad++; continue }
				d = (a - b) / a; if (d < 0) d = -d
				if (d > 1e-5) { print \"step \" s \": \" a \" and \" b; bad++ }
				if (a != b) differ++
			}
			print differ \" of 30 losses differ in their last digits\"
			exit bad > 0
		}
	" same.csv && gone'

# Debian 12's torchrun dies at start, before it starts any rank, with an
# AttributeError in its redirects handling ('NoneType' object has no
# attribute 'get'): that failure, and no other, is a skip saying so.
tok 'README: under torchrun, where it works' '
	command -v torchrun > /dev/null || { echo "no torchrun"; exit 77; }
	LRKIT_TEST_DDP=$mark timeout $((120 * slow)) sh torchrun.sh > tr.csv 2> err
	st=$?
	echo "status $st"; cat err; tail -n 2 tr.csv
	gone || exit 1
	if [ $st != 0 ] && [ $(wc -l < tr.csv) -le 1 ] &&
	    grep -q "AttributeError: .NoneType. object has no attribute .get.$" err; then
		echo "this torchrun fails at start: $(grep AttributeError err)"
		exit 77
	fi
	[ $st = 0 ] && [ $(wc -l < tr.csv) -gt 10 ]'

tok 'a diverging run (lr up to 1e6) stops both ranks: diverged, no process left' '
	LRKIT_TEST_DDP=$mark timeout $((120 * slow)) sweep-run -o div -s "range start=1e-2 end=1e6 n=200" -- python3 examples/ddp_train.py --nproc 2 2> err
	st=$?; echo "status $st"; cat err div/joblog.tsv
	n=$(($(wc -l < div/run-0.csv) - 1)); echo "$n rows"
	[ $st = 0 ] && [ "$(cut -f 10 div/joblog.tsv | tail -n 1)" = diverged ] &&
	[ $n -gt 2 ] && [ $n -lt 200 ] && gone'

tok 'SIGINT to sweep-run stops every rank: 130, no process left' '
	LRKIT_TEST_DDP=$mark sweep-run -s "range start=1e-7 end=1e-6 n=1000000" -- python3 examples/ddp_train.py --nproc 2 > int.csv 2> err &
	pid=$!
	waitrows 4 int.csv
	n=$(ranks | grep -v "^$pid$" | wc -l); echo "$n processes running"
	kill -INT $pid; wait $pid; st=$?
	echo "status $st"; cat err
	[ $st = 130 ] && [ $n = 2 ] && gone'

# Outside sweep-run, nobody kills the group: rank 0 dying by SIGKILL alone
# must take rank 1 with it.  Killed as soon as rank 1 exists, while rank 1
# is still importing torch: it would otherwise wait a minute for rank 0.
tok 'rank 0 killed by SIGKILL alone as rank 1 starts: rank 1 goes too' '
	mkfifo sched
	LRKIT_TEST_DDP=$mark python3 examples/ddp_train.py --nproc 2 < sched > kill.out 2> err &
	pid=$!
	exec 3> sched
	i=0; while [ $(ranks | wc -l) -lt 2 ] && [ $i -lt $((600 * slow)) ]; do sleep 0.05; i=$((i + 1)); done
	n=$(ranks | wc -l); echo "$n processes running"
	kill -KILL $pid; wait $pid; st=$?
	exec 3>&-
	echo "status $st"; cat err
	[ $st = 137 ] && [ $n = 2 ] && gone'

tok 'the end of the schedule: every rank exits 0' '
	printf "step,lr,momentum\n0,0.01,0.9\n1,0.02,0.8\n2,0.03,0.85\n" |
	    LRKIT_TEST_DDP=$mark python3 examples/ddp_train.py --nproc 2 > end.out 2> err
	st=$?; echo "status $st"; cat err end.out
	[ $st = 0 ] && [ ! -s err ] && [ $(wc -l < end.out) = 3 ] && gone'

# The loss of row k comes before the update of step k: a momentum column
# that changes at step 20 leaves the losses of rows 0-20 as they were
# (SGD's momentum 0.9) and changes the next one.
tok 'the momentum column is SGD'"'"'s momentum from its step on' '
	lrsched onecycle max=0.05 n=40 > s.csv &&
	awk -F, "NR == 1 { print \$0 \",momentum\"; next } { print \$0 \",\" (\$1 < 20 ? 0.9 : 0.5) }" s.csv > switch.csv &&
	LRKIT_TEST_DDP=$mark timeout $((120 * slow)) python3 examples/ddp_train.py --nproc 2 1 < s.csv > plain &&
	LRKIT_TEST_DDP=$mark timeout $((120 * slow)) python3 examples/ddp_train.py --nproc 2 1 < switch.csv > switched &&
	head -n 21 plain > p21 && head -n 21 switched > s21 && cmp p21 s21 &&
	a=$(sed -n 22p plain) b=$(sed -n 22p switched) &&
	echo "line 22: $a, then $b" && [ -n "$a" ] && [ "$a" != "$b" ] && gone'
