/*
 * lrkit's private header: what only lib/ and the tests need, beside the
 * public lrkit.h the tools include (as lowdown pairs lowdown.h with
 * extern.h).  Nothing here is for a tool to call.
 */
#ifndef LRKIT_EXTERN_H
#define LRKIT_EXTERN_H

#include <stdint.h>

#include "lrkit.h"

/*
 * The stream and numbers: the parts the other lib files build on.
 */

int	lrk_table_delim(const struct lrk_table *table);
int	lrk_writer_failed(const struct lrk_writer *writer);
const char *lrk_table_eol(const struct lrk_table *table);
int	lrk_num_is_missing(const char *s, size_t len);
size_t	lrk_strmap_key_len(const struct lrk_strmap *map, size_t index);
int	lrk_curves_compare_names(const char *a, size_t alen, const char *b,
	    size_t blen);

/*
 * text.c: the length of the character that starts s (len bytes) when it is
 * well-formed UTF-8 (no overlong form, surrogate or code point past
 * U+10FFFF) and printable (no C0 or C1 control, no DEL), else 0; *cp is
 * its code point.  lrk_show and the plot's text cleaning both use it.
 */
size_t	lrk_utf8_printable(const char *s, size_t len, unsigned int *cp);

/*
 * dtoa.c: the shortest digits that read back to x (Schubfach), printed as
 * lrk_num_format prints them.  buf holds LRK_NUM_BUFSIZE bytes; returns
 * the length.
 */
size_t	lrk_dtoa_shortest(char *buf, double x);

/*
 * suggest.c: a method's needs, and the mean curve under -m pooled
 * (through lrk_curves_pool).
 */
int	lrk_suggest_known(const char *method);
size_t	lrk_suggest_min_points(const char *method,
	    const struct lrk_suggest_options *o);
/*
 * The mean curve of k runs of one sweep, step by step over the steps
 * every run has (the least n[j]), for -m pooled: mean_lr and mean_loss
 * hold that many.  Returns -1 with err when k is 0 or a run's lr differs
 * from the first run's (*bad_run is the run, *mean_n the step).
 */
int	lrk_suggest_pool(const double *const *lr, const double *const *loss,
	    const size_t *n, size_t k, double *mean_lr, double *mean_loss,
	    size_t *mean_n, size_t *bad_run, char *err);

/*
 * plot.c: the frame the renderers share and its scales.
 */
/* What is drawn where: data ranges and the plot area in output units. */
struct lrk_plot_frame {
	double	lx0, lx1;	/* log10 of the lr at the left, right edges */
	double	y0, y1;		/* the loss at the bottom, top edges */
	double	left, top;	/* the plot area */
	double	width, height;
};

struct lrk_plot;

#define LRK_PLOT_COLOURS 8	/* the palette's */
extern const char *const lrk_plot_palette[LRK_PLOT_COLOURS];

int	lrk_plot_range(const struct lrk_plot *plot,
	    struct lrk_plot_frame *frame, char *err);
size_t	lrk_plot_nice_ticks(double lo, double hi, int target, double *ticks,
	    size_t max);
size_t	lrk_plot_decade(char *buf, size_t size, int exponent, int ascii);
double	lrk_plot_x(const struct lrk_plot_frame *frame, double lr);
double	lrk_plot_y(const struct lrk_plot_frame *frame, double loss);

/*
 * The importers' side of dense.c, and the pieces of the formats they
 * read (the unit tests and the fuzzers reach them directly).
 */
int	lrk_dense_header(struct lrk_dense *d, const struct lrk_cell *names,
	    size_t n, char *err);
int	lrk_dense_row(struct lrk_dense *d, const struct lrk_cell *cells,
	    size_t n, char *err);
int	lrk_dense_write_error(const struct lrk_dense *d);
int	lrk_import_json_line_kind(const char *s, size_t len);
int	lrk_import_mlflow_line(const char *s, size_t len);

/* The formats one by one (lrk_import chooses). */
FILE	*lrk_import_seekable(FILE *fp, const char *name, char *err);
const char *lrk_import_format_name(int format);
int	 lrk_import_detect(FILE *fp, const char *name, char *err);
int	 lrk_import_csv(FILE *fp, const char *name,
	    const struct lrk_table_options *options, struct lrk_dense *d,
	    char *err);
int	 lrk_import_hf(FILE *fp, const char *name, int eval,
	    struct lrk_dense *d, char *err);
int	 lrk_import_jsonl(FILE *fp, const char *name, struct lrk_dense *d,
	    char *err);
int	 lrk_import_mlflow(FILE *const *fps, const char *const *names,
	    const char *const *metrics, size_t n, struct lrk_dense *d,
	    char *err);
int	 lrk_tfevents_import(FILE *fp, const char *name, int wide,
	    struct lrk_dense *d, char *err);

/* --mlflow: the metric files of the operands, with their metrics. */
struct lrk_mlflow_list {
	char	**paths;
	char	**metrics;
	size_t	  n, cap;
};

int	 lrk_mlflow_list_add(struct lrk_mlflow_list *list, const char *path,
	    char *err);
void	 lrk_mlflow_list_free(struct lrk_mlflow_list *list);

struct lrk_tfscalar {
	const char	*tag;		/* into the record, not NUL-terminated */
	size_t		 tag_len;
	const char	*plugin;	/* from the value's metadata, or "" */
	size_t		 plugin_len;
	double		 value;
	int		 is_tensor;	/* a TF2 tensor, not a simple_value */
	int		 has_metadata;
	int		 not_scalar;	/* metadata only: no number */
};

struct lrk_tfevent {
	double			 wall_time;
	long long		 step;
	struct lrk_tfscalar	*values;
	size_t			 nvalues, cap;
};

