/*
 * lrkit: the learning-rate range test as Unix filters.
 *
 * The one header the tools include: what they call, by layer (the
 * stream, numbers, the command line, then the stages of the pipeline).
 * The library never prints and never exits (cli.c, the tools' reporting
 * helpers, is the one exception and is only called from main());
 * functions return a status and fill an error message the tool reports.
 * What only lib/ and the tests need is in the private header extern.h.
 * lib/README is the map of the library: its layers and what calls what.
 */
#ifndef LRKIT_H
#define LRKIT_H

#include <stddef.h>
#include <stdio.h>

#ifndef LRKIT_VERSION
#define LRKIT_VERSION "0.1.0"
#endif

/* Room for an error message filled by the library. */
#define LRK_ERRSIZE 512

/* The stream (table.c, strmap.c): CSV tables read and written, groups. */

struct lrk_cell {
	const char	*data;	/* NUL-terminated */
	size_t		 len;
};

enum lrk_header_mode {
	LRK_HEADER_AUTO = 0,	/* none when the first row is all numeric */
	LRK_HEADER_YES,
	LRK_HEADER_NO
};

struct lrk_table_options {
	enum lrk_header_mode	header;
	int			delim;	/* 0: detect from the first line */
};

struct lrk_table;

void			 lrk_table_free(struct lrk_table *table);
int			 lrk_table_next(struct lrk_table *table,
			    const struct lrk_cell **cells);
const char		*lrk_table_error(const struct lrk_table *table);
unsigned long		 lrk_table_line(const struct lrk_table *table);
size_t			 lrk_table_columns(const struct lrk_table *table);
const struct lrk_cell	*lrk_table_header(const struct lrk_table *table);
int			 lrk_table_has_header(const struct lrk_table *table);
int			 lrk_table_empty(const struct lrk_table *table);

/*
 * What a column is for, to choose its default (lrkit(7)), and what the
 * default lookups would read a name as (lrk_name_role).
 */
enum lrk_role {
	LRK_ROLE_NONE = 0,	/* none of these */
	LRK_ROLE_LR,		/* lr, learning_rate, lr-* */
	LRK_ROLE_LOSS,		/* loss, train_loss, train_loss_step, Value */
	LRK_ROLE_SMOOTH,	/* the last *_smooth, else as LRK_ROLE_LOSS */
	LRK_ROLE_STEP,		/* step, Step, global_step, iteration, epoch */
	LRK_ROLE_RUN		/* run: the runs of long format */
};

int	lrk_table_find(const struct lrk_table *table, const char *spec,
	    const char *what, size_t *column, char *err);
char	*lrk_smooth_name(const char *name, size_t len);
int	lrk_table_column(const struct lrk_table *table, const char *spec,
	    enum lrk_role role, const char *what, size_t *column, char *err);

struct lrk_writer;

struct lrk_writer	*lrk_writer_new(FILE *fp, int delim, const char *eol);
void			 lrk_writer_free(struct lrk_writer *writer);
void	lrk_write_cell(struct lrk_writer *writer, const char *data,
	    size_t len);
void	lrk_write_str(struct lrk_writer *writer, const char *s);
void	lrk_write_num(struct lrk_writer *writer, double x);
void	lrk_write_cells(struct lrk_writer *writer,
	    const struct lrk_cell *cells, size_t count);
void	lrk_write_end(struct lrk_writer *writer);

struct lrk_strmap;

struct lrk_strmap	*lrk_strmap_new(void);
long			 lrk_strmap_intern(struct lrk_strmap *map,
			    const char *key, size_t len, int *added);

/* Numbers (num.c, dtoa.c): cells parsed and printed in the C locale. */

enum lrk_num_status {
	LRK_NUM_OK = 0,		/* a number; may be nan or +-inf */
	LRK_NUM_MISSING = 1,	/* empty, NA, #na#, null: *out is NaN */
	LRK_NUM_BAD = 2		/* not a number */
};

/* Big enough for any double printed by lrk_num_format, with its NUL. */
#define LRK_NUM_BUFSIZE 32

