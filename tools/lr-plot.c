/*
 * lr-plot: draw the loss against the learning rate (log scale) as an SVG
 * file or in the terminal, with suggested learning rates marked and one
 * curve per run.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lrkit.h"

static const char usage_line[] =
    "[-HT] [--ascii] [-d delim] [-g column] [--label columns]\n"
    "       [-o file] [-s methods] [--size WxH] [--skip-end N]"
    " [--skip-start N]\n"
    "       [--title text] [-x column] [-y column ...] [--ylim lo:hi]"
    " [file ...]\n";

static const char help_text[] =
    "Plot the loss against the learning rate (log axis) as SVG, or as text\n"
    "with -T.  By default the raw loss is a light line and the last\n"
    "*_smooth column a strong one (without one, the loss smoothed here, as\n"
    "ema-smooth does); a run column is one curve per run.\n"
    "\n"
    "      --ascii        with -T: ASCII instead of Unicode braille\n"
    "  -d, --delimiter C  field delimiter (default: from the first line)\n"
    "  -g, --group COL    one curve per value of COL (several files: one\n"
    "                     curve per file)\n"
    "  -H, --no-header    the input has no header line\n"
    "      --label COLS   the columns that name a group (default: the\n"
    "                     parameters in sweep-run's output; -g's: its value)\n"
    "  -o, --output FILE  write to FILE (replaced only when complete)\n"
    "  -s, --suggest M    mark suggestions: methods separated by commas, or\n"
    "                     all (valley, slide, minimum, steep, mingrad,\n"
    "                     lightning, range, halfway, plateau, pooled), or\n"
    "                     default (lr-suggest's)\n"
    "      --size WxH     SVG: pixels (default 640x480); -T: characters\n"
    "                     (default: the terminal's width)\n"
    "      --skip-end N   leave out the last N points of each curve\n"
    "      --skip-start N leave out the first N points of each curve\n"
    "  -T, --terminal     plot as text for the terminal\n"
    "      --title TEXT   a title above the plot\n"
    "  -x, --lr COL       the lr column (default: lr, learning_rate, lr-*)\n"
    "  -y, --loss COL     a loss column to plot; repeat for more\n"
    "      --ylim LO:HI   the loss axis' limits (default: clipped to the\n"
    "                     valley, up to the starting loss)\n"
    "      --help, --version\n";

enum {
	OPT_ASCII = 256, OPT_LABEL, OPT_SIZE, OPT_SKIP_END, OPT_SKIP_START, OPT_TITLE,
	OPT_YLIM, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "ascii",	no_argument,		NULL,	OPT_ASCII },
	{ "delimiter",	required_argument,	NULL,	'd' },
	{ "group",	required_argument,	NULL,	'g' },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "label",	required_argument,	NULL,	OPT_LABEL },
	{ "loss",	required_argument,	NULL,	'y' },
	{ "lr",		required_argument,	NULL,	'x' },
	{ "no-header",	no_argument,		NULL,	'H' },
	{ "output",	required_argument,	NULL,	'o' },
	{ "size",	required_argument,	NULL,	OPT_SIZE },
	{ "skip-end",	required_argument,	NULL,	OPT_SKIP_END },
	{ "skip-start",	required_argument,	NULL,	OPT_SKIP_START },
	{ "suggest",	required_argument,	NULL,	's' },
	{ "terminal",	no_argument,		NULL,	'T' },
	{ "title",	required_argument,	NULL,	OPT_TITLE },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ "ylim",	required_argument,	NULL,	OPT_YLIM },
	{ NULL,		0,			NULL,	0 }
};

static struct lrk_table_options table_opt;
static const char *x_spec, *g_spec, *label_spec, *out_path, *title;
static const char *size_arg;
static const char *y_specs[LRK_PLOT_MAX_COLUMNS];
static size_t ny_specs;
static const char **methods;
static size_t nmethods;
static long skip_start, skip_end;
static int terminal, ascii, ylim_set;
static double ylim[2], size_w, size_h;

static struct lrk_plotdata *picture;	/* the curves and what is drawn */

/* What lr-plot says of an input, named arg. */
static void
on_note(void *arg, const char *message)
{
	lrk_warnx("%s: %s", (const char *)arg, message);
}

/*
 * Read one input into the picture's curves and say what of it cannot be
 * drawn.  Returns 0, or 1 after a reported error.
 */
static int
read_input(FILE *fp, const char *name)
{
	struct lrk_table *t;
	char err[LRK_ERRSIZE];
	int status = 0;

	if ((t = lrk_open_table(fp, name, &table_opt)) == NULL)
		return 1;
	if (!lrk_table_empty(t) && lrk_plotdata_add(picture, t, name,
	    on_note, (void *)name, err) != 0) {
		lrk_warnx("%s", err);
		status = 1;
	}
	lrk_table_free(t);
	return status;
}

