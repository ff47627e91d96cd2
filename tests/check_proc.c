/* Unit tests of lib/proc.c. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"

/* Everything the child writes on stdout (blocking reads until the end). */
static char *
slurp(struct lrk_proc *p, size_t *len)
{
	struct pollfd pfd;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	*len = 0;
	for (;;) {
		if (cap - *len < 4096) {
			cap = cap ? 2 * cap : 8192;
			buf = realloc(buf, cap);
		}
		pfd.fd = p->out;
		pfd.events = POLLIN;
		poll(&pfd, 1, 5000);
		n = read(p->out, buf + *len, cap - *len - 1);
		if (n == 0)
			break;
		if (n < 0 && errno == EAGAIN)
			continue;
		ck_assert_int_gt(n, 0);
		*len += (size_t)n;
	}
	buf[*len] = '\0';
	lrk_proc_close_out(p);
	return buf;
}

START_TEST(test_echo_and_group)
{
	char *argv[] = { "sh", "-c", "read a; read b; echo \"$b $a\"; exit 3",
	    NULL };
	char err[LRK_ERRSIZE], how[64], *out;
	struct lrk_proc p;
	size_t len;

	ck_assert_int_eq(lrk_proc_spawn(&p, argv, NULL, 0, err), 0);
	ck_assert_int_gt(p.pid, 0);
	ck_assert_int_eq(getpgid(p.pid), p.pid);	/* its own group */
	ck_assert_int_eq(lrk_proc_write(&p, "x\ny\n", 4), 4);
	lrk_proc_close_in(&p);
	ck_assert_int_eq(p.in, -1);
	out = slurp(&p, &len);
	ck_assert_str_eq(out, "y x\n");
	free(out);
	ck_assert_int_eq(lrk_proc_reap(&p, 1), 1);
	ck_assert(WIFEXITED(p.status));
	ck_assert_int_eq(WEXITSTATUS(p.status), 3);
	lrk_proc_describe(p.status, how, sizeof(how));
	ck_assert_str_eq(how, "exit status 3");
	ck_assert_int_eq(lrk_proc_reap(&p, 0), 1);	/* idempotent */
	lrk_proc_close(&p);
}
END_TEST

START_TEST(test_env)
{
	char *argv[] = { "sh", "-c", "echo \"$LRKIT_TEST\"", NULL };
	char *envp[] = { "LRKIT_TEST=a b", "PATH=/usr/bin:/bin", NULL };
	char err[LRK_ERRSIZE], *out;
	struct lrk_proc p;
	size_t len;

	ck_assert_int_eq(lrk_proc_spawn(&p, argv, envp, 0, err), 0);
	lrk_proc_close_in(&p);
	out = slurp(&p, &len);
	ck_assert_str_eq(out, "a b\n");
	free(out);
	ck_assert_int_eq(lrk_proc_reap(&p, 1), 1);
	lrk_proc_close(&p);
}
END_TEST

START_TEST(test_exec_errors)
{
	char *missing[] = { "lrkit-no-such-command", NULL };
	char *slash[] = { "/nonexistent/dir/cmd", NULL };
	char path[] = "/tmp/check_proc.XXXXXX", *noexec[] = { path, NULL };
	char err[LRK_ERRSIZE];
	struct lrk_proc p;
	int e, fd;

	e = lrk_proc_spawn(&p, missing, NULL, 0, err);
	ck_assert_int_eq(e, ENOENT);
	ck_assert_str_eq(err, "lrkit-no-such-command: command not found");
	ck_assert_int_eq(lrk_proc_exec_status(e), 127);
	ck_assert_int_eq(p.pid, -1);
	ck_assert_int_eq(p.in, -1);
	ck_assert_int_eq(p.out, -1);
	e = lrk_proc_spawn(&p, slash, NULL, 0, err);
	ck_assert_int_eq(lrk_proc_exec_status(e), 127);

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "echo hi\n", 8), 8);
	close(fd);
	chmod(path, 0644);
	e = lrk_proc_spawn(&p, noexec, NULL, 0, err);
	ck_assert_int_eq(e, EACCES);
	ck_assert_int_eq(lrk_proc_exec_status(e), 126);
	ck_assert_ptr_nonnull(strstr(err, "Permission denied"));
	unlink(path);
	/* No child is left to reap. */
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

/*
 * An exec that fails in the child (the file passes the search but is no
 * program) is told back with its errno, and the child is reaped.
 */
START_TEST(test_exec_fails_in_child)
{
	char path[] = "/tmp/check_proc.XXXXXX", *argv[] = { path, NULL };
	char err[LRK_ERRSIZE];
	struct lrk_proc p;
	int e, fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "\001\002\003\n", 4), 4);
	close(fd);
	ck_assert_int_eq(chmod(path, 0755), 0);
	e = lrk_proc_spawn(&p, argv, NULL, LRK_PROC_STDERR, err);
	unlink(path);
	ck_assert_int_eq(e, ENOEXEC);
	ck_assert_int_eq(lrk_proc_exec_status(e), 126);
	ck_assert_ptr_nonnull(strstr(err, strerror(ENOEXEC)));
	ck_assert_int_eq(p.pid, -1);
	ck_assert_int_eq(p.in, -1);
	ck_assert_int_eq(p.out, -1);
	ck_assert_int_eq(p.err, -1);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