uint32_t lrk_crc32c(const void *data, size_t len);
uint32_t lrk_crc32c_masked(const void *data, size_t len);
int	 lrk_tfevents_sniff(const void *head, size_t len);
int	 lrk_tfevent_parse(const void *data, size_t len,
	    struct lrk_tfevent *ev);
void	 lrk_tfevent_free(struct lrk_tfevent *ev);

/*
 * The rest of each layer: what lib/ and the tests call and no tool does
 * (the tools see only lrkit.h), in lrkit.h's order.
 */

/*
 * The stream (table.c, strmap.c).  A table is read row by row through
 * libcsv: the header (or its absence) and the delimiter are found on the
 * first line, cells come NUL-terminated, and the columns a stage needs
 * are found by name, number or role with an error that lists the header.
 * A writer sends rows out with the input's delimiter and line ending,
 * quoting a cell only when it must; it is opaque, made by _new or _like.
 * A string map numbers the groups (runs) of a long-format table in the
 * order they first come, for per-group state in arrays.
 */

/* The delimiter that stands for "runs of blanks". */
#define LRK_DELIM_BLANKS ' '

struct lrk_table	*lrk_table_new(FILE *fp, const char *name,
			    const struct lrk_table_options *options);
int			 lrk_table_start(struct lrk_table *table);
const char		*lrk_table_name(const struct lrk_table *table);

/* What ema-smooth appends to the name of the column it smooths. */
#define LRK_SMOOTH_SUFFIX "_smooth"

enum lrk_role lrk_name_role(const char *name, size_t len);
const char *lrk_role_text(enum lrk_role role);
int	lrk_is_smooth_name(const char *name, size_t len);
int	lrk_table_find_role(const struct lrk_table *table, enum lrk_role role,
	    size_t *column, char *err);

struct lrk_writer	*lrk_writer_like(FILE *fp,
			    const struct lrk_table *table);

void			 lrk_strmap_free(struct lrk_strmap *map);
const char		*lrk_strmap_key(const struct lrk_strmap *map,
			    size_t index);
size_t			 lrk_strmap_count(const struct lrk_strmap *map);

/*
 * Numbers (num.c, dtoa.c): parsed and printed in the C locale whatever
 * the environment says.  A cell is a number (nan and infinities
 * included), missing (empty, NA, #na#, null, None...) or bad; a computed
 * number is printed in the shortest form that reads back to the same
 * double.
 */

/* "1e-3,0.01,...": a comma-separated list of numbers (-c, -p). */
int	lrk_num_parse_list(const char *s, double **values, size_t *count);

/*
 * buf.c: a growable byte string, kept NUL-terminated.  A failed
 * allocation sets failed and makes every later call a no-op returning -1,
 * so that a long text can be checked once when it is done.
 */
struct lrk_buf {
	char	*data;		/* NULL until the first byte */
	size_t	 len, cap;
	int	 failed;	/* out of memory at some point */
};

int	lrk_buf_add(struct lrk_buf *b, const void *s, size_t len);
int	lrk_buf_str(struct lrk_buf *b, const char *s);
int	lrk_buf_char(struct lrk_buf *b, int c);
void	lrk_buf_clear(struct lrk_buf *b);
void	lrk_buf_free(struct lrk_buf *b);
int	lrk_buf_reserve(struct lrk_buf *b, size_t len);
int	lrk_buf_cell(struct lrk_buf *b, const char *s, size_t len);
/* Write all of len bytes to fd, again after EINTR; -1 with errno. */
int	lrk_write_all(int fd, const void *data, size_t len);

/* text.c: a name written whole to fp, escaped as lrk_show escapes it. */
void	lrk_put_text(FILE *fp, const char *s, size_t len);

/*
 * sched.c: learning-rate schedules (tests/golden/README, sections 1 and
 * 2) from words "POLICY key=value ... [then POLICY key=value ...]".  A
 * schedule given without n= has 0 steps until lrk_sched_set_epochs gives
 * it its length; lrk_sched_ready says which n is missing.  lr and
 * momentum are NaN for k past the end (momentum also for a policy without
 * one).
 */

int			 lrk_sched_has_momentum(const struct lrk_sched *s);
const char		*lrk_sched_no_momentum(const struct lrk_sched *s);
char			*lrk_sched_scale(const char *spec, double fraction,
			    char *err);

/*
 * suggest.c: the suggested learning rate from an lr-vs-loss curve: the
 * anchors' methods exactly as they compute them (tests/golden/README,
 * section 4), and lrkit's own halfway, plateau and pooled (lr-suggest(1),
 * DEFAULT).
 * The methods are one table; lrk_suggest_parse_methods reads a list of
 * its names as lr-suggest -m and lr-plot -s take it.
 */

/* out->index when an error is about no one point in particular. */
#define LRK_SUGGEST_NONE ((size_t)-1)

struct lrk_suggestion {
	const char	*method;
	double		 lr;
	double		 loss;
	size_t		 index;	/* 0-based index into the arrays given */
	double		 lr2;	/* "range" only: the upper bound */
	double		 loss2;
	size_t		 index2;
};

/*
 * lr[], loss[]: the whole curve in input order, loss smoothed; the method
 * takes its window (skip_start, skip_end, then the first NaN loss or, for
 * lightning, every non-finite one).  Returns 0, or -1 with err
 * (LRK_ERRSIZE): unknown method, too few points (how many there are and
 * how many it needs), a bad value (out->index names the point).
 */
int	lrk_suggest(const char *method, const double *lr, const double *loss,
	    size_t n, const struct lrk_suggest_options *o,
	    struct lrk_suggestion *out, char *err);

/* The method names in order, NULL-terminated: -m all. */
extern const char *const lrk_suggest_methods[];

