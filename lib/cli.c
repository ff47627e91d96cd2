/*
 * What every tool's main() shares: messages prefixed with the program name,
 * option values checked with the option named, inputs opened by name, and
 * standard output closed with its errors detected.  This is the one part
 * of the library that prints and exits; only main() and its helpers call it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

const char *lrk_progname = "lrkit";

/* The errno of the first write error on standard output, once seen. */
static int stdout_errno;

/* The command line, as lrk_cli_init was given it. */
static int cli_argc;
static char **cli_argv;

void
lrk_cli_init(int argc, char *argv[])
{
	static char outbuf[1 << 16];
	const char *slash;
	int fd;

	cli_argc = argc;
	cli_argv = argv;
	/* 0, 1 and 2 open, or a pipe or file of ours could take their place
	 * (a signal pipe on standard error would read messages as signals). */
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			exit(1);
	if (argc > 0 && argv[0] != NULL) {
		slash = strrchr(argv[0], '/');
		lrk_progname = slash ? slash + 1 : argv[0];
		/* getopt's own messages use argv[0]: the name, not the path */
		argv[0] = (char *)lrk_progname;
	}
	/* Rows go out in large blocks; tools with -u flush each row. */
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
}

static void
vwarn(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", lrk_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
lrk_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
lrk_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

/*
 * Memory for the tools, which can do nothing better when it runs out than
 * say so and exit 1: "out of memory", from every tool and every place the
 * same.  A size past PTRDIFF_MAX (no object is that large) or one that
 * overflows counts as running out, before malloc is asked; a size of 0
 * is a valid pointer still.
 */
static _Noreturn void
out_of_memory(void)
{
	lrk_errx(1, "out of memory");
}

static size_t
bytes(size_t n, size_t size)
{
	if (size != 0 && n > (size_t)PTRDIFF_MAX / size)
		out_of_memory();
	return n * size > 0 ? n * size : 1;
}

/* p grown or shrunk to n objects of size bytes each (as reallocarray). */
void *
lrk_xreallocarray(void *p, size_t n, size_t size)
{
	void *np;

	if ((np = realloc(p, bytes(n, size))) == NULL)
		out_of_memory();
	return np;
}

/*
 * p, which a library call that allocates returned (lrk_path_join, a
 * _new): NULL from it means it ran out of memory.
 */
void *
lrk_xcheck(void *p)
{
	if (p == NULL)
		out_of_memory();
	return p;
}

void
lrk_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    lrk_progname);
	exit(2);
}

void
lrk_version(void)
{
	printf("%s (lrkit) %s\n", lrk_progname, LRKIT_VERSION);
	exit(lrk_close_stdout());
}

void
lrk_help(const char *usage, const char *text)
{
	printf("usage: %s %s\n%s", lrk_progname, usage, text);
	exit(lrk_close_stdout());
}

/*
 * The option as the user typed it, for a message about its value arg
 * (getopt's optarg): "--jobs" for --jobs 0 or --jobs=0, "-j" for -j 0 or
 * -j0, whichever name the tool's message would otherwise give.
 */
const char *
lrk_opt_given(const char *option, const char *arg)
{
	static char name[64];
	const char *w;
	int i;

	for (i = 1; i < cli_argc && arg != NULL; i++) {
		w = cli_argv[i];
		if (arg > w && arg <= w + strlen(w) && w[0] == '-') {
			/* In the same word: "--jobs=0", "-j0", "-qj0". */
			if (w[1] == '-')
				snprintf(name, sizeof(name), "%.*s",
				    (int)(arg - w - 1), w);
			else
				snprintf(name, sizeof(name), "-%c", arg[-1]);
			return name;
		}
		if (arg == w && i > 1 && cli_argv[i - 1][0] == '-') {
			w = cli_argv[i - 1];
			if (w[1] == '-')
				snprintf(name, sizeof(name), "%.*s",
				    (int)strcspn(w, "="), w);
			else	/* "-qj 0": the last of the group */
				snprintf(name, sizeof(name), "-%c",
				    w[strlen(w) - 1]);
			return name;
		}
	}
	return option;
}

