# The experiment Makefile (examples/experiment/Makefile) end to end, on a
# small size: the whole run with -j2 and its outputs, the rebuild after one
# configuration is touched, a make stopped by Ctrl-C and one killed outright
# (no target that looks complete but is not; the next make completes), a
# TRAIN that names no command, and the README's "Experiments with make"
# commands as written.
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

# complete: every target in the folder is whole; prints what is not.  A
# range test or a 1cycle run is whole when its joblog has its row, done or
# diverged, and has as many rows as the run's file; a smoothed curve has
# the rows of its range test; an lr is one number; the summary has a row a
# configuration; a plot is well-formed SVG.
cat > bin/complete <<'EOF'
#!/bin/sh
ls plots/*.svg > /dev/null 2>&1 && { xmllint --noout plots/*.svg 2>&1 ||
	echo "plots: not well-formed"; }
exec awk '
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
		print f ": joblog status \"" st "\""
	getline l < f
	if (l !~ /^run,seed,wd,step,lr,loss/)
		print f ": header " l
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
		print f ": not the parameters of conf/" c
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
				print f ": not the rows of range/" c "/run-0.csv"
			if (first[f] !~ /,loss_smooth$/)
				print f ": no loss_smooth"
		} else if (f ~ /^lr\//) {
			if (rows(f) != 1 || first[f] !~ /^[0-9.e+-]+$/)
				print f ": not one number"
		} else if (f == "summary.csv" && rows(f) != 5)
			print f ": not 4 rows"
	}
}'
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

# ---- the whole experiment

mkdir a
(cd a && umask 022 && make -s -f "$M" -j2) > a.out 2>&1
tok 'make -j2 runs the experiment' "[ $? = 0 ] && [ -e a/summary.csv ] || cat a.out"

tok 'every target is complete' 'cd a && [ -z "$(complete)" ] || complete'
tok 'the summary: a row per configuration' 'cd a && awk -F, '\''
	NR == 1 { ok = $0 == "config,seed,wd,lr,status,final_loss"; next }
	{ ok = ok && ($5 == "done" || $5 == "diverged") && $4 > 0 && $6 > 0
	  seen = seen " " $1 }
	END { exit !(ok && seen == " s1_wd0 s1_wd1e-3 s2_wd0 s2_wd1e-3") }
'\'' summary.csv || cat summary.csv'
# The suggestion is lr-suggest's, and the 1cycle run had exactly lrsched's
# schedule at it.
for c in $CONFIGS; do
	tok "lr/$c is lr-suggest's minimum" \
	    "cd a && [ \"\$(lr-suggest -m minimum smooth/$c.csv)\" = \"\$(cat lr/$c)\" ]"
	tok "fit/$c ran 1cycle at lr/$c" \
	    "cd a && lrsched onecycle max=\$(cat lr/$c) n=30 | sed 1d > want &&
	     cut -d, -f4,5 fit/$c/run-0.csv | sed 1d | cmp - want"
done
tok 'a plot per weight decay, a curve per seed' 'cd a &&
	grep -c "legend-entry.*smooth/s[12]_wd1e-3.csv<" plots/range-wd1e-3.svg | grep -qx 2 &&
	grep -q "suggestion-label.*minimum" plots/range-wd0.svg'
tok 'nothing left to do' 'cd a && make -q -f "$M"'
# Every result readable as a redirection's output would be (umask 022).
tok 'the files have the umask'"'"'s mode' 'cd a && [ -z "$(find . -type f ! -perm 644)" ] || find . -type f ! -perm 644 -ls'

# ---- touching one configuration reruns only what depends on it

# Every file one minute old, the configuration touched now.
(cd a && find . -type f -exec touch -d '1 minute ago' {} + &&
    touch -d '30 seconds ago' ../marker && touch conf/s1_wd0)
(cd a && make -n -f "$M") > a.n 2>&1
tok 'make -n: the touched configuration' 'grep -c -- "-o range/s1_wd0 \|-o fit/s1_wd0 \|ema-smooth range/s1_wd0/\|lr-suggest -m minimum smooth/s1_wd0.csv" a.n | grep -qx 4 || cat a.n'
tok 'make -n: no other configuration' '! grep -- "-o range/s2\|-o range/s1_wd1e\|-o fit/s2\|-o fit/s1_wd1e\|range/s2.*/run-0.csv >\|smooth/s2.*.csv >\|range-wd1e-3" a.n'
(cd a && make -s -f "$M" -j2) > a.out 2>&1
(cd a && find . -type f -newer ../marker | sort) > a.newer
tok 'the rebuild: that configuration, the summary and its plots' 'cmp a.newer - <<EOT || diff a.newer - <<EOT2
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
EOT
EOT2'
tok 'after the rebuild, complete' 'cd a && [ -z "$(complete)" ] || complete'

