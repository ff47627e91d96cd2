/*
 * mlp-train: a small training loop that speaks the sweep-run child protocol.
 *
 * It reads a schedule on standard input, one optimizer step per row (CSV
 * "step,lr" with a header, an optional "momentum" column, or one bare lr
 * per line), trains a one-hidden-layer perceptron on one mini-batch per row
 * and prints that batch's loss (mean cross-entropy, or with --loss mse the
 * mean squared error, computed before the update, as fastai records it) on
 * its own line, flushed at once.  Nothing else goes to standard output.
 * With --conv N a convolutional layer comes first: N 3x3 filters over the
 * features read as a square image, ReLU, 2x2 max pooling.
 *
 * The data is a CSV table of numeric features with the class label (an
 * integer from 0) in the last column, or with --loss mse a numeric target;
 * by default the UCI digits bundled in data/digits.csv.gz next to the
 * program.  A fixed fifth of the rows, the same whatever --seed says, is
 * held out; --val-out writes the loss on it to a file, --print-val prints
 * it when the schedule ends, as the final row of CSV under loss,val_loss
 * (the child protocol's final evaluation).
 *
 * Only libc and libm: the gzip file is read through gzip -dc.
 */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LRKIT_VERSION
#define LRKIT_VERSION "0.1.0"
#endif

#define SPLIT_SEED	0x6c726b6974ULL	/* the held-out split never moves */

extern char **environ;

static const char *progname = "mlp-train";

static const char usage_text[] =
    "usage: mlp-train [--bare] [--batch-size N] [--conv N] [--data FILE]\n"
    "                 [--hidden N] [--loss ce|mse] [--momentum M]\n"
    "                 [--optimizer sgd|adam] [--print-val] [--seed N]\n"
    "                 [--val-frac F] [--val-out FILE] [--wd W]\n";

static const char help_text[] =
    "Train a one-hidden-layer MLP, one mini-batch per schedule row read on\n"
    "stdin (step,lr CSV or one lr per line); print each batch's loss.\n"
    "A momentum column (sweep-run feeds 1cycle's) sets each step's momentum.\n"
    "\n"
    "      --bare           stdin has one lr per line (detected otherwise)\n"
    "      --batch-size N   rows per mini-batch (default 64)\n"
    "      --conv N         first a layer of N 3x3 filters over the features\n"
    "                       as a square image, ReLU, 2x2 max pooling\n"
    "      --data FILE      CSV, label in the last column (default: the\n"
    "                       bundled data/digits.csv.gz)\n"
    "      --hidden N       hidden units; 0 is softmax regression (default 64)\n"
    "      --loss L         ce: cross-entropy on a class label (default);\n"
    "                       mse: squared error on a numeric target,\n"
    "                       standardized like the features\n"
    "      --momentum M     SGD momentum, Adam beta1, where the schedule has\n"
    "                       no momentum column (default 0.9)\n"
    "      --optimizer O    sgd (default) or adam\n"
    "      --print-val      print CSV under loss,val_loss: each batch's loss,\n"
    "                       then after the schedule the held-out loss\n"
    "      --seed N         initial weights and batch order (default 0)\n"
    "      --val-frac F     held-out fraction (default 0.2)\n"
    "      --val-out FILE   write the final held-out loss to FILE\n"
    "      --wd W           L2 weight decay added to the gradient (default 0)\n"
    "      --help, --version\n";

enum {
	OPT_BARE = 256, OPT_BATCH, OPT_CONV, OPT_DATA, OPT_HIDDEN, OPT_LOSS,
	OPT_MOMENTUM, OPT_OPTIMIZER, OPT_PRINT_VAL, OPT_SEED, OPT_VAL_FRAC,
	OPT_VAL_OUT, OPT_WD, OPT_HELP,
	OPT_VERSION
};