/* The hexadecimal mask of a "Sig...:" line of /proc/PID/status text. */
static unsigned long long
status_mask(const char *status, const char *field)
{
	const char *line = strstr(status, field);

	ck_assert_ptr_nonnull(line);
	return strtoull(line + strlen(field), NULL, 16);
}

static void
on_usr2(int sig)
{
	(void)sig;
}

/*
 * sweep-run(1): "Each child ... starts with the default action for every
 * signal": its dispositions are the defaults and its signal mask is
 * empty, whatever this process blocks, ignores or catches; this
 * process's own mask is as it was.
 */
START_TEST(test_child_signals)
{
	char *argv[] = { "cat", "/proc/self/status", NULL };
	char err[LRK_ERRSIZE], *out;
	sigset_t block, before, after;
	struct lrk_proc p;
	size_t len;
	int sig;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &block, &before), 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR2, on_usr2);
	ck_assert_int_eq(lrk_proc_spawn(&p, argv, NULL, 0, err), 0);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &after), 0);
	for (sig = 1; sig < 32; sig++)
		ck_assert_int_eq(sigismember(&after, sig), sig == SIGUSR1 ||
		    sig == SIGTERM || sig == SIGCHLD ||
		    sigismember(&before, sig));
	lrk_proc_close_in(&p);
	out = slurp(&p, &len);
	ck_assert_int_eq(lrk_proc_reap(&p, 1), 1);
	ck_assert_uint_eq(status_mask(out, "SigBlk:"), 0);
	ck_assert_uint_eq(status_mask(out, "SigIgn:") &
	    (1ULL << (SIGINT - 1) | 1ULL << (SIGPIPE - 1)), 0);
	ck_assert_uint_eq(status_mask(out, "SigCgt:"), 0);
	free(out);
	lrk_proc_close(&p);
	sigprocmask(SIG_SETMASK, &before, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}
END_TEST

/*
 * The child's SIGPIPE is back to its default even though this process
 * ignores it: a child writing into a closed pipe dies of it.
 */
START_TEST(test_sigpipe_default)
{
	char *argv[] = { "yes", NULL };
	char err[LRK_ERRSIZE], how[64];
	struct lrk_proc p;

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(lrk_proc_spawn(&p, argv, NULL, 0, err), 0);
	lrk_proc_close_out(&p);
	ck_assert_int_eq(lrk_proc_reap(&p, 1), 1);
	ck_assert(WIFSIGNALED(p.status));
	ck_assert_int_eq(WTERMSIG(p.status), SIGPIPE);
	lrk_proc_describe(p.status, how, sizeof(how));
	ck_assert_str_eq(how, "killed by signal 13 (Broken pipe)");
	lrk_proc_close(&p);
	signal(SIGPIPE, SIG_DFL);
}
END_TEST

/* Is the process gone (or a zombie left to an init that does not reap)? */
static int
dead(long pid)
{
	char path[64], buf[512], *paren;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren != NULL && (paren[2] == 'Z' || paren[2] == 'X');
}

/*
 * lrkit(7): "It never outlives the lrkit tool that started it: when the
 * tool dies, even of kill -9, the program is killed too".  Else it would
 * be left running under init.
 */
START_TEST(test_dies_with_parent)
{
	char *argv[] = { "sleep", "30", NULL };
	char err[LRK_ERRSIZE];
	struct lrk_proc p;
	int fds[2], i, gone, status;
	pid_t middle, pid = -1;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_ge(middle = fork(), 0);
	if (middle == 0) {
		if (lrk_proc_spawn(&p, argv, NULL, 0, err) != 0)
			_exit(2);
		(void)write(fds[1], &p.pid, sizeof(p.pid));
		raise(SIGKILL);
	}
	ck_assert_int_eq(read(fds[0], &pid, sizeof(pid)),
	    (ssize_t)sizeof(pid));
	ck_assert_int_eq(waitpid(middle, &status, 0), middle);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	for (i = 0; i < 300 && !dead(pid); i++)
		usleep(10000);
	gone = dead(pid);
	(void)kill(pid, SIGKILL);
	ck_assert(gone);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* The parent of a process, from /proc/PID/stat; -1 when it is gone. */
static long
parent_of(long pid)
{
	char path[64], buf[512], *paren;
	long ppid = -1;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if ((paren = strrchr(buf, ')')) == NULL ||
	    sscanf(paren + 1, " %*c %ld", &ppid) != 1)
		return -1;
	return ppid;
}

/* Is pid a child of this process, running or ended, not yet reaped? */
static int
is_child(pid_t pid)
{
	siginfo_t info;

	return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) ==
	    0;
}

/*
 * Wait to be killed, in a child of parent; parent's death is one too,
 * so that no process of a test that failed is left behind.
 */
static _Noreturn void
wait_for_kill(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 ||
	    getppid() != parent)
		_exit(1);
	for (;;)
		pause();
}

/* A child that waits to be killed. */
static pid_t
start_waiter(void)
{
	pid_t pid, self = getpid();

	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0)
		wait_for_kill(self);
	return pid;
}