/*
 * A number given to an option: the whole argument must be a finite number
 * within [lo, hi] (or (lo, hi] when open_low); the message names the
 * option and the value.
 */
double
lrk_opt_double(const char *option, const char *arg, double lo, double hi,
    int open_low)
{
	char shown[LRK_SHOWSIZE];
	double x;

	option = lrk_opt_given(option, arg);
	lrk_show(shown, arg, strlen(arg));
	if (lrk_num_parse(arg, strlen(arg), &x) != LRK_NUM_OK || !isfinite(x))
		lrk_usage_error("%s: \"%s\" is not a number", option, shown);
	if (x < lo || (open_low && x == lo))
		lrk_usage_error("%s: %s: must be %s %g", option, shown,
		    open_low ? "greater than" : "at least", lo);
	if (x > hi)
		lrk_usage_error("%s: %s: must be at most %g", option, shown,
		    hi);
	return x;
}

long
lrk_opt_long(const char *option, const char *arg, long lo, long hi)
{
	char shown[LRK_SHOWSIZE], *end;
	long n;

	option = lrk_opt_given(option, arg);
	lrk_show(shown, arg, strlen(arg));
	errno = 0;
	n = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || errno == ERANGE)
		lrk_usage_error("%s: \"%s\" is not a whole number", option,
		    shown);
	if (n < lo)
		lrk_usage_error("%s: %s: must be at least %ld", option, shown,
		    lo);
	if (n > hi)
		lrk_usage_error("%s: %s: must be at most %ld", option, shown,
		    hi);
	return n;
}

/*
 * The usage error for what getopt_long returned as ':' (an option without
 * its value) or '?' (an unknown option, or a value given to a flag), naming
 * the option as it was typed: "--bogus: unknown option", "-j: needs a
 * value", "--bare=1: takes no value".  The tool sets opterr to 0 (getopt's
 * own messages name the program by its path) and starts its optstring
 * with ':'.  A long option leaves optind past itself; a short one in the
 * middle of a bundle does not, hence the check that argv[optind - 1] is
 * the long option optopt stands for.
 */
_Noreturn void
lrk_option_error(int ch, char *const argv[], const struct option *longopts)
{
	const struct option *o, *found = NULL;
	char shown[LRK_SHOWSIZE], opt;
	const char *arg;
	size_t n;

	arg = optind > 0 ? argv[optind - 1] : "";
	if (strncmp(arg, "--", 2) == 0 && arg[2] != '\0') {
		n = strcspn(arg, "=");
		for (o = longopts; o->name != NULL; o++)
			if (strncmp(o->name, arg + 2, n - 2) == 0 &&
			    o->flag == NULL && o->val == optopt)
				found = o;
		if (optopt == 0 || found != NULL) {
			if (ch == ':')
				lrk_usage_error("%s: needs a value",
				    lrk_show(shown, arg, n));
			if (found != NULL && arg[n] == '=')
				lrk_usage_error("%s: takes no value",
				    lrk_show(shown, arg, strlen(arg)));
			lrk_usage_error("%s: unknown option",
			    lrk_show(shown, arg, n));
		}
	}
	opt = (char)optopt;
	lrk_show(shown, &opt, 1);
	if (ch == ':')
		lrk_usage_error("-%s: needs a value", shown);
	lrk_usage_error("-%s: unknown option", shown);
}

/*
 * The argument of -d: one character (not a quote or a line break), "tab"
 * or "\t", or "blanks" (also "space") for runs of blanks.
 */
int
lrk_opt_delim(const char *option, const char *arg)
{
	char shown[LRK_SHOWSIZE];

	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
		return '\t';
	if (strcmp(arg, "blanks") == 0 || strcmp(arg, "space") == 0)
		return LRK_DELIM_BLANKS;
	if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' &&
	    arg[0] != '\r')
		return (unsigned char)arg[0];
	lrk_usage_error("%s: \"%s\": give one character, tab or blanks",
	    option, lrk_show(shown, arg, strlen(arg)));
}

/* Open an input by name ("-" is standard input); NULL after a warning. */
FILE *
lrk_open_input(const char *path)
{
	FILE *fp;

	if (strcmp(path, "-") == 0)
		return stdin;
	if ((fp = fopen(path, "r")) == NULL)
		lrk_warnx("%s: %s", path, strerror(errno));
	return fp;
}

