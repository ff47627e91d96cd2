/*
 * Learning-rate schedules: the range test and the PyTorch schedulers, one
 * value per optimizer step (tests/golden/README, sections 1 and 2, has
 * the formulas and their anchors).
 *
 * A schedule is written as words, "POLICY key=value ... [then POLICY
 * key=value ...]"; each "then" starts a new schedule at its own step 0 as
 * torch's SequentialLR does.
 *
 * The values are what torch.optim.lr_scheduler computes, operation for
 * operation, so that they agree with it to the last bit or nearly:
 * CyclicLR, OneCycleLR and CosineAnnealingWarmRestarts are closed forms in
 * torch too; StepLR, MultiStepLR, ExponentialLR, LinearLR, ConstantLR and
 * PolynomialLR are recursive ("chainable") in torch, and their closed forms
 * stay within a few ulps of it even after 10^5 steps.  CosineAnnealingLR's
 * recursion drifts from its closed form (4e-11 after 10^5 steps), so it is
 * replayed step by step like torch does; called in order, each value costs
 * O(1).  fastai's fit_one_cycle is ported with its float32 arithmetic.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* No schedule is longer than this: every step number is exact as a double. */
#define MAX_STEPS (1LL << 53)

enum policy {
	POL_RANGE, POL_ONECYCLE, POL_FASTAI, POL_CYCLIC, POL_COSINE,
	POL_RESTARTS, POL_STEP, POL_MULTISTEP, POL_EXP, POL_LINEAR,
	POL_CONSTANT, POL_POLY
};

enum { SPACING_EXP, SPACING_LINEAR };
enum { CONV_ENDPOINT, CONV_FASTAI, CONV_LIGHTNING };
enum { ANNEAL_COS, ANNEAL_LINEAR };
enum { MODE_TRIANGULAR, MODE_TRIANGULAR2, MODE_EXP_RANGE };

/* The replayed state of a recursive schedule: lr at step k. */
struct replay {
	long long	k;
	double		lr;
};

struct segment {
	enum policy	 policy;
	long long	 n;		/* steps; 0 until known */
	long long	 first;		/* global step of its step 0 */
	double		 start, end, max, base, min, pct, div, final_div;
	double		 base_mom, max_mom, gamma, up, down, sf, ef, factor;
	double		 power;
	long long	 T, T0, Tmult, size;
	int		 spacing, convention, anneal, three_phase, mode;
	double		*milestones;	/* sorted */
	size_t		 nmilestones;
	long long	 epochs, steps_per_epoch;	/* fastai's pct_train */
	struct replay	*replay;	/* cosine, fastai: mutable cache */
};

struct lrk_sched {
	struct segment	*seg;
	size_t		 nseg;
	size_t		 total;		/* steps; 0 while an n is unknown */
};

/*
 * The keys.  Each has a canonical name, maybe torch's name as an alias, a
 * kind, where it goes, what values are allowed and its default (as text,
 * parsed like a value given on the command line).
 */
enum kind { K_NUM, K_INT, K_CHOICE, K_LIST };

enum check {
	C_ANY,		/* any finite number */
	C_POS,		/* > 0 */
	C_NONNEG,	/* >= 0 */
	C_UNIT,		/* 0 <= x <= 1 */
	C_FACTOR,	/* 0 < x <= 1 */
	C_INT1,		/* whole number >= 1 */
	C_INT0,		/* whole number >= 0 */
	C_BOOL		/* 0 or 1 */
};

struct keydef {
	const char	*name;
	const char	*alias;
	enum kind	 kind;
	size_t		 offset;
	enum check	 check;
	const char	*defval;	/* NULL: required */
	const char	*choices;	/* K_CHOICE: blank-separated */
};

#define F(field)	offsetof(struct segment, field)
#define N_KEY		{ "n", "total-steps", K_INT, F(n), C_INT1, "", NULL }