/*
 * A grandchild in a session of its own whose parent ends at once, so
 * that this process (a subreaper) adopts it: it waits to be killed, or
 * (lives 0) ends at once, left for this process to reap.
 */
static pid_t
start_orphan(int lives)
{
	siginfo_t info;
	pid_t middle, pid = -1, self = getpid();
	int fds[2], i;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_ge(middle = fork(), 0);
	if (middle == 0) {
		middle = getpid();
		if ((pid = fork()) == 0) {
			(void)setsid();
			if (!lives)
				_exit(0);
			while (getppid() == middle)	/* adopted yet? */
				usleep(1000);
			wait_for_kill(self);
		}
		(void)write(fds[1], &pid, sizeof(pid));
		_exit(0);
	}
	ck_assert_int_eq(read(fds[0], &pid, sizeof(pid)),
	    (ssize_t)sizeof(pid));
	close(fds[0]);
	close(fds[1]);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(middle, NULL, 0), middle);
	if (lives)
		ck_assert_int_eq(parent_of(pid), getpid());
	else {
		memset(&info, 0, sizeof(info));
		for (i = 0; i < 300 && info.si_pid != pid; i++) {
			(void)waitid(P_PID, (id_t)pid, &info,
			    WEXITED | WNOHANG | WNOWAIT);
			if (info.si_pid != pid)
				usleep(10000);
		}
		ck_assert_int_eq(info.si_pid, pid);
	}
	return pid;
}

/*
 * The lists of children as the kernel keeps them, in dir/TID/children,
 * for the children of this process in pids[] not yet reaped: two
 * threads' lists, without the space the kernel ends each with, so that
 * the two run together unless they are kept apart.
 */
