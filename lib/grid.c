/*
 * Parameter grids: -p NAME=V1,V2,... (or NAME=@FILE, one value a line),
 * their cartesian product in a fixed order (the last parameter varies
 * fastest, as nested loops written in the order given), {NAME}
 * substitution in a command's arguments, and the --gpus list that gives
 * each slot ({slot}) its device.
 *
 * A run is identified by its 0-based index in that order, so that a grid
 * can be listed, counted and run one index at a time (Slurm arrays, GNU
 * parallel) without any state shared between the runs.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

struct gparam {
	char	 *name;
	char	**values;
	size_t	  count;
};

struct lrk_grid {
	struct gparam	*params;
	size_t		 count;
	size_t		 runs;
};

struct lrk_grid *
lrk_grid_new(void)
{
	struct lrk_grid *g;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->runs = 1;
	return g;
}

static void
free_param(struct gparam *p)
{
	size_t i;

	for (i = 0; i < p->count; i++)
		free(p->values[i]);
	free(p->values);
	free(p->name);
}

void
lrk_grid_free(struct lrk_grid *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->count; i++)
		free_param(&g->params[i]);
	free(g->params);
	free(g);
}

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
	"0123456789_"

/* A name usable as an environment variable and inside {}. */
static int
valid_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static int
add_value(struct gparam *p, size_t *cap, const char *s, size_t len)
{
	char **nv, *v;

	if (p->count == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		if ((nv = realloc(p->values, *cap * sizeof(*nv))) == NULL)
			return -1;
		p->values = nv;
	}
	if ((v = malloc(len + 1)) == NULL)
		return -1;
	memcpy(v, s, len);
	v[len] = '\0';
	p->values[p->count++] = v;
	return 0;
}

/* Values one per line; blank lines are skipped, a CR before LF dropped. */
static int
read_values(struct gparam *p, size_t *cap, const char *path, char *err)
{
	char *line = NULL;
	size_t lcap = 0;
	char shown[LRK_SHOWSIZE];
	ssize_t len;
	FILE *fp;
	int r = 0;

	lrk_show(shown, path, strlen(path));
	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(err, LRK_ERRSIZE, "%s: %s", shown, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &lcap, fp)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			snprintf(err, LRK_ERRSIZE, "%s: a value holds a NUL "
			    "byte", shown);
			r = -1;
			break;
		}
		if (add_value(p, cap, line, (size_t)len) != 0) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			r = -1;
			break;
		}
	}
	if (r == 0 && ferror(fp)) {
		snprintf(err, LRK_ERRSIZE, "%s: read error: %s", shown,
		    strerror(errno));
		r = -1;
	}
	free(line);
	fclose(fp);
	if (r == 0 && p->count == 0) {
		snprintf(err, LRK_ERRSIZE, "%s: no values in the file",
		    shown);
		r = -1;
	}
	return r;
}

/*
 * Add a parameter from "NAME=V1,V2,..." or "NAME=@FILE".  Returns 0, or -1
 * with err (LRK_ERRSIZE bytes) saying what is wrong.
 */
int
lrk_grid_add(struct lrk_grid *g, const char *spec, char *err)
{
	struct gparam p, *np;
	const char *eq, *v, *comma;
	char shown[LRK_SHOWSIZE];
	enum lrk_role role;
	size_t cap = 0, i, len;

	memset(&p, 0, sizeof(p));
	if ((eq = strchr(spec, '=')) == NULL) {
		snprintf(err, LRK_ERRSIZE, "\"%s\": give NAME=V1,V2,... or "
		    "NAME=@FILE", lrk_show(shown, spec, strlen(spec)));
		return -1;
	}
	len = (size_t)(eq - spec);
	if (!valid_name(spec, len)) {
		snprintf(err, LRK_ERRSIZE, "\"%s\": a parameter name is "
		    "letters, digits and _, not starting with a digit",
		    lrk_show(shown, spec, len));
		return -1;
	}
	/* A name the tools would read as a column of theirs: a "loss" or
	 * "label_smooth" parameter would be taken for the loss. */
	if ((role = lrk_name_role(spec, len)) != LRK_ROLE_NONE) {
		snprintf(err, LRK_ERRSIZE, "\"%.*s\": lr-suggest and lr-plot "
		    "would read a column of that name as the %s (see "
		    "lrkit(7)); choose another name", (int)len, spec,
		    lrk_role_text(role));
		return -1;
	}
	for (i = 0; i < g->count; i++)
		if (strlen(g->params[i].name) == len &&
		    strncmp(spec, g->params[i].name, len) == 0) {
			snprintf(err, LRK_ERRSIZE, "\"%.*s\": the parameter "
			    "is given twice", (int)len, spec);
			return -1;
		}
	if ((p.name = strndup(spec, len)) == NULL)
		goto nomem;
	v = eq + 1;
	if (v[0] == '@') {
		if (read_values(&p, &cap, v + 1, err) != 0) {
			free_param(&p);
			return -1;
		}
	} else {
		for (;;) {
			comma = strchr(v, ',');
			len = comma ? (size_t)(comma - v) : strlen(v);
			if (len == 0) {
				snprintf(err, LRK_ERRSIZE, "%s: an empty value "
				    "(values with commas, or empty ones, go "
				    "in a file: %s=@FILE)", p.name, p.name);
				free_param(&p);
				return -1;
			}
			if (add_value(&p, &cap, v, len) != 0)
				goto nomem;
			if (comma == NULL)
				break;
			v = comma + 1;
		}
	}
	if (g->runs > SIZE_MAX / p.count || g->runs * p.count > LONG_MAX) {
		snprintf(err, LRK_ERRSIZE, "the grid has too many runs");
		free_param(&p);
		return -1;
	}
	if ((np = realloc(g->params, (g->count + 1) * sizeof(*np))) == NULL)
		goto nomem;
	g->params = np;
	g->params[g->count++] = p;
	g->runs *= p.count;
	return 0;
nomem:
	free_param(&p);
	snprintf(err, LRK_ERRSIZE, "out of memory");
	return -1;
}