/* --size WxH: two whole numbers within the limits of the output kind. */
static void
parse_size(const char *arg)
{
	const char *x = strchr(arg, 'x');
	char *end;
	long w, h;

	if (x == NULL)
		lrk_usage_error("%s: \"%s\": give WIDTHxHEIGHT",
		    lrk_opt_given("--size", arg), arg);
	errno = 0;
	w = strtol(arg, &end, 10);
	if (end != x || errno != 0 || end == arg)
		lrk_usage_error("%s: \"%s\": give WIDTHxHEIGHT",
		    lrk_opt_given("--size", arg), arg);
	h = strtol(x + 1, &end, 10);
	if (*end != '\0' || errno != 0 || end == x + 1)
		lrk_usage_error("%s: \"%s\": give WIDTHxHEIGHT",
		    lrk_opt_given("--size", arg), arg);
	size_w = (double)w;
	size_h = (double)h;
}

static void
check_size(const char *arg)
{
	if (terminal) {
		if (size_w < 24 || size_w > 1000 || size_h < 8 ||
		    size_h > 500)
			lrk_usage_error("%s: %s: a terminal plot takes "
			    "24x8 to 1000x500 characters",
			    lrk_opt_given("--size", arg), arg);
	} else if (size_w < 200 || size_w > 20000 || size_h < 150 ||
	    size_h > 20000)
		lrk_usage_error("%s: %s: an SVG plot takes 200x150 to "
		    "20000x20000 pixels", lrk_opt_given("--size", arg), arg);
}

static void
parse_ylim(const char *arg)
{
	const char *colon = strchr(arg, ':');

	if (colon == NULL ||
	    lrk_num_parse(arg, (size_t)(colon - arg), &ylim[0]) !=
	    LRK_NUM_OK || !isfinite(ylim[0]) ||
	    lrk_num_parse(colon + 1, strlen(colon + 1), &ylim[1]) !=
	    LRK_NUM_OK || !isfinite(ylim[1]))
		lrk_usage_error("%s: \"%s\": give LOW:HIGH, two numbers",
		    lrk_opt_given("--ylim", arg),
		    arg);
	if (!(ylim[0] < ylim[1]))
		lrk_usage_error("%s: %s: LOW must be less than HIGH",
		    lrk_opt_given("--ylim", arg), arg);
	if (!isfinite(ylim[1] - ylim[0]))
		lrk_usage_error("%s: %s: HIGH - LOW overflows a double",
		    lrk_opt_given("--ylim", arg),
		    arg);
	ylim_set = 1;
}

/* The width of the terminal: the tty's, else $COLUMNS, else 80. */
static void
terminal_size(void)
{
	struct winsize ws;
	const char *env;
	long cols = 0, rows = 0;

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		cols = ws.ws_col;
		rows = ws.ws_row;
	}
	if (cols <= 0 && (env = getenv("COLUMNS")) != NULL)
		cols = strtol(env, NULL, 10);
	if (cols < 24 || cols > 1000)
		cols = 80;
	size_w = (double)cols;
	size_h = fmax(12, fmin(32, (double)cols * 0.3));
	if (rows >= 12 && size_h > (double)rows - 1)
		size_h = (double)rows - 1;
}

/*
 * Write the rendered plot: to standard output, or through lib/outfile.c
 * to -o's file, replaced only once complete (something that is not a
 * file, /dev/null or a FIFO, is written as it is).  Returns the status.
 */
static int
write_output(const char *data, size_t len)
{
	char err[LRK_ERRSIZE];

	if (out_path == NULL) {
		fwrite(data, 1, len, stdout);
		return 0;
	}
	if (lrk_outfile_write(out_path, LRK_OUTFILE_IN_PLACE |
	    LRK_OUTFILE_SIGNALS, data, len, err) != 0) {
		lrk_warnx("%s", err);
		return 1;
	}
	return 0;
}