static void
write_lists(const char *dir, const pid_t *pids, size_t n)
{
	char path[256];
	FILE *fp[2];
	size_t i, k = 0;

	snprintf(path, sizeof(path), "%s/100", dir);
	(void)mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/100/children", dir);
	ck_assert_ptr_nonnull(fp[0] = fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/101", dir);
	(void)mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/101/children", dir);
	ck_assert_ptr_nonnull(fp[1] = fopen(path, "w"));
	for (i = 0; i < n; i++)
		if (is_child(pids[i])) {
			fprintf(fp[k % 2], "%s%ld", k < 2 ? "" : " ",
			    (long)pids[i]);
			k++;
		}
	fclose(fp[0]);
	fclose(fp[1]);
}

static void
remove_lists(const char *dir)
{
	char path[256];
	const char *const names[] = { "100/children", "100", "101/children",
	    "101", "junk" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		(void)remove(path);
	}
	(void)rmdir(dir);
}

enum orphans_way { BY_SCAN, BY_LISTS, BY_PROC_LISTS, BY_ANY };

/* lrk_orphans one way; for BY_LISTS the lists are written first. */
static int
orphans_by(enum orphans_way way, const char *dir, const pid_t *all,
    size_t nall, const int *keep, size_t nkeep, int sig)
{
	switch (way) {
	case BY_SCAN:
		return lrk_orphans_scan(keep, nkeep, sig);
	case BY_LISTS:
		write_lists(dir, all, nall);
		return lrk_orphans_listed(dir, keep, nkeep, sig);
	case BY_PROC_LISTS:
		return lrk_orphans_listed("/proc/self/task", keep, nkeep, sig);
	default:
		return lrk_orphans(keep, nkeep, sig);
	}
}

/*
 * sweep-run(1): "A descendant that left the group (it called setsid(2))
 * is made a child of sweep-run when its parent dies; such processes get
 * SIGKILL whenever no run is in flight".  lrk_orphans finds them,
 * whichever way it lists the children: each child not in keep[] (the
 * runs), adopted orphans included, gets the signal and is reaped if it
 * has ended; the count is of those left alive.
 */
static void
check_orphans(enum orphans_way way)
{
	char dir[] = "/tmp/check_proc.XXXXXX", path[256];
	pid_t all[4];
	int keep[1], left = -1, i;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/junk", dir);	/* no thread */
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fclose(fp);
	ck_assert_int_eq(lrk_subreaper(), 0);
	all[0] = start_waiter();	/* started by this process: kept */
	all[1] = start_waiter();	/* a child not kept */
	all[2] = start_orphan(1);	/* adopted, running */
	all[3] = start_orphan(0);	/* adopted, ended */
	keep[0] = all[0];

	/* No signal: the one that ended is reaped, the rest left alone. */
	ck_assert_int_eq(orphans_by(way, dir, all, 4, keep, 1, 0), 2);
	ck_assert(!is_child(all[3]));
	ck_assert(is_child(all[1]) && !dead(all[1]));
	ck_assert(is_child(all[2]) && !dead(all[2]));

	/* SIGKILL until none is left, as sweep-run does at its end. */
	for (i = 0; i < 300 && left != 0; i++)
		if ((left = orphans_by(way, dir, all, 4, keep, 1,
		    SIGKILL)) != 0)
			usleep(10000);
	ck_assert_int_eq(left, 0);
	ck_assert(!is_child(all[1]));
	ck_assert(!is_child(all[2]));
	/* The kept one is neither signalled nor reaped. */
	ck_assert(is_child(all[0]) && !dead(all[0]));
	ck_assert_int_eq(kill(all[0], SIGKILL), 0);
	ck_assert_int_eq(waitpid(all[0], NULL, 0), all[0]);
	ck_assert_int_eq(orphans_by(way, dir, all, 4, NULL, 0, SIGKILL), 0);
	remove_lists(dir);
}

START_TEST(test_orphans_scan)
{
	check_orphans(BY_SCAN);
}
END_TEST

START_TEST(test_orphans_lists)
{
	check_orphans(BY_LISTS);
}
END_TEST

START_TEST(test_orphans)
{
	check_orphans(BY_ANY);
}
END_TEST

/*
 * The kernel's lists when it has them (CONFIG_PROC_CHILDREN); else the
 * lists are no answer (-1), and lrk_orphans scans /proc.
 */
START_TEST(test_orphans_proc_lists)
{
	char path[64], dir[] = "/tmp/check_proc.XXXXXX";

	snprintf(path, sizeof(path), "/proc/self/task/%ld/children",
	    (long)getpid());
	if (access(path, R_OK) == 0)
		check_orphans(BY_PROC_LISTS);
	else
		ck_assert_int_eq(lrk_orphans_listed("/proc/self/task", NULL, 0,
		    0), -1);
	/* No list at all, or no such folder: no answer either. */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/100", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(lrk_orphans_listed(dir, NULL, 0, 0), -1);
	ck_assert_int_eq(rmdir(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(lrk_orphans_listed(dir, NULL, 0, 0), -1);
}
END_TEST

/* A child that ended is seen, and left to reap. */
START_TEST(test_child_ended)
{
	pid_t pid;
	int i, status;

	ck_assert_int_eq(lrk_child_ended(), 0);	/* no child at all */
	pid = start_waiter();
	ck_assert_int_eq(lrk_child_ended(), 0);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	for (i = 0; i < 300 && !lrk_child_ended(); i++)
		usleep(10000);
	ck_assert_int_eq(lrk_child_ended(), 1);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_int_eq(lrk_child_ended(), 0);
}
END_TEST

/* The pipe a descriptor is an end of, as /proc shows it. */
static void
pipe_name(int fd, char *buf, size_t size)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	snprintf(buf, size, "pipe:[%lu]", (unsigned long)st.st_ino);
}

/* A child inherits its three descriptors, never a sibling's pipes. */
START_TEST(test_close_on_exec)
{
	char *sleeper[] = { "sleep", "5", NULL };
	char *lister[] = { "sh", "-c",
	    "for f in /proc/$$/fd/*; do readlink $f; done", NULL };
	char err[LRK_ERRSIZE], *out, name[64];
	struct lrk_proc a, b;
	size_t len;

	ck_assert_int_eq(lrk_proc_spawn(&a, sleeper, NULL, LRK_PROC_STDERR,
	    err), 0);
	ck_assert_int_ge(a.err, 0);
	ck_assert_int_eq(lrk_proc_spawn(&b, lister, NULL, 0, err), 0);
	lrk_proc_close_in(&b);
	out = slurp(&b, &len);
	pipe_name(a.in, name, sizeof(name));
	ck_assert_ptr_null(strstr(out, name));
	pipe_name(a.out, name, sizeof(name));
	ck_assert_ptr_null(strstr(out, name));
	pipe_name(a.err, name, sizeof(name));
	ck_assert_ptr_null(strstr(out, name));
	free(out);
	ck_assert_int_eq(lrk_proc_reap(&b, 1), 1);
	lrk_proc_close(&b);
	ck_assert_int_eq(lrk_proc_kill(&a, SIGKILL), 0);
	ck_assert_int_eq(lrk_proc_reap(&a, 1), 1);
	ck_assert_int_eq(WTERMSIG(a.status), SIGKILL);
	lrk_proc_close(&a);
}
END_TEST

/* SIGTERM to the group reaches the grandchildren too. */
START_TEST(test_kill_group)
{
	char *argv[] = { "sh", "-c", "sleep 30 & echo $!; wait", NULL };
	char err[LRK_ERRSIZE], buf[64];
	struct pollfd pfd;
	struct lrk_proc p;
	long grandchild;
	ssize_t n;
	int i;

	ck_assert_int_eq(lrk_proc_spawn(&p, argv, NULL, 0, err), 0);
	pfd.fd = p.out;
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	n = read(p.out, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	grandchild = strtol(buf, NULL, 10);
	ck_assert_int_gt(grandchild, 0);
	ck_assert(!dead(grandchild));
	ck_assert_int_eq(lrk_proc_kill(&p, SIGTERM), 0);
	ck_assert_int_eq(lrk_proc_reap(&p, 1), 1);
	ck_assert(WIFSIGNALED(p.status));
	for (i = 0; i < 200 && !dead(grandchild); i++)
		usleep(10000);
	ck_assert(dead(grandchild));
	lrk_proc_close(&p);
}
END_TEST

START_TEST(test_signals)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2 };
	struct pollfd pfd;
	int fd;

	fd = lrk_signals_catch(sigs, 2);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(lrk_signals_next(), 0);
	raise(SIGUSR2);
	raise(SIGUSR1);
	pfd.fd = fd;
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 1000), 1);
	ck_assert_int_eq(lrk_signals_next(), SIGUSR2);
	ck_assert_int_eq(lrk_signals_next(), SIGUSR1);
	ck_assert_int_eq(lrk_signals_next(), 0);
	ck_assert(lrk_now() > 0);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}
