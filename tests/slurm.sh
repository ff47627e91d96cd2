#!/bin/sh
# slurm.sh: the README's cluster recipes ("On a cluster", and srun in
# "Several processes") against the real programs: GNU parallel, then a
# Slurm of this one machine.  Run by "make check-slurm" (as root: it
# installs Debian's munge, slurmctld, slurmd and slurm-client when they
# are missing).
#
# Everything it makes is in one temporary folder: the munge key and
# socket, slurm.conf, the daemons' state, spool, pid and log files, the
# runs.  munged, slurmctld and slurmd run in the foreground as its
# children on free ports; every exit path cancels the jobs and stops
# them, and the last test checks that no process that carries this
# folder's SLURM_CONF in its environment is left.  Where the daemons
# cannot start (not root, no packages, no way to run them here) it says
# why and exits 0.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/tools:$PATH
export PATH
ntests=0
nfailed=0
nskipped=0
started=$(date +%s)

say() { echo "check-slurm: $*"; }

# ok NAME: passed; fail NAME WHY [FILE]: failed, with FILE's end shown.
ok() { ntests=$((ntests + 1)); say "ok: $1"; }
fail() {
	ntests=$((ntests + 1))
	nfailed=$((nfailed + 1))
	say "FAIL: $1: $2"
	[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 20 "$3" | sed 's/^/    /'
	return 0
}

daemons=
# stop_daemons: cancel the jobs (their slurmstepd outlive slurmd), then
# stop the daemons, SIGKILL after 10 s.
stop_daemons() {
	[ -n "$daemons" ] || return 0
	jobs=$(squeue -h -o %A 2> /dev/null)
	[ -n "$jobs" ] && scancel --quiet $jobs 2> /dev/null
	i=0
	while [ -n "$(squeue -h -o %A 2> /dev/null)" ] && [ $i -lt 100 ]; do
		sleep 0.2; i=$((i + 1))
	done
	kill -TERM $daemons 2> /dev/null
	i=0
	while [ $i -lt 50 ] && kill -0 $daemons 2> /dev/null; do
		sleep 0.2; i=$((i + 1))
	done
	kill -KILL $daemons 2> /dev/null
	wait 2> /dev/null
	daemons=
}

cleanup() {
	trap - EXIT INT TERM HUP
	stop_daemons
	# Whatever is left of this folder's processes (a slurmstepd, a job).
	left=$(ours)
	[ -n "$left" ] && kill -KILL $left 2> /dev/null
	[ -n "${T:-}" ] && rm -rf "$T"
	T=
}

# ours: the pids of the processes that carry this folder's SLURM_CONF in
# their environment (the daemons, slurmstepd, the jobs and their runs).
ours() {
	[ -n "${T:-}" ] || return 0
	# (no pipe: a process of it would carry SLURM_CONF as it looks)
	found=$(env -u SLURM_CONF grep -lsxzF "SLURM_CONF=$T/slurm.conf" \
	    /proc/[0-9]*/environ)
	for f in $found; do
		f=${f#/proc/}
		echo "${f%/environ}"
	done
}

# skip WHY [FILE]: the daemons cannot run here; say why, counted as a
# skip (not a failure: the machine cannot run them, the code is not at
# fault).
skip() {
	nskipped=$((nskipped + 1))
	say "SKIP the Slurm tests: $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && tail -n 10 "$2" | sed 's/^/    /'
	finish
}

finish() {
	cleanup
	say "$ntests tests, $nfailed failed, $nskipped skipped ($(($(date +%s) - started)) s)"
	[ "$nfailed" = 0 ]
	exit
}

trap cleanup EXIT
trap 'say "interrupted"; cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP

# waitfor SECONDS COMMAND...: poll COMMAND until it succeeds.
waitfor() {
	limit=$(($1 * 10))
	shift
	i=0
	until "$@"; do
		[ $i -ge $limit ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# A free TCP port above 20000 (none listening on it, v4 or v6).
free_port() {
	p=$(( $(od -An -N2 -tu2 /dev/urandom) % 30000 + 20000 ))
	while awk -v p="$(printf '%04X' "$p")" '
		$4 == "0A" && substr($2, length($2) - 3) == p { found = 1 }
		END { exit !found }' /proc/net/tcp /proc/net/tcp6 2> /dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}

T=$(mktemp -d "${TMPDIR:-/tmp}/lrkit-slurm.XXXXXX") || exit 1
chmod 755 "$T"		# munged wants its socket's folder open to all
W=$T/work
mkdir -p "$W/bin"
# The README's commands say examples/...: the tree's, as from its top.
ln -s "$top/examples" "$W/examples"
# python3 is Debian's, the one with torch.
printf '#!/bin/sh\nexec /usr/bin/python3 "$@"\n' > "$W/bin/python3"
chmod +x "$W/bin/python3"
PATH=$W/bin:$PATH
cd "$W" || exit 1
readme() { sh "$top/tests/readme-block.sh" "$@"; }
grid='-p wd=0,1e-4 -p seed=1,2,3'

# The rows of the 6 runs of the grid by one sweep-run, for comparison.
sweep-run $grid -- examples/mlp-train --wd {wd} --seed {seed} |
    sed 1d | sort > reference.rows

# check_grid DIR: the 6 runs' files in DIR and nothing else but a whole
# joblog, and their rows those of one sweep-run.
check_grid() {
	[ "$(ls "$1" | grep -c '^run-[0-5][.]csv$')" = 6 ] &&
	[ "$(ls -A "$1" | wc -l)" = 7 ] &&
	[ "$(wc -l < "$1/joblog.tsv")" = 7 ] &&
	[ "$(cut -f 1 "$1/joblog.tsv" | sed 1d | sort | tr '\n' ' ')" = "0 1 2 3 4 5 " ] &&
	cat "$1"/run-*.csv | grep -v '^run' | sort | cmp -s - reference.rows
}

# ---- GNU parallel: the README's recipe

if ! command -v parallel > /dev/null; then
	sh "$top/tests/deps.sh" ensure parallel > /dev/null 2>&1
fi
if ! command -v parallel > /dev/null; then
	fail "GNU parallel recipe" "no GNU parallel (apt-get install parallel)"
else
	mkdir par && ln -s ../examples par/examples
	readme "On a cluster" 3 > par/recipe.sh &&
	    (cd par && sh recipe.sh > out 2> err)
	st=$?
	if [ $st = 0 ] && check_grid par/runs; then
		ok "GNU parallel recipe: 6 runs, the rows of one sweep-run, the joblog whole"
	else
		fail "GNU parallel recipe" "status $st, files: $(ls -A par/runs 2>&1 | tr '\n' ' ')" par/err
	fi
fi

# ---- the daemons

[ "$(id -u)" = 0 ] || skip "not root (slurmd runs jobs as their users)"
need="munge slurmctld slurmd slurm-client"
missing=
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing$missing"
	command -v apt-get > /dev/null || skip "no apt-get to install$missing"
	{ apt-get update -qq &&
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $missing; } > "$T/apt.log" 2>&1 ||
		skip "apt-get install$missing failed" "$T/apt.log"
fi

# munge: a key and a socket of its own.
mungekey -c -k "$T/munge.key" > "$T/mungekey.log" 2>&1 ||
	skip "mungekey cannot make a key" "$T/mungekey.log"
munged -F --socket="$T/munge.sock" --key-file="$T/munge.key" \
    --pid-file="$T/munged.pid" --log-file="$T/munged.log" \
    --seed-file="$T/munged.seed" > "$T/munged.out" 2>&1 &
daemons=$!
waitfor 10 test -S "$T/munge.sock" ||
	skip "munged does not start" "$T/munged.out"

host=$(hostname -s)
ctld_port=$(free_port 0)
d_port=$(free_port 1)
[ "$d_port" = "$ctld_port" ] && d_port=$((ctld_port + 1))
mkdir -p "$T/state" "$T/spool"
cat > "$T/slurm.conf" <<EOF
# A Slurm of this one machine, for lrkit's tests.
ClusterName=lrkit
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=lrkit Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
SLURM_CONF=$T/slurm.conf
export SLURM_CONF
slurmctld -D -c -f "$SLURM_CONF" > "$T/slurmctld.out" 2>&1 &
ctld=$!
slurmd -D -f "$SLURM_CONF" > "$T/slurmd.out" 2>&1 &
slurmd=$!
daemons="$daemons $ctld $slurmd"
# (a daemon that has died ends the wait)
node_idle() {
	[ "$(sinfo -h -n "$host" -o %t 2> /dev/null)" = idle ] ||
	! kill -0 $ctld $slurmd 2> /dev/null
}
waitfor 60 node_idle
kill -0 $ctld 2> /dev/null || skip "slurmctld cannot run here" "$T/slurmctld.out"
kill -0 $slurmd 2> /dev/null || skip "slurmd cannot run here" "$T/slurmd.out"
[ "$(sinfo -h -n "$host" -o %t 2> /dev/null)" = idle ] ||
	skip "the node is not up after 60 s (state: $(sinfo -h -o %t 2>&1))" "$T/slurmd.out"
say "slurmctld on port $ctld_port, slurmd on $d_port, node $host idle ($(($(date +%s) - started)) s)"

# states JOBID: "TASK STATE" per array task, in order.
states() {
	scontrol -o show job "$1" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*/\1 \2/p' | sort -n | tr '\n' ' '
}

# ---- the README's job array

readme "On a cluster" 1 | cmp -s - examples/range-array.sbatch &&
	ok "the README shows examples/range-array.sbatch as it is" ||
	fail "README" "the block above \"sbatch --wait\" is not examples/range-array.sbatch"
n=$(sweep-run --count $grid)
sed -n 's/^#SBATCH --array=0-\([0-9]*\)$/\1/p' examples/range-array.sbatch | grep -qx $((n - 1)) &&
	ok "the array has the grid's $n tasks" ||
	fail "examples/range-array.sbatch" "its --array is not 0-$((n - 1))"

mkdir arr && ln -s ../examples arr/examples
readme "On a cluster" 2 > arr/recipe.sh
(cd arr && timeout 300 sh recipe.sh > out 2> err)
st=$?
job=$(ls arr | sed -n 's/^slurm-\([0-9]*\)_0[.]out$/\1/p')
if [ $st = 0 ] && check_grid arr/runs && awk '$1 == "method" { h = 1; next } h && $2 == 6 { f = 1 } END { exit !f }' arr/out &&
    [ "$(states "$job")" = "0 COMPLETED 1 COMPLETED 2 COMPLETED 3 COMPLETED 4 COMPLETED 5 COMPLETED " ]; then
	ok "sbatch --array of sweep-run --index: 6 tasks COMPLETED, every run's file, the joblog, the rows of one sweep-run"
	sed 's/^/    /' arr/out
else
	fail "the README's job array" "status $st, tasks: $(states "$job"), files: $(ls -A arr/runs 2>&1 | tr '\n' ' ')" arr/err
	cat arr/slurm-*.out 2> /dev/null | tail -n 10
fi

# ---- a run that fails and one that is cancelled
#
# The grid's run 1 fails after 2 steps, run 2 runs slowly and is
# cancelled by scancel; run 0 ends well.  Then the same script submitted
# again with both mended: --resume runs only 1 and 2.
cat > bin/trainer <<'EOF'
#!/bin/sh
# trainer MODE: a loss per schedule row; "fail" exits 3 after 2 rows,
# "slow" sleeps 0.5 s a row and notes its pid in slow.pid.  MENDED=1 in
# the environment makes both ordinary.
[ "${MENDED:-}" = 1 ] && set -- ok
[ "$1" = slow ] && echo $$ > slow.pid
read -r header
n=0
while read -r row; do
	n=$((n + 1))
	[ "$1" = fail ] && [ $n = 3 ] && exit 3
	[ "$1" = slow ] && sleep 0.5
	echo 1
done
EOF
chmod +x bin/trainer
cat > fc.sbatch <<'EOF'
#!/bin/sh
#SBATCH --array=0-2
sweep-run --index "$SLURM_ARRAY_TASK_ID" --resume -o runs -s 'range start=1e-7 end=10 n=50' -p mode=ok,fail,slow -- trainer {mode}
EOF
mkdir fc && cp fc.sbatch fc/
fcjob=$(cd fc && sbatch --parsable fc.sbatch 2> ../fc.err)
cd fc
if waitfor 120 test -s slow.pid && waitfor 30 sh -c 'ls -A runs | grep -q "^[.]run-2[.]"'; then
	slow=$(cat slow.pid)
	scancel "${fcjob}_2"
	waitfor 120 sh -c "[ -z \"\$(squeue -h -j $fcjob 2> /dev/null)\" ]"
	# scancel sends SIGTERM to every process of the task at once: when
	# the trainer dies of it before sweep-run acts on its own, the run is
	# logged as failed (Signal 15), else not logged.
	joblog=$(awk -F '\t' 'NR > 1 { print $1 ":" $NF ($8 ? ":" $8 : "") }' runs/joblog.tsv | sort | tr '\n' ' ')
	if [ "$(states "$fcjob")" = "0 COMPLETED 1 FAILED 2 CANCELLED " ] &&
	    [ "$(ls -A runs | tr '\n' ' ')" = "joblog.tsv run-0.csv " ] &&
	    { [ "$joblog" = "0:done 1:failed " ] || [ "$joblog" = "0:done 1:failed 2:failed:15 " ]; } &&
	    ! kill -0 "$slow" 2> /dev/null; then
		ok "a run fails, one is cancelled: tasks COMPLETED, FAILED, CANCELLED; only run 0's file, no temporary file; joblog $joblog; the cancelled trainer gone"
	else
		fail "failed and cancelled runs" "tasks: $(states "$fcjob"), files: $(ls -A runs | tr '\n' ' '), joblog: $joblog, trainer $slow $(kill -0 "$slow" 2> /dev/null && echo alive)" "$(ls slurm-*_2.out 2> /dev/null | head -n 1)"
	fi
	cp runs/joblog.tsv joblog.before
	MENDED=1 timeout 300 sbatch --wait fc.sbatch > /dev/null 2> err
	st=$?
	if [ $st = 0 ] && [ "$(ls -A runs | tr '\n' ' ')" = "joblog.tsv run-0.csv run-1.csv run-2.csv " ] &&
	    head -n $(wc -l < joblog.before) runs/joblog.tsv | cmp -s - joblog.before &&
	    [ "$(sed 1,$(wc -l < joblog.before)d runs/joblog.tsv | awk -F '\t' '{ print $1 ":" $NF }' | sort | tr '\n' ' ')" = "1:done 2:done " ]; then
		ok "submitted again with --resume: runs 1 and 2 done, run 0 kept, the joblog appended to"
	else
		fail "--resume after failures" "status $st, files: $(ls -A runs | tr '\n' ' ')" err
	fi
else
	fail "failed and cancelled runs" "the slow run never started (job ${fcjob:-not submitted})" ../fc.err
	scancel "$fcjob" 2> /dev/null
fi
cd "$W"

# ---- the confirmation's trainings as job steps (the README's recipe)
#
# lr-confirm in one allocation of 2 tasks, each training an srun step;
# the whole confirmation first, then one cancelled mid-round and
# submitted again: it completes, and no run that had ended is trained a
# second time (a trainer that notes each start says which ran).

readme "On a cluster" 4 | cmp -s - examples/confirm.sbatch &&
	ok "the README shows examples/confirm.sbatch as it is" ||
	fail "README" "the lr-confirm block is not examples/confirm.sbatch"
mkdir conf && ln -s ../examples conf/examples
(cd conf && sweep-run -p seed=1,2,3 -- examples/mlp-train --seed {seed} > range.csv &&
    timeout 300 sbatch --wait examples/confirm.sbatch > out 2> err)
st=$?
job=$(ls conf | sed -n 's/^slurm-\([0-9]*\)[.]out$/\1/p')
lr=$(sed -n '/^[0-9.e-]*$/p' conf/slurm-$job.out 2> /dev/null | tail -n 1)
if [ $st = 0 ] && [ -n "$lr" ] && [ "$(wc -l < conf/confirm/ranked.csv)" = 10 ] &&
    [ "$(sed -n 2p conf/confirm/ranked.csv | cut -d, -f 2,5,6)" = "$lr,3,0" ] &&
    [ $(ls conf/confirm/round-1/run-*.csv | wc -l) = 9 ]; then
	ok "sbatch of lr-confirm with srun steps: $lr, ranked.csv complete"
else
	fail "lr-confirm under Slurm" "status $st, lr '$lr'" "conf/slurm-$job.out"
fi

cat > bin/ctrainer <<'EOF'
#!/bin/sh
# ctrainer: examples/mlp-train, slowed down, noting "max seed" when it
# starts (lr-confirm puts max and seed in its environment).
echo "$max $seed" >> "$STARTS"
sleep 1
exec examples/mlp-train --seed "$seed"
EOF
chmod +x bin/ctrainer
mkdir cc && ln -s ../examples cc/examples && cp conf/range.csv cc/
sed 's| examples/mlp-train --seed {seed}$| ctrainer|' examples/confirm.sbatch > cc/cc.sbatch
ccjob=$(cd cc && STARTS=$W/cc/starts sbatch --parsable cc.sbatch 2> ../cc.err)
ended() { [ "$(sed 1d cc/confirm/round-1/joblog.tsv 2> /dev/null | wc -l)" -ge 3 ]; }
if waitfor 120 ended; then
	scancel "$ccjob"
	waitfor 120 sh -c "[ -z \"\$(squeue -h -j $ccjob 2> /dev/null)\" ]"
	# The runs recorded when it was cancelled: none of them runs again.
	sed 1d cc/confirm/round-1/joblog.tsv | cut -f 10,11 | tr '\t' ' ' | sort > cc/recorded
	cp cc/starts cc/starts.before
	(cd cc && STARTS=$W/cc/starts timeout 300 sbatch --wait cc.sbatch > out 2> err)
	st=$?
	again=$(sed 1,$(wc -l < cc/starts.before)d cc/starts | sort | comm -12 - cc/recorded | tr '\n' ' ')
	if [ $st = 0 ] && [ "$(wc -l < cc/confirm/ranked.csv)" = 10 ] && [ -z "$again" ] &&
	    [ "$(cut -f 12 cc/confirm/round-1/joblog.tsv | sed 1d | sort -u | tr '\n' ' ')" = "done " ]; then
		ok "scancel mid-round, then sbatch again: ranked.csv complete, $(wc -l < cc/recorded) recorded runs not trained again, no run logged as failed"
	else
		fail "lr-confirm cancelled and resumed" "status $st, trained again: '$again', joblog: $(cut -f 7,8,12 cc/confirm/round-1/joblog.tsv | tr "\t\n" ": ")" "$(ls cc/slurm-*.out | tail -n 1)"
	fi
else
	fail "lr-confirm cancelled and resumed" "round 1 never recorded 3 runs (job ${ccjob:-not submitted})" ../cc.err
	scancel "$ccjob" 2> /dev/null
fi
cd "$W"

# ---- srun: the README's DDP job (when torch is installed)

if ! /usr/bin/python3 -c 'import torch.distributed' 2> /dev/null; then
	nskipped=$((nskipped + 1))
	say "SKIP srun of examples/ddp_train.py: /usr/bin/python3 cannot import torch (apt-get install python3-torch)"
else
	readme "Several processes" 4 | cmp -s - examples/ddp-range.sbatch &&
		ok "the README shows examples/ddp-range.sbatch as it is" ||
		fail "README" "the srun block is not examples/ddp-range.sbatch"
	mkdir ddp && ln -s ../examples ddp/examples
	(cd ddp && timeout 300 sbatch --wait examples/ddp-range.sbatch > out 2> err)
	st=$?
	rows=$(($(wc -l < ddp/ddp-runs/run-0.csv 2> /dev/null || echo 1) - 1))
	status=$(cut -f 10 ddp/ddp-runs/joblog.tsv 2> /dev/null | tail -n 1)
	if [ $st = 0 ] && [ "$rows" -gt 10 ] &&
	    { [ "$status" = diverged ] || [ "$status" = done ]; }; then
		ok "srun of 2 ranks under sweep-run: $rows losses, $status"
	else
		fail "srun of examples/ddp_train.py" "status $st, $rows rows, $status" "$(ls ddp/slurm-*.out 2> /dev/null | head -n 1)"
	fi
fi

# ---- no process left

old=$daemons
stop_daemons
left=$(ours)
if [ -z "$left" ] && ! kill -0 $old 2> /dev/null; then
	ok "every daemon stopped, no process of a job left"
else
	fail "processes left" "$(ps -o pid=,args= -p "$(echo $left | tr ' ' ,)" 2> /dev/null)"
fi
finish
