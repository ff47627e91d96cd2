/*
 * Unit tests of lib/progress.c: the status line of sweep-run(1) and
 * lr-confirm(1), every rule it follows.
 */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "extern.h"

/* The line for c at now, as a string (static). */
static const char *
line_at(const char *name, int width, double start,
    const struct lrk_progress_counts *c, double now)
{
	static struct lrk_buf b;
	struct lrk_progress_options opt = { 1, name, width, start, 0 };

	lrk_buf_clear(&b);
	ck_assert_int_eq(lrk_progress_line(&b, &opt, c, now), 0);
	return b.data != NULL ? b.data : "";
}

static const char *
clock_text(double seconds, int round_up)
{
	static char buf[32];

	ck_assert_uint_eq(lrk_progress_time(buf, sizeof(buf), seconds,
	    round_up), strlen(buf));
	return buf;
}

/*
 * "--progress forces it when stderr is not a terminal; --quiet or a pipe
 * turns it off", and a terminal that cannot erase a line (TERM=dumb).
 */
START_TEST(test_enabled)
{
	ck_assert_int_eq(lrk_progress_enabled(0, 0, 1, "xterm"), 1);
	ck_assert_int_eq(lrk_progress_enabled(0, 0, 1, NULL), 1);
	ck_assert_int_eq(lrk_progress_enabled(0, 0, 0, "xterm"), 0);
	ck_assert_int_eq(lrk_progress_enabled(0, 0, 1, "dumb"), 0);
	ck_assert_int_eq(lrk_progress_enabled(0, 1, 0, "xterm"), 1);
	ck_assert_int_eq(lrk_progress_enabled(0, 1, 1, "dumb"), 1);
	ck_assert_int_eq(lrk_progress_enabled(1, 0, 1, "xterm"), 0);
	ck_assert_int_eq(lrk_progress_enabled(1, 1, 1, "xterm"), 0);
}
END_TEST

/* The elapsed time and the ETA as a clock shows them: 4:05, 1:02:03. */
START_TEST(test_time)
{
	ck_assert_str_eq(clock_text(0, 0), "0:00");
	ck_assert_str_eq(clock_text(7, 0), "0:07");
	ck_assert_str_eq(clock_text(245, 0), "4:05");
	ck_assert_str_eq(clock_text(3599, 0), "59:59");
	ck_assert_str_eq(clock_text(3600, 0), "1:00:00");
	ck_assert_str_eq(clock_text(3723, 0), "1:02:03");
	ck_assert_str_eq(clock_text(26 * 3600, 0), "26:00:00");
	/* Elapsed: down; an ETA: up, "0:01" while anything is left. */
	ck_assert_str_eq(clock_text(59.9, 0), "0:59");
	ck_assert_str_eq(clock_text(59.1, 1), "1:00");
	ck_assert_str_eq(clock_text(0.2, 1), "0:01");
	ck_assert_str_eq(clock_text(-5, 0), "0:00");
	ck_assert_str_eq(clock_text(NAN, 1), "0:00");
	ck_assert_str_eq(clock_text(1e300, 1), "99999:59:59");
	ck_assert_str_eq(clock_text(INFINITY, 1), "99999:59:59");
}
END_TEST

/*
 * The ETA: none until a run has finished here; the mean time of the runs
 * finished here for every run left, a running run's age taken off; the
 * work shared by the slots, never less than the running run with the
 * most left, nor, while a run waits, the first free slot plus the mean.
 */
