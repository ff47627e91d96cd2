/*
 * What a sweep leaves in its folder (sweep-run -o): the run files, the
 * joblog, and the temporary files of runs in flight; and what each run's
 * child gets besides its arguments: its environment.
 *
 * The joblog has GNU parallel's columns, then the parameters and the
 * run's status.  It is created with its header by linking a complete
 * temporary file into place, so that several sweep-run processes sharing
 * the folder write the header once, then appended to with one write() a
 * row (O_APPEND), so that their rows never mix.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

const char *const lrk_run_status_names[] = {
	"done", "diverged", "failed", "timeout", "stopped"
};

/* dir/name. */
char *
lrk_path_join(const char *dir, const char *name)
{
	struct lrk_buf b = { 0 };

	lrk_buf_str(&b, dir);
	if (b.len > 0 && b.data[b.len - 1] != '/')
		lrk_buf_char(&b, '/');
	lrk_buf_str(&b, name);
	if (b.failed) {
		lrk_buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* dir/run-K.csv. */
char *
lrk_run_path(const char *dir, size_t run)
{
	char name[64];

	snprintf(name, sizeof(name), "run-%zu.csv", run);
	return lrk_path_join(dir, name);
}

/*
 * Do the first len bytes of the file say text?  1 or 0, or -1 with errno
 * when it cannot be read.
 */
static int
file_starts_with(const char *path, const char *text, size_t len)
{
	char buf[4096];
	size_t n;
	int fd, same = 1;
	ssize_t got;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (len > 0 && same) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		if ((got = read(fd, buf, n)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (got == 0 || memcmp(buf, text, (size_t)got) != 0)
			same = 0;
		text += got;
		len -= (size_t)got;
	}
	close(fd);
	return same;
}

/* "name=value, ..." of a run, or the grid's names, for a message. */
static void
describe_run(struct lrk_buf *b, const struct lrk_grid *g, size_t run,
    int values)
{
	char shown[LRK_SHOWSIZE];
	const char *v;
	size_t i;

	if (lrk_grid_params(g) == 0)
		lrk_buf_str(b, "no parameters");
	for (i = 0; i < lrk_grid_params(g); i++) {
		if (i > 0)
			lrk_buf_str(b, ", ");
		lrk_buf_str(b, lrk_grid_name(g, i));
		if (!values)
			continue;
		v = lrk_grid_value(g, run, i);
		lrk_buf_char(b, '=');
		lrk_buf_str(b, lrk_show(shown, v, strlen(v)));
	}
}

static int
nomem(char *err)
{
	snprintf(err, LRK_ERRSIZE, "out of memory");
	return -1;
}

/*
 * A log whose last line was cut (a crash in the middle of a write) gets
 * its line ended, so that the next row starts a line of its own.  0, or
 * -1 with errno.
 */
static int
end_line(int fd)
{
	struct stat st;
	char c;
	ssize_t n;

	if (fstat(fd, &st) != 0)
		return -1;
	if (st.st_size == 0)
		return 0;
	do
		n = pread(fd, &c, 1, st.st_size - 1);
	while (n == -1 && errno == EINTR);
	if (n != 1)
		return n == -1 ? -1 : 0;
	return c == '\n' ? 0 : lrk_write_all(fd, "\n", 1);
}

/*
 * Open dir/joblog.tsv for appending, made with its header when missing.
 * An existing log must have this grid's header: rows of another grid's
 * columns would garble it.  The descriptor, or -1 with err.
 */
int
lrk_joblog_open(const char *dir, const struct lrk_grid *g, char *err)
{
	struct lrk_buf b = { 0 }, what = { 0 };
	char *path, *tmp;
	size_t i;
	int fd = -1, e, same;

	path = lrk_path_join(dir, "joblog.tsv");
	tmp = lrk_path_join(dir, ".joblog.tsv.XXXXXX");
	lrk_buf_str(&b, "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\t"
	    "Exitval\tSignal\tCommand");
	for (i = 0; i < lrk_grid_params(g); i++) {
		lrk_buf_char(&b, '\t');
		lrk_buf_str(&b, lrk_grid_name(g, i));
	}
	lrk_buf_str(&b, "\tStatus\n");
	if (path == NULL || tmp == NULL || b.failed) {
		nomem(err);
		goto out;
	}
	if (access(path, F_OK) != 0) {
		mode_t mask = umask(0);

		umask(mask);
		if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
			snprintf(err, LRK_ERRSIZE, "%s: %s", tmp,
			    strerror(errno));
			goto out;
		}
		if (fchmod(fd, 0666 & ~mask) != 0 ||
		    lrk_write_all(fd, b.data, b.len) != 0 || close(fd) != 0) {
			e = errno;
			unlink(tmp);
			snprintf(err, LRK_ERRSIZE, "%s: write error: %s", tmp,
			    strerror(e));
			fd = -1;
			goto out;
		}
		fd = -1;
		if (link(tmp, path) != 0 && errno != EEXIST) {
			e = errno;
			unlink(tmp);
			snprintf(err, LRK_ERRSIZE, "%s: %s", path, strerror(e));
			goto out;
		}
		unlink(tmp);
	} else if ((same = file_starts_with(path, b.data, b.len)) != 1) {
		if (same < 0)
			snprintf(err, LRK_ERRSIZE, "%s: %s", path,
			    strerror(errno));
		else {
			describe_run(&what, g, 0, 0);
			snprintf(err, LRK_ERRSIZE, "%s: the log of a grid of "
			    "other parameters (this one has %s); give another "
			    "folder", path, what.data);
		}
		goto out;
	}
	if ((fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC)) == -1)
		snprintf(err, LRK_ERRSIZE, "%s: %s", path, strerror(errno));
	else if (end_line(fd) != 0) {
		snprintf(err, LRK_ERRSIZE, "%s: write error: %s", path,
		    strerror(errno));
		close(fd);
		fd = -1;
	}
out:
	lrk_buf_free(&b);
	lrk_buf_free(&what);
	free(path);
	free(tmp);
	return fd;
}

/*
 * A byte of a joblog cell: a tab, line end or backslash would end or
 * garble the cell, so they are written as \t, \n, \r and \\ (and read
 * back by tsv_unescape): every other byte is itself.
 */
static void
tsv_char(struct lrk_buf *b, char c)
{
	switch (c) {
	case '\t':
		lrk_buf_str(b, "\\t");
		break;
	case '\n':
		lrk_buf_str(b, "\\n");
		break;
	case '\r':
		lrk_buf_str(b, "\\r");
		break;
	case '\\':
		lrk_buf_str(b, "\\\\");
		break;
	default:
		lrk_buf_char(b, c);
	}
}

/*
 * A shell word for the joblog's Command column, on one line: bare when
 * it needs no quoting, else in single quotes, and as $'...' with escapes
 * when it holds a control byte (bash, ksh and zsh read both back).
 */
static void
shell_word(struct lrk_buf *b, const char *s)
{
	const unsigned char *p;
	char hex[8];
	int control = 0;

	if (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	    "nopqrstuvwxyz0123456789_-+=.,/:@%") == strlen(s)) {
		lrk_buf_str(b, s);
		return;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			control = 1;
	if (!control) {
		lrk_buf_char(b, '\'');
		for (p = (const unsigned char *)s; *p != '\0'; p++)
			if (*p == '\'')
				lrk_buf_str(b, "'\\''");
			else
				lrk_buf_char(b, (char)*p);
		lrk_buf_char(b, '\'');
		return;
	}
	lrk_buf_str(b, "$'");
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p == '\'' || *p == '\\') {
			lrk_buf_char(b, '\\');
			lrk_buf_char(b, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(hex, sizeof(hex), "\\x%02x", *p);
			lrk_buf_str(b, hex);
		} else
			lrk_buf_char(b, (char)*p);
	lrk_buf_char(b, '\'');
}

/* A row of the joblog, in one write().  0, or -1 with errno. */
int
lrk_joblog_row(int fd, const struct lrk_grid *g,
    const struct lrk_joblog_entry *e)
{
	struct lrk_buf b = { 0 };
	char num[160];
	const char *v;
	size_t i;
	int r;

	snprintf(num, sizeof(num), "%zu\t%s\t%.3f\t%10.3f\t%zu\t%llu\t%d\t%d\t",
	    e->run, e->host, e->wall_start, e->runtime, e->sent, e->received,
	    e->exitval, e->signal);
	lrk_buf_str(&b, num);
	for (i = 0; e->argv[i] != NULL; i++) {
		if (i > 0)
			lrk_buf_char(&b, ' ');
		shell_word(&b, e->argv[i]);
	}
	for (i = 0; i < lrk_grid_params(g); i++) {
		lrk_buf_char(&b, '\t');
		for (v = lrk_grid_value(g, e->run, i); *v != '\0'; v++)
			tsv_char(&b, *v);
	}
	lrk_buf_char(&b, '\t');
	lrk_buf_str(&b, lrk_run_status_names[e->status]);
	lrk_buf_char(&b, '\n');
	if (b.failed) {
		errno = ENOMEM;
		r = -1;
	} else
		r = lrk_write_all(fd, b.data, b.len);
	lrk_buf_free(&b);
	return r;
}

/*
 * Does the file start with the line head (the child's extra columns may
 * follow it, after a comma) and then a line starting with prefix?  1 or
 * 0; 2 when it is empty or holds the header alone (no row to tell whose
 * it is); -1 with errno when it cannot be read.
 */
static int
file_starts_like(const char *path, const char *head, const char *prefix)
{
	size_t hl = strlen(head), pl = strlen(prefix), n = 0;
	char *buf, *nl;
	ssize_t got;
	int fd, same = 0;

	/* The header line is read whole up to 1 MiB of extra columns. */
	if ((buf = malloc(hl + pl + (1 << 20))) == NULL)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		free(buf);
		return -1;
	}
	while (n < hl + pl + (1 << 20)) {
		got = read(fd, buf + n, hl + pl + (1 << 20) - n);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
		if ((nl = memchr(buf, '\n', n)) != NULL &&
		    n - (size_t)(nl + 1 - buf) >= pl)
			break;
	}
	close(fd);
	/* Empty, or the header alone: a run that never wrote a row. */
	if (n == 0 || (n >= hl && memcmp(buf, head, hl) == 0 &&
	    (n == hl || buf[hl] == ',' || buf[hl] == '\n') &&
	    ((nl = memchr(buf, '\n', n)) == NULL || nl + 1 == buf + n))) {
		free(buf);
		return 2;
	}
	if (n >= hl && memcmp(buf, head, hl) == 0 &&
	    (n == hl || buf[hl] == ',' || buf[hl] == '\n') &&
	    (nl = memchr(buf, '\n', n)) != NULL &&
	    n - (size_t)(nl + 1 - buf) >= pl && memcmp(nl + 1, prefix, pl) == 0)
		same = 1;
	free(buf);
	return same;
}

