/*
 * Output files written completely or not at all: the bytes go to a
 * temporary file in the target's folder (so that the rename cannot cross
 * file systems), which is flushed, synced and renamed over the target
 * only once complete.  On any error the temporary file is removed.
 *
 * Every temporary file in flight is in a registry that
 * lrk_outfile_cleanup() walks: at exit() (an lrk_errx anywhere) and from
 * the handler lrk_outfile_catch_signals() installs, so that neither an
 * error nor a Ctrl-C leaves a half-written file behind.
 *
 * A new file gets the mode the umask gives (0666 & ~umask), as a file
 * made by the shell's redirection would; a file replaced keeps its mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

/* The registry: a list the signal handler reads, changed with signals
 * blocked. */
static struct lrk_outfile *volatile registry;
static int atexit_done;

static void
block_signals(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

static void
registry_add(struct lrk_outfile *o)
{
	sigset_t old;

	block_signals(&old);
	o->next = registry;
	registry = o;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (!atexit_done) {
		atexit_done = 1;
		atexit(lrk_outfile_cleanup);
	}
}

static void
registry_remove(struct lrk_outfile *o)
{
	struct lrk_outfile *volatile *p;
	sigset_t old;

	block_signals(&old);
	for (p = &registry; *p != NULL; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
	o->next = NULL;
}

/* Remove every temporary file in flight.  Async-signal-safe. */
void
lrk_outfile_cleanup(void)
{
	struct lrk_outfile *o;

	for (o = registry; o != NULL; o = o->next)
		if (o->tmp != NULL)
			unlink(o->tmp);
	registry = NULL;
}

static void
on_fatal_signal(int sig)
{
	lrk_outfile_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * For a tool that does not catch signals itself: SIGINT, SIGTERM, SIGHUP
 * remove the temporary files, then kill the process as they would have.
 * Signals the process ignores stay ignored.
 */
void
lrk_outfile_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
}

/* The temporary file's name: ".NAME.XXXXXX" beside path, NAME being the
 * file's name without its last extension. */
static char *
tmp_name(const char *path)
{
	const char *base, *dot;
	size_t dirlen, baselen;
	char *tmp;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	dirlen = (size_t)(base - path);
	dot = strrchr(base, '.');
	baselen = dot != NULL && dot != base ? (size_t)(dot - base) :
	    strlen(base);
	if ((tmp = malloc(dirlen + baselen + 10)) == NULL)
		return NULL;
	snprintf(tmp, dirlen + baselen + 10, "%.*s.%.*s.XXXXXX", (int)dirlen,
	    path, (int)baselen, base);
	return tmp;
}

static mode_t
umask_mode(void)
{
	mode_t mask;

	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

static int
fail(struct lrk_outfile *o, const char *what, int error, char *err)
{
	snprintf(err, LRK_ERRSIZE, "%s: %s", what, strerror(error));
	lrk_outfile_abort(o);
	return -1;
}

/*
 * Open path for writing through a temporary file.  flags:
 * LRK_OUTFILE_LOCK holds an flock on the temporary file through a
 * descriptor of its own until it is renamed or removed (so that another
 * process can tell a file in use from one left behind);
 * LRK_OUTFILE_IN_PLACE writes into a target that is not a regular file
 * (a device, a FIFO) as it is, rather than replace it;
 * LRK_OUTFILE_SIGNALS calls lrk_outfile_catch_signals (for a tool that
 * does not handle those signals itself).  A symbolic link
 * is followed: the file it names is the one replaced.  0, or -1 with err.
 */
int
lrk_outfile_open(struct lrk_outfile *o, const char *path, int flags,
    char *err)
{
	struct stat st, lst;
	mode_t mode;
	int fd, have;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->lock_fd = -1;
	if ((o->path = strdup(path)) == NULL)
		return fail(o, path, ENOMEM, err);
	have = stat(path, &st) == 0;
	if (have && S_ISDIR(st.st_mode))
		return fail(o, path, EISDIR, err);
	if (have && !S_ISREG(st.st_mode) && (flags & LRK_OUTFILE_IN_PLACE)) {
		if ((fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)) == -1 ||
		    (o->fp = fdopen(fd, "w")) == NULL) {
			if (fd != -1)
				close(fd);
			return fail(o, path, errno, err);
		}
		return 0;
	}
	/* A symbolic link: the file it names is the one replaced. */
	o->target = have && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) ?
	    realpath(path, NULL) : strdup(path);
	if (o->target == NULL)
		return fail(o, path, errno ? errno : ENOMEM, err);
	if ((o->tmp = tmp_name(o->target)) == NULL)
		return fail(o, path, ENOMEM, err);
	mode = have ? st.st_mode & 07777 : umask_mode();
	if ((fd = mkostemp(o->tmp, O_CLOEXEC)) == -1) {
		free(o->tmp);
		o->tmp = NULL;
		return fail(o, path, errno, err);
	}
	if (flags & LRK_OUTFILE_SIGNALS)
		lrk_outfile_catch_signals();
	registry_add(o);
	if (fchmod(fd, mode) != 0 || (o->fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		return fail(o, o->tmp, errno, err);
	}
	if ((flags & LRK_OUTFILE_LOCK) &&
	    (o->lock_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) != -1)
		(void)flock(o->lock_fd, LOCK_EX | LOCK_NB);
	return 0;
}

FILE *
lrk_outfile_fp(const struct lrk_outfile *o)
{
	return o->fp;
}

/* The temporary file's name (or the target's, when written in place). */
const char *
lrk_outfile_tmp(const struct lrk_outfile *o)
{
	return o->tmp != NULL ? o->tmp : o->path;
}

/*
 * Note the errno of the first failed write: stdio keeps only the error
 * flag, and by the time the file is closed errno says something else.
 * Call it after writes whose errors matter.
 */
void
lrk_outfile_check(struct lrk_outfile *o)
{
	if (o->error == 0 && o->fp != NULL && ferror(o->fp))
		o->error = errno != 0 ? errno : EIO;
}

/*
 * len bytes of data written to path completely or not at all (flags as
 * lrk_outfile_open's): 0, or -1 with err.
 */
int
lrk_outfile_write(const char *path, int flags, const void *data, size_t len,
    char *err)
{
	struct lrk_outfile o;

	if (lrk_outfile_open(&o, path, flags, err) != 0)
		return -1;
	/* A short write leaves the stream's error set: commit sees it. */
	(void)fwrite(data, 1, len, o.fp);
	return lrk_outfile_commit(&o, err);
}

/*
 * Flush, sync and close the file, and rename it over the target: the
 * target is then either the old file or the whole new one, even after a
 * crash.  0, or -1 with err ("name: what") and the temporary file removed.
 */
int
lrk_outfile_commit(struct lrk_outfile *o, char *err)
{
	int error;
	FILE *fp = o->fp;

	lrk_outfile_check(o);
	error = o->error;
	o->fp = NULL;
	errno = 0;
	if (fflush(fp) != 0 && error == 0)
		error = errno != 0 ? errno : EIO;
	if (ferror(fp) && error == 0)
		error = EIO;
	if (o->tmp != NULL && error == 0 && fsync(fileno(fp)) != 0 &&
	    errno != EINVAL)
		error = errno;
	if (fclose(fp) != 0 && error == 0)
		error = errno != 0 ? errno : EIO;
	if (error != 0) {
		/* Written in place, the file is the user's: its name. */
		if (o->tmp != NULL)
			snprintf(err, LRK_ERRSIZE, "%s: write error: %s",
			    o->tmp, strerror(error));
		else
			snprintf(err, LRK_ERRSIZE, "%s: %s", o->path,
			    strerror(error));
		lrk_outfile_abort(o);
		return -1;
	}
	if (o->tmp != NULL && rename(o->tmp, o->target) != 0)
		return fail(o, o->path, errno, err);
	if (o->tmp != NULL) {
		registry_remove(o);
		free(o->tmp);
		o->tmp = NULL;
	}
	lrk_outfile_abort(o);	/* frees the rest */
	return 0;
}

/* Give up: close and remove the temporary file, free what o holds. */
void
lrk_outfile_abort(struct lrk_outfile *o)
{
	if (o->fp != NULL)
		fclose(o->fp);
	o->fp = NULL;
	if (o->tmp != NULL) {
		unlink(o->tmp);
		registry_remove(o);
	}
	if (o->lock_fd != -1)
		close(o->lock_fd);
	o->lock_fd = -1;
	free(o->tmp);
	free(o->target);
	free(o->path);
	o->tmp = o->target = o->path = NULL;
}