START_TEST(test_eta)
{
	struct lrk_progress_counts c = { 0 };
	double started[4], now = 1000;

	c.total = 40;
	c.jobs = 4;
	ck_assert(isnan(lrk_progress_eta(&c, now)));
	c.finished = 12;
	c.failed = 1;
	ck_assert(isnan(lrk_progress_eta(&c, now)));	/* --resume's */
	/* Every slot busy, runs 30 s into their 60: 4 x 30 + 24 x 60 / 4. */
	c.timed = 12;
	c.time_sum = 12 * 60;
	c.running = 4;
	started[0] = started[1] = started[2] = started[3] = now - 30;
	c.started = started;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 390, 1e-9);
	/* Without the start times, the runs running have the mean left. */
	c.started = NULL;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 420, 1e-9);
	/* The last wave: the longest run left, not the work / 4. */
	c.started = started;
	c.total = 10;
	c.finished = 8;
	c.running = 2;
	started[0] = now - 10;
	started[1] = now - 50;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 50, 1e-9);
	/* A run waits for the first slot free (at 20 s), then takes 60. */
	c.finished = 5;
	c.running = 4;
	started[0] = now - 10;
	started[1] = now - 20;
	started[2] = now - 30;
	started[3] = now - 40;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 80, 1e-9);
	/* One run left and a slot free: the mean, not the mean / 4. */
	c.finished = 9;
	c.running = 0;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 60, 1e-9);
	/* A run older than the mean may end any moment. */
	c.total = 2;
	c.finished = 1;
	c.running = 1;
	started[0] = now - 100;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 0, 1e-9);
	/* --resume: 10 runs found done took no time here (mean 300 / 10). */
	c.total = 30;
	c.finished = 20;
	c.running = 0;
	c.timed = 10;
	c.time_sum = 300;
	c.jobs = 2;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 150, 1e-9);
	/* No -j given: the runs running are the slots, at least one. */
	c.jobs = 0;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 300, 1e-9);
	/* Everything finished. */
	c.finished = 30;
	ck_assert_double_eq_tol(lrk_progress_eta(&c, now), 0, 1e-9);
}
END_TEST

/* The counts of the line tests: 12/40, 4 running 30 s into their 60. */
static void
counts_12_40(struct lrk_progress_counts *c, double *started, double now)
{
	memset(c, 0, sizeof(*c));
	c->total = 40;
	c->finished = 12;
	c->failed = 1;
	c->running = 4;
	c->jobs = 4;
	c->timed = 12;
	c->time_sum = 12 * 60;
	started[0] = started[1] = started[2] = started[3] = now - 30;
	c->started = started;
}

/*
 * The line: runs finished, failed and running out of the total, the time
 * elapsed and the ETA (lr-confirm's: the round too, "round 2/3" or the
 * round number); no ETA before a run has finished; no width is 80.
 */
START_TEST(test_line)
{
	struct lrk_progress_counts c;
	double started[4], start = 1000, now = 1185;

	counts_12_40(&c, started, now);
	ck_assert_str_eq(line_at("sweep-run", 0, start, &c, now),
	    "sweep-run: 12/40 finished, 1 failed, 4 running, 3:05 elapsed, "
	    "ETA 6:30");
	ck_assert_str_eq(line_at(NULL, 80, start, &c, now),
	    "12/40 finished, 1 failed, 4 running, 3:05 elapsed, ETA 6:30");
	c.round = 2;
	c.rounds = 3;
	ck_assert_str_eq(line_at("lr-confirm", 100, start, &c, now),
	    "lr-confirm: round 2/3, 12/40 finished, 1 failed, 4 running, "
	    "3:05 elapsed, ETA 6:30");
	/* A round the plan did not count (a refill), or no plan: "round R". */
	c.round = 4;
	ck_assert_str_eq(line_at("lr-confirm", 100, start, &c, now),
	    "lr-confirm: round 4, 12/40 finished, 1 failed, 4 running, "
	    "3:05 elapsed, ETA 6:30");
	c.round = 1;
	c.rounds = 0;
	ck_assert_str_eq(line_at(NULL, 100, start, &c, now),
	    "round 1, 12/40 finished, 1 failed, 4 running, 3:05 elapsed, "
	    "ETA 6:30");
	c.timed = 0;
	c.round = 0;
	ck_assert_str_eq(line_at("sweep-run", 0, start, &c, start + 3723),
	    "sweep-run: 12/40 finished, 1 failed, 4 running, 1:02:03 "
	    "elapsed");
}
END_TEST

/*
 * Too wide for the terminal less one column: the parts go whole, the
 * name first, then the time elapsed, the runs running, the round, the
 * ETA, the failures; then the count alone; then it is cut.
 */
