/*
 * Fuzz the schedule spec parser: the first byte chooses the epochs and
 * steps per epoch given to a schedule without n=, the rest is the spec.
 * A rejected spec must say why; an accepted one must give a number of
 * steps, an lr that is a number >= 0 at every step looked at, a momentum
 * that is a number where there is one, and NaN past the end.
 *
 * Two schedules can go below 0 as torch computes them, from positive
 * settings: CosineAnnealingLR's recursion, when eta_min dwarfs base_lr
 * (the difference loses base_lr's digits), and CyclicLR's exp_range with
 * gamma > 1 and max_lr < base_lr.  Their lr is only checked for NaN.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every step of a schedule this long is looked at, in order. */
#define ALL_STEPS	4096

/*
 * CosineAnnealingLR and fastai's one-cycle replay their steps, so a far
 * step looked at first costs its number of steps: only so far.
 */
#define FAR_REPLAYED	((size_t)1 << 20)

static void
check_step(const struct lrk_sched *s, size_t k, int momentum, int signed_lr)
{
	double lr, m;

	lr = lrk_sched_lr(s, k);
	if (isnan(lr) || (!signed_lr && lr < 0))
		abort();
	if (momentum) {
		m = lrk_sched_momentum(s, k);
		if (isnan(m))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lrk_sched *s;
	char err[LRK_ERRSIZE], *spec;
	size_t total, k, far[4];
	long epochs, steps_per_epoch;
	int momentum, replayed, signed_lr, i;

	if (size < 1)
		return 0;
	epochs = 1 + data[0] % 8;
	steps_per_epoch = 1 + data[0] / 8;
	if ((spec = malloc(size)) == NULL)
		return 0;
	memcpy(spec, data + 1, size - 1);
	spec[size - 1] = '\0';
	err[0] = '\0';
	if ((s = lrk_sched_parse_string(spec, err)) == NULL) {
		if (err[0] == '\0')
			abort();	/* a refusal must say why */
		free(spec);
		return 0;
	}
	err[0] = '\0';
	if (lrk_sched_ready(s, err) != 0) {
		if (err[0] == '\0')
			abort();
		err[0] = '\0';
		if (lrk_sched_set_epochs(s, epochs, steps_per_epoch,
		    err) != 0) {
			if (err[0] == '\0')
				abort();
			goto out;
		}
		if (lrk_sched_ready(s, err) != 0)
			abort();	/* set_epochs said yes */
	}
	if ((total = lrk_sched_steps(s)) == 0)
		abort();
	momentum = lrk_sched_has_momentum(s);
	if (momentum != (lrk_sched_no_momentum(s) == NULL))
		abort();
	replayed = strstr(spec, "cos") != NULL || strstr(spec, "Cos") != NULL ||
	    strstr(spec, "fastai") != NULL || strstr(spec, "fit") != NULL;
	signed_lr = strstr(spec, "cos") != NULL ||
	    strstr(spec, "Cos") != NULL || strstr(spec, "exp_range") != NULL;
	if (total <= ALL_STEPS) {
		for (k = 0; k < total; k++)
			check_step(s, k, momentum, signed_lr);
	} else {
		check_step(s, 0, momentum, signed_lr);
		check_step(s, 1, momentum, signed_lr);
		far[0] = total / 2;
		far[1] = total / 2 + 1;
		far[2] = total - 2;
		far[3] = total - 1;
		for (i = 0; i < 4; i++)
			if (!replayed || far[i] <= FAR_REPLAYED)
				check_step(s, far[i], momentum, signed_lr);
	}
	if (!isnan(lrk_sched_lr(s, total)) ||
	    !isnan(lrk_sched_momentum(s, total)))
		abort();
out:
	lrk_sched_free(s);
	free(spec);
	return 0;
}