END_TEST

/*
 * sweep-run(1): "On SIGINT, SIGTERM, SIGHUP, and on the signals batch
 * schedulers send to ask a job to wrap up (SIGUSR1, SIGUSR2, SIGALRM,
 * SIGXCPU ...) sweep-run stops every run"; lr-confirm(1) passes the same
 * ones on.  Exactly those, each once, and each one caught, raised, is
 * noted instead of ending the process.
 */
START_TEST(test_stop_signals)
{
	static const int want[] = { SIGINT, SIGTERM, SIGHUP, SIGUSR1,
	    SIGUSR2, SIGALRM, SIGXCPU };
	const size_t nwant = sizeof(want) / sizeof(want[0]);
	struct pollfd pfd;
	size_t i, j, found;
	int fd;

	ck_assert_uint_eq(lrk_nstop_signals, nwant);
	for (i = 0; i < nwant; i++) {
		found = 0;
		for (j = 0; j < lrk_nstop_signals; j++)
			found += lrk_stop_signals[j] == want[i];
		ck_assert_msg(found == 1, "signal %d is in the list %zu times",
		    want[i], found);
	}
	fd = lrk_signals_catch(lrk_stop_signals, lrk_nstop_signals);
	ck_assert_int_ge(fd, 0);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (i = 0; i < lrk_nstop_signals; i++) {
		ck_assert_int_eq(raise(lrk_stop_signals[i]), 0);
		ck_assert_int_eq(poll(&pfd, 1, 1000), 1);
		ck_assert_int_eq(lrk_signals_next(), lrk_stop_signals[i]);
		signal(lrk_stop_signals[i], SIG_DFL);
	}
	ck_assert_int_eq(lrk_signals_next(), 0);
}
END_TEST

/*
 * sweep-run(1): "SIGTSTP (Ctrl-Z, or a scheduler's suspend), SIGTTIN and
 * SIGTTOU (the terminal, used from the background) stop every run's
 * process group, then sweep-run; SIGCONT (fg, bg) continues them":
 * exactly those four.
 */
START_TEST(test_job_signals)
{
	static const int want[] = { SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT };
	const size_t nwant = sizeof(want) / sizeof(want[0]);
	size_t i, j, found;

	ck_assert_uint_eq(lrk_njob_signals, nwant);
	for (i = 0; i < nwant; i++) {
		found = 0;
		for (j = 0; j < lrk_njob_signals; j++)
			found += lrk_job_signals[j] == want[i];
		ck_assert_msg(found == 1, "signal %d is in the list %zu times",
		    want[i], found);
		ck_assert_int_eq(lrk_job_signal(want[i]), 1);
	}
	for (i = 0; i < lrk_nstop_signals; i++)
		ck_assert_int_eq(lrk_job_signal(lrk_stop_signals[i]), 0);
	ck_assert_int_eq(lrk_job_signal(SIGCHLD), 0);
	ck_assert_int_eq(lrk_job_signal(SIGSTOP), 0);
}
END_TEST

/* Wait for the child to stop; the signal that stopped it. */
static int
stopped_by(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, WUNTRACED), pid);
	ck_assert(WIFSTOPPED(status));
	return WSTOPSIG(status);
}

/*
 * The time a process is stopped, counted at the SIGCONT that continues
 * it: stopped by SIGSTOP from outside, then by lrk_stop_self(SIGTSTP) as
 * sweep-run stops itself on Ctrl-Z; each time taken once.  The child
 * leads a group of its own under this process, in this session, where a
 * stop by SIGTSTP is not discarded as in an orphaned group.
 */
START_TEST(test_stopped_time)
{
	struct timespec pause = { 0, 300 * 1000 * 1000 };
	struct pollfd pfd;
	struct sigaction sa;
	double t[4];
	int ready[2], result[2], status, fd;
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(result), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		setpgid(0, 0);
		fd = lrk_signals_catch(lrk_job_signals, lrk_njob_signals);
		lrk_signals_awake();
		(void)write(ready[1], "x", 1);
		pfd.fd = fd;
		pfd.events = POLLIN;
		/* Stopped by SIGSTOP in here, until the SIGCONT. */
		while (lrk_signals_next() != SIGCONT)
			(void)poll(&pfd, 1, 10000);
		t[0] = lrk_signals_stopped();
		t[1] = lrk_signals_stopped();
		lrk_stop_self(SIGTSTP);
		t[2] = lrk_signals_stopped();
		/* The handler is back: a second SIGTSTP is a byte again. */
		sigaction(SIGTSTP, NULL, &sa);
		t[3] = sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN;
		(void)write(result[1], t, sizeof(t));
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	ck_assert_int_eq(stopped_by(pid), SIGSTOP);
	nanosleep(&pause, NULL);
	ck_assert_int_eq(kill(pid, SIGCONT), 0);
	ck_assert_int_eq(stopped_by(pid), SIGTSTP);
	nanosleep(&pause, NULL);
	ck_assert_int_eq(kill(pid, SIGCONT), 0);
	ck_assert_int_eq(read(result[0], t, sizeof(t)), (ssize_t)sizeof(t));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_msg(t[0] >= 0.29 && t[0] < 10, "stopped %g s", t[0]);
	ck_assert(t[1] == 0);
	ck_assert_msg(t[2] >= 0.29 && t[2] < 10, "stopped %g s", t[2]);
	ck_assert(t[3] == 0);
	close(ready[0]);
	close(ready[1]);
	close(result[0]);
	close(result[1]);
}
END_TEST