int	lrk_num_parse(const char *s, size_t len, double *out);
size_t	lrk_num_format(char *buf, double x);

/*
 * text.c: input shown to a reader.  lrk_show quotes a cell, a column
 * name or an argument in a message, cut after LRK_SHOW_BYTES bytes
 * ("..." then), control bytes and bytes that are not printable UTF-8 as
 * \xNN; buf holds LRK_SHOWSIZE bytes.
 */
#define LRK_SHOW_BYTES 64
#define LRK_SHOWSIZE (4 * LRK_SHOW_BYTES + 8)
const char *lrk_show(char *buf, const char *s, size_t len);

/* The command line (cli.c): messages, exits, option values, inputs. */

extern const char *lrk_progname;

void	lrk_cli_init(int argc, char *argv[]);
void	lrk_warnx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
_Noreturn void lrk_errx(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
_Noreturn void lrk_usage_error(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
struct option;
_Noreturn void lrk_option_error(int ch, char *const argv[],
	    const struct option *longopts);
_Noreturn void lrk_version(void);
_Noreturn void lrk_help(const char *usage, const char *text);
double	lrk_opt_double(const char *option, const char *arg, double lo,
	    double hi, int open_low);
long	lrk_opt_long(const char *option, const char *arg, long lo, long hi);
const char *lrk_opt_given(const char *option, const char *arg);
int	lrk_opt_delim(const char *option, const char *arg);
FILE	*lrk_open_input(const char *path);
void	lrk_close_input(FILE *fp);
struct lrk_table *lrk_open_table(FILE *fp, const char *name,
	    const struct lrk_table_options *options);
int	lrk_close_stdout(void);
int	lrk_stdout_failed(void);

/* Memory: out of memory is "out of memory", exit 1; never NULL. */
void	*lrk_xreallocarray(void *p, size_t n, size_t size);
void	*lrk_xcheck(void *p);

/*
 * The input files of a tool that reads several: each given to read in
 * turn (1: it failed; 2: read no more), no file: standard input; a file
 * that does not open, or a folder when folder_hint says why not, is
 * warned about and passed over.  Returns 1 when an input failed.
 * lrk_inputs_writer: a writer in the first input table's dialect.
 */
int	lrk_inputs_each(int argc, char *const argv[], const char *folder_hint,
	    int (*read)(FILE *fp, const char *name));
struct lrk_writer *lrk_inputs_writer(FILE *fp, const struct lrk_table *t);

/* ema.c: the moving average and the divergence rule (--stop-div). */

enum lrk_ema_start {
	LRK_EMA_DEBIAS = 0,	/* fastai, TensorBoard, pandas adjust=True */
	LRK_EMA_FIRST,		/* pandas adjust=False, Miller */
	LRK_EMA_ZERO		/* biased, from zero */
};

enum lrk_ema_nan {
	LRK_EMA_SKIP = 0,	/* TensorBoard: pass the value through */
	LRK_EMA_HOLD,		/* pandas: repeat the last smoothed value */
	LRK_EMA_PROPAGATE	/* fastai: NaN from then on */
};

/* ema-smooth's default beta, which the other tools smooth a loss with. */
#define LRK_EMA_BETA 0.98

struct lrk_ema_options {
	double			beta;	/* weight of the old value */
	double			halflife;	/* > 0: time-weighted, with t */
	enum lrk_ema_start	start;
	enum lrk_ema_nan	nan;
	int			ignore_na;	/* pandas ignore_na=True */
};

struct lrk_ema {
	double	value;		/* the current smoothed value */
	double	den;		/* the weight of the old value */
	double	last_time;	/* time of the last row taken in */
	long	seen;		/* values taken in */
	int	poisoned;	/* propagate: a non-finite value was seen */
};

void	lrk_ema_init(struct lrk_ema *ema);
double	lrk_ema_push(struct lrk_ema *ema, const struct lrk_ema_options *opt,
	    double x, double t);

/*
 * The divergence rule of --stop-div (ema-smooth, sweep-run): a non-finite
 * loss, or a smoothed loss above K times the lowest so far while that
 * lowest is positive (at 0 or below a ratio says nothing).
 */
struct lrk_diverge {
	double	best;		/* the lowest smoothed loss so far */
};

void	lrk_diverge_init(struct lrk_diverge *d);
int	lrk_diverge_push(struct lrk_diverge *d, double k, int nonfinite,
	    double smoothed);

/* sched.c: lr schedules, as torch and fastai compute them. */

struct lrk_sched;

struct lrk_sched	*lrk_sched_parse(int nwords, char *const words[],
			    char *err);
struct lrk_sched	*lrk_sched_parse_string(const char *spec, char *err);
int			 lrk_sched_set_epochs(struct lrk_sched *s, long epochs,
			    long steps_per_epoch, char *err);
int			 lrk_sched_ready(const struct lrk_sched *s, char *err);
size_t			 lrk_sched_steps(const struct lrk_sched *s);
int			 lrk_sched_check_momentum(const struct lrk_sched *s,
			    char *err);
double			 lrk_sched_lr(const struct lrk_sched *s, size_t k);
double			 lrk_sched_momentum(const struct lrk_sched *s,
			    size_t k);
void			 lrk_sched_free(struct lrk_sched *s);

/* suggest.c: the suggested lr of a curve, each method as its anchor. */

struct lrk_suggest_options {
	long	skip_start;	/* -1: the method's own (n/10 as fastai, 10) */
	long	skip_end;	/* -1: the method's own (5; 1 for lightning) */
	long	lr_diff;	/* slide: 15 */
	double	thresh;		/* slide: 0.005 */
	double	adjust;		/* slide: 1 */
};

void	lrk_suggest_defaults(struct lrk_suggest_options *o);
int	lrk_suggest_parse_methods(const char *arg, const char ***list,
	    size_t *count, char *err);
size_t	lrk_suggest_method_list(char *buf, size_t size);

/*
 * The default: the method that trains best in make quality (lr-suggest(1),
 * DEFAULT), on one run and over several runs of one configuration.
 */
#define LRK_SUGGEST_DEFAULT		"minimum"
#define LRK_SUGGEST_DEFAULT_RUNS	"pooled"
const char *lrk_suggest_default(size_t nruns);

/* curve.c: which columns a range test's curves are read from. */
struct lrk_range_spec {
	const char	*lr;		/* -x, or NULL: the default */
	const char	*loss;		/* -y, or NULL: the default */
	const char	*group;		/* -g, or NULL: the run column if any */
};

/* answer.c: lr-suggest's answers, as it prints them. */

enum lrk_answer_format {
	LRK_ANSWER_PLAIN = 0,
	LRK_ANSWER_CSV,
	LRK_ANSWER_JSON
};

struct lrk_answer {
	const char	*group;		/* its group's name, or NULL */
	const char	*method;	/* the method, or range_base, range_max */
	double		 lr;
	double		 loss;
	size_t		 row;		/* 0-based data row of the input */
	const char	*label;		/* plain: the group's label, or NULL */
};

int	lrk_answers_write(FILE *fp, enum lrk_answer_format format,
	    const char *group_title, const struct lrk_answer *answers,
	    size_t n);
int	lrk_answers_summary(FILE *fp, enum lrk_answer_format format,
	    const struct lrk_answer *answers, size_t n);

/* answer.c: a range test's table read, and its answer in one call. */

struct lrk_range_options {
	struct lrk_table_options	 table;
	struct lrk_range_spec		 columns;	/* -x, -y, -g */
	const char			*label;		/* --label, or NULL */
	const char			*method;	/* lrk_range_suggest: -m,
							   or NULL: the default */
	struct lrk_suggest_options	 suggest;
};

struct lrk_range_answer {
	double		lr;
	size_t		groups;		/* curves read (1: no groups) */
	size_t		answered;	/* groups with an answer */
	unsigned long	rows;		/* the table's data rows */
	int		smoothed_here;	/* a raw loss was smoothed */
};

struct lrk_range;

struct lrk_range	*lrk_range_read(FILE *fp, const char *name,
			    const struct lrk_range_options *options,
			    void (*warn)(void *arg, const char *message),
			    void *arg, char *err);
void			 lrk_range_free(struct lrk_range *range);
size_t			 lrk_range_groups(const struct lrk_range *range);
const char		*lrk_range_group_title(const struct lrk_range *range);
int			 lrk_range_grouped(const struct lrk_range *range);
int			 lrk_range_answer(struct lrk_range *range,
			    const char *const *methods, size_t count,
			    const struct lrk_answer **answers, size_t *n);
int			 lrk_range_warn_spread(const struct lrk_range *range);
int			 lrk_range_suggest(FILE *fp, const char *name,
			    const struct lrk_range_options *options,
			    struct lrk_range_answer *out,
			    void (*warn)(void *arg, const char *message),
			    void *arg, char *err);

/* plotbuild.c: lr-plot's inputs made into the picture drawn. */

#define LRK_PLOT_MAX_COLUMNS 16

struct lrk_plot_input_options {
	const char		*lr;		/* -x, or NULL: the default */
	const char		*group;		/* -g, or NULL */
	const char		*label;		/* --label, or NULL: sweep-run's
						   parameters (lrk_curves_labels) */
	const char *const	*loss;		/* -y, or none: the default */
	size_t			 nloss;		/* <= LRK_PLOT_MAX_COLUMNS */
	int			 file_groups;	/* one group per input */
	int			 marks;		/* suggestions will be marked */
};

struct lrk_plot_build_options {
	const char *const	*methods;	/* marked, in order */
	size_t			 nmethods;
	size_t			 skip_start;	/* points left out of each curve */
	size_t			 skip_end;
	int			 terminal;	/* marks named after their group */
};

/* How it looks (plot.c, plot_svg.c, plot_text.c draw it). */
struct lrk_plot_look {
	const char	*title;		/* or NULL */
	double		 width, height;	/* SVG: pixels; text: columns, rows */
	int		 grow;		/* text: taller by the marks listed */
	int		 ylim_set;
	double		 ylim[2];
	int		 ascii, ansi;	/* text: ASCII, not braille; colours */
};

struct lrk_plotdata;

struct lrk_plotdata	*lrk_plotdata_new(
			    const struct lrk_plot_input_options *options);
void			 lrk_plotdata_free(struct lrk_plotdata *data);
int			 lrk_plotdata_add(struct lrk_plotdata *data,
			    struct lrk_table *table, const char *name,
			    void (*warn)(void *arg, const char *message),
			    void *arg, char *err);
int			 lrk_plotdata_render(struct lrk_plotdata *data,
			    const struct lrk_plot_build_options *options,
			    const struct lrk_plot_look *look, FILE *fp,
			    char *err);
size_t			 lrk_plotdata_failures(
			    const struct lrk_plotdata *data,
			    const char *const **messages);

/* grid.c: parameter grids; proc.c: signals, output queues. */

struct lrk_grid;

struct lrk_grid	*lrk_grid_new(void);
int		 lrk_grid_add(struct lrk_grid *grid, const char *spec,
		    char *err);
size_t		 lrk_grid_runs(const struct lrk_grid *grid);
int		 lrk_grid_list(FILE *fp, const struct lrk_grid *grid,
		    size_t first, size_t end);
char		**lrk_gpus_parse(const char *list, size_t *count, char *err);

/*
 * The signals of a tool that runs trainings (lrk_signals_catch_runs):
 * stop signals stop the runs and the tool, job control signals stop and
 * continue them (lrk_pool_run); lrk_job_signals_default once none runs.
 */
int	lrk_signals_catch_runs(int window);
void	lrk_job_signals_default(void);

/*
 * progress.c: the console, the standard error of long work: the messages
 * scrolling up and the status line kept under them (lrk_console_say for
 * every line; the executor keeps its counts and redraws it on time).
 */
struct lrk_console_options {
	int		 fd;		/* the standard error: 2 */
	int		 quiet;		/* -q: no line */
	int		 force;		/* --progress: a line on any fd */
	int		 rows_fd;	/* the rows' descriptor (1), or -1 */
	const char	*name;		/* the line's "NAME: ", or NULL */
	size_t		 jobs;		/* runs at once: slots 1 to jobs */
};

struct lrk_console;

struct lrk_console *lrk_console_new(const struct lrk_console_options *o);
void	lrk_console_free(struct lrk_console *c);
int	lrk_console_on(const struct lrk_console *c);
int	lrk_console_say(struct lrk_console *c, const char *head,
	    const void *text, size_t len);
int	lrk_console_end(struct lrk_console *c, double timeout);


/* sweep.c: a sweep's folder (run files, joblog) and a run's states. */

enum lrk_run_status {
	LRK_RUN_NONE = -1,
	LRK_RUN_DONE,
	LRK_RUN_DIVERGED,
	LRK_RUN_FAILED,
	LRK_RUN_TIMEOUT,
	LRK_RUN_STOPPED		/* by a signal to sweep-run: not logged */
};

/* run.c: what bounds one run (sweep-run's options of a run). */

struct lrk_run_options {
	const char		*loss_name;	/* -y */
	double			 stop_div;	/* 0: never */
	struct lrk_ema_options	 ema;
	double			 grace;		/* SIGTERM to SIGKILL, seconds */
	double			 timeout;	/* 0: none */
};

/* pool.c: the executor: runs of a grid in slots, one poll() loop. */

struct lrk_pool;
struct lrk_outq;

struct lrk_pool_options {
	const struct lrk_grid	*grid;
	char *const		*command;	/* NULL-terminated; {name} */
	const char		*schedule;	/* lrsched words; {name} */
	struct lrk_table	*table;		/* or -S: every run's step,lr */
	const char		*table_name;
	int			 bare;		/* one lr a line */
	int			 momentum;	/* the momentum column required */
	const char		*out_dir;	/* NULL: rows to rows_fd */
	int			 resume;	/* runs with a file done: skipped */
	size_t			 first, end;	/* the runs */
	size_t			 jobs;
	char *const		*gpus;		/* slot K: gpus[K - 1], or NULL */
	size_t			 ngpus;		/* jobs or more */
	int			 alone;		/* no slot: {slot} an error */
	struct lrk_run_options	 run;
	int			 unbuffered;	/* a row is written at once */
	int			 tag_lines;	/* stderr as lines; -1: jobs > 1 */
	int			 sigfd;		/* lrk_signals_catch's */
	int			 rows_fd;	/* no out_dir: the rows' (1) */
	struct lrk_outq		*messages;	/* or NULL: the console's */
	struct lrk_console	*console;	/* its status line, or NULL */
};

/* How a run ended, for the ended callback. */
struct lrk_pool_end {
	size_t			 run, slot;
	enum lrk_run_status	 status;	/* STOPPED: not logged */
	int			 exitval, signal;
	size_t			 steps;
	double			 runtime;
};

struct lrk_pool_events {
	int	(*skip)(void *arg, size_t run, char *err);	/* 1: done */
	void	(*log)(void *arg, size_t run, const char *line, size_t len);
	void	(*warn)(void *arg, size_t run, const char *message);
	void	(*started)(void *arg, size_t run, size_t slot);
	void	(*ended)(void *arg, const struct lrk_pool_end *end);
};

struct lrk_pool	*lrk_pool_new(const struct lrk_pool_options *options,
		    const struct lrk_pool_events *events, void *arg,
		    int *usage, char *err);
int		 lrk_pool_run(struct lrk_pool *pool, char *err);
int		 lrk_pool_signal(const struct lrk_pool *pool);
int		 lrk_pool_tagged(const struct lrk_pool *pool);
int		 lrk_pool_rows_failed(const struct lrk_pool *pool, char *err);
void		 lrk_pool_free(struct lrk_pool *pool);

/*
 * confirm.c: the confirmation (lr-confirm): the candidates trained in
 * rounds of successive halving (halving.c), each round a pool into
 * DIR/round-R, as sweep-run -o writes it.
 */

struct lrk_confirm_options {
	struct lrk_pool_options	 pool;		/* the runs': the command, the
						   schedule with {max}, -j ... */
	const double		*factors;	/* the candidates' factors */
	size_t			 n;
	double			 suggestion;
	size_t			 seeds;		/* -k */
	int			 higher;
	double			 fraction;	/* round 1's share of the steps */
	const char		*dir;		/* -o */
	const char		*metric;	/* -y, or NULL */
	int			 resume, rerun_failed;
};

/* round: "round 2: 3 candidates, ..."; counts: what its runs did. */
struct lrk_confirm_events {
	void	(*round)(void *arg, size_t round, const char *text);
	void	(*counts)(void *arg, size_t round, const char *text);
	void	(*warn)(void *arg, size_t round, const char *max, size_t seed,
		    const char *message);
	void	(*log)(void *arg, const char *max, size_t seed, int tagged,
		    const char *line, size_t len);
};

struct lrk_confirm_result {
	long	answer;		/* the candidate printed, or -1: none */
	double	median;		/* its metric (else the best one's) */
	size_t	seeds;		/* the runs of that median */
	size_t	runs, steps;	/* spent, in every round */
	size_t	no_metric;	/* runs done without a finite metric */
};

struct lrk_confirm;

struct lrk_confirm *lrk_confirm_new(const struct lrk_confirm_options *o,
	    const struct lrk_confirm_events *ev, void *arg, int *usage,
	    char *err);
void	lrk_confirm_free(struct lrk_confirm *c);
int	lrk_confirm_claim(struct lrk_confirm *c, char *err);
int	lrk_confirm_run(struct lrk_confirm *c, int *sig, int *usage,
	    char *err);
size_t	lrk_confirm_count(const struct lrk_confirm *c);
const char *lrk_confirm_text(const struct lrk_confirm *c, size_t i,
	    double *factor);
const char *lrk_confirm_metric(const struct lrk_confirm *c);
int	lrk_confirm_result(const struct lrk_confirm *c,
	    struct lrk_confirm_result *r);
int	lrk_confirm_write_ranked(const struct lrk_confirm *c, char *err);
size_t	lrk_confirm_steps(const char *schedule, char *const *command,
	    int momentum, int *seeded, char *err);
double	*lrk_confirm_factors(const char *list, size_t count, size_t *n,
	    char *err);

/* outfile.c: an output file written completely or not at all. */

#define LRK_OUTFILE_IN_PLACE	2	/* write a non-regular target as it is */
#define LRK_OUTFILE_SIGNALS	4	/* lrk_outfile_catch_signals() */

int	lrk_outfile_write(const char *path, int flags, const void *data,
	    size_t len, char *err);

/* import*.c, tfevents.c, dense.c: foreign logs into the stream. */

struct lrk_dense_options {
	const char		*merge;		/* join rows sharing this column */
	const char		*split;		/* add run: +1 when it goes back */
	const char *const	*ffill;		/* carry these forward */
	size_t			 nffill;
	const char *const	*rename;	/* "old=new" */
	size_t			 nrename;
	const char		*select;	/* "a,b,c" */
};

struct lrk_dense;

struct lrk_dense	*lrk_dense_new(const struct lrk_dense_options *options,
			    struct lrk_writer *writer);
void			 lrk_dense_free(struct lrk_dense *d);
int			 lrk_dense_finish(struct lrk_dense *d, char *err);

enum lrk_format {
	LRK_FORMAT_AUTO = 0,
	LRK_FORMAT_CSV,
	LRK_FORMAT_HF,		/* Hugging Face trainer_state.json */
	LRK_FORMAT_JSONL,
	LRK_FORMAT_MLFLOW,
	LRK_FORMAT_TFEVENTS
};

/* What lrk_import reads a foreign log as (lr-import's options). */
struct lrk_import_options {
	int				format;	/* LRK_FORMAT_AUTO: detected */
	int				eval;	/* hf: the evaluation entries */
	int				wide;	/* tfevents: one column a tag */
	struct lrk_table_options	table;	/* csv: -d, -H */
};

int	 lrk_import_format(const char *name);
int	 lrk_import(FILE *fp, const char *name,
	    const struct lrk_import_options *o, struct lrk_dense *d,
	    char *err);
int	 lrk_import_mlflow_runs(char *const *operands, size_t n,
	    struct lrk_dense *d, char *err);

#endif