static const struct option longopts[] = {
	{ "bare",	no_argument,		NULL,	OPT_BARE },
	{ "batch-size",	required_argument,	NULL,	OPT_BATCH },
	{ "conv",	required_argument,	NULL,	OPT_CONV },
	{ "data",	required_argument,	NULL,	OPT_DATA },
	{ "help",	no_argument,		NULL,	OPT_HELP },
	{ "hidden",	required_argument,	NULL,	OPT_HIDDEN },
	{ "loss",	required_argument,	NULL,	OPT_LOSS },
	{ "momentum",	required_argument,	NULL,	OPT_MOMENTUM },
	{ "optimizer",	required_argument,	NULL,	OPT_OPTIMIZER },
	{ "print-val",	no_argument,		NULL,	OPT_PRINT_VAL },
	{ "seed",	required_argument,	NULL,	OPT_SEED },
	{ "val-frac",	required_argument,	NULL,	OPT_VAL_FRAC },
	{ "val-out",	required_argument,	NULL,	OPT_VAL_OUT },
	{ "version",	no_argument,		NULL,	OPT_VERSION },
	{ "wd",		required_argument,	NULL,	OPT_WD },
	{ NULL,		0,			NULL,	0 }
};

struct dataset {
	double	*x;		/* rows x features, standardized */
	int	*y;		/* the class labels (--loss ce) */
	double	*target;	/* the targets, standardized (--loss mse) */
	size_t	 rows, features, classes;
	int	 mse;
};

/* One parameter tensor with its gradient and optimizer state. */
struct param {
	double	*w, *g, *m, *v;
	size_t	 n;
};

/*
 * The layers: an optional convolution (filters 3x3 filters over a side x
 * side image, valid, ReLU, then 2x2 max pooling down to pooled x pooled),
 * an optional hidden layer (ReLU), and the output layer.  in is the width
 * of what the hidden (or the output) layer reads.
 */
struct model {
	size_t		features, side, conv_side, pooled, filters;
	size_t		in, hidden, out;
	struct param	wc, bc;		/* filters == 0: none */
	struct param	w1, b1, w2, b2;	/* hidden == 0: only w2, b2 */
};

/* One sample's activations and their gradients. */
struct scratch {
	double	*conv;		/* filters x conv_side^2, after ReLU */
	size_t	*argmax;	/* per pooled unit, the conv unit it took */
	double	*pool, *dpool;	/* in */
	double	*h, *dh;	/* hidden */
	double	*logits;	/* out */
};

static _Noreturn void
die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
die(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (status == 2)
		fprintf(stderr, "%s", usage_text);
	exit(status);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size)) == NULL)
		die(1, "out of memory");
	return p;
}

/* splitmix64: small, fast, and the same stream on every platform. */
static uint64_t
rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rng_uniform(uint64_t *state)
{
	return (double)(rng_next(state) >> 11) * 0x1.0p-53;
}

static void
shuffle(size_t *a, size_t n, uint64_t *state)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = (size_t)(rng_next(state) % i);
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

static double
opt_number(const char *option, const char *arg, double lo, double hi)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno == ERANGE || !isfinite(x))
		die(2, "%s: \"%s\" is not a number", option, arg);
	if (x < lo || x > hi)
		die(2, "%s: %s: must be between %g and %g", option, arg, lo,
		    hi);
	return x;
}

/*
 * The bundled data: data/digits.csv.gz next to the executable (found via
 * /proc/self/exe, else via argv[0]).
 */
static char *
default_data(const char *argv0)
{
	char exe[PATH_MAX], *path, *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0)
		exe[n] = '\0';
	else if (strlen(argv0) < sizeof(exe))
		strcpy(exe, argv0);
	else
		exe[0] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		slash[1] = '\0';
	else
		strcpy(exe, "./");
	path = xcalloc(strlen(exe) + 32, 1);
	sprintf(path, "%sdata/digits.csv.gz", exe);
	return path;
}

