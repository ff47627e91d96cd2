# sweep-run as a job array runs it: many --index processes, started by a
# scheduler, sharing one -o folder.  No scheduler needed (the real Slurm
# test is tests/slurm.sh, make check-slurm): the processes are started at
# once from the shell, which is harder on the shared joblog than Slurm's
# staggered starts.
C=$top/tests/children
S=$D/sweep/sched6.csv
export C S

# ---- an index past the grid: an error, and nothing written

t '--index N with N = the count: exit 2, no folder made' 2 \
    'sweep-run --index 6 -S "$S" -o past -p wd=0,1e-4 -p seed=1,2,3 -- "$C/const.sh"; st=$?; ls -A past 2>/dev/null; exit $st' \
    "sweep-run: --index: 6: the grid has 6 runs (0 to 5)
Try 'sweep-run --help' for more information." <<'EOF'
EOF

tok '--index far past the grid, in a folder other tasks wrote: nothing added' '
	sweep-run --index 0 -S "$S" -o some -p wd=0,1e-4 -p seed=1,2,3 -- "$C/const.sh" &&
	ls -A some > before && cp some/joblog.tsv joblog.before &&
	sweep-run --index 99 -S "$S" -o some -p wd=0,1e-4 -p seed=1,2,3 -- "$C/const.sh" 2> err
	st=$?; echo "status $st"; cat err
	[ $st = 2 ] && grep -q "^sweep-run: --index: 99: the grid has 6 runs (0 to 5)$" err &&
	ls -A some | cmp - before && cmp some/joblog.tsv joblog.before'

tok 'SLURM_ARRAY_TASK_ID past the grid (--array=0-7 for 6 runs): exit 2 for 6 and 7 only' '
	for SLURM_ARRAY_TASK_ID in 0 1 2 3 4 5 6 7; do
		sweep-run --index $SLURM_ARRAY_TASK_ID -S "$S" -o arr -p wd=0,1e-4 -p seed=1,2,3 -- "$C/const.sh" 2>/dev/null
		echo "$SLURM_ARRAY_TASK_ID $?"
	done > st
	cat st; ls -A arr
	[ "$(tr "\n" " " < st)" = "0 0 1 0 2 0 3 0 4 0 5 0 6 2 7 2 " ] &&
	[ $(ls arr | grep -c "^run-[0-5][.]csv$") = 6 ] && [ $(ls -A arr | wc -l) = 7 ] &&
	[ $(wc -l < arr/joblog.tsv) = 7 ]'

# ---- 32 array tasks at once into one folder
#
# Each task's joblog row is over 4 KB (a long parameter value, in the
# Command column and in its own), more than one pipe buffer and more
# than a stdio buffer, so that a row written in pieces would show.
awk 'BEGIN {
	for (i = 0; i < 32; i++) {
		s = sprintf("v%02d-", i)
		while (length(s) < 2100) s = s sprintf("%02d", i)
		print s
	}
}' > values
export values

tok '32 --index processes at once: every run file, the joblog whole, no torn line' '
	pids=
	for i in $(seq 0 31); do
		sweep-run --index $i -S "$S" -o many -p v=@values -- "$C/const.sh" {v} 2>> err32 &
		pids="$pids $!"
	done
	fail=0
	for p in $pids; do wait $p || fail=1; done
	echo "fail $fail"; head -n 5 err32
	[ $fail = 0 ] && [ ! -s err32 ] &&
	[ $(ls many | grep -c "^run-[0-9]*[.]csv$") = 32 ] &&
	[ -z "$(ls -A many | grep "^[.]")" ] &&
	[ $(wc -l < many/joblog.tsv) = 33 ] &&
	[ $(grep -c "^Seq	" many/joblog.tsv) = 1 ] &&
	awk -F "\t" -v values=values "
		BEGIN { while ((getline v < values) > 0) want[n++] = v }
		NR == 1 { if (\$1 != \"Seq\" || \$10 != \"v\" || \$11 != \"Status\") bad++; next }
		NF != 11 || \$11 != \"done\" || !(\$1 in want) || \$10 != want[\$1] ||
		    index(\$9, want[\$1]) == 0 || (\$1 in seen) { bad++; print \"torn: \" substr(\$0, 1, 80) }
		{ if (!(\$1 in seen)) nseen++; seen[\$1] = 1; if (length(\$0) > 4096) long++ }
		END { exit !(bad == 0 && nseen == 32 && long == 32) }
	" many/joblog.tsv &&
	awk -F , "
		FNR == 1 { k = FILENAME; sub(/.*run-/, \"\", k); sub(/[.]csv/, \"\", k); next }
		\$1 != k { bad++ }
		{ rows[k]++ }
		END { for (k in rows) if (rows[k] == 6) ok++; exit !(bad == 0 && ok == 32) }
	" many/run-*.csv'

tok 'the same 32 again with --resume: all skipped, the joblog unchanged' '
	cp many/joblog.tsv joblog.before
	pids=
	for i in $(seq 0 31); do
		sweep-run --resume --index $i -S "$S" -o many -p v=@values -- "$C/const.sh" {v} 2>> err2 &
		pids="$pids $!"
	done
	fail=0
	for p in $pids; do wait $p || fail=1; done
	[ $fail = 0 ] && [ ! -s err2 ] && cmp many/joblog.tsv joblog.before'