/*
 * curve.c: the curves of a table, what lr-suggest and lr-plot share: per
 * group (a -g column's value, a file, or one group) and per loss column
 * ("slot"), the points in input order, with the data row and line each
 * came from under the strict reading (NULL under the loose one).
 * lrk_curves_read takes the rows of a started table by the rules of
 * lrk_curve_columns; then a method answers per group or, pooled, for all
 * groups at once; a curve is checked for an lr that goes back and
 * counted for what can be drawn; the groups are ordered for a picture
 * and named by what varies between them (sweep-run's parameters, or the
 * columns --label lists: "seed=1, wd=1e-4"); and an answer's spread
 * across groups is measured.
 */

/* What a table's rows gave: rows, points, and what was left out. */
struct lrk_curve_counts {
	unsigned long	rows;		/* data rows read */
	unsigned long	with_lr;	/* rows with an lr */
	unsigned long	with_loss;	/* rows (strict) or points with a loss */
	unsigned long	paired;		/* strict: rows that are points */
	unsigned long	points;		/* points that can be drawn */
	unsigned long	bad_lr;		/* not strict: lr <= 0 or not finite */
	unsigned long	nonfinite;	/* not strict: loss not finite */
};

struct lrk_curve {
	double		*lr;
	double		*loss;
	size_t		*row;	/* strict: 0-based data row of its input */
	unsigned long	*line;	/* strict: its line, for messages */
	size_t		 n, cap;
};

struct lrk_curve_columns {
	size_t		 lr;		/* the lr column */
	const size_t	*loss;		/* the loss column of each slot */
	size_t		 nloss;		/* as many as the curves' slots */
	/*
	 * The last slot's column is a raw loss, smoothed as it is read, as
	 * ema-smooth (-g with groups) smooths it by default: the debiased
	 * EMA of beta LRK_EMA_BETA over every row of the group that has a
	 * loss, a loss that is not finite passed through.
	 */
	int		 smooth;
	int		 grouped;	/* one group per value of column group */
	size_t		 group;
	const char	*group_prefix;	/* grouped: before each value, or NULL */
	const char	*file_group;	/* else the group's name ("" if NULL) */
	const size_t	*label;		/* grouped: columns that name a group */
	size_t		 nlabel;	/* (lrk_curve_label_columns) */
	/*
	 * strict (lr-suggest, one slot): a point needs an lr and a loss, an
	 * lr not finite or negative is an error, a group is made by its
	 * first point.  Else (lr-plot): any lr and loss are kept, counted
	 * when they cannot be drawn, and a group is made by its first row
	 * with an lr.
	 */
	int		 strict;
};

struct lrk_curves	*lrk_curves_new(size_t nslots);
void			 lrk_curves_free(struct lrk_curves *curves);
int			 lrk_curves_read(struct lrk_curves *curves,
			    struct lrk_table *table,
			    const struct lrk_curve_columns *columns,
			    struct lrk_curve_counts *counts, char *err);
size_t			 lrk_curves_groups(const struct lrk_curves *curves);
const char		*lrk_curves_name(const struct lrk_curves *curves,
			    size_t group);
const struct lrk_curve	*lrk_curves_get(const struct lrk_curves *curves,
			    size_t group, size_t slot);
int			 lrk_curves_pool(const struct lrk_curves *curves,
			    size_t slot, const struct lrk_suggest_options *o,
			    struct lrk_suggestion *out, size_t *bad_group,
			    size_t *bad_step, char *err);
int			 lrk_curves_suggest(const struct lrk_curves *curves,
			    size_t group, size_t slot, const char *method,
			    const struct lrk_suggest_options *o,
			    struct lrk_suggestion *out, size_t *bad_group,
			    size_t *bad_step, char *err);
int			 lrk_curves_pooled(const struct lrk_curves *curves,
			    const char *method);
void			 lrk_curves_order(const struct lrk_curves *curves,
			    size_t *order);
int			 lrk_curve_label_columns(const struct lrk_table *table,
			    const char *spec, size_t group, size_t **columns,
			    size_t *count, char *err);
int			 lrk_curves_labels(const struct lrk_curves *curves,
			    const char *group_title, char ***labels);
void			 lrk_curves_labels_free(char **labels, size_t count);

/*
 * How a range test's table is read, the one rule of lr-suggest, lr-plot
 * and lr-confirm (lrk_range_columns): which loss column, smoothed here
 * or not, and one curve or one per run.
 */
enum lrk_loss_reading {
	LRK_LOSS_SMOOTHED = 0,	/* a smoothed column (lrk_is_smooth_name) */
	LRK_LOSS_SMOOTH_HERE,	/* the raw loss, smoothed as it is read */
	LRK_LOSS_AS_IS		/* -y's column of another name; no header */
};

struct lrk_range_columns {
	size_t			lr;
	size_t			loss;	/* the column the curve is read from */
	enum lrk_loss_reading	reading;
	size_t			raw;	/* the raw loss of it, or
					   LRK_SUGGEST_NONE */
	int			grouped;	/* one curve per value of group */
	size_t			group;
	int			group_given;	/* by -g, not by default */
};

int	lrk_range_columns(const struct lrk_table *table,
	    const struct lrk_range_spec *spec, struct lrk_range_columns *out,
	    char *err);
int	lrk_range_note(const struct lrk_table *table,
	    const struct lrk_range_columns *columns, char *message);

size_t	lrk_curve_lr_back(const struct lrk_curve *curve, size_t *from);
size_t	lrk_curve_drawable(const struct lrk_curve *curve, size_t from,
	    size_t to);
double	lrk_curve_loss_at(const struct lrk_curve *curve, double lr,
	    size_t index, double fallback);

/* An answer that moves more than this factor across groups is noisy. */
#define LRK_SPREAD_NOISY 3

