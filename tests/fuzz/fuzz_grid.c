/*
 * Fuzz sweep-run's grids: -p specs and {NAME} substitution.  The input is
 * lines: -p specs up to the first empty line (NAME=@FILE ones are
 * skipped: they would read files), then arguments, each substituted for
 * the first, a middle and the last run.  A refused spec must say why; the
 * runs must be the product of the value counts; an argument without a
 * brace must come back as it is, and "{NAME}" as the run's value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_arg(const struct lrk_grid *g, const char *arg)
{
	char err[LRK_ERRSIZE], *out, *want;
	size_t runs = lrk_grid_runs(g), run[3], i, p;

	run[0] = 0;
	run[1] = runs / 2;
	run[2] = runs - 1;
	for (i = 0; i < 3; i++) {
		err[0] = '\0';
		if ((out = lrk_grid_subst(g, run[i], arg, err)) == NULL) {
			if (err[0] == '\0')
				abort();
			continue;
		}
		if (strchr(arg, '{') == NULL && strcmp(out, arg) != 0)
			abort();
		free(out);
	}
	for (p = 0; p < lrk_grid_params(g); p++) {
		if ((want = malloc(strlen(lrk_grid_name(g, p)) + 3)) == NULL)
			return;
		sprintf(want, "{%s}", lrk_grid_name(g, p));
		for (i = 0; i < 3; i++) {
			if ((out = lrk_grid_subst(g, run[i], want, err)) == NULL ||
			    strcmp(out, lrk_grid_value(g, run[i], p)) != 0)
				abort();
			free(out);
		}
		free(want);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lrk_grid *g;
	char err[LRK_ERRSIZE], *text, *line, *next, *eq;
	size_t runs, p;
	int specs = 1;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if ((g = lrk_grid_new()) == NULL)
		abort();
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (specs && line[0] == '\0') {
			specs = 0;
			continue;
		}
		if (!specs) {
			check_arg(g, line);
			continue;
		}
		if ((eq = strchr(line, '=')) != NULL && eq[1] == '@')
			continue;
		err[0] = '\0';
		if (lrk_grid_add(g, line, err) != 0 && err[0] == '\0')
			abort();
	}
	for (runs = 1, p = 0; p < lrk_grid_params(g); p++)
		runs *= lrk_grid_values(g, p);
	if (runs != lrk_grid_runs(g))
		abort();
	lrk_grid_free(g);
	free(text);
	return 0;
}