/*
 * --resume: is run K done, its file there?  An empty file, or one with
 * the header alone (a copy cut short), is a run to do again.  A file
 * that is not this
 * run's (once a value is added to or removed from the grid the runs are
 * numbered otherwise, and skipping them by number would leave points of
 * the new grid never run) is an error.  1 or 0, or -1 with err.
 */
int
lrk_run_file_done(const char *dir, const struct lrk_grid *g, size_t run,
    char *err)
{
	struct lrk_buf head = { 0 }, prefix = { 0 }, what = { 0 };
	char *path;
	int same, r = -1;

	if ((path = lrk_run_path(dir, run)) == NULL)
		return nomem(err);
	if (access(path, F_OK) != 0) {
		free(path);
		return 0;
	}
	lrk_tidy_header(&head, g);
	lrk_buf_str(&head, ",step,lr,loss");
	lrk_tidy_prefix(&prefix, g, run);
	if (head.failed || prefix.failed)
		nomem(err);
	else if ((same = file_starts_like(path, head.data, prefix.data)) < 0)
		snprintf(err, LRK_ERRSIZE, "%s: %s", path, strerror(errno));
	else if (same == 2)
		r = 0;		/* unfinished: run it again */
	else if (!same) {
		describe_run(&what, g, run, 1);
		snprintf(err, LRK_ERRSIZE, "%s: --resume: not the file of run "
		    "%zu of this grid (%s): the grid has changed; give another "
		    "folder", path, run, what.data);
	} else
		r = 1;
	lrk_buf_free(&head);
	lrk_buf_free(&prefix);
	lrk_buf_free(&what);
	free(path);
	return r;
}