struct lrk_spread {
	size_t	n;
	double	median, min, max, ratio;
	int	noisy;		/* n >= 2 and max > LRK_SPREAD_NOISY * min */
};

void	lrk_spread(double *values, size_t n, struct lrk_spread *out);

/*
 * answer.c: lr-suggest's answers as it prints them, one per group and
 * method (range as two, range_base and range_max): plain (the lr, both
 * bounds of range on one line), CSV or JSON, and --summary, each
 * method's spread across groups.  lrk_answers_methods and
 * lrk_answers_spread give that spread to the tool for its warning.
 */

size_t	lrk_answers_methods(const struct lrk_answer *answers, size_t n,
	    const char **names, size_t max);
void	lrk_answers_spread(const struct lrk_answer *answers, size_t n,
	    const char *method, double *values, struct lrk_spread *out);

/*
 * answer.c: a range test's table read and answered as lr-suggest answers
 * it (lrk_range_columns's rule, then the methods per group or pooled),
 * for lr-suggest, and in one call (lrk_range_suggest) lr-suggest's
 * default answer for a program that starts from it.  What the tool
 * would say (a raw loss smoothed here, an lr that goes back, a method
 * with no answer) goes to a warn callback, as a whole message.
 */

unsigned long		 lrk_range_rows(const struct lrk_range *range);

/*
 * plot.c, plot_svg.c, plot_text.c: the lr-vs-loss picture, as a
 * self-contained SVG or as text for a terminal (Unicode braille or ASCII).
 * The lr axis is logarithmic.  Points with a non-finite value or lr <= 0
 * break a line; the tools count and report them before plotting.
 */

enum lrk_plot_dash {
	LRK_DASH_SOLID = 0,
	LRK_DASH_DASHED,
	LRK_DASH_DOTTED
};

struct lrk_plot_series {
	const char	*column;	/* the column it shows (legend) */
	const char	*group;		/* its group's name (legend), or NULL */
	const char	*key;		/* its group's value (data-group), or
					   NULL: group */
	const double	*x;		/* lr */
	const double	*y;		/* loss */
	size_t		 n;
	int		 colour;	/* index into lrk_plot_palette */
	int		 dash;		/* enum lrk_plot_dash */
	int		 light;		/* raw loss: thin and pale */
};

struct lrk_plot_mark {
	const char	*label;		/* "valley 0.00302" */
	double		 x;
	double		 y;
	int		 colour;
};

/* The picture: what lrk_plotdata_build makes, what a renderer draws. */
struct lrk_plot {
	const char			*title;	/* or NULL */
	const char			*xlabel;
	const char			*ylabel;
	double				 width;	/* SVG: pixels; text: columns */
	double				 height;	/* SVG: pixels; text: rows */
	int				 ylim_set;
	double				 ylim[2];
	const struct lrk_plot_series	*series;
	size_t				 nseries;
	const struct lrk_plot_mark	*marks;
	size_t				 nmarks;
	int				 ascii;	/* text: ASCII, not braille */
	int				 ansi;	/* text: ANSI colours */
};

int	lrk_plot_svg(FILE *fp, const struct lrk_plot *plot, char *err);
int	lrk_plot_text(FILE *fp, const struct lrk_plot *plot, char *err);
int	lrk_plotdata_read(struct lrk_plotdata *data, struct lrk_table *table,
	    const char *name, struct lrk_curve_counts *counts, char *note,
	    char *err);
int	lrk_plotdata_build(struct lrk_plotdata *data,
	    const struct lrk_plot_build_options *options,
	    struct lrk_plot *plot, char *err);

/*
 * grid.c, proc.c: sweep-run's parameter grids and child processes.  A
 * grid is the cartesian product of -p NAME=V1,V2,... lists, the last
 * parameter varying fastest; run K is its K-th point (0-based).  A child
 * runs in its own process group with pipes on its standard streams; its
 * output is read as lines from non-blocking descriptors.
 */

void		 lrk_grid_free(struct lrk_grid *grid);
size_t		 lrk_grid_params(const struct lrk_grid *grid);
const char	*lrk_grid_name(const struct lrk_grid *grid, size_t param);
size_t		 lrk_grid_values(const struct lrk_grid *grid, size_t param);
const char	*lrk_grid_value(const struct lrk_grid *grid, size_t run,
		    size_t param);
char		*lrk_grid_subst(const struct lrk_grid *grid, size_t run,
		    const char *arg, char *err);
int		 lrk_grid_mentions(const char *text, const char *name);
char		*lrk_grid_subst_slot(const struct lrk_grid *grid, size_t run,
		    const char *slot, const char *arg, char *err);

struct lrk_proc {
	int	pid;		/* -1 when there is none */
	int	in;		/* write end of its stdin, or -1 */
	int	out;		/* read end of its stdout, or -1 */
	int	err;		/* read end of its stderr, or -1 */
	int	status;		/* the wait status, once reaped */
	int	reaped;
};

#define LRK_PROC_STDERR	1	/* lrk_proc_spawn: a pipe for stderr too */

void	lrk_proc_init(struct lrk_proc *proc);
int	lrk_proc_spawn(struct lrk_proc *proc, char *const argv[],
	    char *const envp[], int flags, char *err);
int	lrk_proc_exec_status(int error);
long	lrk_proc_write(struct lrk_proc *proc, const void *buf, size_t len);
void	lrk_proc_close_in(struct lrk_proc *proc);
void	lrk_proc_close_out(struct lrk_proc *proc);
void	lrk_proc_close_err(struct lrk_proc *proc);
void	lrk_proc_close(struct lrk_proc *proc);
int	lrk_proc_kill(const struct lrk_proc *proc, int sig);
int	lrk_proc_reap(struct lrk_proc *proc, int block);
void	lrk_proc_describe(int status, char *buf, size_t size);
int	lrk_proc_run(char *const argv[], const char *input, size_t input_len,
	    struct lrk_buf *output, struct lrk_buf *errors, int sigfd,
	    int *caught, char *err);