# ---- interrupted: Ctrl-C (SIGINT to make's process group), then kill -9

# interrupt SIGNAL DIR: start make -j2 in DIR with seed 2 slow, send SIGNAL
# to its process group once seed 2's two range tests run at once (seed 1's
# are done by then); prints how many ran at once.
cat > bin/interrupt <<'EOF'
#!/bin/sh
sig=$1
mkdir "$2" && cd "$2" || exit 1
touch slow
setsid make -s -f "$M" -j2 TRAIN='slow-train --seed {seed} --wd {wd}' \
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
tok 'Ctrl-C: -j2 ran two range tests at once' 'grep -qx 2 b.most || cat b.most b.err'
tok 'Ctrl-C: seed 2 has no range test, no summary' 'cd b && ! ls range/s2_*/run-0.csv summary.csv plots/range-wd*.svg 2>&1 | grep -v "No such"'
tok 'Ctrl-C: seed 1 was kept' 'cd b && [ -e range/s1_wd0/run-0.csv ] && [ -e range/s1_wd1e-3/run-0.csv ]'
tok 'Ctrl-C: every target there is complete' 'cd b && [ -z "$(complete)" ] || complete'
tok 'Ctrl-C: sweep-run removed its temporary files' 'cd b && [ -z "$(ls -a range/* fit/* | grep "^\.run")" ]'
(cd b && make -s -f "$M" -j2 TRAIN='slow-train --seed {seed} --wd {wd}') > b.out 2>&1
tok 'Ctrl-C: the next make completes' "[ $? = 0 ]"' && cd b && [ -e summary.csv ] && [ -z "$(complete)" ] && make -q -f "$M" || cat ../b.out'
tok 'Ctrl-C: seed 1 was not run again' 'cd b && [ "$(wc -l < range/s1_wd0/joblog.tsv)" = 2 ]'

interrupt KILL c > c.most 2> c.err
tok 'kill -9: no summary' 'cd c && [ ! -e summary.csv ]'
tok 'kill -9: every target there is complete' 'cd c && [ -z "$(complete)" ] || complete'
(cd c && make -s -f "$M" -j2 TRAIN='slow-train --seed {seed} --wd {wd}') > c.out 2>&1
tok 'kill -9: the next make completes' "[ $? = 0 ]"' && cd c && [ -e summary.csv ] && [ -z "$(complete)" ] && make -q -f "$M" || cat ../c.out'

# ---- a command that is not one

mkdir d
(cd d && make -f "$M" TRAIN='no-such-train --seed {seed}') > d.out 2>&1
tok 'TRAIN naming no command: an error before anything runs' "[ $? = 2 ]"' &&
	grep -q "TRAIN = no-such-train --seed {seed}: \"no-such-train\" is not a command" d.out &&
	[ -z "$(ls d)" ] || cat d.out'
(cd d && make -f "$M" LR_PLOT=/nonexistent/lr-plot) > d.out 2>&1
tok 'LR_PLOT naming no command: an error' "[ $? = 2 ]"' &&
	grep -q "LR_PLOT = /nonexistent/lr-plot: \"/nonexistent/lr-plot\" is not a command" d.out || cat d.out'
(cd d && make -s -f "$M" clean TRAIN=no-such-train) > d.out 2>&1
tok 'make clean needs no command' "[ $? = 0 ]"' || cat d.out'

# ---- the README's commands, as written, in a folder beside examples/

mkdir -p readme && ln -s "$top/examples" readme/examples
awk '/^## / { on = ($0 == "## Experiments with make") } on' "$top/README.md" |
    awk '/^```/ { code = !code; next } code' > readme.sh
tok 'the README has the section and its commands' '[ "$(grep -c make readme.sh)" -ge 3 ]'
# Small: seeds 1 and 2 with the weight decay of the configuration the
# README touches.
(cd readme && WDS=1e-4 sh -ex ../readme.sh) > readme.out 2>&1
tok 'the README commands run' "[ $? = 0 ]"' || tail -n 30 readme.out'
tok 'the README: touching one configuration reruns its two runs' 'grep -qx 2 readme.out'
tok 'the README: seed 4 added to the summary' 'grep -q "^s4_wd1e-4,4,1e-4," readme/exp/summary.csv && [ "$(wc -l < readme/exp/summary.csv)" = 5 ]'