/* Is name a run's temporary file, ".run-K.XXXXXX"? */
static int
run_tmp_name(const char *name)
{
	size_t n;

	if (strncmp(name, ".run-", 5) != 0)
		return 0;
	name += 5;
	if ((n = strspn(name, "0123456789")) == 0 || name[n] != '.')
		return 0;
	name += n + 1;
	return strlen(name) == 6 && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789") == 6;
}

/*
 * Remove the temporary files that a sweep-run killed outright (kill -9, a
 * node that went down) left in dir.  A live run holds a lock on its file
 * (LRK_OUTFILE_LOCK) from a moment after it is made; a file nobody holds,
 * older than that moment, is one no run will ever rename.  Returns how
 * many were removed.
 */
size_t
lrk_remove_stale(const char *dir)
{
	struct dirent *e;
	struct stat st;
	time_t now = time(NULL);
	size_t removed = 0;
	char *path;
	DIR *d;
	int fd;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!run_tmp_name(e->d_name) ||
		    (path = lrk_path_join(dir, e->d_name)) == NULL)
			continue;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
		    O_NONBLOCK)) != -1) {
			if (flock(fd, LOCK_EX | LOCK_NB) == 0 &&
			    fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
			    now - st.st_mtime >= 2 && unlink(path) == 0)
				removed++;
			close(fd);
		}
		free(path);
	}
	closedir(d);
	return removed;
}

