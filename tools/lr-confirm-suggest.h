/*
 * The suggestion, from lr-suggest run as a program (after ema-smooth when
 * the table is not smoothed).
 */
static void
bytes_add(struct lrk_buf *b, const void *s, size_t len)
{
	if (lrk_buf_add(b, s, len) != 0)
		lrk_errx(1, "out of memory");
}

static char *
path_join(const char *dir, const char *name)
{
	return lrk_xcheck(lrk_path_join(dir, name));
}

#define xstrdup lrk_xstrdup
static int signal_fd = -1;
static int caught;

/*
 * Another lrkit tool: the one next to this program's own executable (the
 * build tree, or the folder it was installed to), else the name, which
 * the spawn looks up in PATH.
 */
static char *
sibling(const char *name)
{
	char self[PATH_MAX], *slash, *path;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			slash[1] = '\0';
			path = path_join(self, name);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	return xstrdup(name);
}

/* A signal that came while no child ran: exit as if it had run. */
static void
check_signals(void)
{
	int sig;

	while ((sig = lrk_signals_next()) != 0)
		caught = sig;
	if (caught)
		exit(128 + caught);
}

/*
 * Run argv (lrk_proc_run) with SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2,
 * SIGALRM and SIGXCPU forwarded to it
 * (sweep-run then stops its runs and removes their temporary files) and
 * remembered in `caught`.  Returns the wait status; a command that cannot
 * be run is an error here.
 */
static int
run_child(char *const argv[], const char *input, size_t input_len,
    struct lrk_buf *output, struct lrk_buf *errors)
{
	/* Those sweep-run(1) stops on: a scheduler's "wrap up" too. */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGUSR1,
	    SIGUSR2, SIGALRM, SIGXCPU };
	char err[LRK_ERRSIZE];
	int status;

	/* Caught from the first child on: before, a signal just ends this
	 * process, which has nothing to clean up yet. */
	if (signal_fd < 0 && (signal_fd = lrk_signals_catch(sigs,
	    sizeof(sigs) / sizeof(sigs[0]))) < 0)
		lrk_errx(1, "signals: %s", strerror(errno));
	check_signals();
	if ((status = lrk_proc_run(argv, input, input_len, output, errors,
	    signal_fd, &caught, err)) == -1)
		lrk_errx(1, "%s", err);
	if (caught)
		exit(128 + caught);
	return status;
}

/* A child's failure, described: "exit status 1". */
static const char *
describe(int status)
{
	static char buf[128];

	lrk_proc_describe(status, buf, sizeof(buf));
	return buf;
}

/* The whole input: the range test's table. */
static void
read_all(const char *path, struct lrk_buf *b)
{
	FILE *fp = lrk_open_input(path ? path : "-");
	char buf[65536];
	size_t n;

	if (fp == NULL)
		exit(1);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		bytes_add(b, buf, n);
	if (ferror(fp))
		lrk_errx(1, "%s: read error: %s", path ? path : "stdin",
		    strerror(errno));
	lrk_close_input(fp);
}

/*
 * What the range test's table says before lr-suggest reads it: whether
 * it is smoothed (a column ending in _smooth), whether it has a run
 * column (the default -g), and its rows: the steps the test took.
 */
