/*
 * lrkit's private header: what only lib/ and the tests need, beside the
 * public lrkit.h the tools include (as lowdown pairs lowdown.h with
 * extern.h).  Nothing here is for a tool to call.
 */
#ifndef LRKIT_EXTERN_H
#define LRKIT_EXTERN_H

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

#endif