/*
 * The environment of run K: env (the caller's) without the names set
 * here, then each parameter, LRKIT_RUN and PYTHONUNBUFFERED=1.  Free it
 * with lrk_run_env_free; NULL when out of memory.
 */
static int
env_overridden(const struct lrk_grid *g, const char *entry, int gpu)
{
	size_t i, n;

	n = strcspn(entry, "=");
	if ((n == 9 && strncmp(entry, "LRKIT_RUN", 9) == 0) ||
	    (n == 10 && strncmp(entry, "LRKIT_SLOT", 10) == 0) ||
	    (n == 16 && strncmp(entry, "PYTHONUNBUFFERED", 16) == 0))
		return 1;
	if (gpu && n == 20 && strncmp(entry, "CUDA_VISIBLE_DEVICES", 20) == 0)
		return 1;
	for (i = 0; i < lrk_grid_params(g); i++)
		if (strlen(lrk_grid_name(g, i)) == n &&
		    strncmp(entry, lrk_grid_name(g, i), n) == 0)
			return 1;
	return 0;
}

char **
lrk_run_env(char *const env[], const struct lrk_grid *g, size_t run)
{
	return lrk_run_env_slot(env, g, run, "1", NULL);
}

/*
 * As lrk_run_env, with LRKIT_SLOT=slot (the executor's slot of the run,
 * 1 to -j) and, when gpu is not NULL, CUDA_VISIBLE_DEVICES=gpu.
 */