static const struct keydef range_keys[] = {
	{ "start", "start-lr", K_NUM, F(start), C_NONNEG, NULL, NULL },
	{ "end", "end-lr", K_NUM, F(end), C_NONNEG, NULL, NULL },
	N_KEY,
	{ "spacing", NULL, K_CHOICE, F(spacing), C_ANY, "exp",
	    "exp linear" },
	{ "convention", NULL, K_CHOICE, F(convention), C_ANY, "endpoint",
	    "endpoint fastai lightning" },
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef onecycle_keys[] = {
	{ "max", "max-lr", K_NUM, F(max), C_POS, NULL, NULL },
	N_KEY,
	{ "pct", "pct-start", K_NUM, F(pct), C_UNIT, "0.3", NULL },
	{ "anneal", "anneal-strategy", K_CHOICE, F(anneal), C_ANY, "cos",
	    "cos linear" },
	{ "div", "div-factor", K_NUM, F(div), C_POS, "25", NULL },
	{ "final-div", "final-div-factor", K_NUM, F(final_div), C_POS, "1e4",
	    NULL },
	{ "three-phase", NULL, K_INT, F(three_phase), C_BOOL, "0", NULL },
	{ "base-mom", "base-momentum", K_NUM, F(base_mom), C_ANY, "0.85",
	    NULL },
	{ "max-mom", "max-momentum", K_NUM, F(max_mom), C_ANY, "0.95", NULL },
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef fastai_keys[] = {
	{ "max", "lr-max", K_NUM, F(max), C_POS, NULL, NULL },
	N_KEY,
	{ "pct", "pct-start", K_NUM, F(pct), C_UNIT, "0.25", NULL },
	{ "div", NULL, K_NUM, F(div), C_POS, "25", NULL },
	{ "final-div", "div-final", K_NUM, F(final_div), C_POS, "1e5", NULL },
	{ "base-mom", NULL, K_NUM, F(base_mom), C_ANY, "0.85", NULL },
	{ "max-mom", NULL, K_NUM, F(max_mom), C_ANY, "0.95", NULL },
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef cyclic_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "max", "max-lr", K_NUM, F(max), C_POS, NULL, NULL },
	{ "up", "step-size-up", K_NUM, F(up), C_POS, NULL, NULL },
	{ "down", "step-size-down", K_NUM, F(down), C_POS, "", NULL },
	{ "mode", NULL, K_CHOICE, F(mode), C_ANY, "triangular",
	    "triangular triangular2 exp_range" },
	{ "gamma", NULL, K_NUM, F(gamma), C_POS, "1", NULL },
	{ "base-mom", "base-momentum", K_NUM, F(base_mom), C_ANY, "0.8",
	    NULL },
	{ "max-mom", "max-momentum", K_NUM, F(max_mom), C_ANY, "0.9", NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef cosine_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "T", "T-max", K_INT, F(T), C_INT1, NULL, NULL },
	{ "min", "eta-min", K_NUM, F(min), C_NONNEG, "0", NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef restarts_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "T0", "T-0", K_INT, F(T0), C_INT1, NULL, NULL },
	{ "Tmult", "T-mult", K_INT, F(Tmult), C_INT1, "1", NULL },
	{ "min", "eta-min", K_NUM, F(min), C_NONNEG, "0", NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef step_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "size", "step-size", K_INT, F(size), C_INT1, NULL, NULL },
	{ "gamma", NULL, K_NUM, F(gamma), C_POS, "0.1", NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef multistep_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "milestones", NULL, K_LIST, F(milestones), C_INT0, NULL, NULL },
	{ "gamma", NULL, K_NUM, F(gamma), C_POS, "0.1", NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef exp_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "gamma", NULL, K_NUM, F(gamma), C_POS, NULL, NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

/* torch's default factor, 1.0 / 3, printed to round-trip. */
#define ONE_THIRD "0.3333333333333333"

static const struct keydef linear_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "start-factor", NULL, K_NUM, F(sf), C_FACTOR, ONE_THIRD, NULL },
	{ "end-factor", NULL, K_NUM, F(ef), C_UNIT, "1", NULL },
	{ "T", "total-iters", K_INT, F(T), C_INT1, "5", NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef constant_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "factor", NULL, K_NUM, F(factor), C_FACTOR, ONE_THIRD, NULL },
	{ "T", "total-iters", K_INT, F(T), C_INT1, "5", NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

static const struct keydef poly_keys[] = {
	{ "base", "base-lr", K_NUM, F(base), C_POS, NULL, NULL },
	{ "T", "total-iters", K_INT, F(T), C_INT1, "5", NULL },
	{ "power", NULL, K_NUM, F(power), C_NONNEG, "1", NULL },
	N_KEY,
	{ NULL, NULL, 0, 0, 0, NULL, NULL }
};

struct policydef {
	const char		*name;
	const char		*aliases;	/* blank-separated, or NULL */
	enum policy		 policy;
	const struct keydef	*keys;
	int			 momentum;
	long long		 min_steps;
};

static const struct policydef policies[] = {
	{ "range", "lr-range lrfind", POL_RANGE, range_keys, 0, 2 },
	{ "onecycle", "one-cycle 1cycle OneCycleLR", POL_ONECYCLE,
	    onecycle_keys, 1, 1 },
	{ "fastai-onecycle", "fit-one-cycle fit_one_cycle", POL_FASTAI,
	    fastai_keys, 1, 1 },
	{ "cyclic", "clr CyclicLR", POL_CYCLIC, cyclic_keys, 1, 1 },
	{ "cosine", "cos CosineAnnealingLR", POL_COSINE, cosine_keys, 0, 1 },
	{ "cosine-restarts", "sgdr CosineAnnealingWarmRestarts",
	    POL_RESTARTS, restarts_keys, 0, 1 },
	{ "step", "StepLR", POL_STEP, step_keys, 0, 1 },
	{ "multistep", "MultiStepLR", POL_MULTISTEP, multistep_keys, 0, 1 },
	{ "exp", "exponential ExponentialLR", POL_EXP, exp_keys, 0, 1 },
	{ "linear", "LinearLR", POL_LINEAR, linear_keys, 0, 1 },
	{ "constant", "ConstantLR", POL_CONSTANT, constant_keys, 0, 1 },
	{ "poly", "polynomial PolynomialLR", POL_POLY, poly_keys, 0, 1 },
	{ NULL, NULL, 0, NULL, 0, 0 }
};

static const struct policydef *
policy_def(enum policy p)
{
	const struct policydef *d;

	for (d = policies; d->name != NULL; d++)
		if (d->policy == p)
			break;
	return d;
}

/* Is word one of the blank-separated names in list? */
static int
in_list(const char *list, const char *word, size_t len)
{
	const char *p, *e;

	if (list == NULL)
		return 0;
	for (p = list; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ' ');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == len && strncmp(p, word, len) == 0)
			return 1;
	}
	return 0;
}

/* The index of word in a choice list, or -1. */
static int
choice_index(const char *list, const char *word)
{
	const char *p, *e;
	size_t len = strlen(word);
	int i;

	for (i = 0, p = list; *p != '\0'; i++, p = *e ? e + 1 : e) {
		e = strchr(p, ' ');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == len && strncmp(p, word, len) == 0)
			return i;
	}
	return -1;
}