size_t
lrk_grid_params(const struct lrk_grid *g)
{
	return g->count;
}

size_t
lrk_grid_runs(const struct lrk_grid *g)
{
	return g->runs;
}

const char *
lrk_grid_name(const struct lrk_grid *g, size_t param)
{
	return g->params[param].name;
}

size_t
lrk_grid_values(const struct lrk_grid *g, size_t param)
{
	return g->params[param].count;
}

/*
 * The value of a parameter in a run.  Run r is the mixed-radix number
 * whose last digit is the last parameter's value index.
 */
const char *
lrk_grid_value(const struct lrk_grid *g, size_t run, size_t param)
{
	size_t i;

	for (i = g->count; i-- > param + 1;)
		run /= g->params[i].count;
	return g->params[param].values[run % g->params[param].count];
}

/* The parameter named by len bytes at s, or -1. */
static long
find_param(const struct lrk_grid *g, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < g->count; i++)
		if (strlen(g->params[i].name) == len &&
		    memcmp(g->params[i].name, s, len) == 0)
			return (long)i;
	return -1;
}

/*
 * Replace {NAME} in arg by the run's value of NAME, and {run} by the run
 * index.  A brace pair around anything that is not a name ("{}",
 * '{"a": 1}') is left alone, and so is "${NAME}", which a shell script
 * given as an argument expands from the environment (replaced, it would
 * become "$" and the value: "$0.01" is $0 and ".01"); a name that is not
 * a parameter is an error, since it is most likely a typo.  Returns a new string (free it), or NULL
 * with err set.
 */
char *
lrk_grid_subst(const struct lrk_grid *g, size_t run, const char *arg,
    char *err)
{
	return lrk_grid_subst_slot(g, run, NULL, arg, err);
}

/*
 * As lrk_grid_subst, and {slot} by slot: the number of the executor's
 * slot the run holds (1 to -j, no two running runs share one).  slot
 * NULL: the run has none (sweep-run --index), and {slot} is an error.
 */
