# The experiment Makefile (examples/experiment/Makefile) end to end, on a
# small size: the whole run with -j2 and its outputs, the rebuild after one
# configuration is touched, the rebuild after each setting changes (what
# was made with it, nothing else; never a summary of two settings), a make
# stopped by Ctrl-C and one killed outright (no target that looks complete
# but is not; the next make completes), a TRAIN that names no command, and
# the README's "Experiments with make" commands as written.
M=$top/examples/experiment/Makefile
# The tools under test are the ones on PATH (run.sh's, valgrind's wrappers
# with VALGRIND=1), not the Makefile's default of the source tree's tools/.
LRKIT_BIN=
# Two seeds by two weight decays, 30 range-test steps, 30 1cycle steps.
SEEDS='1 2'
WDS='0 1e-3'
RANGE='range start=1e-5 end=10 n=30'
FIT_STEPS=30
export M LRKIT_BIN SEEDS WDS RANGE FIT_STEPS
PATH=$PATH:$top/tools
CONFIGS='s1_wd0 s1_wd1e-3 s2_wd0 s2_wd1e-3'

# complete [-a]: every target in the folder is whole; prints what is not
# and then fails.  A range test or a 1cycle run is whole when its joblog
# has its row, done or diverged; a smoothed curve has the rows of its
# range test; an lr is one number; the summary has a row a configuration
# (SEEDS x WDS); a plot is well-formed SVG.  -a: and every target of the
# configurations is there.
cat > bin/complete <<'EOF'
#!/bin/sh
bad=0
ls plots/*.svg > /dev/null 2>&1 && { xmllint --noout plots/*.svg 2>&1 || {
	echo "plots: not well-formed"; bad=1; }; }
n=0
for s in $SEEDS; do
	for w in $WDS; do
		n=$((n + 1))
		[ "$1" = -a ] || continue
		c=s${s}_wd$w
		for f in conf/$c range/$c/run-0.csv range/$c/joblog.tsv \
		    smooth/$c.csv lr/$c fit/$c/run-0.csv fit/$c/joblog.tsv \
		    plots/range-wd$w.svg; do
			[ -e $f ] || { echo "$f: missing"; bad=1; }
		done
	done
done
if [ "$1" = -a ]; then
	for f in summary.csv plots/range.svg; do
		[ -e $f ] || { echo "$f: missing"; bad=1; }
	done
fi
awk -v configs=$n '
function problem(s) {
	print s
	bad = 1
}
function rows(f,   n, l) {
	n = 0
	while ((getline l < f) > 0)
		if (n++ == 0)
			first[f] = l
	close(f)
	return n
}
function check_run(f, c,   d, n, st, l, fields, conf, want) {
	d = f
	sub(/\/run-0\.csv$/, "", d)
	st = ""
	while ((getline l < (d "/joblog.tsv")) > 0) {
		n = split(l, fields, "\t")
		st = fields[n]
	}
	close(d "/joblog.tsv")
	if (st != "done" && st != "diverged")
		problem(f ": joblog status \"" st "\"")
	getline l < f
	if (l !~ /^run,seed,wd,step,lr,loss/)
		problem(f ": header " l)
	getline l < f
	split(l, fields, ",")
	close(f)
	want = ""
	while ((getline conf < ("conf/" c)) > 0) {
		sub(/^[^=]*=/, "", conf)
		want = want (want == "" ? "" : ",") conf
	}
	close("conf/" c)
	if (fields[2] "," fields[3] != want)
		problem(f ": not the parameters of conf/" c)
}
BEGIN {
	ls = "ls -d range/*/run-0.csv fit/*/run-0.csv smooth/*.csv lr/* summary.csv 2> /dev/null"
	while ((ls | getline f) > 0) {
		if (f ~ /^(range|fit)\//) {
			c = f
			sub(/^[a-z]*\//, "", c)
			sub(/\/.*/, "", c)
			check_run(f, c)
		} else if (f ~ /^smooth\//) {
			c = f
			sub(/^smooth\//, "", c)
			sub(/\.csv$/, "", c)
			if (rows(f) != rows("range/" c "/run-0.csv"))
				problem(f ": not the rows of range/" c "/run-0.csv")
			if (first[f] !~ /,loss_smooth$/)
				problem(f ": no loss_smooth")
		} else if (f ~ /^lr\//) {
			if (rows(f) != 1 || first[f] !~ /^[0-9.e+-]+$/)
				problem(f ": not one number")
		} else if (f == "summary.csv" && rows(f) != configs + 1)
			problem(f ": not " configs " rows")
	}
	exit bad
}' && [ $bad = 0 ]
EOF
# slow-train: the bundled trainer, 50 ms a step for seed 2 while ./slow
# exists (so that a make can be stopped in the middle of a range test).
cat > bin/slow-train <<EOF
#!/bin/sh
echo \$\$ >> pids
if [ "\$seed" = 2 ] && [ -e slow ]; then
	# (and not a step more once sweep-run is gone: kill -9)
	while IFS= read -r l && kill -0 \$PPID 2> /dev/null; do
		printf '%s\n' "\$l"; sleep 0.05
	done