static void
inspect_range(const struct lrk_buf *b, const char *name, int *smoothed,
    int *has_run, size_t *rows)
{
	const struct lrk_cell *h, *cells;
	struct lrk_table *t;
	size_t i, len;
	FILE *fp;
	int r;

	*smoothed = *has_run = 0;
	*rows = 0;
	if (b->len == 0)
		lrk_errx(1, "%s: no rows", name);
	if ((fp = fmemopen(b->data, b->len, "r")) == NULL)
		lrk_errx(1, "%s: %s", name, strerror(errno));
	if ((t = lrk_table_new(fp, name, NULL)) == NULL)
		lrk_errx(1, "out of memory");
	if (lrk_table_start(t) != 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	if ((h = lrk_table_header(t)) != NULL) {
		for (i = 0; i < lrk_table_columns(t); i++) {
			len = h[i].len;
			if (len >= 7 && strcasecmp(h[i].data + len - 7,
			    "_smooth") == 0)
				*smoothed = 1;
			if (strcasecmp(h[i].data, "run") == 0)
				*has_run = 1;
		}
	}
	while ((r = lrk_table_next(t, &cells)) == 1)
		(*rows)++;
	if (r < 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	lrk_table_free(t);
	fclose(fp);
}

/*
 * The suggestion: lr-suggest -f csv on the (smoothed) table, and with
 * several groups the median of their answers (pooled gives them all the
 * same one).
 */
static double
suggest(const char *path, size_t *range_rows, size_t *ngroups)
{
	struct lrk_buf in = { 0 }, smooth = { 0 }, out = { 0 };
	const char *name = path ? path : "stdin";
	const struct lrk_cell *cells;
	struct lrk_table *t;
	char *argv[12], err[LRK_ERRSIZE];
	double *lrs = NULL, x, lr;
	size_t n = 0, col, k;
	int smoothed, has_run, st, r, partial;
	FILE *fp;

	read_all(path, &in);
	inspect_range(&in, name, &smoothed, &has_run, range_rows);
	if (group_spec == NULL && has_run)
		group_spec = "run";
	if (!smoothed) {
		k = 0;
		argv[k++] = sibling("ema-smooth");
		if (group_spec != NULL) {
			argv[k++] = "-g";
			argv[k++] = (char *)group_spec;
		}
		argv[k] = NULL;
		st = run_child(argv, in.data, in.len, &smooth, NULL);
		if (st != 0)
			lrk_errx(1, "%s: ema-smooth failed (%s)", name,
			    describe(st));
		free(argv[0]);
	} else
		smooth = in;
	k = 0;
	argv[k++] = sibling("lr-suggest");
	argv[k++] = "-f";
	argv[k++] = "csv";
	if (group_spec != NULL) {
		argv[k++] = "-g";
		argv[k++] = (char *)group_spec;
	}
	if (method != NULL) {
		argv[k++] = "-m";
		argv[k++] = (char *)method;
	}
	argv[k] = NULL;
	/* With -g, lr-suggest answers for the runs it can and exits 1 when
	 * one has no answer (its message says which): the median of the
	 * others is still a starting point, and the rounds check it. */
	st = run_child(argv, smooth.data, smooth.len, &out, NULL);
	partial = WIFEXITED(st) && WEXITSTATUS(st) == 1 && group_spec != NULL;
	if (st != 0 && !partial)
		lrk_errx(1, "%s: lr-suggest failed (%s)", name, describe(st));
	free(argv[0]);
	if (smooth.data != in.data)
		free(smooth.data);
	free(in.data);
	if (out.len == 0)
		lrk_errx(1, "%s: lr-suggest %s", name, st != 0 ? "failed" :
		    "printed nothing");
	if ((fp = fmemopen(out.data, out.len, "r")) == NULL)
		lrk_errx(1, "%s", strerror(errno));
	t = lrk_table_new(fp, "lr-suggest's output", NULL);
	if (t == NULL)
		lrk_errx(1, "out of memory");
	if (lrk_table_start(t) != 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	if (lrk_table_find(t, "lr", "lr", &col, err) != 0)
		lrk_errx(1, "lr-suggest's output: %s", err);
	while ((r = lrk_table_next(t, &cells)) == 1) {
		if (lrk_num_parse(cells[col].data, cells[col].len, &x) !=
		    LRK_NUM_OK || !isfinite(x) || x <= 0)
			lrk_errx(1, "lr-suggest's output: \"%s\" is not a "
			    "positive lr", cells[col].data);
		if ((lrs = realloc(lrs, (n + 1) * sizeof(*lrs))) == NULL)
			lrk_errx(1, "out of memory");
		lrs[n++] = x;
	}
	if (r < 0)
		lrk_errx(1, "%s", lrk_table_error(t));
	if (n == 0 && partial)
		lrk_errx(1, "%s: lr-suggest failed (%s)", name, describe(st));
	if (n == 0)
		lrk_errx(1, "lr-suggest printed no suggestion");
	if (partial)
		lrk_warnx("%s: lr-suggest answered for %zu run%s only", name, n,
		    n == 1 ? "" : "s");
	lrk_table_free(t);
	fclose(fp);
	free(out.data);
	lr = lrk_rank_median(lrs, n);
	free(lrs);
	*ngroups = n;
	return lr;
}

