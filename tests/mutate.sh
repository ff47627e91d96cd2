#!/bin/sh
# mutate.sh [-an] [SUITE...]: break the code on purpose, once per mutation
# of the table below, and check that the suite named for it fails.  A
# suite that still passes cannot catch that breakage: the mutation
# SURVIVED, and the exit status is 1.  So is a mutation that no longer
# applies (its sed expression changes nothing: the code it broke has
# moved; point it at the code as it is now) or that does not build.
#
# The tree is copied once (the files git knows, as they are in the work
# tree, into a temporary folder) and built once; then each mutation is
# applied to its file, the tree rebuilt (make's own incremental build),
# the one suite run until its first failure, and the file put back.
# About 3 minutes on 2 cores (with -a, whole suites: about 9).
#
#	-a	run every test of the suite, and count those that fail
#	-n	only check that every mutation still applies (no build)
#	SUITE	only the mutations of these suites
#
# A suite is an end-to-end suite (tests/e2e/SUITE.sh, run by
# tests/run.sh), a unit test (check_NAME: tests/check_NAME), or lint
# (make lint).
top=$(cd "$(dirname "$0")/.." && pwd)

# The mutations, one a line: SUITE | FILE | SED EXPRESSION | WHAT IT BREAKS
# (split at the first two " | " and the last one: the description must not
# hold " | ", the expression may).
# Lines starting with # are comments.  Mutations of tools/sweep-run.c and
# tools/lr-confirm.c are marked MOVING: that code is to move into lib/,
# where the mutation will then have to point.
mutations() {
	cat <<'EOF'
ema-smooth | lib/ema.c | s/if (o->start == LRK_EMA_ZERO) {/if (o->start != LRK_EMA_FIRST) {/ | forgets the debias: the default start is the biased EMA from zero
ema-smooth | lib/ema.c | s/return pow(0\.5, (t - e->last_time) \/ o->halflife);/return pow(0.5, (t - e->last_time) \/ o->halflife \/ 2);/ | a --halflife twice as long as asked
ema-smooth | lib/ema.c | s/case LRK_EMA_SKIP:/case LRK_EMA_SKIP: e->poisoned = 1;/ | --nan skip (the default) poisons the rest of the curve
ema-smooth | lib/ema.c | s/return d->best > 0 && smoothed > k \* d->best;/return smoothed > k * d->best;/ | the divergence ratio applied to a loss at or below 0
check_ema | lib/ema.c | s/if (o->start == LRK_EMA_ZERO) {/if (o->start != LRK_EMA_FIRST) {/ | forgets the debias
lr-confirm | lib/rank.c | s/return a->median < b->median ? -1 : 1;/return a->median > b->median ? -1 : 1;/ | ranks backwards: the highest loss first
check_rank | lib/rank.c | s/return a->unfinished < b->unfinished ? -1 : 1;/return a->unfinished > b->unfinished ? -1 : 1;/ | prefers the candidate whose runs diverged
lr-confirm | lib/halving.c | s/n = (n + 2) \/ 3;/n = (n + 1) \/ 2;/ | successive halving keeps half, not a third
check_rank | lib/rank.c | s/if (finished\[i\] && isfinite(metric\[i\]))/if (isfinite(metric[i]))/ | a run that diverged or failed counts in the median
lr-confirm | lib/rank.c | s/snprintf(buf, sizeof(buf), "%.3g", suggestion \* factors\[i\]);/snprintf(buf, sizeof(buf), "%.2g", suggestion * factors[i]);/ | the candidates rounded to two digits, not three
check_rank | lib/rank.c | s/return a->median < b->median ? -1 : 1;/return a->median > b->median ? -1 : 1;/ | ranks backwards
lr-import | lib/tfevents.c | s/if (get_le(tail, 4) != lrk_crc32c_masked(\*buf, (size_t)length)) {/if (0) {/ | an event record whose data checksum is wrong is read
lr-import | lib/dense.c | s/if (d->split_seen && x < d->split_last)/if (d->split_seen \&\& x <= d->split_last)/ | --split-restarts: a repeated value starts a new run
lr-import | lib/dense.c | /^merge_row(/,/^}/s/if (lrk_num_is_missing(cells\[i\].data, cells\[i\].len))/if (0)/ | --merge: a missing cell overwrites the value before it
lr-plot | lib/plot.c | s/return f->top + (f->y1 - loss) \/ (f->y1 - f->y0) \* f->height;/return f->top + (loss - f->y0) \/ (f->y1 - f->y0) * f->height;/ | the loss axis upside down
lr-plot | lib/plot.c | s/digits\[i\] == '-' ? "\\xe2\\x81\\xbb" :/digits[i] == '-' ? "-" :/ | a decade's minus sign is no superscript
lr-plot | lib/plot.c | s/if (norm < 2\.25)/if (norm < 1.75)/ | other tick steps on the loss axis
lr-suggest | lib/suggest.c | s/p->lr = c->lr\[p->at\] \/ 10;/p->lr = c->lr[p->at];/ | minimum: the lr at the least loss, not a tenth of it
lr-suggest | lib/suggest.c | s/idx = start + (long)sections + (long)(sections \/ 2);/idx = start + (long)sections;/ | valley: a third of the way down, not a half
lr-suggest | lib/suggest.c | /^steep(/,/^}/s/g < best/g > best/ | steep: the steepest rise, not the steepest descent
lr-suggest | lib/suggest.c | s/sum += loss\[j\]\[i\] \/ (double)k;/sum += loss[0][i] \/ (double)k;/ | pooled: the first run only
lr-suggest | lib/suggest.c | s/level = c->loss\[bottom\] \/ 2 + c->loss\[top\] \/ 2;/level = c->loss[bottom] \/ 4 + 3 * c->loss[top] \/ 4;/ | halfway: a quarter of the way down
lrsched | lib/sched.c | s/r = (double)k \/ (double)(g->n - 1);/r = (double)k \/ (double)g->n;/ | range: the last step short of end
lrsched | lib/sched.c | s/ends\[0\] = g->pct \* (double)g->n - 1;/ends[0] = g->pct * (double)g->n;/ | onecycle: the peak a step late
lrsched | lib/sched.c | s/f = 1 \/ pow(2\., cycle - 1);/f = 1 \/ pow(2., cycle);/ | cyclic triangular2: halved from the first cycle
lrsched | lib/sched.c | s/if (g->milestones\[mid\] <= (double)k)/if (g->milestones[mid] < (double)k)/ | multistep: each drop a step late
lrsched | lib/sched.c | s/return end + (start - end) \/ 2\.0 \* (cos(M_PI \* pct) + 1);/return end + (start - end) \/ 2.0 * (cos(M_PI * pct * 0.99) + 1);/ | the cosine anneal stops short of its end
check_sched | lib/sched.c | s/r = (double)k \/ (double)(g->n - 1);/r = (double)k \/ (double)g->n;/ | range: the last step short of end
sweep-run | lib/proc.c | s/if (!l->eof && avail < LRK_LINE_MAX) {/if (avail < LRK_LINE_MAX) {/ | drops the final row when the child's last line has no newline
sweep-run | lib/pool.c | /write_row(s, cl, 1);/d | drops the final row after the schedule (the held-out evaluation)
sweep-run | lib/proc.c | s/prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 ||/0 ||/ | a child outlives sweep-run killed with kill -9
sweep-run | lib/pool.c | s/if (status > LRK_RUN_DIVERGED)/if (status > LRK_RUN_DIVERGED || p->failed)/;s/pool_fail(p, "%s: write error: %s",/slot_warn(s, "%s: write error: %s",/;s/if (p->failed)\n//;s/\t\tstatus = LRK_RUN_STOPPED;\n\tif (s->has_file) {/\tif (s->has_file) {/ | a run file that cannot be written is taken for the run's failure
lr-confirm | lib/confirm.c | s/flock(c->lock_fd, LOCK_EX | LOCK_NB) != 0/0/ | two confirmations into one folder both train
lr-confirm | lib/confirm.c | s/if (st == LRK_RUN_NONE || (c->o.rerun_failed \&\&/if (st != LRK_RUN_DONE || (c->o.rerun_failed \&\&/ | --resume trains the failed runs of earlier rounds again
lr-confirm | lib/grid.c | s/if (n == len \&\& memcmp(p + 1, name, len) == 0)/if (n >= len \&\& memcmp(p + 1, name, len) == 0)/ | $max_steps passes for $max
lr-confirm | lib/sched.c | s/x = floor(x \* fraction + 0.5);/x = floor(x + 0.5);/ | --fraction trains round 1 on the whole schedule
check_sweep | lib/sweep.c | s/lrk_buf_str(b, "\\\\t");/lrk_buf_char(b, ' ');/ | a tab in a parameter value is written as a blank: the joblog does not read back
check_confirm | lib/confirm.c | s/return lrk_halving_run(c->halving, run_cand(c, k), run_seed(c, k),/return 0 \&\& lrk_halving_run(c->halving, run_cand(c, k), run_seed(c, k),/ | --resume trains the recorded runs again
sweep-run | lib/protocol.c | s/if (len > 0 && s\[len - 1\] == '\\r')/if (0)/ | a loss ending in CR (CRLF output) is a log line
sweep-run | lib/run.c | s/} else if (r->steps < nsteps) {/} else if (r->steps + 1 < nsteps) {/ | a run one loss short is done
sweep-run | lib/grid.c | s/(open > arg && open\[-1\] == '\$')) {/0) {/ | ${NAME}, the shell's, is replaced too
sweep-run | lib/protocol.c | /^names_loss(/,/^}/s/strncasecmp/strncmp/ | a header's Loss column is not the loss
sweep-run | lib/proc.c | s/return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);/return 0;/ | a grandchild in a session of its own (setsid) is left running
check_grid | lib/grid.c | s/(open > arg && open\[-1\] == '\$')) {/0) {/ | ${NAME}, the shell's, is replaced too
cluster | lib/sweep.c | s/open(path, O_RDWR | O_APPEND | O_CLOEXEC)/open(path, O_RDWR | O_CLOEXEC)/ | the joblog is written from its start, not appended to
cluster | lib/sweep.c | /^lrk_run_file_done(/,/^}/s/^\t\tr = 1;$/\t\tr = 0;/ | --resume runs the finished runs again
completion | completions/lrkit | d | the completion file is empty
completion | completions/lrkit | s/\[\[ \$w == --\* && -z \$long \]\] && long=\$w/:/ | a short option is not known by its long name
ddp | examples/ddp_train.py | s/print(total\.item() \/ world, flush=True)/print(total.item(), flush=True)/ | the loss summed over the ranks, not their mean
experiment | examples/experiment/Makefile | /^\.DELETE_ON_ERROR/,${/^\t\t/!s/^\t\(@\{0,1\}\)/\t\1false \&\& /;} | every recipe of the experiment fails
experiment | examples/experiment/summary.awk | s/status = f\[nf\]/if (status == "") status = f[nf]/ | the summary's status is the joblog header's, not the run's
hostile | lib/num.c | s/(errno == ERANGE && isinf(x)) || copy\[0\] == '('/copy[0] == '('/ | 1e400 reads as infinity
hostile | lib/num.c | s/if (memchr(s, '\\0', len) != NULL)/if (0)/ | a number cut short by a NUL byte is read
hostile | lib/table.c | s/} else if (row\.count < t->ncols) {/} else if (row.count + 1 < t->ncols) {/ | a row one cell short is taken
mlp-train | examples/mlp-train.c | s/m->wc\.g\[f \* 9 + i \* 3 + j\] += g \*/m->wc.g[f * 9 + i * 3 + j] -= g */ | the filters' gradient has the wrong sign
mlp-train | examples/mlp-train.c | s/p->m\[i\] = t == 1 ? g : mom \* p->m\[i\] + g;/p->m[i] = g;/ | SGD without momentum
names | lib/plot_svg.c | /^xml_text(/,/^}/s/fputs("&lt;", fp);/fputc('<', fp);/ | a < in a name is not escaped in the SVG
names | lib/plot_text.c | /^put_clean(/,/^}/s/r = put(l, clean);/r = put(l, s);/ | the text plot prints names with their control characters
progress | lib/progress.c | s/\tr = lrk_console_clear(c);/\tr = 0;/ | the status line is left on the screen at the end
progress | lib/progress.c | s/return lrk_console_on(c) \&\& !c->force \&\&/return 0 \&\& !c->force \&\&/ | a job in the background draws its line over the foreground's screen
progress | lib/progress.c | /^lrk_console_tick(/,/^}/{/lrk_progress_hold(c->line, now);/d;} | a job in the background polls without sleeping: its line is always due
progress | lib/progress.c | s/return lrk_console_on(c) \&\& !c->force \&\&/return lrk_console_on(c) \&\&/ | --progress draws no line in the background (under timeout)
check_progress | lib/progress.c | /^lrk_progress_hold(/,/^}/s/p->shown = 0;/;/ | a held line is redrawn under a message
progress | lib/progress.c | /^lrk_progress_message(/,/^}/s/lrk_buf_str(out, "\\r\\033\[K");/;/ | a message is written after the status line, not in its place
progress | lib/pool.c | s/(p->o.console != NULL \&\& lrk_console_on(p->o.console)) ?/0 ?/ | at -j 1 the child writes its stderr to the terminal itself, over the status line
progress | lib/pool.c | s/if (p->o.console != NULL \&\& !isinf(due =/if (0 \&\& !isinf(due =/ | the status line is drawn only when a run starts or ends: its clock stands still
progress | lib/progress.c | s/lrk_progress_set_width(c->line, lrk_progress_width(c->q.fd));// | SIGWINCH: the line keeps the old width
progress | lib/progress.c | s/return o->rows_fd < 0 || !lrk_progress_same_output(o->rows_fd,/return 1 || !lrk_progress_same_output(o->rows_fd,/ | the status line among the rows on the same terminal
# Killing the group alone is no mutation: sweep-run adopts the orphans
# (PR_SET_CHILD_SUBREAPER) and kills them too, and the reverse.
stress | lib/proc.c | s/if (kill(-p->pid, sig) == 0)/if (kill(p->pid, sig) == 0)/;s/return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);/return 0;/ | a run's grandchildren are left running: its group is not killed, its orphans not adopted
stress | lib/proc.c | s/pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK)/pipe2(signal_pipe, O_NONBLOCK)/;s/close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0/0/ | a child inherits sweep-run's descriptors (its signal pipe)
check_proc | lib/proc.c | s/sigprocmask(SIG_SETMASK, &c->empty, NULL);/;/ | a child starts with every signal blocked (the mask sweep-run spawns it under)
check_proc | lib/proc.c | s/(void)write(c->report, &e, sizeof(e));/;/ | an exec that fails in the child is taken for a child that ran
check_proc | lib/proc.c | s/if (!failed && lrk_buf_char(&list, ' ') != 0)/if (0)/ | two threads' lists of children run together: pids that are no child
check_proc | lib/proc.c | s/pid <= INT_MAX && !kept(pid, keep, nkeep))/pid <= INT_MAX)/ | a run named in the kernel's lists of children is taken for an orphan and killed
check_proc | lib/proc.c | s/if (kept(pid, keep, nkeep) || pid == self)/if (pid == self)/ | a run found by the scan of /proc is taken for an orphan and killed
check_proc | lib/proc.c | s/WEXITED | WNOHANG | WNOWAIT) == 0 &&/WEXITED | WNOHANG) == 0 \&\&/ | lrk_child_ended reaps the child it finds
lint | tests/e2e/lrsched.sh | /^tok '--help' /s/'$/ || cat got'/ | a test that ends in || cat
lint | tests/e2e/lrsched.sh | /^tok '--help' /s/'lrsched --help/'echo "SKIP: no help"; exit 0; lrsched --help/ | a test that prints SKIP and passes
lint | man/lrsched.1 | 0,/^\.El$/{/^\.El$/d;} | a list in a man page without its end (.El)
EOF
}

only_check=0
LRKIT_FAIL_FAST=1
while getopts an opt; do
	case $opt in
	a)	LRKIT_FAIL_FAST= ;;
	n)	only_check=1 ;;
	*)	echo "usage: sh tests/mutate.sh [-an] [SUITE...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
export LRKIT_FAIL_FAST
# wanted SUITE [ASKED...]: is SUITE one of those asked for (all when none)?
wanted() {
	want=$1
	shift
	[ $# -eq 0 ] && return 0
	for s in "$@"; do
		[ "$s" = "$want" ] && return 0
	done
	return 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/lrkit-mutate.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tree=$work/tree
mkdir "$tree"

# The table, one mutation a line: SUITE, FILE, EXPRESSION, WHAT, tab
# separated, for the suites asked for.
mutations | while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	suite=${line%% | *}
	rest=${line#* | }
	file=${rest%% | *}
	rest=${rest#* | }
	what=${rest##* | }
	expr=${rest% | *}
	wanted "$suite" "$@" || continue
	printf '%s\t%s\t%s\t%s\n' "$suite" "$file" "$expr" "$what"
done > "$work/table"
[ -s "$work/table" ] || { echo "mutate.sh: no mutation of the suites $*" >&2; exit 2; }

# The copy: what git knows (committed or not, ignored files left out), as
# it is in the work tree; outside a git checkout, everything.
if files=$(cd "$top" && git ls-files -co --exclude-standard 2> /dev/null); then
	printf '%s\n' "$files" | while IFS= read -r f; do
		[ -e "$top/$f" ] && printf '%s\n' "$f"
	done > "$work/files"
	(cd "$top" && tar -cf - -T "$work/files") | (cd "$tree" && tar -xf -)
else
	cp -R "$top/." "$tree" && make -s -C "$tree" clean > /dev/null
fi || { echo "mutate.sh: cannot copy the tree" >&2; exit 1; }

# checks: the unit tests the table names, to build with the tools.
checks=$(cut -f 1 "$work/table" | sed -n 's|^check_|tests/check_|p' | sort -u)
build() {
	make -s -j2 -C "$tree" all $checks > "$work/build.log" 2>&1
}
if [ $only_check = 0 ]; then
	echo "mutate.sh: building a copy of the tree"
	build || { tail -n 20 "$work/build.log"; echo "mutate.sh: the unmutated tree does not build" >&2; exit 1; }
fi

# run SUITE: the suite against the tree; exit status 0 when it passed, and
# in $work/count what failed (the first test, or how many with -a).
run() {
	case $1 in
	check_*)
		CK_VERBOSITY=normal timeout 300 "$tree/tests/$1" > "$work/suite.log" 2>&1
		st=$?
		sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\)$/\2 \3 \1/p' "$work/suite.log" |
		    awk '{ print $1 + $2 " of " $3 " checks failed" }' > "$work/count" ;;
	lint)
		make -s -C "$tree" lint > "$work/suite.log" 2>&1
		st=$?
		sed -n '1s/^\(.\{1,70\}\).*/failed: \1/p' "$work/suite.log" > "$work/count" ;;
	*)
		timeout 300 sh "$tree/tests/run.sh" "$1" > "$work/suite.log" 2>&1
		st=$?
		if [ -n "$LRKIT_FAIL_FAST" ]; then
			sed -n "s/^FAIL $1: \(.\{1,60\}\).*/failed: \1/p" "$work/suite.log" | head -n 1
		else
			sed -n "s/^$1: \([0-9]*\) tests, \([0-9]*\) failed, .*/\2 of \1 tests failed/p" "$work/suite.log"
		fi > "$work/count" ;;
	esac
	[ $st = 124 ] && echo "stopped at its time limit, 300 s" > "$work/count"
	return $st
}

# The suites that take seconds (lint, unit tests) run once as they are: one
# that fails already would seem to kill its mutations.  (The end-to-end
# suites are make check's, to run before this: CI does.)
: > "$work/failing"
if [ $only_check = 0 ]; then
	for suite in $(cut -f 1 "$work/table" | sort -u); do
		case $suite in lint|check_*) ;; *) continue ;; esac
		if ! run "$suite" < /dev/null; then
			echo "FAILS    $suite: without any mutation:"
			head -n 5 "$work/suite.log" | sed 's/^/    /'
			echo "$suite" >> "$work/failing"
		fi
	done
fi

# say WORD TEXT: the line of one mutation.
say() {
	printf '%-8s %s: %s\n' "$1" "$suite" "$2"
}

started=$(date +%s)
tab=$(printf '\t')
while IFS="$tab" read -r suite file expr what; do
	target=$tree/$file
	if [ ! -f "$target" ]; then
		say GONE "$file: no such file ($what)"
		echo "$suite gone" >> "$work/results"
		continue
	fi
	cp "$target" "$work/orig"
	if ! sed -e "$expr" "$work/orig" > "$target" 2> "$work/sed.log" ||
	    cmp -s "$work/orig" "$target"; then
		cat "$work/orig" > "$target"
		say GONE "$file: the mutation no longer applies: $expr ($what) $(cat "$work/sed.log")"
		echo "$suite gone" >> "$work/results"
		continue
	fi
	if [ $only_check = 1 ]; then
		cat "$work/orig" > "$target"
		say applies "$file: $what"
		continue
	fi
	if grep -qx "$suite" "$work/failing"; then
		cat "$work/orig" > "$target"
		say UNTESTED "$file: $what (the suite fails without it)"
		echo "$suite untested" >> "$work/results"
		continue
	fi
	t0=$(date +%s)
	if ! build < /dev/null; then
		cat "$work/orig" > "$target"
		say BROKEN "$file: the mutated tree does not build: $expr ($what)"
		sed -n '/error/p' "$work/build.log" | head -n 3 | sed 's/^/    /'
		echo "$suite broken" >> "$work/results"
		continue
	fi
	if run "$suite" < /dev/null; then
		say SURVIVED "$file: $what ($(($(date +%s) - t0)) s)"
		echo "$suite survived" >> "$work/results"
	else
		say killed "$file: $what ($(cat "$work/count"), $(($(date +%s) - t0)) s)"
		echo "$suite killed" >> "$work/results"
	fi
	# Back as it was, with a new time, so that make rebuilds it.
	cat "$work/orig" > "$target"
done < "$work/table"
[ $only_check = 1 ] && { [ ! -s "$work/results" ]; exit; }

echo "mutate.sh: per suite, mutations killed ($(($(date +%s) - started)) s):"
awk '
	{ n[$1]++; if ($2 == "killed") k[$1]++; else bad++ }
	END {
		for (s in n) printf "  %-12s %d of %d\n", s, k[s], n[s] | "sort"
		close("sort")
		exit bad > 0
	}
' "$work/results"
