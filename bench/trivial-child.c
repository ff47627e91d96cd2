/*
 * trivial-child: the cheapest child the protocol allows, for measuring
 * sweep-run's own cost.  It prints "1" for every schedule row (stdio
 * buffered: the child's cost is not what is measured).  At the end of its
 * input it writes its parent's user+system CPU seconds so far, read from
 * /proc, to the file named by $SELFTIME_OUT.
 *
 * With DIVERGE_AT=K it prints 1 for K rows, then, after noting the time on
 * the monotonic clock, 1e9 (the diverging line), flushed; on SIGTERM it
 * writes how long ago that was, in microseconds, to $DELAY_OUT and exits.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct timespec diverged_at;
static const char *delay_out;

static void
on_term(int sig)
{
	struct timespec now;
	char buf[64];
	long us;
	int fd, n;

	(void)sig;
	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (long)(now.tv_sec - diverged_at.tv_sec) * 1000000L +
	    (now.tv_nsec - diverged_at.tv_nsec) / 1000;
	n = snprintf(buf, sizeof(buf), "%ld\n", us);
	if ((fd = open(delay_out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
		if (write(fd, buf, (size_t)n) < 0)
			_exit(2);
		close(fd);
	}
	_exit(143);
}

/* utime + stime of the parent, in seconds, from /proc/PID/stat. */
static double
parent_cpu(void)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	size_t n;
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)getppid());
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	for (i = 0; i < 12 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, "%lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

int
main(void)
{
	char line[256];
	const char *out = getenv("SELFTIME_OUT"), *at = getenv("DIVERGE_AT");
	long k = 0, diverge = at ? atol(at) : -1;
	FILE *fp;

	delay_out = getenv("DELAY_OUT");
	if (diverge >= 0)
		signal(SIGTERM, on_term);
	if (fgets(line, sizeof(line), stdin) == NULL)	/* the header */
		return 1;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (k++ == diverge) {
			fflush(stdout);
			clock_gettime(CLOCK_MONOTONIC, &diverged_at);
			fputs("1e9\n", stdout);
			fflush(stdout);
			for (;;)
				pause();
		}
		fputs("1\n", stdout);
		if (diverge >= 0)
			fflush(stdout);
	}
	fflush(stdout);
	if (out != NULL && (fp = fopen(out, "w")) != NULL) {
		fprintf(fp, "%.2f\n", parent_cpu());
		fclose(fp);
	}
	return 0;
}