char **
lrk_run_env_slot(char *const env[], const struct lrk_grid *g, size_t run,
    const char *slot, const char *gpu)
{
	size_t np = lrk_grid_params(g), i, n = 0, k = 0;
	struct lrk_buf b;
	char **out, num[32];

	while (env[n] != NULL)
		n++;
	if ((out = calloc(n + np + 5, sizeof(*out))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!env_overridden(g, env[i], gpu != NULL) &&
		    (out[k++] = strdup(env[i])) == NULL)
			goto fail;
	for (i = 0; i < np; i++) {
		memset(&b, 0, sizeof(b));
		lrk_buf_str(&b, lrk_grid_name(g, i));
		lrk_buf_char(&b, '=');
		lrk_buf_str(&b, lrk_grid_value(g, run, i));
		if ((out[k++] = b.data) == NULL || b.failed)
			goto fail;
	}
	snprintf(num, sizeof(num), "LRKIT_RUN=%zu", run);
	if ((out[k++] = strdup(num)) == NULL ||
	    (out[k++] = strdup("PYTHONUNBUFFERED=1")) == NULL)
		goto fail;
	memset(&b, 0, sizeof(b));
	lrk_buf_str(&b, "LRKIT_SLOT=");
	lrk_buf_str(&b, slot);
	if ((out[k++] = b.data) == NULL || b.failed)
		goto fail;
	if (gpu != NULL) {
		memset(&b, 0, sizeof(b));
		lrk_buf_str(&b, "CUDA_VISIBLE_DEVICES=");
		lrk_buf_str(&b, gpu);
		if ((out[k++] = b.data) == NULL || b.failed)
			goto fail;
	}
	return out;
fail:
	lrk_run_env_free(out);
	return NULL;
}

void
lrk_run_env_free(char **env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/*
 * A joblog cell read back: \t, \n, \r and \\ as tsv_char wrote them, in
 * place.
 */
static void
tsv_unescape(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*w++ = *s == 't' ? '\t' : *s == 'n' ? '\n' :
			    *s == 'r' ? '\r' : *s;
		} else
			*w++ = *s;
	}
	*w = '\0';
}

/*
 * Split a joblog line (no line end) at its tabs, in place: the number of
 * cells, at most max.
 */