double	lrk_now(void);
int	lrk_signals_next(void);
int	lrk_job_signal(int sig);
void	lrk_stop_self(int sig);
void	lrk_signals_awake(void);
double	lrk_signals_stopped(void);
/*
 * What stops sweep-run and lr-confirm: SIGINT, SIGTERM, SIGHUP and a
 * scheduler's wrap-up signals (SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU).
 * Job control: SIGTSTP, SIGTTIN, SIGTTOU stop the runs and then the tool,
 * SIGCONT continues them; the time stopped is not counted by the runs'
 * deadlines.
 */
extern const int lrk_stop_signals[];
extern const size_t lrk_nstop_signals;
extern const int lrk_job_signals[];
extern const size_t lrk_njob_signals;
int	lrk_signals_catch(const int *sigs, size_t count);
int	lrk_subreaper(void);
int	lrk_orphans(const int *keep, size_t nkeep, int sig);
int	lrk_orphans_listed(const char *task_dir, const int *keep,
	    size_t nkeep, int sig);
int	lrk_orphans_scan(const int *keep, size_t nkeep, int sig);
int	lrk_child_ended(void);

/* An output queue for a descriptor that must not block the poll() loop. */
struct lrk_outq {
	int		 fd;
	struct lrk_buf	 buf;
	size_t		 off;		/* bytes of buf already written */
	int		 closed;	/* after an error: lines dropped */
	int		 error;		/* its errno */
};

void	lrk_outq_init(struct lrk_outq *q, int fd);
void	lrk_outq_free(struct lrk_outq *q);
int	lrk_outq_add(struct lrk_outq *q, const void *s, size_t len);
int	lrk_outq_flush(struct lrk_outq *q);

#define LRK_OUTQ_CHUNK	4096	/* PIPE_BUF: whole lines up to it per write */

size_t	lrk_outq_pending(const struct lrk_outq *q);
int	lrk_outq_drain(struct lrk_outq *out, struct lrk_outq *err,
	    void (*flush)(void *), void *arg, int sigfd, double grace,
	    int *stop_signal);

/* Lines from a non-blocking descriptor, in pieces of at most LRK_LINE_MAX. */
#define LRK_LINE_MAX	(1024 * 1024)

struct lrk_lines {
	char	*buf;
	size_t	 start, len, cap, scan;
	int	 eof;
	int	 piece;	/* the last line handed out was cut short */
};

void	lrk_lines_init(struct lrk_lines *lines);
void	lrk_lines_free(struct lrk_lines *lines);
long	lrk_lines_fill(struct lrk_lines *lines, int fd);
int	lrk_lines_next(struct lrk_lines *lines, const char **line,
	    size_t *len);

/*
 * progress.c: the status line of long work on a terminal's standard
 * error (sweep-run, lr-confirm), rewritten in place: "NAME: round R/N,
 * F/T finished, X failed, U running, E elapsed, ETA A".  The object
 * writes nothing: update, message and clear append the bytes to send to
 * the caller's buffer, in order with the other messages of the standard
 * error, and a message never shares a line with the status line.
 */

#define LRK_PROGRESS_INTERVAL	0.2	/* seconds: five lines a second */

struct lrk_progress_options {
	int		 on;		/* 0: nothing drawn, messages as they are */
	const char	*name;		/* "NAME: " first, or NULL */
	int		 width;		/* the terminal's columns; 0: 80 */
	double		 start;		/* lrk_now() when the work began */
	double		 interval;	/* least time between lines; 0: default */
};

struct lrk_progress_counts {
	size_t		 total;		/* runs in all: the T of F/T */
	size_t		 finished;	/* ended, any way (--resume's too): F */
	size_t		 failed;	/* of those, failed or timed out */
	size_t		 running;	/* started, not ended */
	size_t		 jobs;		/* at most this many at once (-j) */
	size_t		 timed;		/* finished runs that ran here, */
	double		 time_sum;	/* their wall times summed, seconds */
	const double	*started;	/* the running runs' lrk_now() at start,
					   or NULL */
	size_t		 round, rounds;	/* lr-confirm: round R of N; R 0: none,
					   N 0: not known */
};

int	lrk_progress_enabled(int quiet, int force, int terminal,
	    const char *term);
int	lrk_progress_width(int fd);
int	lrk_progress_same_output(int a, int b);
size_t	lrk_progress_time(char *buf, size_t size, double seconds,
	    int round_up);
double	lrk_progress_eta(const struct lrk_progress_counts *c, double now);
int	lrk_progress_line(struct lrk_buf *b,
	    const struct lrk_progress_options *opt,
	    const struct lrk_progress_counts *c, double now);
struct lrk_progress *lrk_progress_new(const struct lrk_progress_options *opt);
void	lrk_progress_free(struct lrk_progress *p);
void	lrk_progress_set_width(struct lrk_progress *p, int width);
int	lrk_progress_update(struct lrk_progress *p,
	    const struct lrk_progress_counts *c, double now,
	    struct lrk_buf *out);
double	lrk_progress_deadline(const struct lrk_progress *p);
int	lrk_progress_message(struct lrk_progress *p, const void *msg,
	    size_t len, struct lrk_buf *out);
int	lrk_progress_clear(struct lrk_progress *p, struct lrk_buf *out);
void	lrk_progress_hold(struct lrk_progress *p, double now);

/* The console (lrkit.h) as the executor drives it. */
int	lrk_console_wanted(const struct lrk_console_options *o);
const char *lrk_console_line(const struct lrk_console *c);
void	lrk_console_round(struct lrk_console *c, size_t round, size_t rounds);
int	lrk_console_begin(struct lrk_console *c, size_t total, size_t done,
	    double now);