/*
 * In an orphaned process group (a session of its own: a batch job) the
 * system discards a stop by SIGTSTP; lrk_stop_self stops the process all
 * the same, with SIGSTOP, and returns once it is continued.
 */
START_TEST(test_stop_orphaned)
{
	int result[2], status;
	double t;
	pid_t pid;

	ck_assert_int_eq(pipe(result), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		if (setsid() == -1)
			_exit(2);
		(void)lrk_signals_catch(lrk_job_signals, lrk_njob_signals);
		lrk_stop_self(SIGTSTP);
		t = lrk_signals_stopped();
		(void)write(result[1], &t, sizeof(t));
		_exit(0);
	}
	ck_assert_int_eq(stopped_by(pid), SIGSTOP);
	ck_assert_int_eq(kill(pid, SIGCONT), 0);
	ck_assert_int_eq(read(result[0], &t, sizeof(t)), (ssize_t)sizeof(t));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert(t > 0);
	close(result[0]);
	close(result[1]);
}
END_TEST

static void
flush_out(void *arg)
{
	(void)lrk_outq_flush(arg);
}

/*
 * lrk_outq_drain: what the reader takes is all written; a reader that
 * takes nothing gets the grace period after a stop signal, noted before
 * or coming while it waits, and what is left is dropped.
 */
START_TEST(test_outq_drain)
{
	static const int sigs[] = { SIGUSR1 };
	struct lrk_outq out, err;
	char line[1000], buf[8192];
	int o[2], e[2], fd, stop, i;
	double t0;

	fd = lrk_signals_catch(sigs, 1);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pipe2(o, O_NONBLOCK), 0);
	ck_assert_int_eq(pipe2(e, O_NONBLOCK), 0);
	lrk_outq_init(&out, o[1]);
	lrk_outq_init(&err, e[1]);
	lrk_outq_add(&out, "a\n", 2);
	lrk_outq_add(&err, "b\n", 2);
	stop = 0;
	ck_assert_int_eq(lrk_outq_drain(&out, &err, flush_out, &out, fd, 1,
	    &stop), 0);
	ck_assert_int_eq(read(o[0], buf, sizeof(buf)), 2);
	ck_assert_int_eq(read(e[0], buf, sizeof(buf)), 2);

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (i = 0; i < 1000; i++)		/* more than the pipe takes */
		lrk_outq_add(&out, line, sizeof(line));
	stop = SIGTERM;
	t0 = lrk_now();
	ck_assert_int_eq(lrk_outq_drain(&out, &err, flush_out, &out, fd, 0.2,
	    &stop), -1);
	ck_assert(lrk_now() - t0 >= 0.15);
	ck_assert(lrk_now() - t0 < 5);
	ck_assert_uint_eq(lrk_outq_pending(&out), 0);	/* dropped */
	lrk_outq_free(&out);

	lrk_outq_init(&out, o[1]);
	for (i = 0; i < 1000; i++)
		lrk_outq_add(&out, line, sizeof(line));
	stop = 0;
	raise(SIGUSR1);
	ck_assert_int_eq(lrk_outq_drain(&out, &err, flush_out, &out, fd, 0.1,
	    &stop), -1);
	ck_assert_int_eq(stop, SIGUSR1);
	lrk_outq_free(&out);

	/* SIGCONT (the job continued) is no stop signal. */
	ck_assert_int_ge(lrk_signals_catch(lrk_job_signals + 3, 1), 0);
	ck_assert_int_eq(lrk_job_signals[3], SIGCONT);
	lrk_outq_init(&out, o[1]);
	for (i = 0; i < 1000; i++)
		lrk_outq_add(&out, line, sizeof(line));
	stop = 0;
	raise(SIGCONT);
	raise(SIGUSR1);
	ck_assert_int_eq(lrk_outq_drain(&out, &err, flush_out, &out, fd, 0.1,
	    &stop), -1);
	ck_assert_int_eq(stop, SIGUSR1);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGCONT, SIG_DFL);
	lrk_outq_free(&out);
	lrk_outq_free(&err);
	close(o[0]);
	close(o[1]);
	close(e[0]);
	close(e[1]);
}
END_TEST

/*
 * lrk_proc_run: a megabyte in and back out with no deadlock, the child's
 * stderr gathered, its status; a signal that comes while it runs is passed
 * on to it and reported; a command that cannot run is an error.
 */