/* The options, into the statics above; returns optind. */
static int
parse_options(int argc, char *argv[])
{
	char err[LRK_ERRSIZE];
	int ch;

	opterr = 0;	/* our own messages, named after the program */
	while ((ch = getopt_long(argc, argv, ":d:g:Ho:s:Tx:y:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_ASCII:
			ascii = 1;
			break;
		case 'd':
			table_opt.delim = lrk_opt_delim("-d", optarg);
			break;
		case 'g':
			g_spec = optarg;
			break;
		case 'H':
			table_opt.header = LRK_HEADER_NO;
			break;
		case OPT_LABEL:
			label_spec = optarg;
			break;
		case 'o':
			if (optarg[0] == '\0')
				lrk_usage_error("%s: the file name is empty",
				    lrk_opt_given("-o", optarg));
			out_path = optarg;
			break;
		case 's':
			free(methods);
			if (lrk_suggest_parse_methods(optarg, &methods,
			    &nmethods, err) != 0)
				lrk_usage_error("%s: %s",
				    lrk_opt_given("-s", optarg), err);
			break;
		case OPT_SIZE:
			size_arg = optarg;
			parse_size(optarg);
			break;
		case OPT_SKIP_END:
			skip_end = lrk_opt_long("--skip-end", optarg, 0,
			    LONG_MAX);
			break;
		case OPT_SKIP_START:
			skip_start = lrk_opt_long("--skip-start", optarg, 0,
			    LONG_MAX);
			break;
		case 'T':
			terminal = 1;
			break;
		case OPT_TITLE:
			title = optarg;
			break;
		case 'x':
			x_spec = optarg;
			break;
		case 'y':
			if (ny_specs == LRK_PLOT_MAX_COLUMNS)
				lrk_usage_error("%s: at most %d loss columns",
				    lrk_opt_given("-y", optarg),
				    LRK_PLOT_MAX_COLUMNS);
			y_specs[ny_specs++] = optarg;
			break;
		case OPT_YLIM:
			parse_ylim(optarg);
			break;
		case OPT_HELP:
			lrk_help(usage_line, help_text);
		case OPT_VERSION:
			lrk_version();
		default:
			lrk_option_error(ch, argv, longopts);
		}
	}
	if (ascii && !terminal)
		lrk_usage_error("--ascii goes with -T");
	if (size_arg != NULL)
		check_size(size_arg);
	else if (terminal)
		terminal_size();
	else {
		size_w = 640;
		size_h = 480;
	}
	return optind;
}

/*
 * Render the picture in memory, then write it: the output is whole or
 * absent.  Returns the status.
 */
static int
render(const struct lrk_plot_build_options *bo)
{
	struct lrk_plot_look look = { 0 };
	const char *const *failures;
	char err[LRK_ERRSIZE], *buf = NULL;
	size_t len = 0, i, nfailures;
	FILE *mem;
	int status = 0, r;

	look.title = title;
	look.width = size_w;
	look.height = size_h;
	look.grow = size_arg == NULL;	/* by the suggestions listed */
	look.ylim_set = ylim_set;
	look.ylim[0] = ylim[0];
	look.ylim[1] = ylim[1];
	look.ascii = ascii;
	look.ansi = terminal && out_path == NULL && isatty(STDOUT_FILENO) &&
	    getenv("NO_COLOR") == NULL && (getenv("TERM") == NULL ||
	    strcmp(getenv("TERM"), "dumb") != 0);
	if ((mem = open_memstream(&buf, &len)) == NULL)
		lrk_errx(1, "out of memory");
	r = lrk_plotdata_render(picture, bo, &look, mem, err);
	nfailures = lrk_plotdata_failures(picture, &failures);
	for (i = 0; i < nfailures; i++)
		lrk_warnx("%s", failures[i]);
	if (nfailures > 0)
		status = 1;
	if (r != 0) {
		fclose(mem);
		free(buf);
		lrk_errx(1, "%s", err);
	}
	if (fclose(mem) != 0)
		lrk_errx(1, "out of memory");
	if (write_output(buf, len) != 0)
		status = 1;
	free(buf);
	return status;
}

int
main(int argc, char *argv[])
{
	struct lrk_plot_input_options io = { 0 };
	struct lrk_plot_build_options bo = { 0 };
	int status;

	lrk_cli_init(argc, argv);
	argc -= parse_options(argc, argv);
	argv += optind;

	io.lr = x_spec;
	io.group = g_spec;
	io.label = label_spec;
	io.loss = y_specs;
	io.nloss = ny_specs;
	io.file_groups = argc > 1 && g_spec == NULL;
	io.marks = nmethods > 0;
	if ((picture = lrk_plotdata_new(&io)) == NULL)
		lrk_errx(1, "out of memory");
	if (lrk_inputs_each(argc, argv, NULL, read_input) != 0)
		return 1;

	bo.methods = methods;
	bo.nmethods = nmethods;
	bo.skip_start = (size_t)skip_start;
	bo.skip_end = (size_t)skip_end;
	bo.terminal = terminal;
	status = render(&bo);
	lrk_plotdata_free(picture);
	free(methods);
	if (lrk_close_stdout() != 0)
		status = 1;
	return status;
}