int	lrk_console_started(struct lrk_console *c, size_t slot, double now);
int	lrk_console_ended(struct lrk_console *c, size_t slot, int status,
	    double now);
int	lrk_console_tick(struct lrk_console *c, double now);
double	lrk_console_deadline(const struct lrk_console *c);
int	lrk_console_resize(struct lrk_console *c, double now);
int	lrk_console_clear(struct lrk_console *c);
struct lrk_outq *lrk_console_queue(struct lrk_console *c);

/*
 * rank.c: which candidate lr trained best (lr-confirm): a run's final
 * metric, the median over a candidate's seeds and the order of
 * candidates (the rounds that train them are halving.c's, below).
 */

/* A candidate's standing. */
struct lrk_rank_entry {
	double	lr;
	size_t	round;		/* the last round it trained in, from 1 */
	size_t	runs;		/* its runs so far: the seeds it trained on */
	size_t	unfinished;	/* of which not clean: not done with a finite
				 * metric (the candidate is clean when 0) */
	double	median;		/* over the clean runs; NaN when none */
	size_t	index;		/* the caller's */
};

/* What a run's tidy rows say (sweep-run's run-K.csv). */
struct lrk_run_result {
	double	final;		/* the last non-missing metric; NaN if none */
	size_t	steps;		/* rows with a step: optimizer steps taken */
	size_t	rows;
	char	*column;	/* the metric's column, as the header has it
				 * (allocated: lrk_run_result_free) */
};

double	lrk_rank_median(double *v, size_t n);
int	lrk_rank_summarize(struct lrk_rank_entry *e, const double *metric,
	    const int *finished, size_t n);
int	lrk_rank_compare(const struct lrk_rank_entry *a,
	    const struct lrk_rank_entry *b, int higher_better);
void	lrk_rank_sort(struct lrk_rank_entry *e, size_t n, int higher_better);
int	lrk_rank_read_run(struct lrk_table *t, const char *name,
	    const char *metric, struct lrk_run_result *out, char *err);
void	lrk_run_result_free(struct lrk_run_result *r);

/* A candidate's run on one seed, as sweep-run left it. */
struct lrk_rank_run {
	size_t			 seed;
	int			 status;	/* or LRK_RUN_NONE: not run */
	int			 exitval, signal;	/* from the joblog */
	int			 has_file;	/* result read from run-K.csv */
	struct lrk_run_result	 result;
	char			*why;		/* sweep-run's last message */
};

int	lrk_rank_candidates(const double *factors, size_t n,
	    double suggestion, double *factor, double *lr, char *err);
int	lrk_rank_summarize_runs(struct lrk_rank_entry *e,
	    const struct lrk_rank_run *runs, size_t n);
int	lrk_rank_runs_text(struct lrk_buf *b, const struct lrk_rank_run *runs,
	    size_t n);
int	lrk_rank_why_text(struct lrk_buf *b, const struct lrk_rank_run *runs,
	    size_t n);

/*
 * protocol.c: sweep-run's child protocol (sweep-run(1)).  The schedule
 * the child reads (from lrsched's words or a table, -S, with the rules
 * for a table without a header), the lines the child prints (a number, a
 * CSV header naming the loss column, a CSV row, a log line), and the
 * tidy rows "run,<params>,step,lr,loss,<the child's other columns>".
 */

/* The schedule a child reads. */
struct lrk_schedule {
	struct lrk_buf	 child;		/* the text the child reads */
	struct lrk_buf	 rows;		/* "step,lr" of every row, back to back */
	size_t		*row_off;	/* nsteps + 1 offsets into rows */
	size_t		 nsteps, off_cap;
	int		 bare;		/* one lr a line, no header */
	int		 momentum_asked;	/* required: lrk_schedule_momentum */
	int		 momentum;	/* the child's text has the column */
};

void	lrk_schedule_init(struct lrk_schedule *s, int bare);
int	lrk_schedule_momentum(struct lrk_schedule *s);
void	lrk_schedule_free(struct lrk_schedule *s);
int	lrk_schedule_read(struct lrk_schedule *s, struct lrk_table *t,
	    const char *name, char *err);
int	lrk_schedule_spec(struct lrk_schedule *s, const char *spec,
	    char *err);
int	lrk_schedule_is_count(const char *s, size_t len, double *first,
	    size_t k);

enum lrk_child_kind {
	LRK_CHILD_BLANK,
	LRK_CHILD_LOSS,
	LRK_CHILD_HEADER,
	LRK_CHILD_NO_LOSS,
	LRK_CHILD_LOG,
	LRK_CHILD_ERROR
};

/* What one line of the child's output said. */
struct lrk_child_line {
	const char	*line;		/* the line without CR: a log line */
	size_t		 len;
	double		 loss;
	const char	*loss_text;	/* the loss as printed, trimmed */
	size_t		 loss_len;
	int		 csv;		/* a CSV row: see lrk_child_field */
};

/* The state of one child's output: its header, once it has printed one. */
struct lrk_child {
	const char	*loss_name;	/* -y */
	int		 has_header;
	size_t		 loss_col, ncols;
	struct lrk_buf	 names;		/* the header's names, NUL-separated */
	size_t		*name_off;
	const char	*row;		/* the last CSV row */
	size_t		*field_off, *field_len, field_cap;
	unsigned long	 losses;
	struct lrk_buf	 pending;	/* a header-like line before any loss */
	size_t		 pending_cols;
	unsigned long	 pending_line;
};