START_TEST(test_run)
{
	static const int sigs[] = { SIGUSR1 };
	char *cat[] = { "sh", "-c", "cat; echo oops >&2; exit 4", NULL };
	char *self[] = { "sh", "-c", "kill -USR1 $PPID; exec sleep 10", NULL };
	char *missing[] = { "lrkit-no-such-command", NULL };
	struct lrk_buf out = { 0 }, errs = { 0 };
	char err[LRK_ERRSIZE], *in;
	size_t len = 1024 * 1024, i;
	int fd, status, caught = 0;

	fd = lrk_signals_catch(sigs, 1);
	ck_assert_int_ge(fd, 0);
	in = malloc(len);
	for (i = 0; i < len; i++)
		in[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	status = lrk_proc_run(cat, in, len, &out, &errs, fd, &caught, err);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 4);
	ck_assert_uint_eq(out.len, len);
	ck_assert(memcmp(out.data, in, len) == 0);
	ck_assert_uint_eq(errs.len, 5);
	ck_assert(memcmp(errs.data, "oops\n", 5) == 0);
	ck_assert_int_eq(caught, 0);
	lrk_buf_clear(&out);

	status = lrk_proc_run(self, NULL, 0, &out, NULL, fd, &caught, err);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGUSR1);
	ck_assert_int_eq(caught, SIGUSR1);

	ck_assert_int_eq(lrk_proc_run(missing, NULL, 0, &out, NULL, fd,
	    &caught, err), -1);
	ck_assert_str_eq(err, "lrkit-no-such-command: command not found");
	signal(SIGUSR1, SIG_DFL);
	lrk_buf_free(&out);
	lrk_buf_free(&errs);
	free(in);
}
END_TEST

/*
 * An output queue never blocks: a pipe nobody reads fills up, the rest
 * waits; writes are of whole lines of at most PIPE_BUF bytes, or one
 * longer line alone; a reader gone closes the queue.
 */
START_TEST(test_outq)
{
	struct lrk_outq q;
	char line[1000], big[6000], buf[8192];
	int fds[2], i;
	ssize_t n;
	size_t total = 0;

	ck_assert_int_eq(pipe2(fds, O_NONBLOCK), 0);
	lrk_outq_init(&q, fds[1]);
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (i = 0; i < 1000; i++)		/* 1 MB: more than the pipe */
		ck_assert_int_eq(lrk_outq_add(&q, line, sizeof(line)), 0);
	ck_assert_int_eq(lrk_outq_flush(&q), 0);	/* returns: no block */
	ck_assert_uint_gt(lrk_outq_pending(&q), 0);
	ck_assert_uint_lt(lrk_outq_pending(&q), 1000 * sizeof(line));
	/* The full pipe holds whole lines only (4 lines a write). */
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		total += (size_t)n;
	ck_assert_uint_eq(total % sizeof(line), 0);
	while (lrk_outq_pending(&q) > 0) {
		ck_assert_int_eq(lrk_outq_flush(&q), 0);
		while ((n = read(fds[0], buf, sizeof(buf))) > 0)
			total += (size_t)n;
	}
	ck_assert_uint_eq(total, 1000 * sizeof(line));
	/* One line longer than PIPE_BUF: one write of it alone. */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\n';
	ck_assert_int_eq(lrk_outq_add(&q, big, sizeof(big)), 0);
	ck_assert_int_eq(lrk_outq_add(&q, line, sizeof(line)), 0);
	ck_assert_int_eq(lrk_outq_flush(&q), 0);
	ck_assert_int_eq(read(fds[0], buf, sizeof(buf)), 7000);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(lrk_outq_add(&q, line, sizeof(line)), 0);
	ck_assert_int_eq(lrk_outq_flush(&q), -1);
	ck_assert_int_eq(q.error, EPIPE);
	ck_assert_uint_eq(lrk_outq_pending(&q), 0);
	signal(SIGPIPE, SIG_DFL);
	lrk_outq_free(&q);
	close(fds[1]);
}
END_TEST

