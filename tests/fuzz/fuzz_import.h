/*
 * What the lr-import fuzz targets share: the dense stage's options chosen
 * by one byte of the input (the low five bits: --merge step,
 * --split-restarts step, --ffill lr and loss, two --rename, --select), a
 * writer to /dev/null, and the checks every import must pass: a failure
 * says why, and the dense stage finishes or says why not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lrkit.h"

static const char *const fuzz_ffill[] = { "lr", "loss" };
static const char *const fuzz_rename[] = { "learning_rate=lr",
    "train_loss=loss" };

static FILE *
fuzz_sink(void)
{
	static FILE *sink;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	return sink;
}

/* The writer of the import under way, freed by fuzz_dense_end. */
static struct lrk_writer *fuzz_writer;

static struct lrk_dense *
fuzz_dense(uint8_t choice)
{
	struct lrk_dense_options o = { 0 };
	struct lrk_dense *d;

	if (choice & 1)
		o.merge = "step";
	if (choice & 2)
		o.split = "step";
	if (choice & 4) {
		o.ffill = fuzz_ffill;
		o.nffill = 2;
	}
	if (choice & 8) {
		o.rename = fuzz_rename;
		o.nrename = 2;
	}
	if (choice & 16)
		o.select = "step,lr,loss";
	if ((fuzz_writer = lrk_writer_new(fuzz_sink(), ',', "\n")) == NULL ||
	    (d = lrk_dense_new(&o, fuzz_writer)) == NULL)
		abort();
	return d;
}

/* r: what the import returned; err: its message. */
static void
fuzz_dense_end(struct lrk_dense *d, int r, const char *err)
{
	char msg[LRK_ERRSIZE];

	if (r != 0 && err[0] == '\0')
		abort();	/* a failure must say why */
	msg[0] = '\0';
	if (lrk_dense_finish(d, msg) != 0 && msg[0] == '\0')
		abort();
	lrk_dense_free(d);
	lrk_writer_free(fuzz_writer);
	fuzz_writer = NULL;
}