/* Open the data, through gzip -dc when the file starts with gzip's magic. */
static FILE *
open_data(const char *path, pid_t *gzip_pid)
{
	posix_spawn_file_actions_t fa;
	unsigned char magic[2];
	char *argv[5];
	FILE *fp;
	int fds[2], gz, e;

	*gzip_pid = -1;
	if ((fp = fopen(path, "rb")) == NULL)
		die(1, "%s: %s", path, strerror(errno));
	gz = fread(magic, 1, 2, fp) == 2 && magic[0] == 0x1f &&
	    magic[1] == 0x8b;
	if (!gz) {
		rewind(fp);
		return fp;
	}
	fclose(fp);
	if (pipe(fds) != 0)
		die(1, "pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	argv[0] = "gzip";
	argv[1] = "-dc";
	argv[2] = "--";
	argv[3] = (char *)path;
	argv[4] = NULL;
	e = posix_spawnp(gzip_pid, "gzip", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (e != 0)
		die(1, "gzip: %s (needed to read %s)", strerror(e), path);
	if ((fp = fdopen(fds[0], "r")) == NULL)
		die(1, "%s: %s", path, strerror(errno));
	return fp;
}

/*
 * Read the table: numeric features, then an integer label (or with mse a
 * numeric target) last.  A first line that is not numeric is a header.
 * The features (and the target) are standardized with the mean and
 * standard deviation of the training rows (set by the caller).
 */
static void
load(const char *path, struct dataset *d, int mse)
{
	char *line = NULL, *p, *end;
	size_t cap = 0, xcap = 0, ycap = 0, nf, lineno = 0;
	ssize_t len;
	pid_t gz;
	FILE *fp;
	double v;
	int status;

	memset(d, 0, sizeof(*d));
	d->mse = mse;
	fp = open_data(path, &gz);
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		/* Count the fields and check they are numbers. */
		nf = 0;
		for (p = line;; p = end + 1) {
			errno = 0;
			v = strtod(p, &end);
			if (end == p || (*end != ',' && *end != '\0') ||
			    !isfinite(v)) {
				if (lineno == 1 && d->rows == 0)
					break;	/* a header */
				die(1, "%s:%zu: field %zu is not a number",
				    path, lineno, nf + 1);
			}
			if (d->rows + 1 > ycap) {
				ycap = ycap ? 2 * ycap : 1024;
				d->y = realloc(d->y, ycap * sizeof(*d->y));
				if (d->y == NULL)
					die(1, "out of memory");
			}
			if (d->rows * (d->features + 1) + nf + 1 > xcap) {
				xcap = xcap ? 2 * xcap : 65536;
				d->x = realloc(d->x, xcap * sizeof(*d->x));
				if (d->x == NULL)
					die(1, "out of memory");
			}
			d->x[d->rows * (d->features + 1) + nf] = v;
			nf++;
			if (*end == '\0')
				break;
		}
		if (end == p)
			continue;
		if (d->rows == 0) {
			if (nf < 2)
				die(1, "%s:%zu: need features and a label",
				    path, lineno);
			d->features = nf - 1;
		} else if (nf != d->features + 1)
			die(1, "%s:%zu: %zu fields where the first row has "
			    "%zu", path, lineno, nf, d->features + 1);
		v = d->x[d->rows * nf + nf - 1];
		if (mse) {
			d->rows++;
			continue;
		}
		if (v < 0 || v != floor(v) || v > 1000)
			die(1, "%s:%zu: the label %g is not a class number",
			    path, lineno, v);
		d->y[d->rows] = (int)v;
		if ((size_t)v + 1 > d->classes)
			d->classes = (size_t)v + 1;
		d->rows++;
	}
	if (ferror(fp))
		die(1, "%s: read error: %s", path, strerror(errno));
	free(line);
	fclose(fp);
	if (gz > 0) {
		if (waitpid(gz, &status, 0) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			die(1, "%s: gzip -dc failed", path);
	}
	if (d->rows < 10)
		die(1, "%s: %zu rows: too few to train on", path, d->rows);
	if (!mse && d->classes < 2)
		die(1, "%s: only one class", path);
	if (mse) {
		d->target = xcalloc(d->rows, sizeof(*d->target));
		d->classes = 1;
	}
}

/*
 * Copy row r of the raw table (features + label) into the feature matrix,
 * and with mse the last column into the targets.
 */
static void
compact(struct dataset *d)
{
	size_t r, j, nf = d->features + 1;

	for (r = 0; r < d->rows; r++) {
		if (d->mse)
			d->target[r] = d->x[r * nf + d->features];
		for (j = 0; j < d->features; j++)
			d->x[r * d->features + j] = d->x[r * nf + j];
	}
}

/* The targets to mean 0 and standard deviation 1 over the training rows. */
static void
standardize_target(struct dataset *d, const size_t *train, size_t ntrain)
{
	double mean = 0, sd = 0, z;
	size_t i;

	for (i = 0; i < ntrain; i++)
		mean += d->target[train[i]];
	mean /= (double)ntrain;
	for (i = 0; i < ntrain; i++) {
		z = d->target[train[i]] - mean;
		sd += z * z;
	}
	sd = sqrt(sd / (double)ntrain);
	if (sd == 0)
		sd = 1;
	for (i = 0; i < d->rows; i++)
		d->target[i] = (d->target[i] - mean) / sd;
}

static void
standardize(struct dataset *d, const size_t *train, size_t ntrain)
{
	double *mean, *sd, z;
	size_t i, j;

	mean = xcalloc(d->features, sizeof(*mean));
	sd = xcalloc(d->features, sizeof(*sd));
	for (i = 0; i < ntrain; i++)
		for (j = 0; j < d->features; j++)
			mean[j] += d->x[train[i] * d->features + j];
	for (j = 0; j < d->features; j++)
		mean[j] /= (double)ntrain;
	for (i = 0; i < ntrain; i++)
		for (j = 0; j < d->features; j++) {
			z = d->x[train[i] * d->features + j] - mean[j];
			sd[j] += z * z;
		}
	for (j = 0; j < d->features; j++) {
		sd[j] = sqrt(sd[j] / (double)ntrain);
		if (sd[j] == 0)
			sd[j] = 1;
	}
	for (i = 0; i < d->rows; i++)
		for (j = 0; j < d->features; j++)
			d->x[i * d->features + j] = (d->x[i * d->features + j] -
			    mean[j]) / sd[j];
	free(mean);
	free(sd);
}

/* PyTorch's nn.Linear initialization: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
static void
param_init(struct param *p, size_t n, size_t fan_in, uint64_t *rng)
{
	double bound = 1 / sqrt((double)fan_in);
	size_t i;

	p->n = n;
	p->w = xcalloc(n, sizeof(double));
	p->g = xcalloc(n, sizeof(double));
	p->m = xcalloc(n, sizeof(double));
	p->v = xcalloc(n, sizeof(double));
	for (i = 0; i < n; i++)
		p->w[i] = (2 * rng_uniform(rng) - 1) * bound;
}

static void
param_free(struct param *p)
{
	free(p->w);
	free(p->g);
	free(p->m);
	free(p->v);
}

/*
 * The convolution of one image x: each filter at each position of the
 * valid output, ReLU, then the maximum of each 2x2 block into s->pool
 * (filter by filter), remembering which unit won for the backward pass.
 */
static void
conv_forward(const struct model *m, const double *x, struct scratch *s)
{
	size_t f, r, c, i, j, side = m->side, cs = m->conv_side;
	size_t ps = m->pooled, at, best;
	const double *w;
	double sum;

	for (f = 0; f < m->filters; f++) {
		w = m->wc.w + f * 9;
		for (r = 0; r < cs; r++)
			for (c = 0; c < cs; c++) {
				sum = m->bc.w[f];
				for (i = 0; i < 3; i++)
					for (j = 0; j < 3; j++)
						sum += w[i * 3 + j] *
						    x[(r + i) * side + c + j];
				s->conv[(f * cs + r) * cs + c] = sum > 0 ?
				    sum : 0;
			}
		for (r = 0; r < ps; r++)
			for (c = 0; c < ps; c++) {
				best = (f * cs + 2 * r) * cs + 2 * c;
				for (i = 0; i < 2; i++)
					for (j = 0; j < 2; j++) {
						at = (f * cs + 2 * r + i) * cs +
						    2 * c + j;
						if (s->conv[at] > s->conv[best])
							best = at;
					}
				s->pool[(f * ps + r) * ps + c] = s->conv[best];
				s->argmax[(f * ps + r) * ps + c] = best;
			}
	}
}

/* The gradients of the filters, given the gradient of the pooled units. */
static void
conv_backward(struct model *m, const double *x, const struct scratch *s)
{
	size_t p, f, at, r, c, i, j, cs = m->conv_side, per;
	double g;

	per = m->pooled * m->pooled;
	for (p = 0; p < m->in; p++) {
		at = s->argmax[p];
		if (s->conv[at] <= 0)
			continue;
		g = s->dpool[p];
		f = p / per;
		r = (at - f * cs * cs) / cs;
		c = (at - f * cs * cs) % cs;
		m->bc.g[f] += g;
		for (i = 0; i < 3; i++)
			for (j = 0; j < 3; j++)
				m->wc.g[f * 9 + i * 3 + j] += g *
				    x[(r + i) * m->side + c + j];
	}
}

/*
 * Forward (and, with grad, backward) pass over the rows idx[0..n-1]: the
 * mean cross-entropy (or squared error), gradients accumulated into the
 * params' g.
 */
static double
pass(struct model *m, const struct dataset *d, const size_t *idx, size_t n,
    int grad, struct scratch *s)
{
	size_t i, j, k, c, in = m->in, hid = m->hidden, out = m->out;
	const double *x, *a;
	double loss = 0, mx, sum = 0, p, dl, *dh = NULL, *da = NULL;
	double *h = s->h, *logits = s->logits, err = 0;
	const struct param *last = &m->w2;

	if (grad && hid > 0)
		dh = s->dh;
	if (grad && m->filters > 0)
		da = s->dpool;
	for (i = 0; i < n; i++) {
		x = d->x + idx[i] * m->features;
		a = x;
		if (m->filters > 0) {
			conv_forward(m, x, s);
			a = s->pool;
		}
		if (hid > 0) {
			for (j = 0; j < hid; j++) {
				sum = m->b1.w[j];
				for (k = 0; k < in; k++)
					sum += m->w1.w[j * in + k] * a[k];
				h[j] = sum > 0 ? sum : 0;
			}
		}
		c = hid > 0 ? hid : in;
		mx = -INFINITY;
		for (j = 0; j < out; j++) {
			sum = m->b2.w[j];
			for (k = 0; k < c; k++)
				sum += last->w[j * c + k] * (hid > 0 ? h : a)[k];
			logits[j] = sum;
			if (sum > mx)
				mx = sum;
		}
		if (d->mse) {
			err = logits[0] - d->target[idx[i]];
			loss += err * err;
		} else {
			sum = 0;
			for (j = 0; j < out; j++)
				sum += exp(logits[j] - mx);
			loss += mx + log(sum) - logits[d->y[idx[i]]];
		}
		if (!grad)
			continue;
		if (dh != NULL)
			memset(dh, 0, hid * sizeof(*dh));
		if (da != NULL)
			memset(da, 0, in * sizeof(*da));
		for (j = 0; j < out; j++) {
			if (d->mse)
				dl = 2 * err / (double)n;
			else {
				p = exp(logits[j] - mx) / sum;
				dl = (p - ((size_t)d->y[idx[i]] == j)) /
				    (double)n;
			}
			m->b2.g[j] += dl;
			for (k = 0; k < c; k++) {
				m->w2.g[j * c + k] += dl * (hid > 0 ? h : a)[k];
				if (dh != NULL)
					dh[k] += dl * m->w2.w[j * c + k];
				else if (da != NULL)
					da[k] += dl * m->w2.w[j * c + k];
			}
		}
		if (dh != NULL) {
			for (j = 0; j < hid; j++) {
				if (h[j] <= 0)
					continue;
				m->b1.g[j] += dh[j];
				for (k = 0; k < in; k++) {
					m->w1.g[j * in + k] += dh[j] * a[k];
					if (da != NULL)
						da[k] += dh[j] *
						    m->w1.w[j * in + k];
				}
			}
		}
		if (da != NULL)
			conv_backward(m, x, s);
	}
	return loss / (double)n;
}

/*
 * One optimizer step, as torch.optim does it: the weight decay is added to
 * the gradient; SGD's momentum buffer starts at the first gradient; Adam
 * has bias correction and eps outside the square root.
 */
static void
step(struct param *p, int adam, double lr, double mom, double wd, long t)
{
	const double beta2 = 0.999, eps = 1e-8;
	double g, bc1, bc2;
	size_t i;

	bc1 = 1 - pow(mom, (double)t);
	bc2 = 1 - pow(beta2, (double)t);
	for (i = 0; i < p->n; i++) {
		g = p->g[i] + wd * p->w[i];
		if (adam) {
			p->m[i] = mom * p->m[i] + (1 - mom) * g;
			p->v[i] = beta2 * p->v[i] + (1 - beta2) * g * g;
			p->w[i] -= lr * (p->m[i] / bc1) /
			    (sqrt(p->v[i]) / sqrt(bc2) + eps);
		} else {
			p->m[i] = t == 1 ? g : mom * p->m[i] + g;
			p->w[i] -= lr * p->m[i];
		}
		p->g[i] = 0;
	}
}

/* Split a CSV line in place at commas (the schedule has no quoting). */
static size_t
split(char *s, char **fields, size_t max)
{
	size_t n = 0;

	for (;;) {
		if (n < max)
			fields[n] = s;
		n++;
		if ((s = strchr(s, ',')) == NULL)
			break;
		*s++ = '\0';
	}
	return n;
}

static int
parse_number(const char *s, double *x)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	errno = 0;
	*x = strtod(s, &end);
	if (end == s)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	return *end == '\0' ? 0 : -1;
}

/* --print-val: CSV rows under loss,val_loss, val_loss empty but last. */
static int print_val;

static void
print_loss(double loss)
{
	if (isnan(loss))
		fputs(print_val ? "nan,\n" : "nan\n", stdout);
	else
		printf(print_val ? "%.9g,\n" : "%.9g\n", loss);
	if (fflush(stdout) != 0) {
		if (errno == EPIPE)
			exit(0);
		die(1, "write error: %s", strerror(errno));
	}
}

int
main(int argc, char *argv[])
{
	char *data_path = NULL, *default_path = NULL, *val_out = NULL;
	char *line = NULL, *fields[64];
	double momentum = 0.9, wd = 0, val_frac = 0.2, lr, mom, loss;
	size_t batch = 64, hidden = 64, filters = 0, cap = 0, nval, ntrain;
	size_t *order;
	size_t *train, *val, pos, nb, i, lineno = 0, nf, lr_col = 0;
	size_t mom_col = SIZE_MAX, ncols = 0;
	uint64_t seed = 0, rng, split_rng = SPLIT_SEED;
	struct dataset d;
	struct model m;
	struct scratch sc;
	ssize_t len;
	long t = 0;
	int ch, bare = 0, adam = 0, started = 0, mse = 0;
	FILE *fp;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_BARE:
			bare = 1;
			break;
		case OPT_BATCH:
			batch = (size_t)opt_number("--batch-size", optarg, 1,
			    1e6);
			break;
		case OPT_CONV:
			filters = (size_t)opt_number("--conv", optarg, 0, 1e4);
			break;
		case OPT_DATA:
			data_path = optarg;
			break;
		case OPT_HIDDEN:
			hidden = (size_t)opt_number("--hidden", optarg, 0, 1e5);
			break;
		case OPT_LOSS:
			if (strcmp(optarg, "ce") == 0)
				mse = 0;
			else if (strcmp(optarg, "mse") == 0)
				mse = 1;
			else
				die(2, "--loss: \"%s\": must be ce or mse",
				    optarg);
			break;
		case OPT_MOMENTUM:
			momentum = opt_number("--momentum", optarg, 0, 0.9999);
			break;
		case OPT_PRINT_VAL:
			print_val = 1;
			break;
		case OPT_OPTIMIZER:
			if (strcmp(optarg, "sgd") == 0)
				adam = 0;
			else if (strcmp(optarg, "adam") == 0)
				adam = 1;
			else
				die(2, "--optimizer: \"%s\": must be sgd or "
				    "adam", optarg);
			break;
		case OPT_SEED:
			seed = (uint64_t)opt_number("--seed", optarg, 0, 1e15);
			break;
		case OPT_VAL_FRAC:
			val_frac = opt_number("--val-frac", optarg, 0.01, 0.9);
			break;
		case OPT_VAL_OUT:
			val_out = optarg;
			break;
		case OPT_WD:
			wd = opt_number("--wd", optarg, 0, 1e3);
			break;
		case OPT_HELP:
			printf("%s\n%s", usage_text, help_text);
			return fflush(stdout) != 0;
		case OPT_VERSION:
			printf("mlp-train (lrkit) %s\n", LRKIT_VERSION);
			return fflush(stdout) != 0;
		default:
			die(2, "unknown option");
		}
	}
	if (optind < argc)
		die(2, "%s: unexpected argument", argv[optind]);
	if (adam && momentum == 0)
		die(2, "--momentum: 0: Adam needs a beta1 above 0");
	if (data_path == NULL)
		data_path = default_path = default_data(argv[0]);

	load(data_path, &d, mse);
	memset(&m, 0, sizeof(m));
	m.features = d.features;
	if (filters > 0) {
		m.side = (size_t)(sqrt((double)d.features) + 0.5);
		if (m.side * m.side != d.features || m.side < 4)
			die(1, "%s: --conv: %zu features are not a square "
			    "image of side 4 or more", data_path, d.features);
		m.filters = filters;
		m.conv_side = m.side - 2;
		m.pooled = m.conv_side / 2;
	}
	compact(&d);
	order = xcalloc(d.rows, sizeof(*order));
	for (i = 0; i < d.rows; i++)
		order[i] = i;
	shuffle(order, d.rows, &split_rng);
	nval = (size_t)((double)d.rows * val_frac);
	if (nval < 1)
		nval = 1;
	ntrain = d.rows - nval;
	val = order;
	train = order + nval;
	standardize(&d, train, ntrain);
	if (mse)
		standardize_target(&d, train, ntrain);
	if (batch > ntrain)
		batch = ntrain;

	rng = seed * 0x2545f4914f6cdd1dULL + 1;
	m.in = filters > 0 ? filters * m.pooled * m.pooled : d.features;
	m.hidden = hidden;
	m.out = d.classes;
	if (filters > 0) {
		param_init(&m.wc, filters * 9, 9, &rng);
		param_init(&m.bc, filters, 9, &rng);
	}
	if (hidden > 0) {
		param_init(&m.w1, hidden * m.in, m.in, &rng);
		param_init(&m.b1, hidden, m.in, &rng);
		param_init(&m.w2, m.out * hidden, hidden, &rng);
		param_init(&m.b2, m.out, hidden, &rng);
	} else {
		param_init(&m.w2, m.out * m.in, m.in, &rng);
		param_init(&m.b2, m.out, m.in, &rng);
	}
	sc.conv = xcalloc(filters * m.conv_side * m.conv_side,
	    sizeof(*sc.conv));
	sc.argmax = xcalloc(m.in, sizeof(*sc.argmax));
	sc.pool = xcalloc(m.in, sizeof(*sc.pool));
	sc.dpool = xcalloc(m.in, sizeof(*sc.dpool));
	sc.h = xcalloc(hidden, sizeof(*sc.h));
	sc.dh = xcalloc(hidden, sizeof(*sc.dh));
	sc.logits = xcalloc(m.out, sizeof(*sc.logits));
	shuffle(train, ntrain, &rng);
	pos = 0;

	if (print_val)
		fputs("loss,val_loss\n", stdout);
	while ((len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		mom = momentum;
		if (!started) {
			started = 1;
			if (!bare && parse_number(line, &lr) != 0) {
				/* A header: find the lr and momentum. */
				ncols = split(line, fields, 64);
				if (ncols > 64)
					die(1, "stdin:%zu: too many columns",
					    lineno);
				for (i = 0; i < ncols; i++) {
					if (strcasecmp(fields[i], "lr") == 0)
						lr_col = i + 1;
					else if (strcasecmp(fields[i],
					    "momentum") == 0)
						mom_col = i;
				}
				if (lr_col == 0)
					die(1, "stdin:%zu: no lr column in the "
					    "header", lineno);
				lr_col--;
				continue;
			}
			if (!bare)
				bare = 1;	/* the first line is an lr */
		}
		if (bare) {
			if (parse_number(line, &lr) != 0)
				die(1, "stdin:%zu: \"%s\" is not a learning "
				    "rate", lineno, line);
		} else {
			nf = split(line, fields, 64);
			if (nf != ncols)
				die(1, "stdin:%zu: %zu fields where the header "
				    "has %zu", lineno, nf, ncols);
			if (parse_number(fields[lr_col], &lr) != 0)
				die(1, "stdin:%zu: \"%s\" is not a learning "
				    "rate", lineno, fields[lr_col]);
			if (mom_col != SIZE_MAX &&
			    parse_number(fields[mom_col], &mom) != 0)
				die(1, "stdin:%zu: \"%s\" is not a momentum",
				    lineno, fields[mom_col]);
			/* The bounds of --momentum, at each step. */
			if (mom_col != SIZE_MAX && !(mom >= 0 && mom <= 0.9999))
				die(1, "stdin:%zu: %s: the momentum must be "
				    "between 0 and 0.9999", lineno,
				    fields[mom_col]);
			if (mom_col != SIZE_MAX && adam && mom == 0)
				die(1, "stdin:%zu: %s: Adam needs a beta1 "
				    "above 0", lineno, fields[mom_col]);
		}
		if (!(lr >= 0) || !isfinite(lr))
			die(1, "stdin:%zu: %g: the learning rate must be a "
			    "finite number >= 0", lineno, lr);

		/* The next mini-batch, reshuffling at each epoch's end. */
		if (pos + batch > ntrain) {
			shuffle(train, ntrain, &rng);
			pos = 0;
		}
		nb = batch;
		loss = pass(&m, &d, train + pos, nb, 1, &sc);
		pos += nb;
		t++;
		if (filters > 0) {
			step(&m.wc, adam, lr, mom, wd, t);
			step(&m.bc, adam, lr, mom, wd, t);
		}
		if (hidden > 0) {
			step(&m.w1, adam, lr, mom, wd, t);
			step(&m.b1, adam, lr, mom, wd, t);
		}
		step(&m.w2, adam, lr, mom, wd, t);
		step(&m.b2, adam, lr, mom, wd, t);
		print_loss(loss);
	}
	if (ferror(stdin))
		die(1, "stdin: read error: %s", strerror(errno));
	if (print_val) {
		/* The final evaluation: a row after the schedule's end. */
		printf(",%.9g\n", pass(&m, &d, val, nval, 0, &sc));
		if (fflush(stdout) != 0 && errno != EPIPE)
			die(1, "write error: %s", strerror(errno));
	}
	if (val_out != NULL) {
		loss = pass(&m, &d, val, nval, 0, &sc);
		if ((fp = fopen(val_out, "w")) == NULL)
			die(1, "%s: %s", val_out, strerror(errno));
		fprintf(fp, "%.17g\n", loss);
		if (fclose(fp) != 0)
			die(1, "%s: write error: %s", val_out,
			    strerror(errno));
	}
	if (filters > 0) {
		param_free(&m.wc);
		param_free(&m.bc);
	}
	if (hidden > 0) {
		param_free(&m.w1);
		param_free(&m.b1);
	}
	param_free(&m.w2);
	param_free(&m.b2);
	free(sc.conv);
	free(sc.argmax);
	free(sc.pool);
	free(sc.dpool);
	free(sc.h);
	free(sc.dh);
	free(sc.logits);
	free(d.target);
	free(order);
	free(line);
	free(d.x);
	free(d.y);
	free(default_path);
	return 0;
}