else
	cat
fi | exec "$top/examples/mlp-train" "\$@"
EOF
chmod +x bin/complete bin/slow-train
SLOW='slow-train --seed {seed} --wd {wd}'
export SLOW

# ---- the whole experiment

mkdir a
(cd a && umask 022 && make -s -f "$M" -j2) > a.out 2>&1
# (A test that has output to show prints it first: tok shows it when the
# test fails.)
tok 'make -j2 runs the experiment' "cat a.out; [ $? = 0 ] && [ -e a/summary.csv ]"

tok 'every target is complete' 'cd a && complete -a'
tok 'the summary: a row per configuration' 'cd a && cat summary.csv && awk -F, '\''
	NR == 1 { ok = $0 == "config,seed,wd,lr,status,final_loss"; next }
	{ ok = ok && ($5 == "done" || $5 == "diverged") && $4 > 0 && $6 > 0
	  seen = seen " " $1 }
	END { exit !(ok && seen == " s1_wd0 s1_wd1e-3 s2_wd0 s2_wd1e-3") }
'\'' summary.csv'
# The suggestion is lr-suggest's, and the 1cycle run had exactly lrsched's
# schedule at it.
for c in $CONFIGS; do
	tok "lr/$c is lr-suggest's minimum" \
	    "cd a && lr=\$(lr-suggest -m minimum smooth/$c.csv) &&
	     [ \"\$lr\" = \"\$(cat lr/$c)\" ]"
	tok "fit/$c ran 1cycle at lr/$c" \
	    "cd a && lrsched onecycle max=\$(cat lr/$c) n=30 > ../want.$c &&
	     cut -d, -f4,5 fit/$c/run-0.csv > ../got.$c && cmp ../want.$c ../got.$c"

done
tok 'a plot per weight decay, a curve per seed' 'cd a &&
	grep -c "legend-entry.*smooth/s[12]_wd1e-3.csv<" plots/range-wd1e-3.svg | grep -qx 2 &&
	grep -q "suggestion-label.*minimum" plots/range-wd0.svg'
tok 'nothing left to do' 'cd a && make -q -f "$M"'
# Every result readable as a redirection's output would be (umask 022).
tok 'the files have the umask'"'"'s mode' 'cd a && find . -type f ! -perm 644 -ls > ../a.modes &&
	cat ../a.modes && [ -e summary.csv ] && [ ! -s ../a.modes ]'

# ---- touching one configuration reruns only what depends on it

# Every file one minute old, the configuration touched now.
(cd a && find . -type f -exec touch -d '1 minute ago' {} + &&
    touch -d '30 seconds ago' ../marker && touch conf/s1_wd0)
(cd a && make -n -f "$M") > a.n 2>&1
# (The folder was complete before: a.n is what the touch adds.)
tok 'make -n: the touched configuration' 'cat a.n; [ -e a/summary.csv ] &&
	grep -c -- "-o range/s1_wd0 \|-o fit/s1_wd0 \|ema-smooth range/s1_wd0/\|lr-suggest -m minimum smooth/s1_wd0.csv" a.n | grep -qx 4'
tok 'make -n: no other configuration' '! grep -- "-o range/s2\|-o range/s1_wd1e\|-o fit/s2\|-o fit/s1_wd1e\|range/s2.*/run-0.csv >\|smooth/s2.*.csv >\|range-wd1e-3" a.n'
(cd a && make -s -f "$M" -j2) > a.out 2>&1
(cd a && find . -type f -newer ../marker | sort) > a.newer
tok 'the rebuild: that configuration, the summary and its plots' 'diff a.newer - <<EOT
./conf/s1_wd0
./fit/s1_wd0/joblog.tsv
./fit/s1_wd0/run-0.csv
./lr/s1_wd0
./plots/range-wd0.svg
./plots/range.svg
./range/s1_wd0/joblog.tsv
./range/s1_wd0/run-0.csv
./smooth/s1_wd0.csv
./summary.csv
EOT'
tok 'after the rebuild, complete' 'cd a && complete -a'

# ---- a changed setting reruns what was made with it, and only that

# rerun DIR [VAR=VALUE...]: make in DIR with these settings, every file
# there made a minute before; prints the files the make wrote, sorted.
cat > bin/rerun <<'EOF'
#!/bin/sh
cd "$1" && shift || exit 1
find . -type f -exec touch -d '1 minute ago' {} + &&
    touch -d '30 seconds ago' ../marker.rerun || exit 1
if ! make -s -f "$M" -j2 "$@" > ../rerun.out 2>&1; then
	cat ../rerun.out
	exit 1
fi

find . -type f -newer ../marker.rerun | sort
EOF
# consistent RANGE FIT_STEPS METHOD: every configuration (SEEDS x WDS) has
# its row in summary.csv, and all of it was made with these settings: the
# range test ran lrsched's RANGE, the lr is lr-suggest -m METHOD's of its
# smoothed curve (and the summary's), the 1cycle run ran onecycle at that
# lr over FIT_STEPS steps (each as far as it went: a run that diverges
# stops early).
cat > bin/consistent <<'EOF'
#!/bin/sh
range=$1 steps=$2 method=$3
fail=0
# same RUN-FILE SCHEDULE...: the steps and lrs of the run are the
# schedule's first rows.
same() {
	f=$1
	shift
	lrsched "$@" | sed 1d > want.$$ &&
	    cut -d, -f4,5 "$f" | sed 1d > got.$$ && [ -s got.$$ ] &&
	    head -n "$(wc -l < got.$$)" want.$$ | cmp -s - got.$$
	r=$?
	rm -f want.$$ got.$$
	return $r
}
want=
for s in $SEEDS; do
	for w in $WDS; do
		want="$want s${s}_wd$w"
	done
done
got=$(sed 1d summary.csv | cut -d, -f1 | tr '\n' ' ')
[ "$got" = "${want# } " ] || { echo "summary.csv: $got, not$want"; fail=1; }
sed 1d summary.csv > rows.$$
while IFS=, read -r c seed wd lr status loss; do
	same range/$c/run-0.csv $range ||
	    { echo "range/$c: not $range"; fail=1; }
	[ "$(lr-suggest -m "$method" smooth/$c.csv)" = "$lr" ] &&
	    [ "$(cat lr/$c)" = "$lr" ] ||
	    { echo "$c: $lr is not lr-suggest -m $method's"; fail=1; }
	same fit/$c/run-0.csv onecycle max="$lr" n="$steps" ||
	    { echo "fit/$c: not onecycle max=$lr n=$steps"; fail=1; }
done < rows.$$
rm -f rows.$$
exit $fail
EOF
chmod +x bin/rerun bin/consistent
tok 'the settings as made: consistent' 'cd a && consistent "$RANGE" 30 minimum'
for v in RANGE FIT_STEPS METHOD SEEDS WDS TRAIN; do
	cp -a a set.$v
done
cp -a a set.BATCH
t 'each setting given the value it had: nothing is made' 0 'rerun set.RANGE RANGE="$RANGE" FIT_STEPS=30 METHOD=minimum BATCH=32 SEEDS="1 2" WDS="0 1e-3"' <<'EOF'
EOF

# RANGE: every range test and what follows from it.
(cd set.RANGE && find . -type f ! -path './conf/*' ! -path './settings/*';
    echo ./settings/RANGE) | sort > set.RANGE.want
t 'RANGE changed: every range test and all that follows' 0 'rerun set.RANGE RANGE="range start=1e-5 end=10 n=40" | diff set.RANGE.want -' <<'EOF'
EOF
tok 'RANGE changed: consistent' 'cd set.RANGE && consistent "range start=1e-5 end=10 n=40" 30 minimum'

t 'FIT_STEPS changed: the 1cycle runs and the summary' 0 'rerun set.FIT_STEPS FIT_STEPS=40' <<'EOF'
./fit/s1_wd0/joblog.tsv
./fit/s1_wd0/run-0.csv
./fit/s1_wd1e-3/joblog.tsv
./fit/s1_wd1e-3/run-0.csv
./fit/s2_wd0/joblog.tsv
./fit/s2_wd0/run-0.csv
./fit/s2_wd1e-3/joblog.tsv
./fit/s2_wd1e-3/run-0.csv
./settings/FIT_STEPS
./summary.csv
EOF
tok 'FIT_STEPS changed: consistent' 'cd set.FIT_STEPS && consistent "$RANGE" 40 minimum'
tok 'FIT_STEPS changed: make -n and -q tell, and write nothing' 'cd set.FIT_STEPS &&
	make -n -f "$M" FIT_STEPS=50 > ../n.out; cat ../n.out &&
	[ "$(grep -c "sweep-run.* n=50" ../n.out)" = 4 ] &&
	! make -q -f "$M" FIT_STEPS=50 && make -q -f "$M" FIT_STEPS=40 &&
	[ "$(cat settings/FIT_STEPS)" = 40 ]'

# METHOD: the suggestions, the 1cycle runs at them, the summary and the
# plots that mark the suggestion; not the range tests, their smoothing
# or the plot of every configuration.
t 'METHOD changed: the lrs, what uses them and the plots that mark them' 0 'rerun set.METHOD METHOD=valley' <<'EOF'
./fit/s1_wd0/joblog.tsv
./fit/s1_wd0/run-0.csv
./fit/s1_wd1e-3/joblog.tsv
./fit/s1_wd1e-3/run-0.csv
./fit/s2_wd0/joblog.tsv
./fit/s2_wd0/run-0.csv
./fit/s2_wd1e-3/joblog.tsv
./fit/s2_wd1e-3/run-0.csv
./lr/s1_wd0
./lr/s1_wd1e-3
./lr/s2_wd0
./lr/s2_wd1e-3
./plots/range-wd0.svg
./plots/range-wd1e-3.svg
./settings/METHOD
./summary.csv
EOF
tok 'METHOD changed: consistent' 'cd set.METHOD && consistent "$RANGE" 30 valley'

# TRAIN, and BATCH through the default TRAIN: everything but the
# configurations.  A TRAIN without $(BATCH): BATCH changes nothing.
(cd set.TRAIN && find . -type f ! -path './conf/*' ! -path './settings/*';
    echo ./settings/TRAIN) | sort > set.TRAIN.want
t 'BATCH changed: everything made with the trainer' 0 'rerun set.BATCH BATCH=16 | diff set.TRAIN.want - && grep -q -- "--batch-size 16$" set.BATCH/settings/TRAIN' <<'EOF'
EOF
t 'TRAIN changed: everything made with it' 0 'rerun set.TRAIN TRAIN="$top/examples/mlp-train --batch-size 32 --seed {seed} --wd {wd}" | diff set.TRAIN.want -' <<'EOF'
EOF
t 'a TRAIN without BATCH: BATCH changes nothing' 0 'rerun set.TRAIN TRAIN="$top/examples/mlp-train --batch-size 32 --seed {seed} --wd {wd}" BATCH=16' <<'EOF'
EOF

# SEEDS and WDS: the new configurations, and what lists them all.
t 'SEEDS changed: the new seed, the summary and the plots' 0 'rerun set.SEEDS SEEDS="1 2 3"' <<'EOF'
./conf/s3_wd0
./conf/s3_wd1e-3
./fit/s3_wd0/joblog.tsv
./fit/s3_wd0/run-0.csv
./fit/s3_wd1e-3/joblog.tsv
./fit/s3_wd1e-3/run-0.csv
./lr/s3_wd0
./lr/s3_wd1e-3
./plots/range-wd0.svg
./plots/range-wd1e-3.svg
./plots/range.svg
./range/s3_wd0/joblog.tsv
./range/s3_wd0/run-0.csv
./range/s3_wd1e-3/joblog.tsv
./range/s3_wd1e-3/run-0.csv
./settings/SEEDS
./smooth/s3_wd0.csv
./smooth/s3_wd1e-3.csv
./summary.csv
EOF
t 'SEEDS back as they were: the summary and the plots' 0 'rerun set.SEEDS' <<'EOF'
./plots/range-wd0.svg
./plots/range-wd1e-3.svg
./plots/range.svg
./settings/SEEDS
./summary.csv
EOF
tok 'SEEDS back as they were: consistent' 'cd set.SEEDS && complete -a && consistent "$RANGE" 30 minimum'
t 'WDS changed: the new weight decay, the summary and its plots' 0 'rerun set.WDS WDS="0 1e-3 1e-2"' <<'EOF'
./conf/s1_wd1e-2
./conf/s2_wd1e-2
./fit/s1_wd1e-2/joblog.tsv
./fit/s1_wd1e-2/run-0.csv
./fit/s2_wd1e-2/joblog.tsv
./fit/s2_wd1e-2/run-0.csv
./lr/s1_wd1e-2
./lr/s2_wd1e-2
./plots/range-wd1e-2.svg
./plots/range.svg
./range/s1_wd1e-2/joblog.tsv
./range/s1_wd1e-2/run-0.csv
./range/s2_wd1e-2/joblog.tsv
./range/s2_wd1e-2/run-0.csv
./settings/WDS
./smooth/s1_wd1e-2.csv
./smooth/s2_wd1e-2.csv
./summary.csv
EOF
tok 'WDS changed: consistent' 'cd set.WDS && WDS="0 1e-3 1e-2" complete -a && WDS="0 1e-3 1e-2" consistent "$RANGE" 30 minimum'

# A seed added with other settings at once: one summary, one setting.
(cd set.FIT_STEPS && make -s -f "$M" -j2 SEEDS='1 2 3' FIT_STEPS=50 METHOD=valley) > mix.out 2>&1
tok 'a seed added as the settings change: the summary has one setting' "cat mix.out; [ $? = 0 ]"' &&
	cd set.FIT_STEPS && SEEDS="1 2 3" complete -a &&
	SEEDS="1 2 3" consistent "$RANGE" 50 valley'


# ---- interrupted: Ctrl-C (SIGINT to make's process group), then kill -9

# interrupt SIGNAL DIR: start make -j2 in DIR with seed 2 slow, send SIGNAL
# to its process group once seed 2's two range tests run at once (seed 1's
# are done by then); prints how many ran at once.
cat > bin/interrupt <<'EOF'
#!/bin/sh
sig=$1
mkdir "$2" && cd "$2" || exit 1
touch slow
setsid make -s -f "$M" -j2 TRAIN="$SLOW" \
    > make.out 2>&1 &
pid=$!
i=0 n=0
while [ $i -lt 500 ] && [ "$n" -lt 2 ]; do
	sleep 0.02
	n=$(ls -a range/s2_*/ 2> /dev/null | grep -c '^\.run-0\.')
	i=$((i + 1))
done
kill -s "$sig" -- "-$pid"
wait "$pid"
# Wait for the trainers that a kill -9 of sweep-run left behind.
alive() {
	for p in $(cat pids); do
		kill -0 "$p" 2> /dev/null && return 0
	done
	return 1
}
i=0
while [ $i -lt 250 ] && alive; do
	sleep 0.02
	i=$((i + 1))
done
rm -f slow
echo "$n"
EOF
chmod +x bin/interrupt

interrupt INT b > b.most 2> b.err
# Each test of what the interruption left holds only when it came in the
# middle of seed 2's range tests, seed 1's done.
tok 'Ctrl-C: -j2 ran two range tests at once' 'cat b.most b.err; grep -qx 2 b.most'
tok 'Ctrl-C: seed 2 has no range test, no summary' 'grep -qx 2 b.most && cd b && ! ls range/s2_*/run-0.csv summary.csv plots/range-wd*.svg 2>&1 | grep -v "No such"'
tok 'Ctrl-C: seed 1 was kept' 'cd b && [ -e range/s1_wd0/run-0.csv ] && [ -e range/s1_wd1e-3/run-0.csv ]'
tok 'Ctrl-C: every target there is complete' 'cd b && [ -e range/s1_wd0/run-0.csv ] && complete'
tok 'Ctrl-C: sweep-run removed its temporary files' 'cd b && ls -a range/s2_wd0 range/s2_wd1e-3 &&
	! ls -a range/* fit/* 2> /dev/null | grep "^\.run"'
(cd b && make -s -f "$M" -j2 TRAIN="$SLOW") > b.out 2>&1
tok 'Ctrl-C: the next make completes' "cat b.out; [ $? = 0 ]"' && cd b && complete -a && make -q -f "$M" TRAIN="$SLOW"'
tok 'Ctrl-C: seed 1 was not run again' 'cd b && [ "$(wc -l < range/s1_wd0/joblog.tsv)" = 2 ]'

interrupt KILL c > c.most 2> c.err
tok 'kill -9: no summary' 'cat c.most c.err; grep -qx 2 c.most && cd c && [ ! -e summary.csv ]'
tok 'kill -9: every target there is complete' 'cd c && [ -e range/s1_wd0/run-0.csv ] && complete'
(cd c && make -s -f "$M" -j2 TRAIN="$SLOW") > c.out 2>&1
tok 'kill -9: the next make completes' "cat c.out; [ $? = 0 ]"' && cd c && complete -a && make -q -f "$M" TRAIN="$SLOW"'

# ---- a command that is not one

mkdir d
(cd d && make -f "$M" TRAIN='no-such-train --seed {seed}') > d.out 2>&1
tok 'TRAIN naming no command: an error before anything runs' "cat d.out; [ $? = 2 ]"' &&
	grep -q "TRAIN = no-such-train --seed {seed}: \"no-such-train\" is not a command" d.out &&
	[ -z "$(ls d)" ]'
(cd d && make -f "$M" LR_PLOT=/nonexistent/lr-plot) > d.out 2>&1
tok 'LR_PLOT naming no command: an error' "cat d.out; [ $? = 2 ]"' &&
	grep -q "LR_PLOT = /nonexistent/lr-plot: \"/nonexistent/lr-plot\" is not a command" d.out'
(cd d && make -s -f "$M" clean TRAIN=no-such-train) > d.out 2>&1
tok 'make clean needs no command' "cat d.out; [ $? = 0 ]"

# ---- the README's commands, as written, in a folder beside examples/

mkdir -p readme && ln -s "$top/examples" readme/examples
awk '/^## / { on = ($0 == "## Experiments with make") } on' "$top/README.md" |
    awk '/^```/ { code = !code; next } code' > readme.sh
tok 'the README has the section and its commands' '[ "$(grep -c make readme.sh)" -ge 3 ]'
# Small: seeds 1 and 2 with the weight decay of the configuration the
# README touches.
(cd readme && WDS=1e-4 sh -ex ../readme.sh) > readme.out 2>&1
tok 'the README commands run' "tail -n 30 readme.out; [ $? = 0 ]"

tok 'the README: touching one configuration reruns its two runs' 'grep -qx 2 readme.out'
tok 'the README: seed 4 added to the summary' 'grep -q "^s4_wd1e-4,4,1e-4," readme/exp/summary.csv && [ "$(wc -l < readme/exp/summary.csv)" = 5 ]'