void		 lrk_child_init(struct lrk_child *c, const char *loss_name);
void		 lrk_child_free(struct lrk_child *c);
int		 lrk_child_line(struct lrk_child *c, const char *s, size_t len,
		    unsigned long line, struct lrk_child_line *out, char *err);
size_t		 lrk_child_columns(const struct lrk_child *c);
const char	*lrk_child_name(const struct lrk_child *c, size_t i);
const char	*lrk_child_field(const struct lrk_child *c, size_t i,
		    size_t *len);

int	lrk_child_kept(const struct lrk_child *c, const struct lrk_grid *g,
	    size_t i);
const char *lrk_child_left_out(const struct lrk_child *c,
	    const struct lrk_grid *g, size_t i);
int	lrk_tidy_row(struct lrk_buf *b, const char *prefix, size_t prefix_len,
	    const char *row, size_t row_len, const struct lrk_child *c,
	    const struct lrk_child_line *line, const size_t *map, size_t nmap);
size_t	*lrk_tidy_map(const struct lrk_child *c, const struct lrk_grid *g,
	    char *const *names, size_t nnames, size_t *n, size_t *left_out);
int	lrk_tidy_header(struct lrk_buf *b, const struct lrk_grid *g);
int	lrk_tidy_prefix(struct lrk_buf *b, const struct lrk_grid *g,
	    size_t run);
int	lrk_tidy_header_line(struct lrk_buf *b, const struct lrk_grid *g,
	    const char *const *names, size_t n);

/*
 * sweep.c: what a sweep leaves in its folder (run files, the joblog, the
 * temporary files of runs killed outright) and the environment of a run.
 */

extern const char *const lrk_run_status_names[];
int	 lrk_run_file_done(const char *dir, const struct lrk_grid *g,
	    size_t run, char *err);

struct lrk_joblog_entry {
	size_t			 run;
	const char		*host;
	double			 wall_start, runtime;
	size_t			 sent;
	unsigned long long	 received;
	int			 exitval, signal;
	char *const		*argv;
	enum lrk_run_status	 status;
};

char	*lrk_path_join(const char *dir, const char *name);
char	*lrk_run_path(const char *dir, size_t run);
int	 lrk_joblog_open(const char *dir, const struct lrk_grid *g,
	    char *err);
int	 lrk_joblog_row(int fd, const struct lrk_grid *g,
	    const struct lrk_joblog_entry *e);
/* A row of the joblog as lrk_joblog_read gives it. */
struct lrk_joblog_line {
	const char		*path;		/* dir/joblog.tsv */
	unsigned long		 line;		/* in it */
	size_t			 run;		/* Seq */
	int			 status;	/* or LRK_RUN_NONE */
	int			 exitval, signal;
	const char *const	*values;	/* of the parameters asked for */
};

int	 lrk_joblog_read(const char *dir, const char *const *params,
	    size_t nparams, size_t nruns, int (*row)(void *,
	    const struct lrk_joblog_line *, char *), void *arg, char *err);
void	 lrk_run_messages(const char *text, size_t nruns,
	    void (*fn)(void *, size_t, const char *, size_t), void *arg);
size_t	 lrk_remove_stale(const char *dir);
char	**lrk_run_env(char *const env[], const struct lrk_grid *g,
	    size_t run);
char	**lrk_run_env_slot(char *const env[], const struct lrk_grid *g,
	    size_t run, const char *slot, const char *gpu);
void	 lrk_run_env_free(char **env);

/*
 * run.c: one run of sweep-run from start to end: the child fed its
 * schedule, its output read into losses, log lines and errors for the
 * caller's callbacks, the divergence rule, stop and kill, and how it
 * ended.  The caller's poll() loop drives it (lrk_run_pollfds,
 * lrk_run_ready, lrk_run_deadline, lrk_run_tick, lrk_run_reap).
 */

struct lrk_run_events {
	void	(*loss)(void *arg, const struct lrk_child_line *line);
	void	(*row)(void *arg, const struct lrk_child_line *line);
					/* a CSV row without a loss */
	void	(*log)(void *arg, const char *line, size_t len);
	void	(*warn)(void *arg, const char *message);
};

struct lrk_run {
	const struct lrk_run_options	*opt;
	const struct lrk_run_events	*ev;
	void				*arg;
	struct lrk_proc			 proc;
	struct lrk_lines		 out, err;
	struct lrk_child		 child;
	struct lrk_ema			 ema;
	struct lrk_diverge		 div;
	enum lrk_run_status		 status;	/* or LRK_RUN_NONE */
	int				 exec_error;	/* command not run */
	int				 stopping;	/* SIGTERM sent */
	int				 killed;	/* SIGKILL sent */
	size_t				 steps;		/* losses taken */
	unsigned long long		 received;	/* bytes of stdout */
	unsigned long			 out_lines;
	double				 start, timeout_at, kill_at;
	double				 gone_by;	/* group waited for */
};

struct pollfd;

void	lrk_run_init(struct lrk_run *r, const struct lrk_run_options *opt,
	    const struct lrk_run_events *ev, void *arg);
void	lrk_run_free(struct lrk_run *r);
int	lrk_run_start(struct lrk_run *r, char *const argv[],
	    char *const envp[], int flags, char *err);
void	lrk_run_stop(struct lrk_run *r, enum lrk_run_status why);
void	lrk_run_kill(struct lrk_run *r);
int	lrk_run_loss(struct lrk_run *r, double x);
void	lrk_run_reap(struct lrk_run *r);
int	lrk_run_over(const struct lrk_run *r);
size_t	lrk_run_pollfds(const struct lrk_run *r, size_t input_left,
	    struct pollfd *pfd, int *which);
size_t	lrk_run_ready(struct lrk_run *r, int fd, int which,
	    const char *input, size_t input_left);