START_TEST(test_line_width)
{
	static const char *const want[] = {
		"sweep-run: round 2/3, 12/40 finished, 1 failed, 4 running, "
		    "3:05 elapsed, ETA 6:30",
		"round 2/3, 12/40 finished, 1 failed, 4 running, 3:05 elapsed, "
		    "ETA 6:30",
		"round 2/3, 12/40 finished, 1 failed, 4 running, ETA 6:30",
		"round 2/3, 12/40 finished, 1 failed, ETA 6:30",
		"12/40 finished, 1 failed, ETA 6:30",
		"12/40 finished, 1 failed",
		"12/40 finished",
		"12/40",
		"12/4",
		"12/",
		"12",
		"1",
		"",
	};
	struct lrk_progress_counts c;
	double started[4], start = 1000, now = 1185;
	char last[256] = "-";
	const char *s;
	size_t n = 0;
	int width;

	counts_12_40(&c, started, now);
	c.round = 2;
	c.rounds = 3;
	for (width = 200; width >= 1; width--) {
		s = line_at("sweep-run", width, start, &c, now);
		ck_assert_uint_le(strlen(s), (size_t)width - 1);
		if (strcmp(s, last) == 0)
			continue;
		ck_assert_uint_lt(n, sizeof(want) / sizeof(want[0]));
		ck_assert_str_eq(s, want[n]);
		/* Only when the line before no longer fits. */
		if (n > 0)
			ck_assert_uint_eq(strlen(want[n - 1]), (size_t)width);
		snprintf(last, sizeof(last), "%s", s);
		n++;
	}
	ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
	/* A part appears as soon as it fits. */
	s = line_at("sweep-run", (int)strlen(want[0]) + 1, start, &c, now);
	ck_assert_str_eq(s, want[0]);
	s = line_at("sweep-run", (int)strlen(want[0]), start, &c, now);
	ck_assert_str_eq(s, want[1]);
}
END_TEST

/* A test's status line: on, named "t", 80 columns, from 1000 s. */
static struct lrk_progress *
progress_new(int on)
{
	struct lrk_progress_options opt = { on, "t", 80, 1000, 0 };
	struct lrk_progress *p;

	p = lrk_progress_new(&opt);
	ck_assert_ptr_nonnull(p);
	return p;
}

/*
 * The line is drawn in place ("\r", the line, the rest erased), and only
 * when it changes, at most every LRK_PROGRESS_INTERVAL; a line held back
 * is due at the end of the interval, and with nothing new the next
 * second of the clock is.
 */
START_TEST(test_update)
{
	struct lrk_progress_counts c = { 0 };
	struct lrk_buf out = { 0 };
	struct lrk_progress *p = progress_new(1);

	c.total = 4;
	c.running = 1;
	c.jobs = 1;
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000.0, &out), 1);
	ck_assert_str_eq(out.data, "\rt: 0/4 finished, 0 failed, 1 running, "
	    "0:00 elapsed\033[K");
	lrk_buf_clear(&out);
	/* Nothing new: nothing drawn. */
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000.05, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_double_eq_tol(lrk_progress_deadline(p), 1001, 1e-9);
	/* A run ended 0.1 s after the last line: held back until 0.2 s. */
	c.finished = 1;
	c.timed = 1;
	c.time_sum = 0.1;
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000.1, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_double_eq_tol(lrk_progress_deadline(p),
	    1000 + LRK_PROGRESS_INTERVAL, 1e-9);
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000.15, &out), 0);
	ck_assert_int_eq(lrk_progress_update(p, &c,
	    1000 + LRK_PROGRESS_INTERVAL, &out), 1);
	ck_assert_str_eq(out.data, "\rt: 1/4 finished, 0 failed, 1 running, "
	    "0:00 elapsed, ETA 0:01\033[K");
	lrk_buf_clear(&out);
	/* The clock moves the line each second. */
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000.9, &out), 0);
	ck_assert_double_eq_tol(lrk_progress_deadline(p), 1001, 1e-9);
	ck_assert_int_eq(lrk_progress_update(p, &c, 1001.0, &out), 1);
	ck_assert(strstr(out.data, "0:01 elapsed") != NULL);
	lrk_buf_free(&out);
	lrk_progress_free(p);
}
END_TEST

/* A new width (SIGWINCH): the next line fits it. */
START_TEST(test_set_width)
{
	struct lrk_progress_counts c = { 0 };
	struct lrk_buf out = { 0 };
	struct lrk_progress *p = progress_new(1);

	c.total = 400;
	c.finished = 120;
	c.running = 4;
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000, &out), 1);
	ck_assert(strstr(out.data, "t: ") != NULL);
	lrk_buf_clear(&out);
	lrk_progress_set_width(p, 20);
	ck_assert_int_eq(lrk_progress_update(p, &c, 1001, &out), 1);
	ck_assert_str_eq(out.data, "\r120/400 finished\033[K");
	lrk_buf_free(&out);
	lrk_progress_free(p);
}
END_TEST

/*
 * A message while the line is shown: "\r\033[K", the message (a newline
 * added when it has none), the line again, the newest one.  When the
 * line is not shown (not drawn yet, cleared), the message and a newline
 * if it has none.
 */
