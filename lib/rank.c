/*
 * Which candidate learning rate trained best (lr-confirm(1)): a run's
 * final metric read from its tidy rows, the median over a candidate's
 * seeds, and the order of the candidates.  The rounds of successive
 * halving that decide which candidates train on which seeds are
 * halving.c's.
 *
 * One rule in one place: every tool that ranks trainings (the
 * confirmation stage, a plot of its evidence, the benchmark) ranks them
 * with these functions.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/*
 * The median of v[0..n-1], which is sorted in place (NaN sorts last and
 * should not be there); the mean of the middle two for an even n, NaN
 * for n == 0.  Insertion sort: n is a count of seeds, not of rows.
 */
double
lrk_rank_median(double *v, size_t n)
{
	size_t i, j;
	double x;

	if (n == 0)
		return NAN;
	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	if (n % 2 == 1)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * A candidate's standing from its runs: metric[i] the final metric of
 * run i and finished[i] whether it counts (the run ended "done" and its
 * final metric is a finite number).  A run that diverged, failed or
 * timed out, or has no finite final metric, counts as unfinished and is
 * left out of the median.  Returns 0, or -1 (ENOMEM).
 */
int
lrk_rank_summarize(struct lrk_rank_entry *e, const double *metric,
    const int *finished, size_t n)
{
	double *v;
	size_t i, k = 0;

	e->runs = n;
	e->unfinished = 0;
	e->median = NAN;
	if (n == 0)
		return 0;
	if ((v = malloc(n * sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (finished[i] && isfinite(metric[i]))
			v[k++] = metric[i];
		else
			e->unfinished++;
	}
	e->median = lrk_rank_median(v, k);
	free(v);
	return 0;
}

/*
 * The order of two candidates, < 0 when a ranks before b (lr-confirm(1)).
 * A candidate is clean when it has runs and every one is clean (done, with
 * a finite final metric).  Every clean candidate ranks before every other:
 * a learning rate that diverges on one seed in three is not one to
 * recommend, whatever round it reached.  Clean candidates rank by the more
 * seeds trained (a later round reached), then the better median (lower,
 * or higher with higher_better); the others by the fewer runs that were
 * not clean, then the more seeds, then the better median of their clean
 * runs (none is worst); a candidate without runs comes last.  Ties go to
 * the smaller lr, the more cautious of two equal choices, then to the
 * smaller index.
 */
int
lrk_rank_compare(const struct lrk_rank_entry *a,
    const struct lrk_rank_entry *b, int higher_better)
{
	int ca, cb, na, nb;

	ca = a->runs > 0 && a->unfinished == 0;
	cb = b->runs > 0 && b->unfinished == 0;
	if (ca != cb)
		return ca ? -1 : 1;
	if ((a->runs == 0) != (b->runs == 0))
		return a->runs == 0 ? 1 : -1;
	if (!ca && a->unfinished != b->unfinished)
		return a->unfinished < b->unfinished ? -1 : 1;
	if (a->runs != b->runs)
		return a->runs > b->runs ? -1 : 1;
	na = isnan(a->median);
	nb = isnan(b->median);
	if (na != nb)
		return na ? 1 : -1;
	if (!na && a->median != b->median) {
		if (higher_better)
			return a->median > b->median ? -1 : 1;
		return a->median < b->median ? -1 : 1;
	}
	if (a->lr != b->lr)
		return a->lr < b->lr ? -1 : 1;
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return 0;
}

/* Sort by lrk_rank_compare, best first (stable; n is small). */
void
lrk_rank_sort(struct lrk_rank_entry *e, size_t n, int higher_better)
{
	struct lrk_rank_entry x;
	size_t i, j;

	for (i = 1; i < n; i++) {
		x = e[i];
		for (j = i; j > 0 && lrk_rank_compare(&e[j - 1], &x,
		    higher_better) > 0; j--)
			e[j] = e[j - 1];
		e[j] = x;
	}
}

/*
 * A run's final metric from its tidy rows (sweep-run's run-K.csv): the
 * last value of the metric column that is not missing, NaN when every
 * one is (a nan printed by the child is a value, and not a finite one);
 * and the rows that have a step, the optimizer steps the run took (a row
 * after the schedule's end, a final evaluation, has none).  metric is a
 * column name or number; NULL takes val_loss when the table has it, else
 * loss.  out->column is the column's name as the header has it, however
 * long (its number without a header), allocated: the caller frees it with
 * lrk_run_result_free.  Returns 0, or -1 with err (and out->column NULL):
 * no such column, a cell that is not a number (file and line), a read
 * error, out of memory.
 */
int
lrk_rank_read_run(struct lrk_table *t, const char *name, const char *metric,
    struct lrk_run_result *out, char *err)
{
	const struct lrk_cell *cells, *header;
	const char *text;
	char shown[LRK_SHOWSIZE], shown_col[LRK_SHOWSIZE];
	char find_err[LRK_ERRSIZE], number[32];
	size_t col, step_col = 0, len;
	int have_step, r;
	double x;

	out->final = NAN;
	out->steps = 0;
	out->rows = 0;
	out->column = NULL;
	if (lrk_table_start(t) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s", lrk_table_error(t));
		return -1;
	}
	if (lrk_table_empty(t)) {
		snprintf(err, LRK_ERRSIZE, "%s: no rows", name);
		return -1;
	}
	if (lrk_table_find(t, metric != NULL ? metric : "val_loss", "metric",
	    &col, find_err) != 0 && (metric != NULL ||
	    strncmp(find_err, "no ", 3) != 0 ||
	    lrk_table_find(t, "loss", "metric", &col, find_err) != 0)) {
		snprintf(err, LRK_ERRSIZE, "%s: %.*s", name,
		    LRK_ERRSIZE / 2, find_err);
		return -1;
	}
	have_step = lrk_table_find(t, "step", "step", &step_col,
	    find_err) == 0;
	header = lrk_table_header(t);
	if (header != NULL) {
		text = header[col].data;
		len = header[col].len;
	} else {
		len = (size_t)snprintf(number, sizeof(number), "%zu",
		    col + 1);
		text = number;
	}
	if ((out->column = malloc(len + 1)) == NULL) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", name, strerror(ENOMEM));
		return -1;
	}
	memcpy(out->column, text, len);
	out->column[len] = '\0';
	while ((r = lrk_table_next(t, &cells)) == 1) {
		out->rows++;
		if (have_step && !lrk_num_is_missing(cells[step_col].data,
		    cells[step_col].len))
			out->steps++;
		switch (lrk_num_parse(cells[col].data, cells[col].len, &x)) {
		case LRK_NUM_OK:
			out->final = x;
			break;
		case LRK_NUM_MISSING:
			break;
		default:
			snprintf(err, LRK_ERRSIZE, "%s:%lu: %s: \"%s\" is not "
			    "a number", name, lrk_table_line(t),
			    lrk_show(shown_col, out->column, len),
			    lrk_show(shown, cells[col].data, cells[col].len));
			lrk_run_result_free(out);
			return -1;
		}
	}
	if (r < 0) {
		snprintf(err, LRK_ERRSIZE, "%s", lrk_table_error(t));
		lrk_run_result_free(out);
		return -1;
	}
	if (!have_step)
		out->steps = out->rows;
	return 0;
}

/* Free what lrk_rank_read_run allocated in r (NULL after). */
void
lrk_run_result_free(struct lrk_run_result *r)
{
	free(r->column);
	r->column = NULL;
}

/*
 * A candidate's standing from its runs (lrk_rank_summarize): a run
 * counts when it ended "done".  Returns 0, or -1 (ENOMEM).
 */
int
lrk_rank_summarize_runs(struct lrk_rank_entry *e,
    const struct lrk_rank_run *runs, size_t n)
{
	double *metric;
	int *finished, r = -1;
	size_t i;

	metric = calloc(n + 1, sizeof(*metric));
	finished = calloc(n + 1, sizeof(*finished));
	if (metric != NULL && finished != NULL) {
		for (i = 0; i < n; i++) {
			metric[i] = runs[i].result.final;
			finished[i] = runs[i].status == LRK_RUN_DONE;
		}
		r = lrk_rank_summarize(e, metric, finished, n);
	}
	free(metric);
	free(finished);
	return r;
}

/*
 * A candidate's runs for the ranked table, one word each, space
 * separated: seed, status and the final metric of a run that left its
 * file ("2:done:0.0512 3:failed").  Returns 0, or -1 (ENOMEM).
 */
int
lrk_rank_runs_text(struct lrk_buf *b, const struct lrk_rank_run *runs,
    size_t n)
{
	char num[LRK_NUM_BUFSIZE], buf[64];
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			lrk_buf_str(b, " ");
		snprintf(buf, sizeof(buf), "%zu:%s", runs[i].seed,
		    lrk_run_status_names[runs[i].status]);
		lrk_buf_str(b, buf);
		if (runs[i].has_file && !isnan(runs[i].result.final)) {
			lrk_num_format(num, runs[i].result.final);
			lrk_buf_str(b, ":");
			lrk_buf_str(b, num);
		} else if (runs[i].has_file)
			lrk_buf_str(b, ":nan");
	}
	return b->failed ? -1 : 0;
}

/*
 * Why runs failed or timed out, for the ranked table ("seed 2: what
 * happened; seed 3: signal 9"): sweep-run's message about each, else its
 * exit status or signal from the joblog (which, for a run sweep-run
 * stopped, says only how the child ended).  Returns 0, or -1 (ENOMEM).
 */
int
lrk_rank_why_text(struct lrk_buf *b, const struct lrk_rank_run *runs,
    size_t n)
{
	const struct lrk_rank_run *run;
	char buf[64];
	size_t i;

	for (i = 0; i < n; i++) {
		run = &runs[i];
		if (run->status != LRK_RUN_FAILED &&
		    run->status != LRK_RUN_TIMEOUT)
			continue;
		if (b->len > 0)
			lrk_buf_str(b, "; ");
		snprintf(buf, sizeof(buf), "seed %zu: ", run->seed);
		lrk_buf_str(b, buf);
		if (run->why != NULL)
			lrk_buf_str(b, run->why);
		else {
			if (run->signal != 0)
				snprintf(buf, sizeof(buf), "signal %d",
				    run->signal);
			else
				snprintf(buf, sizeof(buf), "exit status %d",
				    run->exitval);
			lrk_buf_str(b, buf);
		}
	}
	return b->failed ? -1 : 0;
}

/*
 * The candidates: the suggestion times each factor, rounded to three
 * significant digits (at most 0.5%, a fortieth of the 2^(1/4) spacing),
 * so that the lr printed is the one the command was given; factor[] and
 * lr[] get them in lr order, whatever the order of factors[].  Returns
 * 0, or -1 with err: a candidate that is no positive finite lr, or two
 * factors that give the same lr.
 */
int
lrk_rank_candidates(const double *factors, size_t n, double suggestion,
    double *factor, double *lr, char *err)
{
	char buf[64], text[LRK_NUM_BUFSIZE];
	double x;
	size_t i, j;

	for (i = 0; i < n; i++) {
		factor[i] = factors[i];
		snprintf(buf, sizeof(buf), "%.3g", suggestion * factors[i]);
		if (lrk_num_parse(buf, strlen(buf), &lr[i]) != LRK_NUM_OK ||
		    !isfinite(lr[i]) || lr[i] <= 0) {
			snprintf(err, LRK_ERRSIZE, "the candidate %g x %g is "
			    "not a positive finite lr", factors[i],
			    suggestion);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (lr[j] == lr[i]) {
				lrk_num_format(text, lr[i]);
				snprintf(err, LRK_ERRSIZE, "-c: the factors %g "
				    "and %g give the same lr, %s", factors[j],
				    factors[i], text);
				return -1;
			}
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && lr[j - 1] > lr[j]; j--) {
			x = lr[j];
			lr[j] = lr[j - 1];
			lr[j - 1] = x;
			x = factor[j];
			factor[j] = factor[j - 1];
			factor[j - 1] = x;
		}
	return 0;
}