char *
lrk_grid_subst_slot(const struct lrk_grid *g, size_t run, const char *slot,
    const char *arg, char *err)
{
	const char *p, *open, *close, *val;
	char *out = NULL, runbuf[32];
	size_t n, len, namelen;
	long k;
	int pass;

	snprintf(runbuf, sizeof(runbuf), "%zu", run);
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		for (p = arg; *p != '\0';) {
			/*
			 * The name is the run of name characters after the
			 * brace, so that "{{{{...}" is not searched for its
			 * closing brace once per opening one.
			 */
			open = strchr(p, '{');
			namelen = open ? strspn(open + 1, NAME_CHARS) : 0;
			close = open && open[1 + namelen] == '}' ?
			    open + 1 + namelen : NULL;
			/* "${NAME}" is the shell's, to expand. */
			if (close == NULL || !valid_name(open + 1, namelen) ||
			    (open > arg && open[-1] == '$')) {
				/* Copy up to and including the brace. */
				len = open == NULL ? strlen(p) :
				    (size_t)(open - p) + 1;
				if (pass)
					memcpy(out + n, p, len);
				n += len;
				p += len;
				continue;
			}
			len = (size_t)(open - p);
			if (pass)
				memcpy(out + n, p, len);
			n += len;
			if ((k = find_param(g, open + 1, namelen)) >= 0)
				val = lrk_grid_value(g, run, (size_t)k);
			else if (namelen == 3 && memcmp(open + 1, "run", 3) == 0)
				val = runbuf;
			else if (namelen == 4 && memcmp(open + 1, "slot", 4) ==
			    0 && slot != NULL)
				val = slot;
			else if (namelen == 4 && memcmp(open + 1, "slot", 4) ==
			    0) {
				snprintf(err, LRK_ERRSIZE, "{slot}: a run "
				    "started alone (--index) holds no slot "
				    "(its devices are the scheduler's to "
				    "give)");
				free(out);
				return NULL;
			} else {
				snprintf(err, LRK_ERRSIZE, "{%.*s}: no such "
				    "parameter (give it with -p %.*s=...)",
				    (int)namelen, open + 1, (int)namelen,
				    open + 1);
				free(out);
				return NULL;
			}
			len = strlen(val);
			if (pass)
				memcpy(out + n, val, len);
			n += len;
			p = close + 1;
		}
		if (pass == 0 && (out = malloc(n + 1)) == NULL) {
			snprintf(err, LRK_ERRSIZE, "out of memory");
			return NULL;
		}
	}
	out[n] = '\0';
	return out;
}

/*
 * Does text take the parameter `name`, as lrk_grid_subst puts it in
 * ({name}, not after a $) or as a shell expands it from the run's
 * environment ($name not followed by another name character, ${name})?
 * An exact parse, not a substring: "$max_steps" takes max_steps, not
 * max.
 */
int
lrk_grid_mentions(const char *text, const char *name)
{
	size_t len = strlen(name), n;
	const char *p;

	for (p = text; (p = strpbrk(p, "{$")) != NULL; p++) {
		if (*p == '{') {
			n = strspn(p + 1, NAME_CHARS);
			if (n == len && p[1 + n] == '}' &&
			    memcmp(p + 1, name, len) == 0)
				return 1;	/* {name} or ${name} */
		} else if (p[1] != '{') {
			n = strspn(p + 1, NAME_CHARS);
			if (n == len && memcmp(p + 1, name, len) == 0)
				return 1;
		}
	}
	return 0;
}

/*
 * The characters of a device name as CUDA_VISIBLE_DEVICES (and ROCm's
 * HIP_VISIBLE_DEVICES) take one: an index (0), a UUID (GPU-8932f937-...),
 * a MIG instance (MIG-GPU-.../1/2, MIG-...).
 */
#define DEVICE_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789-_:/"

/*
 * --gpus LIST: the device of each slot, slot K's the K-th entry of the
 * comma-separated list.  A device may come twice (0,0,1,1: two runs on
 * each).  Returns a NULL-terminated array made in one allocation (free it
 * with free(3)), *count its length; or NULL with err set: the list is
 * empty, an entry is empty, or an entry has a character no device name
 * has (a space, a quote, a semicolon).
 */
char **
lrk_gpus_parse(const char *list, size_t *count, char *err)
{
	char shown[LRK_SHOWSIZE], **out, *copy;
	const char *p;
	size_t n = 0, len = strlen(list), entry;

	*count = 0;
	if (len == 0) {
		snprintf(err, LRK_ERRSIZE, "the list of devices is empty "
		    "(give them as 0,1,2,3)");
		return NULL;
	}
	for (p = list;; p += entry + 1) {
		entry = strcspn(p, ",");
		n++;
		if (entry == 0 || strspn(p, DEVICE_CHARS) < entry) {
			snprintf(err, LRK_ERRSIZE, "\"%s\": entry %zu is %s",
			    lrk_show(shown, list, len), n, entry == 0 ?
			    "empty" : "not a device name (a number, or "
			    "letters, digits, -, _, : and /, as "
			    "CUDA_VISIBLE_DEVICES takes them)");
			return NULL;
		}
		if (p[entry] == '\0')
			break;
	}
	/* The pointers, then the names they point into. */
	if ((out = malloc((n + 1) * sizeof(*out) + len + 1)) == NULL) {
		snprintf(err, LRK_ERRSIZE, "out of memory");
		return NULL;
	}
	copy = (char *)(out + n + 1);
	memcpy(copy, list, len + 1);
	for (n = 0; (out[n] = strsep(&copy, ",")) != NULL; n++)
		;
	*count = n;
	return out;
}