START_TEST(test_message)
{
	struct lrk_progress_counts c = { 0 };
	struct lrk_buf out = { 0 };
	struct lrk_progress *p = progress_new(1);
	const char *line = "t: 0/4 finished, 0 failed, 1 running, "
	    "0:00 elapsed";
	char want[256];

	ck_assert_int_eq(lrk_progress_message(p, "before\n", 7, &out), 0);
	ck_assert_str_eq(out.data, "before\n");
	lrk_buf_clear(&out);
	c.total = 4;
	c.running = 1;
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000, &out), 1);
	lrk_buf_clear(&out);
	ck_assert_int_eq(lrk_progress_message(p, "run 3: hello\n", 13, &out),
	    0);
	snprintf(want, sizeof(want), "\r\033[Krun 3: hello\n%s\033[K", line);
	ck_assert_str_eq(out.data, want);
	lrk_buf_clear(&out);
	ck_assert_int_eq(lrk_progress_message(p, "no end", 6, &out), 0);
	snprintf(want, sizeof(want), "\r\033[Kno end\n%s\033[K", line);
	ck_assert_str_eq(out.data, want);
	lrk_buf_clear(&out);
	ck_assert_int_eq(lrk_progress_message(p, "", 0, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	/* The newest line, though an update held it back. */
	c.finished = 1;
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000.1, &out), 0);
	ck_assert_int_eq(lrk_progress_message(p, "a\nb\n", 4, &out), 0);
	ck_assert_str_eq(out.data, "\r\033[Ka\nb\nt: 1/4 finished, 0 failed, "
	    "1 running, 0:00 elapsed\033[K");
	lrk_buf_clear(&out);
	/* Nothing held back any more. */
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000.3, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	/* The final clear, then messages as they are. */
	ck_assert_int_eq(lrk_progress_clear(p, &out), 0);
	ck_assert_str_eq(out.data, "\r\033[K");
	lrk_buf_clear(&out);
	ck_assert_int_eq(lrk_progress_clear(p, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_int_eq(lrk_progress_message(p, "after\n", 6, &out), 0);
	ck_assert_str_eq(out.data, "after\n");
	lrk_buf_clear(&out);
	ck_assert_int_eq(lrk_progress_message(p, "open", 4, &out), 0);
	ck_assert_str_eq(out.data, "open\n");
	lrk_buf_free(&out);
	lrk_progress_free(p);
}
END_TEST

/*
 * Held (the job in the background): the line is taken for gone without a
 * byte, a message comes alone (no line redrawn under it), and nothing is
 * due for a second, held back or not; then the line is drawn again.
 */
START_TEST(test_hold)
{
	struct lrk_progress_counts c = { 0 };
	struct lrk_buf out = { 0 };
	struct lrk_progress *p = progress_new(1);

	c.total = 4;
	c.running = 1;
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000, &out), 1);
	lrk_buf_clear(&out);
	c.finished = 1;
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000.1, &out), 0);
	lrk_progress_hold(p, 1000.5);
	ck_assert_double_eq_tol(lrk_progress_deadline(p), 1001.5, 1e-9);
	ck_assert_int_eq(lrk_progress_message(p, "log\n", 4, &out), 0);
	ck_assert_str_eq(out.data, "log\n");
	lrk_buf_clear(&out);
	ck_assert_int_eq(lrk_progress_clear(p, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_int_eq(lrk_progress_update(p, &c, 1001.5, &out), 1);
	ck_assert_str_eq(out.data, "\rt: 1/4 finished, 0 failed, 1 running, "
	    "0:01 elapsed\033[K");
	lrk_buf_free(&out);
	lrk_progress_free(p);
}
END_TEST

/* Off (--quiet, a pipe): nothing drawn, messages as they are. */
START_TEST(test_off)
{
	struct lrk_progress_counts c = { 0 };
	struct lrk_buf out = { 0 };
	struct lrk_progress *p = progress_new(0);

	c.total = 4;
	ck_assert_int_eq(lrk_progress_update(p, &c, 1000, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	ck_assert(isinf(lrk_progress_deadline(p)));
	ck_assert_int_eq(lrk_progress_message(p, "x", 1, &out), 0);
	ck_assert_str_eq(out.data, "x");
	lrk_buf_clear(&out);
	ck_assert_int_eq(lrk_progress_clear(p, &out), 0);
	ck_assert_uint_eq(out.len, 0);
	lrk_buf_free(&out);
	lrk_progress_free(p);
}
END_TEST

/*
 * A terminal as the bytes make it: "\n" starts the next row (the tty's
 * ONLCR), "\r" goes to the first column, ESC [ K erases to the row's end,
 * any other byte is written over the cell under the cursor.
 */
struct screen {
	char	rows[512][128];
	int	row, col, nrows;
};

static void
screen_feed(struct screen *sc, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			sc->row++;
			sc->col = 0;
		} else if (s[i] == '\r')
			sc->col = 0;
		else if (s[i] == '\033' && i + 2 < len && s[i + 1] == '[' &&
		    s[i + 2] == 'K') {
			memset(sc->rows[sc->row] + sc->col, 0,
			    sizeof(sc->rows[0]) - (size_t)sc->col);
			i += 2;
		} else {
			ck_assert_int_lt(sc->col, 127);
			if ((int)strlen(sc->rows[sc->row]) < sc->col)
				memset(sc->rows[sc->row] + strlen(
				    sc->rows[sc->row]), ' ', (size_t)sc->col -
				    strlen(sc->rows[sc->row]));
			sc->rows[sc->row][sc->col++] = s[i];
		}
		ck_assert_int_lt(sc->row, 512);
		if (sc->row + 1 > sc->nrows)
			sc->nrows = sc->row + 1;
	}
}

/*
 * "The child's log lines and lrkit's messages are never torn by it": on
 * a screen fed every byte of a long mix of lines drawn, held back and
 * cleared, and messages (some without a newline), each message is a row
 * of its own, whole, in order; the status line is the last row while it
 * is shown; after the final clear that row is empty.
 */
START_TEST(test_screen)
{
	static struct screen sc;
	struct lrk_progress_counts c = { 0 };
	struct lrk_buf out = { 0 };
	struct lrk_progress *p = progress_new(1);
	char msg[64], want[64];
	double now = 1000;
	int i, k, r, nmsg = 0, first_msg_row = -1, shown = 0;
	unsigned int seed = 1;

	memset(&sc, 0, sizeof(sc));
	c.total = 300;
	c.jobs = 3;
	for (i = 0; i < 600; i++) {
		now += (double)(rand_r(&seed) % 100) / 400;
		k = rand_r(&seed) % 5;
		lrk_buf_clear(&out);
		if (k <= 1) {
			if (c.running > 0 && k == 0) {
				c.running--;
				c.finished++;
				c.timed++;
				c.time_sum += 3;
			} else if (c.running < c.jobs &&
			    c.finished + c.running < c.total)
				c.running++;
			r = lrk_progress_update(p, &c, now, &out);
			ck_assert_int_ge(r, 0);
			shown |= r;
		} else if (k == 4 && rand_r(&seed) % 20 == 0) {
			ck_assert_int_eq(lrk_progress_clear(p, &out), 0);
			shown = 0;
		} else {
			snprintf(msg, sizeof(msg), "run %d: message %d%s",
			    nmsg % 3, nmsg, nmsg % 4 == 0 ? "" : "\n");
			if (first_msg_row < 0)
				first_msg_row = sc.row;
			ck_assert_int_eq(lrk_progress_message(p, msg,
			    strlen(msg), &out), 0);
			nmsg++;
		}
		screen_feed(&sc, out.data != NULL ? out.data : "", out.len);
		/* Nothing ever goes past the row under the cursor. */
		ck_assert_int_eq(sc.nrows, sc.row + 1);
		/* The line is the cursor's row, and only while shown. */
		if (shown)
			ck_assert(strncmp(sc.rows[sc.row], "t: ", 3) == 0);
		else
			ck_assert_str_eq(sc.rows[sc.row], "");
	}
	lrk_buf_clear(&out);
	ck_assert_int_eq(lrk_progress_clear(p, &out), 0);
	screen_feed(&sc, out.data != NULL ? out.data : "", out.len);
	ck_assert_int_ge(nmsg, 100);
	ck_assert_int_eq(first_msg_row, 0);
	ck_assert_int_eq(sc.row, nmsg);
	for (i = 0; i < nmsg; i++) {
		snprintf(want, sizeof(want), "run %d: message %d", i % 3, i);
		ck_assert_str_eq(sc.rows[i], want);
	}
	ck_assert_str_eq(sc.rows[nmsg], "");
	lrk_buf_free(&out);
	lrk_progress_free(p);
}
END_TEST

/*
 * The width: the terminal's, else $COLUMNS when it is a positive number,
 * else 0 (80).
 */
START_TEST(test_width)
{
	struct winsize ws = { 0 };
	int fds[2], master, slave;

	ck_assert_int_eq(pipe(fds), 0);
	unsetenv("COLUMNS");
	ck_assert_int_eq(lrk_progress_width(fds[1]), 0);
	setenv("COLUMNS", "100", 1);
	ck_assert_int_eq(lrk_progress_width(fds[1]), 100);
	setenv("COLUMNS", "abc", 1);
	ck_assert_int_eq(lrk_progress_width(fds[1]), 0);
	setenv("COLUMNS", "-3", 1);
	ck_assert_int_eq(lrk_progress_width(fds[1]), 0);
	close(fds[0]);
	close(fds[1]);
	master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(slave, 0);
	ws.ws_col = 37;
	ws.ws_row = 10;
	ck_assert_int_eq(ioctl(slave, TIOCSWINSZ, &ws), 0);
	setenv("COLUMNS", "100", 1);
	ck_assert_int_eq(lrk_progress_width(slave), 37);
	unsetenv("COLUMNS");
	close(slave);
	close(master);
}
END_TEST

/*
 * One terminal on two descriptors, one pipe, one file; and not: two
 * terminals, a terminal and a pipe, two pipes, two files.
 */
START_TEST(test_same_output)
{
	int master[2], slave[2], fds[2], other[2], i, copy, f1, f2;
	char p1[] = "/tmp/check_progress.XXXXXX";
	char p2[] = "/tmp/check_progress.XXXXXX";

	for (i = 0; i < 2; i++) {
		master[i] = posix_openpt(O_RDWR | O_NOCTTY);
		ck_assert_int_ge(master[i], 0);
		ck_assert_int_eq(grantpt(master[i]), 0);
		ck_assert_int_eq(unlockpt(master[i]), 0);
		slave[i] = open(ptsname(master[i]), O_RDWR | O_NOCTTY);
		ck_assert_int_ge(slave[i], 0);
	}
	copy = open(ptsname(master[0]), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(copy, 0);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(lrk_progress_same_output(slave[0], copy), 1);
	ck_assert_int_eq(lrk_progress_same_output(slave[0], slave[0]), 1);
	ck_assert_int_eq(lrk_progress_same_output(slave[0], slave[1]), 0);
	ck_assert_int_eq(lrk_progress_same_output(slave[0], fds[1]), 0);
	ck_assert_int_eq(pipe(other), 0);
	ck_assert_int_eq(lrk_progress_same_output(fds[1], fds[1]), 1);
	ck_assert_int_eq(lrk_progress_same_output(fds[1], other[1]), 0);
	ck_assert_int_ge(f1 = mkstemp(p1), 0);
	ck_assert_int_ge(f2 = mkstemp(p2), 0);
	ck_assert_int_eq(lrk_progress_same_output(f1, f1), 1);
	ck_assert_int_eq(lrk_progress_same_output(f1, f2), 0);
	unlink(p1);
	unlink(p2);
	close(f1);
	close(f2);
	close(other[0]);
	close(other[1]);
	close(copy);
	close(fds[0]);
	close(fds[1]);
	for (i = 0; i < 2; i++) {
		close(slave[i]);
		close(master[i]);
	}
}
END_TEST

/* A terminal: its master and the slave end, the tool's side. */
static void
terminal(int *master, int *slave)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(*master, 0);
	ck_assert_int_eq(grantpt(*master), 0);
	ck_assert_int_eq(unlockpt(*master), 0);
	*slave = open(ptsname(*master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(*slave, 0);
}

/*
 * sweep-run(1): the line "is not drawn when the standard error is not a
 * terminal (unless --progress), when TERM is dumb, with -q, nor when the
 * rows go to the terminal of the standard error (no -o and the standard
 * output not redirected), even with --progress".
 */
START_TEST(test_console_wanted)
{
	struct lrk_console_options o = { 0 };
	int master, slave, copy, fds[2];

	terminal(&master, &slave);
	copy = open(ptsname(master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(copy, 0);
	ck_assert_int_eq(pipe(fds), 0);
	setenv("TERM", "xterm", 1);
	o.fd = slave;
	o.rows_fd = -1;		/* -o: no rows on standard output */
	ck_assert_int_eq(lrk_console_wanted(&o), 1);
	o.rows_fd = fds[1];	/* the rows to a pipe */
	ck_assert_int_eq(lrk_console_wanted(&o), 1);
	o.rows_fd = copy;	/* the rows on the same terminal */
	ck_assert_int_eq(lrk_console_wanted(&o), 0);
	o.force = 1;
	ck_assert_int_eq(lrk_console_wanted(&o), 0);
	o.rows_fd = -1;
	o.quiet = 1;
	ck_assert_int_eq(lrk_console_wanted(&o), 0);
	o.quiet = o.force = 0;
	setenv("TERM", "dumb", 1);
	ck_assert_int_eq(lrk_console_wanted(&o), 0);
	/* Not a terminal: only with --progress. */
	setenv("TERM", "xterm", 1);
	o.fd = fds[1];
	ck_assert_int_eq(lrk_console_wanted(&o), 0);
	o.force = 1;
	ck_assert_int_eq(lrk_console_wanted(&o), 1);
	o.rows_fd = 1;		/* standard output: not this pipe */
	ck_assert_int_eq(lrk_console_wanted(&o), 1);
	unsetenv("TERM");
	close(copy);
	close(fds[0]);
	close(fds[1]);
	close(slave);
	close(master);
}
END_TEST

/* What the console wrote to the pipe fd since the last call (static). */
static const char *
written(int fd)
{
	static char buf[8192];
	ssize_t n;
	size_t len = 0;

	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return buf;
}

/* The last line drawn in s: after the last "\r", without "\033[K". */
static const char *
last_line(const char *s)
{
	static char line[256];
	const char *r = strrchr(s, '\r');

	ck_assert_msg(r != NULL, "no line drawn in \"%s\"", s);
	snprintf(line, sizeof(line), "%s", r + 1);
	if (strstr(line, "\033[K") != NULL)
		*strstr(line, "\033[K") = '\0';
	return line;
}

/*
 * sweep-run(1): "The runs finished (in any state below; with --resume,
 * the runs found done count as finished) out of all the runs, those of
 * them that failed or timed out, the runs going"; a run stopped is not
 * finished (--resume runs it again).  lr-confirm(1): a round past the
 * plan "shows its number alone"; the runs counted are the round's, the
 * time elapsed the whole work's.  Messages come above the line, and the
 * end takes it off.
 */
START_TEST(test_console)
{
	struct lrk_console_options o = { 0 };
	struct lrk_console *c;
	int fds[2];
	double t;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	setenv("COLUMNS", "200", 1);
	o.fd = fds[1];
	o.force = 1;
	o.rows_fd = -1;
	o.name = "t";
	o.jobs = 2;
	ck_assert_ptr_nonnull(c = lrk_console_new(&o));
	unsetenv("COLUMNS");
	ck_assert_int_eq(lrk_console_on(c), 1);
	ck_assert_ptr_eq(lrk_console_queue(c)->buf.data, NULL);
	t = lrk_now();
	/* Five runs, one found done. */
	ck_assert_int_eq(lrk_console_begin(c, 5, 1, t), 0);
	ck_assert_str_eq(last_line(written(fds[0])),
	    "t: 1/5 finished, 0 failed, 0 running, 0:00 elapsed");
	ck_assert_int_eq(lrk_console_started(c, 1, t + 2), 0);
	ck_assert_int_eq(lrk_console_started(c, 2, t + 2), 0);
	/* Held back (a line 0.2 s at most), then drawn by a tick. */
	ck_assert_str_eq(last_line(written(fds[0])),
	    "t: 1/5 finished, 0 failed, 1 running, 0:02 elapsed");
	ck_assert_double_eq_tol(lrk_console_deadline(c),
	    t + 2 + LRK_PROGRESS_INTERVAL, 1e-6);
	ck_assert_int_eq(lrk_console_tick(c, t + 2.25), 0);
	ck_assert_str_eq(last_line(written(fds[0])),
	    "t: 1/5 finished, 0 failed, 2 running, 0:02 elapsed");
	ck_assert_int_eq(lrk_console_ended(c, 1, LRK_RUN_FAILED, t + 22), 0);
	ck_assert_int_eq(lrk_console_started(c, 1, t + 22), 0);
	ck_assert_int_eq(lrk_console_ended(c, 2, LRK_RUN_TIMEOUT, t + 22), 0);
	ck_assert_int_eq(lrk_console_started(c, 2, t + 32), 0);
	ck_assert_int_eq(lrk_console_ended(c, 1, LRK_RUN_DIVERGED, t + 42), 0);
	/* 3 ran here for 20 s each; the one left is 10 s in. */
	ck_assert_str_eq(last_line(written(fds[0])),
	    "t: 4/5 finished, 2 failed, 1 running, 0:42 elapsed, ETA 0:10");
	/* Stopped: not finished, not timed; it is to run again. */
	ck_assert_int_eq(lrk_console_ended(c, 2, LRK_RUN_STOPPED, t + 43), 0);
	ck_assert_str_eq(last_line(written(fds[0])),
	    "t: 4/5 finished, 2 failed, 0 running, 0:43 elapsed, ETA 0:20");
	/* A message in the line's place, the line under it. */
	ck_assert_int_eq(lrk_console_say(c, "t: ", "hello", 5), 0);
	ck_assert_str_eq(written(fds[0]), "\r\033[Kt: hello\nt: 4/5 finished, "
	    "2 failed, 0 running, 0:43 elapsed, ETA 0:20\033[K");
	/* The next round: its own runs, the clock goes on. */
	lrk_console_round(c, 2, 3);
	ck_assert_int_eq(lrk_console_begin(c, 2, 0, t + 50), 0);
	ck_assert_str_eq(last_line(written(fds[0])),
	    "t: round 2/3, 0/2 finished, 0 failed, 0 running, 0:50 elapsed");
	lrk_console_round(c, 4, 3);
	ck_assert_int_eq(lrk_console_started(c, 1, t + 51), 0);
	ck_assert_str_eq(last_line(written(fds[0])),
	    "t: round 4, 0/2 finished, 0 failed, 1 running, 0:51 elapsed");
	/* Nothing due before the next second of the clock (which started
	 * with the console, a moment before t). */
	ck_assert_double_eq_tol(lrk_console_deadline(c), t + 52, 0.1);
	ck_assert_int_eq(lrk_console_tick(c, t + 51.5), 0);
	ck_assert_str_eq(written(fds[0]), "");
	/* The end: the line off, nothing after it. */
	ck_assert_int_eq(lrk_console_end(c, 1), 0);
	ck_assert_str_eq(written(fds[0]), "\r\033[K");
	ck_assert_int_eq(lrk_console_say(c, NULL, "last", 4), 0);
	ck_assert_str_eq(written(fds[0]), "last\n");
	lrk_console_free(c);
	lrk_console_free(NULL);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* Off (-q): the messages as they are, nothing else, no deadline. */
START_TEST(test_console_off)
{
	struct lrk_console_options o = { 0 };
	struct lrk_console *c;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	o.fd = fds[1];
	o.quiet = 1;
	o.force = 1;
	o.rows_fd = -1;
	o.jobs = 1;
	ck_assert_ptr_nonnull(c = lrk_console_new(&o));
	ck_assert_int_eq(lrk_console_on(c), 0);
	ck_assert_int_eq(lrk_console_begin(c, 3, 0, lrk_now()), 0);
	ck_assert_int_eq(lrk_console_started(c, 1, lrk_now()), 0);
	ck_assert(isinf(lrk_console_deadline(c)));
	ck_assert_int_eq(lrk_console_say(c, "[run 0] ", "hi", 2), 0);
	ck_assert_int_eq(lrk_console_ended(c, 1, LRK_RUN_DONE, lrk_now()), 0);
	ck_assert_int_eq(lrk_console_end(c, 1), 0);
	ck_assert_str_eq(written(fds[0]), "[run 0] hi\n");
	lrk_console_free(c);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* The name is the object's own copy. */
START_TEST(test_name_copied)
{
	struct lrk_progress_counts c = { 0 };
	struct lrk_progress_options opt = { 1, NULL, 80, 0, 0 };
	struct lrk_buf out = { 0 };
	struct lrk_progress *p;
	char name[16] = "abc";

	opt.name = name;
	p = lrk_progress_new(&opt);
	ck_assert_ptr_nonnull(p);
	strcpy(name, "xyz");
	c.total = 1;
	ck_assert_int_eq(lrk_progress_update(p, &c, 0, &out), 1);
	ck_assert(strncmp(out.data, "\rabc: ", 6) == 0);
	lrk_buf_free(&out);
	lrk_progress_free(p);
	lrk_progress_free(NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("progress");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_enabled);
	tcase_add_test(core, test_time);
	tcase_add_test(core, test_eta);
	tcase_add_test(core, test_line);
	tcase_add_test(limits, test_line_width);
	tcase_add_test(core, test_update);
	tcase_add_test(core, test_set_width);
	tcase_add_test(core, test_message);
	tcase_add_test(core, test_hold);
	tcase_add_test(core, test_off);
	tcase_add_test(limits, test_screen);
	tcase_add_test(limits, test_width);
	tcase_add_test(limits, test_same_output);
	tcase_add_test(core, test_name_copied);
	tcase_add_test(core, test_console_wanted);
	tcase_add_test(core, test_console);
	tcase_add_test(core, test_console_off);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