/*
 * A table on an open input, its first line read: NULL after a warning
 * when that fails.  An empty input is not a failure (lrk_table_empty).
 */
struct lrk_table *
lrk_open_table(FILE *fp, const char *name,
    const struct lrk_table_options *options)
{
	struct lrk_table *t;

	if ((t = lrk_table_new(fp, name, options)) == NULL)
		lrk_errx(1, "out of memory");
	if (lrk_table_start(t) != 0) {
		lrk_warnx("%s", lrk_table_error(t));
		lrk_table_free(t);
		return NULL;
	}
	return t;
}

void
lrk_close_input(FILE *fp)
{
	if (fp != NULL && fp != stdin)
		fclose(fp);
}

/*
 * The output's dialect (delimiter and line end): the first input table's,
 * once lrk_inputs_writer has seen it.
 */
static int	 out_delim, out_dialect_set;
static const char *out_eol;

/*
 * The input files of a tool that reads several (argv after the options;
 * none is standard input), one after the other, as OpenBSD's cat does:
 * each is given to read with the name messages call it by ("stdin" for
 * "-"); read returns 0, 1 when the input failed, or 2 to read no more.
 * One that cannot be opened is warned about and passed over; with
 * folder_hint, a folder is refused ("adir: is a folder (hint)") before it
 * is opened; the loop ends early once standard output has failed
 * (nothing more can be written).  Returns 1 when an input failed, else 0.
 */
int
lrk_inputs_each(int argc, char *const argv[], const char *folder_hint,
    int (*read)(FILE *fp, const char *name))
{
	static char *const stdin_only[] = { "-", NULL };
	char *const *paths = argc > 0 ? argv : stdin_only;
	int i, count = argc > 0 ? argc : 1, status = 0, r;
	const char *name;
	struct stat st;
	FILE *fp;

	out_dialect_set = 0;
	for (i = 0; i < count && !lrk_stdout_failed(); i++) {
		name = strcmp(paths[i], "-") == 0 ? "stdin" : paths[i];
		if (folder_hint != NULL && strcmp(paths[i], "-") != 0 &&
		    stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			lrk_warnx("%s: is a folder (%s)", paths[i],
			    folder_hint);
			status = 1;
			continue;
		}
		if ((fp = lrk_open_input(paths[i])) == NULL) {
			status = 1;
			continue;
		}
		r = read(fp, name);
		lrk_close_input(fp);
		if (r == 1)
			status = 1;
		if (r == 2)
			break;
	}
	return status;
}

/*
 * A writer for the rows of input t, in the dialect (delimiter and line
 * end) of the first input's table: one output stream has one dialect,
 * whatever the inputs' (cells holding the first's delimiter are quoted).
 * NULL when out of memory.
 */
struct lrk_writer *
lrk_inputs_writer(FILE *fp, const struct lrk_table *t)
{
	if (!out_dialect_set) {
		out_delim = lrk_table_delim(t);
		out_eol = lrk_table_eol(t);
		out_dialect_set = 1;
	}
	return lrk_writer_new(fp, out_delim, out_eol);
}

/*
 * Has a write to standard output failed?  Tools call this in their output
 * loops to stop early; the first error's errno is kept for the message of
 * lrk_close_stdout, since later calls change errno.
 */
int
lrk_stdout_failed(void)
{
	if (!ferror(stdout))
		return 0;
	if (stdout_errno == 0)
		stdout_errno = errno ? errno : EIO;
	return 1;
}

/*
 * Flush and close standard output; a write error (disk full) is reported
 * and gives 1, a closed pipe ends quietly.  Returns the exit status.
 */
int
lrk_close_stdout(void)
{
	int failed, error;

	lrk_stdout_failed();
	errno = 0;
	failed = fflush(stdout) != 0 || ferror(stdout);
	error = stdout_errno ? stdout_errno : errno;
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		error = errno;
	}
	if (!failed || error == EPIPE)
		return 0;
	fprintf(stderr, "%s: write error: %s\n", lrk_progname,
	    error ? strerror(error) : "unknown error");
	return 1;
}