static size_t
tsv_split(char *line, char **cells, size_t max)
{
	size_t n = 0;
	char *tab;

	for (;;) {
		if (n < max)
			cells[n] = line;
		n++;
		if ((tab = strchr(line, '\t')) == NULL)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return n;
}

static long
column_of(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (long)i;
	return -1;
}

static int
cell_int(const char *s)
{
	double x;

	if (lrk_num_parse(s, strlen(s), &x) != LRK_NUM_OK || !isfinite(x))
		return 0;
	return (int)x;
}

/*
 * Read dir/joblog.tsv, as sweep-run -p params[0] -p params[1] ... wrote
 * it for runs 0 to nruns - 1: row(arg, &row) for each row in file order
 * (a run again when --resume appended it), with its run, status
 * (LRK_RUN_NONE: not a run's end, an error once row() has seen it), exit
 * value, signal and the values of params, unescaped.  The file is read
 * as the TSV it is (a tab ends a cell, whatever quotes the Command
 * holds); a line with fewer cells than the header, or whose Status is
 * the start of one, cut by a crash or a full disk mid-write, is no row.  0, or -1 with err: the file cannot be read,
 * lacks a column, has a row of no such run or no run's end; or row()
 * returned non-zero (it then fills err).
 */
int
lrk_joblog_read(const char *dir, const char *const *params, size_t nparams,
    size_t nruns, int (*row)(void *, const struct lrk_joblog_line *,
    char *), void *arg, char *err)
{
	static const char *const fixed[] = { "Seq", "Exitval", "Signal",
	    "Status" };
	struct lrk_joblog_line line;
	struct lrk_buf b = { 0 };
	const char **values = NULL;
	char *path, *text = NULL, *head = NULL, **names = NULL, **cells = NULL;
	long col[4], *pcol = NULL;
	size_t cap = 0, i, ncols = 0, n;
	ssize_t len;
	double seq;
	FILE *fp = NULL;
	int r, s, cut, ret = -1;

	if ((path = lrk_path_join(dir, "joblog.tsv")) == NULL ||
	    (values = calloc(nparams + 1, sizeof(*values))) == NULL ||
	    (pcol = calloc(nparams + 1, sizeof(*pcol))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		goto out;
	}
	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", path, strerror(errno));
		goto out;
	}
	errno = 0;
	if ((len = getline(&head, &cap, fp)) > 0 && head[len - 1] == '\n')
		head[--len] = '\0';
	if (len > 0) {
		ncols = tsv_split(head, NULL, 0);
		if ((names = calloc(ncols, sizeof(*names))) == NULL ||
		    (cells = calloc(ncols, sizeof(*cells))) == NULL) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			goto out;
		}
		/* tsv_split cut head already: walk its NUL-separated cells. */
		for (names[0] = head, i = 1; i < ncols; i++)
			names[i] = names[i - 1] + strlen(names[i - 1]) + 1;
	}
	r = 0;
	for (i = 0; i < 4; i++)
		if ((col[i] = column_of(names, ncols, fixed[i])) < 0)
			r = -1;
	for (i = 0; i < nparams; i++)
		if ((pcol[i] = column_of(names, ncols, params[i])) < 0)
			r = -1;
	if (r != 0) {
		lrk_buf_str(&b, "not a joblog of sweep-run");
		for (i = 0; i < nparams; i++) {
			lrk_buf_str(&b, " -p ");
			lrk_buf_str(&b, params[i]);
		}
		snprintf(err, LRK_ERRSIZE, "%s: %s", path, b.failed ?
		    "not a joblog" : b.data);
		goto out;
	}
	line.values = values;
	line.path = path;
	line.line = 1;
	cap = 0;
	while ((len = getline(&text, &cap, fp)) > 0) {
		line.line++;
		if (text[len - 1] == '\n')
			text[--len] = '\0';
		if (len == 0)
			continue;
		if ((n = tsv_split(text, cells, ncols)) < ncols)
			continue;	/* cut mid-write */
		if (lrk_num_parse(cells[col[0]], strlen(cells[col[0]]),
		    &seq) != LRK_NUM_OK || seq < 0 || seq >= (double)nruns ||
		    seq != floor(seq)) {
			snprintf(err, LRK_ERRSIZE, "%s:%lu: Seq: \"%s\" is not "
			    "a run of this round", path, line.line,
			    cells[col[0]]);
			goto out;
		}
		line.run = (size_t)seq;
		line.status = LRK_RUN_NONE;
		cut = 0;
		for (s = LRK_RUN_DONE; s <= LRK_RUN_TIMEOUT; s++) {
			if (strcmp(cells[col[3]], lrk_run_status_names[s]) == 0)
				line.status = s;
			else if (strncmp(lrk_run_status_names[s], cells[col[3]],
			    strlen(cells[col[3]])) == 0)
				cut = 1;	/* "do": cut in its Status */
		}
		if (line.status == LRK_RUN_NONE && cut)
			continue;
		line.exitval = cell_int(cells[col[1]]);
		line.signal = cell_int(cells[col[2]]);
		for (i = 0; i < nparams; i++) {
			tsv_unescape(cells[pcol[i]]);
			values[i] = cells[pcol[i]];
		}
		/* Whose run it is comes first, then how it ended. */
		if (row(arg, &line, err) != 0)
			goto out;
		if (line.status == LRK_RUN_NONE) {
			snprintf(err, LRK_ERRSIZE, "%s:%lu: Status: \"%s\" is "
			    "not a run's end", path, line.line, cells[col[3]]);
			goto out;
		}
	}
	if (ferror(fp)) {
		snprintf(err, LRK_ERRSIZE, "%s: read error: %s", path,
		    strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fp != NULL)
		fclose(fp);
	lrk_buf_free(&b);
	free(text);
	free(head);
	free(names);
	free(cells);
	free(values);
	free(pcol);
	free(path);
	return ret;
}

/*
 * sweep-run's messages about its runs in text, lines of "sweep-run: run
 * K: what happened": fn(arg, K, what, its length) for each K below nruns,
 * in order; other lines are skipped.
 */
void
lrk_run_messages(const char *text, size_t nruns,
    void (*fn)(void *, size_t, const char *, size_t), void *arg)
{
	static const char prefix[] = "sweep-run: run ";
	const char *line, *end, *p;
	char *e;
	unsigned long k;

	if (text == NULL)
		return;
	for (line = text; *line != '\0'; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (strncmp(line, prefix, sizeof(prefix) - 1) != 0)
			continue;
		p = line + sizeof(prefix) - 1;
		if (*p < '0' || *p > '9')
			continue;
		k = strtoul(p, &e, 10);
		if (k >= nruns || strncmp(e, ": ", 2) != 0)
			continue;
		fn(arg, (size_t)k, e + 2, (size_t)(end - e - 2));
	}
}