static const struct policydef *
find_policy(const char *word)
{
	const struct policydef *d;
	size_t len = strlen(word);

	for (d = policies; d->name != NULL; d++)
		if (strcmp(d->name, word) == 0 || in_list(d->aliases, word, len))
			return d;
	return NULL;
}

/*
 * The key named by the len bytes at name: the canonical name or torch's,
 * with '_' and '-' the same.
 */
static const struct keydef *
find_key(const struct keydef *keys, const char *name, size_t len)
{
	const struct keydef *k;
	const char *cand;
	size_t i;
	int pass;

	for (k = keys; k->name != NULL; k++)
		for (pass = 0; pass < 2; pass++) {
			cand = pass ? k->alias : k->name;
			if (cand == NULL || strlen(cand) != len)
				continue;
			for (i = 0; i < len; i++)
				if (cand[i] != name[i] && !(cand[i] == '-' &&
				    name[i] == '_'))
					break;
			if (i == len)
				return k;
		}
	return NULL;
}

/*
 * A word of the user's quoted in a message: control bytes and bytes that
 * are not UTF-8 as \xNN, cut after LRK_SHOW_BYTES bytes, so that an
 * argument cannot drive the terminal the message goes to.
 */
static const char *
show(char *buf, const char *s)
{
	return lrk_show(buf, s, strlen(s));
}

/*
 * A whole number in [0, MAX_STEPS]: the number, -1 if s is not a whole
 * number >= 0, -2 if it is too large.
 */
static long long
parse_whole(const char *s)
{
	char *end;
	long long v;
	double x;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end != s && *end == '\0' && (errno == 0 || v > 0))
		return v < 0 ? -1 : errno != 0 || v > MAX_STEPS ? -2 : v;
	/* "1e3" is a whole number too. */
	if (lrk_num_parse(s, strlen(s), &x) != LRK_NUM_OK || !isfinite(x) ||
	    x != floor(x) || x < 0)
		return -1;
	return x > (double)MAX_STEPS ? -2 : (long long)x;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Set one key of seg from its text.  An empty default means "unset" (n,
 * down).  Returns 0, or -1 with err filled.
 */
static int
set_key(struct segment *seg, const char *pname, const struct keydef *k,
    const char *value, char *err)
{
	char *base = (char *)seg + k->offset, shown[LRK_SHOWSIZE];
	double x, *list;
	size_t count, i;
	long long v;
	int c;

	if (value[0] == '\0' && k->defval != NULL && k->defval[0] == '\0')
		return 0;	/* unset until later */
	show(shown, value);
	switch (k->kind) {
	case K_CHOICE:
		if ((c = choice_index(k->choices, value)) < 0) {
			snprintf(err, LRK_ERRSIZE, "%s: %s: \"%s\": must be "
			    "one of: %s", pname, k->name, shown, k->choices);
			return -1;
		}
		*(int *)base = c;
		return 0;
	case K_LIST:
		if (lrk_num_parse_list(value, &list, &count) != 0) {
			snprintf(err, LRK_ERRSIZE, "%s: %s: \"%s\" is not a "
			    "list of numbers", pname, k->name, shown);
			return -1;
		}
		for (i = 0; i < count; i++)
			if (list[i] < 0 || list[i] != floor(list[i]) ||
			    list[i] > (double)MAX_STEPS) {
				snprintf(err, LRK_ERRSIZE, "%s: %s: \"%s\": "
				    "steps must be whole numbers >= 0", pname,
				    k->name, shown);
				free(list);
				return -1;
			}
		qsort(list, count, sizeof(*list), cmp_double);
		free(seg->milestones);
		seg->milestones = list;
		seg->nmilestones = count;
		return 0;
	case K_INT:
		if ((v = parse_whole(value)) == -2) {
			snprintf(err, LRK_ERRSIZE, "%s: %s: %s: must be at most "
			    "%lld", pname, k->name, shown, MAX_STEPS);
			return -1;
		}
		if (v < 0) {
			snprintf(err, LRK_ERRSIZE, "%s: %s: \"%s\" is not a "
			    "whole number", pname, k->name, shown);
			return -1;
		}
		if ((k->check == C_INT1 && v < 1) ||
		    (k->check == C_BOOL && v > 1)) {
			snprintf(err, LRK_ERRSIZE, "%s: %s: %s: must be %s",
			    pname, k->name, shown, k->check == C_BOOL ?
			    "0 or 1" : "a positive whole number");
			return -1;
		}
		if (k->check == C_BOOL)
			*(int *)base = (int)v;
		else
			*(long long *)base = v;
		return 0;
	case K_NUM:
		if (lrk_num_parse(value, strlen(value), &x) != LRK_NUM_OK ||
		    !isfinite(x)) {
			snprintf(err, LRK_ERRSIZE, "%s: %s: \"%s\" is not a "
			    "number", pname, k->name, shown);
			return -1;
		}
		if ((k->check == C_POS && !(x > 0)) ||
		    (k->check == C_NONNEG && !(x >= 0)) ||
		    (k->check == C_UNIT && !(x >= 0 && x <= 1)) ||
		    (k->check == C_FACTOR && !(x > 0 && x <= 1))) {
			snprintf(err, LRK_ERRSIZE, "%s: %s: %s: must be %s",
			    pname, k->name, shown,
			    k->check == C_POS ? "greater than 0" :
			    k->check == C_NONNEG ? "at least 0" :
			    k->check == C_UNIT ? "between 0 and 1" :
			    "greater than 0 and at most 1");
			return -1;
		}
		*(double *)base = x;
		return 0;
	}
	return 0;
}