double	lrk_run_deadline(const struct lrk_run *r);
void	lrk_run_tick(struct lrk_run *r, double now);
void	lrk_run_shift(struct lrk_run *r, double stopped);
enum lrk_run_status lrk_run_end(struct lrk_run *r, const char *command,
	    size_t nsteps, int *exitval, int *sig, char *what);

/*
 * pool.c: the executor.  Runs first to end - 1 of a grid, `jobs` at
 * once, each in a slot (1 to jobs: {slot} in its arguments and schedule,
 * LRKIT_SLOT and, with gpus, CUDA_VISIBLE_DEVICES in its environment;
 * alone: a run started alone, sweep-run --index, holds none, LRKIT_SLOT
 * is 1 and {slot} an error),
 * all driven by one poll() loop; rows go to DIR/run-K.csv (out_dir) or
 * to the rows queue, the joblog to DIR/joblog.tsv, and what is said about
 * a run to the callbacks.  lrk_pool_run returns -1 only when lrkit's own
 * side failed (a file that cannot be written, memory): every run is then
 * stopped and none of them is logged, so that a resume runs them again.
 */

size_t		 lrk_pool_todo(struct lrk_pool *pool, char *err);
int		 lrk_pool_check_gpus(size_t jobs, size_t ngpus, int alone,
		    char *err);
void		 lrk_pool_stop(struct lrk_pool *pool);

/*
 * halving.c: the confirmation (lr-confirm(1)) as an object without I/O:
 * the candidates, the rounds of successive halving that train them, the
 * survivors of each round, the refill rounds that replace candidates that
 * turned out not clean, and the answer.  The caller trains the runs each
 * round asks for (or reads them back from disk on resume) and records how
 * each ended; the object decides the next round from what is recorded
 * alone, so the same records always give the same rounds.
 */

/* A round to train, as lrk_halving_next gives it. */
struct lrk_halving_round {
	size_t		 number;	/* from 1 */
	const size_t	*candidates;	/* their indices, in lr order; valid
					 * until the next lrk_halving_next */
	size_t		 count;
	size_t		 first_seed, last_seed;
	size_t		 level;		/* the round of the plan, from 1 */
	double		 fraction;	/* the level's, from the options */
	int		 refill;	/* in place of candidates not clean */
};

/* How a round's runs ended (or, for round 0, those of every round). */
struct lrk_halving_counts {
	size_t	candidates;	/* trained in it */
	size_t	clean;		/* of which every run in it is clean */
	size_t	runs;		/* recorded */
	size_t	missing;	/* not recorded yet */
	size_t	done;		/* clean: done with a finite final metric */
	size_t	no_metric;	/* done, with no finite final metric */
	size_t	diverged, failed, timeout;
	size_t	steps;		/* the steps recorded with the runs */
};

struct lrk_halving;

/* A round of the plan: how many candidates, on how many seeds by its end. */
struct lrk_halving_level {
	size_t	candidates;
	size_t	seeds;
};

struct lrk_halving_options {
	size_t		 seeds;		/* K, the seeds of the answer (-k) */
	int		 higher;	/* the metric is better when higher */
	const double	*fractions;	/* of the schedule's length, by round
					 * of the plan; NULL or past
					 * nfractions: 1, the whole schedule */
	size_t		 nfractions;
};

size_t	lrk_halving_plan(size_t candidates, size_t seeds,
	    struct lrk_halving_level *level, size_t max);
size_t	lrk_halving_plan_trainings(const struct lrk_halving_level *level,
	    size_t nlevels);
struct lrk_halving *lrk_halving_new(const double *lrs, size_t n,
	    const struct lrk_halving_options *o, char *err);
void	lrk_halving_free(struct lrk_halving *h);
size_t	lrk_halving_next(struct lrk_halving *h,
	    struct lrk_halving_round *out);
int	lrk_halving_record(struct lrk_halving *h, size_t cand, size_t seed,
	    enum lrk_run_status status, double metric, size_t steps,
	    char *err);
enum lrk_run_status lrk_halving_run(const struct lrk_halving *h,
	    size_t cand, size_t seed, double *metric);
void	lrk_halving_standings(const struct lrk_halving *h,
	    struct lrk_rank_entry *out);
long	lrk_halving_answer(const struct lrk_halving *h);
void	lrk_halving_round_counts(const struct lrk_halving *h, size_t round,
	    struct lrk_halving_counts *c);
int	lrk_halving_counts_text(struct lrk_buf *b,
	    const struct lrk_halving_counts *c);

/*
 * outfile.c: an output file written completely or not at all: a
 * temporary file in the target's folder, synced and renamed over the
 * target when complete, removed on any error, at exit() and (with
 * lrk_outfile_catch_signals) on SIGINT, SIGTERM, SIGHUP.  A new file gets
 * 0666 & ~umask; a replaced one keeps its mode.
 */

#define LRK_OUTFILE_LOCK	1	/* flock the temporary file */

struct lrk_outfile {
	char			*path;		/* as given */
	char			*target;	/* the file replaced */
	char			*tmp;		/* NULL once renamed, or in place */
	FILE			*fp;
	int			 fd;
	int			 lock_fd;
	int			 error;		/* of the first failed write */
	struct lrk_outfile	*next;		/* the registry */
};

int	 lrk_outfile_open(struct lrk_outfile *o, const char *path, int flags,
	    char *err);
FILE	*lrk_outfile_fp(const struct lrk_outfile *o);
int	 lrk_outfile_commit(struct lrk_outfile *o, char *err);
const char *lrk_outfile_tmp(const struct lrk_outfile *o);
void	 lrk_outfile_check(struct lrk_outfile *o);
void	 lrk_outfile_abort(struct lrk_outfile *o);
void	 lrk_outfile_cleanup(void);
void	 lrk_outfile_catch_signals(void);

#endif