START_TEST(test_lines)
{
	struct lrk_lines l;
	const char *line;
	size_t len;
	int fds[2];

	ck_assert_int_eq(pipe2(fds, O_NONBLOCK), 0);
	lrk_lines_init(&l);
	ck_assert_int_eq(lrk_lines_fill(&l, fds[0]), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(write(fds[1], "ab\ncd", 5), 5);
	ck_assert_int_eq(lrk_lines_fill(&l, fds[0]), 5);
	ck_assert_int_eq(lrk_lines_next(&l, &line, &len), 1);
	ck_assert_uint_eq(len, 2);
	ck_assert(memcmp(line, "ab", 2) == 0);
	ck_assert_int_eq(lrk_lines_next(&l, &line, &len), 0);
	ck_assert_int_eq(write(fds[1], "e\n\nf", 4), 4);
	close(fds[1]);
	ck_assert_int_eq(lrk_lines_fill(&l, fds[0]), 4);
	ck_assert_int_eq(lrk_lines_next(&l, &line, &len), 1);
	ck_assert_uint_eq(len, 3);
	ck_assert(memcmp(line, "cde", 3) == 0);
	ck_assert_int_eq(lrk_lines_next(&l, &line, &len), 1);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(lrk_lines_next(&l, &line, &len), 0);
	/* At the end, the last line without its newline. */
	ck_assert_int_eq(lrk_lines_fill(&l, fds[0]), 0);
	ck_assert_int_eq(l.eof, 1);
	ck_assert_int_eq(lrk_lines_next(&l, &line, &len), 1);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(line[0], 'f');
	ck_assert_int_eq(lrk_lines_next(&l, &line, &len), 0);
	lrk_lines_free(&l);
	close(fds[0]);
}
END_TEST

/*
 * 8 MB each way through cat with one poll() loop: no deadlock whatever
 * the pipe sizes, and every byte comes back in order.
 */
START_TEST(test_no_deadlock)
{
	char *argv[] = { "cat", NULL };
	char err[LRK_ERRSIZE], *data, *back;
	struct pollfd pfd[2];
	struct lrk_proc p;
	size_t n = 8 << 20, sent = 0, got = 0, i;
	long w;
	ssize_t r;

	data = malloc(n);
	back = malloc(n);
	for (i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	ck_assert_int_eq(lrk_proc_spawn(&p, argv, NULL, 0, err), 0);
	while (p.out >= 0) {
		pfd[0].fd = p.in;
		pfd[0].events = POLLOUT;
		pfd[1].fd = p.out;
		pfd[1].events = POLLIN;
		ck_assert_int_gt(poll(pfd, 2, 5000), 0);
		if (p.in >= 0 && (pfd[0].revents & (POLLOUT | POLLERR))) {
			w = lrk_proc_write(&p, data + sent, n - sent);
			ck_assert_int_ge(w, 0);
			sent += (size_t)w;
			if (sent == n)
				lrk_proc_close_in(&p);
		}
		if (pfd[1].revents) {
			r = read(p.out, back + got, n - got);
			if (r == 0)
				lrk_proc_close_out(&p);
			else if (r > 0)
				got += (size_t)r;
		}
	}
	ck_assert_uint_eq(got, n);
	ck_assert(memcmp(data, back, n) == 0);
	ck_assert_int_eq(lrk_proc_reap(&p, 1), 1);
	ck_assert_int_eq(p.status, 0);
	free(data);
	free(back);
}
END_TEST

/* A line longer than LRK_LINE_MAX comes out in pieces; memory stays bounded. */
START_TEST(test_long_line)
{
	char *argv[] = { "sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x;"
	    " echo; echo end", NULL };
	char err[LRK_ERRSIZE];
	struct lrk_proc p;
	struct lrk_lines l;
	struct pollfd pfd;
	const char *line;
	size_t len, total = 0, pieces = 0, maxcap = 0;
	int ended = 0;

	ck_assert_int_eq(lrk_proc_spawn(&p, argv, NULL, 0, err), 0);
	lrk_proc_close_in(&p);
	lrk_lines_init(&l);
	while (!l.eof) {
		pfd.fd = p.out;
		pfd.events = POLLIN;
		poll(&pfd, 1, 5000);
		if (lrk_lines_fill(&l, p.out) == -1)
			continue;
		if (l.cap > maxcap)
			maxcap = l.cap;
		while (lrk_lines_next(&l, &line, &len)) {
			if (len == 3 && memcmp(line, "end", 3) == 0)
				ended = 1;
			else {
				ck_assert_uint_le(len, LRK_LINE_MAX);
				total += len;
				pieces++;
			}
		}
	}
	ck_assert_uint_eq(total, 3000000);
	ck_assert_uint_ge(pieces, 3);
	ck_assert(ended);
	ck_assert_uint_le(maxcap, 3 * LRK_LINE_MAX);
	lrk_lines_free(&l);
	ck_assert_int_eq(lrk_proc_reap(&p, 1), 1);
	lrk_proc_close(&p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("proc");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");
	SRunner *sr;
	int failed;

	tcase_add_test(core, test_echo_and_group);
	tcase_add_test(core, test_env);
	tcase_add_test(core, test_exec_errors);
	tcase_add_test(core, test_exec_fails_in_child);
	tcase_add_test(core, test_child_signals);
	tcase_add_test(core, test_sigpipe_default);
	tcase_add_test(core, test_close_on_exec);
	tcase_add_test(core, test_kill_group);
	tcase_add_test(core, test_dies_with_parent);
	tcase_add_test(core, test_orphans);
	tcase_add_test(core, test_orphans_scan);
	tcase_add_test(core, test_orphans_lists);
	tcase_add_test(core, test_orphans_proc_lists);
	tcase_add_test(core, test_child_ended);
	tcase_add_test(core, test_signals);
	tcase_add_test(core, test_stop_signals);
	tcase_add_test(core, test_job_signals);
	tcase_add_test(limits, test_stopped_time);
	tcase_add_test(limits, test_stop_orphaned);
	tcase_add_test(core, test_lines);
	tcase_add_test(core, test_outq);
	tcase_add_test(limits, test_run);
	tcase_add_test(limits, test_outq_drain);
	tcase_add_test(limits, test_no_deadlock);
	tcase_add_test(limits, test_long_line);
	tcase_set_timeout(limits, 30);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