static void
free_segment(struct segment *seg)
{
	free(seg->milestones);
	free(seg->replay);
}

void
lrk_sched_free(struct lrk_sched *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nseg; i++)
		free_segment(&s->seg[i]);
	free(s->seg);
	free(s);
}

/* The checks that involve more than one key.  Returns 0 or -1 with err. */
static int
check_segment(struct segment *seg, const struct policydef *d, char *err)
{
	if (seg->n != 0 && seg->n < d->min_steps) {
		snprintf(err, LRK_ERRSIZE, "%s: n: %lld: must be at least "
		    "%lld", d->name, seg->n, d->min_steps);
		return -1;
	}
	switch (seg->policy) {
	case POL_RANGE:
		if (seg->spacing == SPACING_EXP && !(seg->start > 0)) {
			snprintf(err, LRK_ERRSIZE, "range: start: must be "
			    "greater than 0 with spacing=exp");
			return -1;
		}
		if (seg->spacing == SPACING_EXP && !(seg->end > 0)) {
			snprintf(err, LRK_ERRSIZE, "range: end: must be "
			    "greater than 0 with spacing=exp");
			return -1;
		}
		break;
	case POL_ONECYCLE:
		/* torch divides 0 by 0 when the warm-up ends at step 0. */
		if (seg->n != 0 && seg->pct * (double)seg->n - 1 == 0) {
			snprintf(err, LRK_ERRSIZE, "onecycle: pct: pct*n is 1: "
			    "the warm-up phase is empty");
			return -1;
		}
		break;
	case POL_CYCLIC:
		if (seg->down == 0)
			seg->down = seg->up;
		/*
		 * exp_range scales by gamma**step, a Python float power that
		 * raises OverflowError in torch; here it would be inf, and
		 * inf times a zero height NaN.
		 */
		if (seg->mode == MODE_EXP_RANGE && seg->n != 0 &&
		    isinf(pow(seg->gamma, (double)(seg->n - 1)))) {
			snprintf(err, LRK_ERRSIZE, "cyclic: gamma: gamma^%lld, "
			    "the last step's scale, overflows (torch raises "
			    "OverflowError)", seg->n - 1);
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Parse one schedule, words[0] being its policy, up to "then" or the end.
 * Returns the number of words used, or -1 with err filled.
 */
static int
parse_segment(struct segment *seg, int nwords, char *const words[],
    char *err)
{
	const struct policydef *d;
	const struct keydef *k;
	unsigned char given[32];
	char shown[LRK_SHOWSIZE];
	const char *eq;
	int i, j;

	memset(seg, 0, sizeof(*seg));
	if ((d = find_policy(words[0])) == NULL) {
		if (strchr(words[0], '=') != NULL)
			snprintf(err, LRK_ERRSIZE, "\"%s\": a policy must come "
			    "before its keys", show(shown, words[0]));
		else
			snprintf(err, LRK_ERRSIZE, "unknown policy \"%s\"",
			    show(shown, words[0]));
		return -1;
	}
	seg->policy = d->policy;
	memset(given, 0, sizeof(given));
	for (i = 1; i < nwords && strcmp(words[i], "then") != 0; i++) {
		if ((eq = strchr(words[i], '=')) == NULL) {
			if (find_policy(words[i]) != NULL)
				snprintf(err, LRK_ERRSIZE, "%s: \"%s\": put "
				    "\"then\" between two schedules", d->name,
				    show(shown, words[i]));
			else
				snprintf(err, LRK_ERRSIZE, "%s: \"%s\": expected "
				    "key=value", d->name, show(shown, words[i]));
			return -1;
		}
		if ((k = find_key(d->keys, words[i],
		    (size_t)(eq - words[i]))) == NULL) {
			snprintf(err, LRK_ERRSIZE, "%s: unknown key \"%s\"",
			    d->name, lrk_show(shown, words[i],
			    (size_t)(eq - words[i])));
			return -1;
		}
		if (given[k - d->keys]) {
			snprintf(err, LRK_ERRSIZE, "%s: %s: given twice",
			    d->name, k->name);
			return -1;
		}
		given[k - d->keys] = 1;
		if (eq[1] == '\0') {
			snprintf(err, LRK_ERRSIZE, "%s: %s: the value is empty",
			    d->name, k->name);
			return -1;
		}
		if (set_key(seg, d->name, k, eq + 1, err) != 0)
			return -1;
	}
	for (j = 0, k = d->keys; k->name != NULL; j++, k++) {
		if (given[j])
			continue;
		if (k->defval == NULL) {
			snprintf(err, LRK_ERRSIZE, "%s: missing %s=", d->name,
			    k->name);
			return -1;
		}
		if (set_key(seg, d->name, k, k->defval, err) != 0)
			return -1;
	}
	if (check_segment(seg, d, err) != 0)
		return -1;
	if (seg->policy == POL_COSINE || seg->policy == POL_FASTAI) {
		if ((seg->replay = malloc(sizeof(*seg->replay))) == NULL) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			return -1;
		}
		seg->replay->k = -1;
	}
	seg->epochs = 1;
	seg->steps_per_epoch = seg->n;
	return i;
}

/* Number the segments' steps one after the other. */
static void
place_segments(struct lrk_sched *s)
{
	long long first = 0;
	size_t i;

	s->total = 0;
	for (i = 0; i < s->nseg; i++) {
		if (s->seg[i].n == 0)
			return;
		s->seg[i].first = first;
		first += s->seg[i].n;
		if (first > MAX_STEPS)
			return;
	}
	if ((unsigned long long)first <= SIZE_MAX)
		s->total = (size_t)first;
}

struct lrk_sched *
lrk_sched_parse(int nwords, char *const words[], char *err)
{
	struct lrk_sched *s;
	struct segment *grown;
	size_t cap = 0;
	int i, used;

	if (nwords <= 0) {
		snprintf(err, LRK_ERRSIZE, "no schedule given");
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	for (i = 0;;) {
		if (s->nseg == cap) {
			cap = cap ? 2 * cap : 4;
			if ((grown = realloc(s->seg, cap *
			    sizeof(*grown))) == NULL) {
				snprintf(err, LRK_ERRSIZE, "out of memory");
				goto fail;
			}
			s->seg = grown;
		}
		if (strcmp(words[i], "then") == 0) {
			snprintf(err, LRK_ERRSIZE, s->nseg == 0 ?
			    "\"then\" must come after a schedule" :
			    "\"then\" twice in a row");
			goto fail;
		}
		used = parse_segment(&s->seg[s->nseg], nwords - i, words + i,
		    err);
		if (used < 0) {
			free_segment(&s->seg[s->nseg]);
			goto fail;
		}
		s->nseg++;
		i += used;
		if (i == nwords)
			break;
		/* words[i] is "then". */
		if (++i == nwords) {
			snprintf(err, LRK_ERRSIZE, "\"then\" with no schedule "
			    "after it");
			goto fail;
		}
	}
	place_segments(s);
	return s;
fail:
	lrk_sched_free(s);
	return NULL;
}

struct lrk_sched *
lrk_sched_parse_string(const char *spec, char *err)
{
	struct lrk_sched *s;
	char *copy, **words, *p;
	size_t cap, n = 0;

	if ((copy = strdup(spec)) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	cap = strlen(spec) / 2 + 1;
	if ((words = calloc(cap, sizeof(*words))) == NULL) {
		free(copy);
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	for (p = strtok(copy, " \t\n"); p != NULL; p = strtok(NULL, " \t\n"))
		words[n++] = p;
	s = lrk_sched_parse((int)n, words, err);
	free(words);
	free(copy);
	return s;
}

/*
 * --epochs E --steps-per-epoch S, as torch's OneCycleLR takes them: the
 * whole schedule has E*S steps, and the one schedule given without n=
 * gets what the others leave.  fastai's preset also counts its progress
 * per epoch as fastai does.
 */
int
lrk_sched_set_epochs(struct lrk_sched *s, long epochs, long steps_per_epoch,
    char *err)
{
	struct segment *open = NULL;
	long long total, others = 0;
	size_t i;

	if (epochs < 1 || steps_per_epoch < 1) {
		snprintf(err, LRK_ERRSIZE, "%s must be at least 1",
		    epochs < 1 ? "epochs" : "steps per epoch");
		return -1;
	}
	if ((long long)epochs > MAX_STEPS / steps_per_epoch) {
		snprintf(err, LRK_ERRSIZE, "epochs times steps per epoch is "
		    "too large");
		return -1;
	}
	total = (long long)epochs * steps_per_epoch;
	for (i = 0; i < s->nseg; i++) {
		if (s->seg[i].n != 0) {
			others += s->seg[i].n;
			continue;
		}
		if (open != NULL) {
			snprintf(err, LRK_ERRSIZE, "only one schedule may "
			    "go without n=");
			return -1;
		}
		open = &s->seg[i];
	}
	if (open == NULL) {
		snprintf(err, LRK_ERRSIZE, "every schedule has n= already");
		return -1;
	}
	if (total - others < policy_def(open->policy)->min_steps) {
		snprintf(err, LRK_ERRSIZE, "%lld steps in all leave %lld for "
		    "%s after the other schedules' %lld", total,
		    total - others, policy_def(open->policy)->name, others);
		return -1;
	}
	open->n = total - others;
	if (s->nseg == 1) {
		open->epochs = epochs;
		open->steps_per_epoch = steps_per_epoch;
	} else
		open->steps_per_epoch = open->n;
	if (check_segment(open, policy_def(open->policy), err) != 0) {
		open->n = 0;
		return -1;
	}
	place_segments(s);
	return 0;
}

/* Every schedule's length is known: 0, or -1 with err naming the missing n. */
int
lrk_sched_ready(const struct lrk_sched *s, char *err)
{
	size_t i;

	for (i = 0; i < s->nseg; i++)
		if (s->seg[i].n == 0) {
			snprintf(err, LRK_ERRSIZE, "%s: missing n= (or give "
			    "epochs and steps per epoch)",
			    policy_def(s->seg[i].policy)->name);
			return -1;
		}
	return 0;
}

size_t
lrk_sched_steps(const struct lrk_sched *s)
{
	return s->total;
}

int
lrk_sched_has_momentum(const struct lrk_sched *s)
{
	size_t i;

	for (i = 0; i < s->nseg; i++)
		if (!policy_def(s->seg[i].policy)->momentum)
			return 0;
	return 1;
}

/* The first schedule without momentum, for the message; NULL if none. */
const char *
lrk_sched_no_momentum(const struct lrk_sched *s)
{
	size_t i;

	for (i = 0; i < s->nseg; i++)
		if (!policy_def(s->seg[i].policy)->momentum)
			return policy_def(s->seg[i].policy)->name;
	return NULL;
}

/*
 * Can the schedule give a momentum for every step (lrsched -m, the
 * momentum column sweep-run feeds when asked)?  0, or -1 with err naming
 * the first policy that has none and those that have one.
 */
int
lrk_sched_check_momentum(const struct lrk_sched *s, char *err)
{
	const char *missing;

	if ((missing = lrk_sched_no_momentum(s)) == NULL)
		return 0;
	snprintf(err, LRK_ERRSIZE, "%s has no momentum (onecycle, cyclic and "
	    "fastai-onecycle have)", missing);
	return -1;
}

/* The segment holding global step k (k < total), by bisection. */
static const struct segment *
segment_of(const struct lrk_sched *s, long long k)
{
	size_t lo = 0, hi = s->nseg, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (s->seg[mid].first <= k)
			lo = mid;
		else
			hi = mid;
	}
	return &s->seg[lo];
}

/* The three conventions of the range test (tests/golden/README, 1). */
static double
range_lr(const struct segment *g, long long k)
{
	double r, ratio;

	switch (g->convention) {
	case CONV_FASTAI:
		r = (double)k / (double)g->n;
		break;
	case CONV_LIGHTNING:
		if (k == 0)
			return g->start;
		r = (double)(k + 1) / (double)g->n;
		break;
	default:
		r = (double)k / (double)(g->n - 1);
		break;
	}
	if (g->spacing == SPACING_LINEAR)
		return g->start + r * (g->end - g->start);
	ratio = g->end / g->start;
	/*
	 * end/start beyond a double (1e-300 to 1e300, or back): in logs,
	 * the ends exact.
	 */
	if (!isnormal(ratio))
		return r == 0 ? g->start : r == 1 ? g->end :
		    exp(log(g->start) + r * (log(g->end) - log(g->start)));
	return g->start * pow(ratio, r);
}

/* torch's OneCycleLR._annealing_cos and _annealing_linear. */
static double
anneal(int how, double start, double end, double pct)
{
	if (how == ANNEAL_LINEAR)
		return (end - start) * pct + start;
	return end + (start - end) / 2.0 * (cos(M_PI * pct) + 1);
}

/*
 * OneCycleLR.get_lr: the phase ends are (float) step numbers; the last
 * phase takes every step past the others.
 */
static double
onecycle_value(const struct segment *g, long long k, int momentum)
{
	double initial = g->max / g->div, min = initial / g->final_div;
	double ends[3], from[3], to[3], mfrom[3], mto[3], start = 0, pct;
	int i, nphase;

	ends[0] = g->pct * (double)g->n - 1;
	from[0] = initial, to[0] = g->max;
	mfrom[0] = g->max_mom, mto[0] = g->base_mom;
	if (g->three_phase) {
		ends[1] = 2 * g->pct * (double)g->n - 2;
		from[1] = g->max, to[1] = initial;
		mfrom[1] = g->base_mom, mto[1] = g->max_mom;
		ends[2] = (double)(g->n - 1);
		from[2] = initial, to[2] = min;
		mfrom[2] = g->max_mom, mto[2] = g->max_mom;
		nphase = 3;
	} else {
		ends[1] = (double)(g->n - 1);
		from[1] = g->max, to[1] = min;
		mfrom[1] = g->base_mom, mto[1] = g->max_mom;
		nphase = 2;
	}
	for (i = 0; i < nphase; i++) {
		if ((double)k <= ends[i] || i == nphase - 1)
			break;
		start = ends[i];
	}
	pct = ((double)k - start) / (ends[i] - start);
	if (momentum)
		return anneal(g->anneal, mfrom[i], mto[i], pct);
	return anneal(g->anneal, from[i], to[i], pct);
}

/* CyclicLR.get_lr (and its momentum). */
static double
cyclic_value(const struct segment *g, long long k, int momentum)
{
	double total = g->up + g->down, ratio = g->up / total;
	double cycle, x, scale, f, height;

	cycle = floor(1 + (double)k / total);
	x = 1. + (double)k / total - cycle;
	if (x <= ratio)
		scale = x / ratio;
	else
		scale = (x - 1) / (ratio - 1);
	switch (g->mode) {
	case MODE_TRIANGULAR2:
		f = 1 / pow(2., cycle - 1);
		break;
	case MODE_EXP_RANGE:
		f = pow(g->gamma, (double)k);
		break;
	default:
		f = 1.;
		break;
	}
	if (momentum) {
		height = (g->max_mom - g->base_mom) * scale;
		return g->max_mom - height * f;
	}
	height = (g->max - g->base) * scale;
	return g->base + height * f;
}

/*
 * CosineAnnealingLR, replayed as torch steps it: lr(0) = base, then each
 * step scales the distance to eta_min by a ratio of cosines, except the
 * step after each minimum, which adds a fixed amount.
 */
static double
cosine_lr(const struct segment *g, long long k)
{
	struct replay *r = g->replay;
	double lr, den;
	long long j, T = g->T;

	if (r->k < 0 || r->k > k) {
		r->k = 0;
		r->lr = g->base;
	}
	lr = r->lr;
	for (j = r->k + 1; j <= k; j++) {
		if (j - 1 >= T && (j - 1 - T) % (2 * T) == 0) {
			lr = lr + (g->base - g->min) *
			    (1 - cos(M_PI / (double)T)) / 2;
			continue;
		}
		den = 1 + cos(M_PI * (double)(j - 1) / (double)T);
		if (den == 0)	/* torch divides by zero; take the formula */
			lr = g->min + (g->base - g->min) *
			    (1 + cos(M_PI * (double)j / (double)T)) / 2;
		else
			lr = (1 + cos(M_PI * (double)j / (double)T)) / den *
			    (lr - g->min) + g->min;
	}
	r->k = k;
	r->lr = lr;
	return lr;
}

/* CosineAnnealingWarmRestarts: T_cur and T_i after k steps. */
static double
restarts_lr(const struct segment *g, long long k)
{
	double t_i = (double)g->T0;
	long long t_cur;

	if (g->Tmult == 1)
		t_cur = k % g->T0;
	else {
		t_cur = k;
		while ((double)t_cur >= t_i) {
			t_cur -= (long long)t_i;
			t_i *= (double)g->Tmult;
		}
	}
	return g->min + (g->base - g->min) *
	    (1 + cos(M_PI * (double)t_cur / t_i)) / 2;
}

/* fastai's sched_cos. */
static double
fastai_cos(double start, double end, double pos)
{
	return start + (1 + cos(M_PI * (1 - pos))) * (end - start) / 2;
}

/*
 * fastai's fit_one_cycle: pct_train starts each epoch at epoch/n_epoch
 * and grows by 1/(n_iter*n_epoch) per batch; combine_scheds compares and
 * subtracts it in float32 (its phase bounds are a float32 tensor).
 */
static double
fastai_value(const struct segment *g, long long k, int momentum)
{
	struct replay *r = g->replay;
	long long epoch = k / g->steps_per_epoch, j;
	double pos, inc = 1. / (double)(g->steps_per_epoch * g->epochs);
	float posf, bounds[3], actual;
	int idx;

	if (r->k >= 0 && r->k <= k && r->k / g->steps_per_epoch == epoch) {
		j = r->k;
		pos = r->lr;
	} else {
		j = epoch * g->steps_per_epoch;
		pos = (double)epoch / (double)g->epochs;
	}
	for (; j < k; j++)
		pos += inc;
	r->k = k;
	r->lr = pos;

	bounds[0] = 0;
	bounds[1] = (float)g->pct;
	bounds[2] = bounds[1] + (float)(1 - g->pct);
	posf = (float)pos;
	idx = posf >= bounds[1] ? 1 : 0;
	actual = (posf - bounds[idx]) / (bounds[idx + 1] - bounds[idx]);
	if (momentum)
		return idx == 0 ? fastai_cos(g->max_mom, g->base_mom, actual) :
		    fastai_cos(g->base_mom, g->max_mom, actual);
	return idx == 0 ? fastai_cos(g->max / g->div, g->max, actual) :
	    fastai_cos(g->max, g->max / g->final_div, actual);
}

/* The number of milestones <= k (a repeated one counts twice). */
static size_t
milestones_passed(const struct segment *g, long long k)
{
	size_t lo = 0, hi = g->nmilestones, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->milestones[mid] <= (double)k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static double
segment_lr(const struct segment *g, long long k)
{
	double t;

	switch (g->policy) {
	case POL_RANGE:
		return range_lr(g, k);
	case POL_ONECYCLE:
		return onecycle_value(g, k, 0);
	case POL_FASTAI:
		return fastai_value(g, k, 0);
	case POL_CYCLIC:
		return cyclic_value(g, k, 0);
	case POL_COSINE:
		return cosine_lr(g, k);
	case POL_RESTARTS:
		return restarts_lr(g, k);
	case POL_STEP:
		return g->base * pow(g->gamma, (double)(k / g->size));
	case POL_MULTISTEP:
		return g->base * pow(g->gamma,
		    (double)milestones_passed(g, k));
	case POL_EXP:
		return g->base * pow(g->gamma, (double)k);
	case POL_LINEAR:
		t = (double)(k < g->T ? k : g->T);
		return g->base * (g->sf + (g->ef - g->sf) * t / (double)g->T);
	case POL_CONSTANT:
		return g->base * (g->factor + (k >= g->T) * (1 - g->factor));
	case POL_POLY:
		t = (double)(k < g->T ? k : g->T);
		return g->base * pow(1.0 - t / (double)g->T, g->power);
	}
	return NAN;
}

double
lrk_sched_lr(const struct lrk_sched *s, size_t k)
{
	const struct segment *g;

	if (k >= s->total)
		return NAN;
	g = segment_of(s, (long long)k);
	return segment_lr(g, (long long)k - g->first);
}

double
lrk_sched_momentum(const struct lrk_sched *s, size_t k)
{
	const struct segment *g;
	long long j;

	if (k >= s->total)
		return NAN;
	g = segment_of(s, (long long)k);
	j = (long long)k - g->first;
	switch (g->policy) {
	case POL_ONECYCLE:
		return onecycle_value(g, j, 1);
	case POL_FASTAI:
		return fastai_value(g, j, 1);
	case POL_CYCLIC:
		return cyclic_value(g, j, 1);
	default:
		return NAN;
	}
}

/* Is name (len bytes, _ for -, as find_key takes it) the key count? */
static int
same_key(const char *count, const char *name, size_t len)
{
	size_t i;

	if (strlen(count) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (count[i] != name[i] && !(count[i] == '-' && name[i] == '_'))
			return 0;
	return 1;
}

/*
 * The same schedule over fraction (0 < fraction <= 1) of its steps:
 * every key that counts steps (n, T, T0, size, up, down, milestones, and
 * their long names) times fraction, rounded to the nearest whole step and
 * at least 1 (n at least 2), so that the shape is the schedule's,
 * shortened.  A new string (free it), or NULL with err: a word that is
 * not key=value where a step count is expected is left as it is for
 * lrk_sched_parse to judge.
 */
char *
lrk_sched_scale(const char *spec, double fraction, char *err)
{
	static const char *const counts[] = { "n", "total-steps", "T",
	    "T-max", "total-iters", "T0", "T-0", "size", "step-size", "up",
	    "step-size-up", "down", "step-size-down", "milestones", NULL };
	struct lrk_buf b = { 0 };
	const char *p = spec, *word, *eq, *v;
	char num[32], *end;
	size_t len, i;
	double x;
	int first;

	if (!(fraction > 0 && fraction <= 1)) {
		snprintf(err, LRK_ERRSIZE, "%g: a fraction of the schedule "
		    "must be above 0 and at most 1", fraction);
		return NULL;
	}
	while (*p != '\0') {
		len = strspn(p, " \t\n");
		lrk_buf_add(&b, p, len);
		p += len;
		word = p;
		len = strcspn(p, " \t\n");
		p += len;
		eq = memchr(word, '=', len);
		for (i = 0; eq != NULL && counts[i] != NULL; i++)
			if (same_key(counts[i], word, (size_t)(eq - word)))
				break;
		if (eq == NULL || counts[i] == NULL) {
			lrk_buf_add(&b, word, len);
			continue;
		}
		lrk_buf_add(&b, word, (size_t)(eq - word) + 1);
		/* Each number of the value (milestones=a,b,c). */
		for (v = eq + 1, first = 1; v < word + len; first = 0) {
			if (!first)
				lrk_buf_char(&b, ',');
			x = strtod(v, &end);
			if (end == v || end > word + len ||
			    (end < word + len && *end != ',')) {
				lrk_buf_add(&b, v, (size_t)(word + len - v));
				break;
			}
			x = floor(x * fraction + 0.5);
			if (x < (i < 2 ? 2 : 1))
				x = i < 2 ? 2 : 1;
			snprintf(num, sizeof(num), "%.0f", x);
			lrk_buf_str(&b, num);
			v = end + (end < word + len);
		}
	}
	lrk_buf_char(&b, '\0');
	if (b.failed) {
		lrk_buf_free(&b);
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	return b.data;
}
