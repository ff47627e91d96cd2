# lrkit: the learning-rate range test as Unix filters.
# Plain make; `make deps` installs what the build and the tests need.

VERSION = 0.1.0

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man
# Where bash-completion loads a command's completion from: its own folder
# (pkg-config) when lrkit is installed beside it, PREFIX's otherwise (which
# bash-completion also reads: XDG_DATA_DIRS, /usr/local/share by default).
BASHCOMPDIR = $(shell d=$$(pkg-config --variable=completionsdir \
	bash-completion 2>/dev/null) && [ -n "$$d" ] && \
	[ "$$(pkg-config --variable=prefix bash-completion)" = '$(PREFIX)' ] && \
	echo "$$d" || echo '$(PREFIX)/share/bash-completion/completions')

CC = cc
CFLAGS = -O2 -g -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers
CPPFLAGS = -D_GNU_SOURCE -DLRKIT_VERSION=\"$(VERSION)\" -Ilib
LDFLAGS =
LDLIBS = -lcsv -lm
FUZZ_LIBS = -ljansson
CHECK_LIBS = -lcheck -lsubunit -lrt -lpthread -lm

# make check SAN=1: the same build and tests under ASan and UBSan.
SAN =
ifeq ($(SAN),1)
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# Debian packages: to build, to test, and (optional) to regenerate goldens.
BUILD_PKGS = gcc make libc6-dev libcsv-dev libjansson-dev
TEST_PKGS = check mandoc libxml2-utils librsvg2-bin parallel bash-completion tmux
GOLDEN_PKGS = python3-pandas python3-torch miller

LIBOBJ = \
	lib/answer.o \
	lib/buf.o \
	lib/cli.o \
	lib/confirm.o \
	lib/curve.o \
	lib/dense.o \
	lib/dtoa.o \
	lib/ema.o \
	lib/grid.o \
	lib/halving.o \
	lib/import.o \
	lib/import_json.o \
	lib/import_mlflow.o \
	lib/num.o \
	lib/outfile.o \
	lib/plot.o \
	lib/plotbuild.o \
	lib/plot_svg.o \
	lib/plot_text.o \
	lib/pool.o \
	lib/proc.o \
	lib/progress.o \
	lib/protocol.o \
	lib/rank.o \
	lib/run.o \
	lib/sched.o \
	lib/strmap.o \
	lib/suggest.o \
	lib/sweep.o \
	lib/table.o \
	lib/text.o \
	lib/tfevents.o

TOOLS = \
	tools/ema-smooth \
	tools/lr-confirm \
	tools/lr-import \
	tools/lr-plot \
	tools/lr-suggest \
	tools/lrsched \
	tools/sweep-run

MAN1 = \
	man/ema-smooth.1 \
	man/lr-confirm.1 \
	man/lr-import.1 \
	man/lr-plot.1 \
	man/lr-suggest.1 \
	man/lrsched.1 \
	man/sweep-run.1

MAN7 = man/lrkit.7

CHECKS = \
	tests/check_answer \
	tests/check_buf \
	tests/check_cli \
	tests/check_confirm \
	tests/check_curve \
	tests/check_dtoa \
	tests/check_ema \
	tests/check_grid \
	tests/check_halving \
	tests/check_import \
	tests/check_num \
	tests/check_outfile \
	tests/check_plot \
	tests/check_plotbuild \
	tests/check_proc \
	tests/check_progress \
	tests/check_protocol \
	tests/check_rank \
	tests/check_run \
	tests/check_sched \
	tests/check_strmap \
	tests/check_suggest \
	tests/check_sweep \
	tests/check_table \
	tests/check_text \
	tests/check_tfevents

# The public header, and the private one of lib/ and the tests.
HEADERS = lib/lrkit.h
PRIVATE_HEADERS = lib/extern.h

# libFuzzer targets (tests/fuzz/fuzz_NAME.c); make check replays their
# corpora (tests/fuzz/corpus/NAME/) through a plain driver.
FUZZ = \
	grid \
	import_json \
	import_jsonl \
	mlflow \
	num \
	plot \
	range \
	sched \
	suggest \
	table \
	tfevents
FUZZ_SECONDS = 60

# End-to-end suites that test several tools at once (tests/e2e/NAME.sh).
SUITES = cluster completion ddp experiment hostile mlp-train names progress stress tmux
FUZZ_REPLAY = $(FUZZ:%=tests/fuzz/replay_%)

all: .depcheck $(TOOLS) examples/mlp-train

# A missing library header gives one line saying what to install, not a
# wall of compiler errors.
.depcheck: Makefile
	@for h in csv.h jansson.h; do \
		printf '#include <%s>\n' $$h | $(CC) $(CPPFLAGS) -E - >/dev/null 2>&1 || { \
		echo "lrkit: <$$h> is missing; run 'make deps' as root, or: apt-get install -y $(BUILD_PKGS)" >&2; \
		exit 1; }; \
	done
	@touch $@

# Objects are rebuilt when the flags change (SAN=1 and back).
.flags: FORCE
	@echo '$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS)' > $@

$(LIBOBJ) $(TOOLS:=.o) $(CHECKS:=.o): $(HEADERS) .flags .depcheck
$(LIBOBJ) $(CHECKS:=.o): $(PRIVATE_HEADERS)
lib/plot.o lib/plot_svg.o lib/plot_text.o tests/check_plot.o: \
	lib/plot_common.h

lib/dtoa.o: lib/dtoa_pow10.h

lib/liblrkit.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(TOOLS): lib/liblrkit.a

# The example trainer for the child protocol: libc and libm only.
examples/mlp-train: examples/mlp-train.c .flags
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ examples/mlp-train.c -lm

# lr-import and its unit tests parse JSON with jansson.
tools/lr-import tests/check_import: LDLIBS += -ljansson

tools/%: tools/%.o lib/liblrkit.a
	$(CC) $(LDFLAGS) -o $@ $< lib/liblrkit.a $(LDLIBS)

tests/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c lib/liblrkit.a $(HEADERS) \
	$(PRIVATE_HEADERS) .flags
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ tests/fuzz/driver.c \
		tests/fuzz/fuzz_$*.c lib/liblrkit.a $(LDLIBS) $(FUZZ_LIBS)
$(FUZZ_REPLAY): tests/fuzz/fuzz_import.h

# make fuzz FUZZ_SECONDS=N: run each target for N seconds (clang needed).
fuzz:
	@for f in $(FUZZ); do \
		mkdir -p tests/out; \
		clang -g -O1 -fsanitize=fuzzer,address,undefined \
			-fno-sanitize-recover=undefined $(CPPFLAGS) \
			-o tests/out/fuzz_$$f tests/fuzz/fuzz_$$f.c \
			$(LIBOBJ:.o=.c) $(LDLIBS) $(FUZZ_LIBS) || exit 1; \
		mkdir -p tests/out/corpus-$$f; \
		echo "fuzz $$f: $(FUZZ_SECONDS) s"; \
		./tests/out/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 -artifact_prefix=tests/out/ \
			tests/out/corpus-$$f tests/fuzz/corpus/$$f 2>&1 | \
			grep -E 'DONE|stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|runtime error|Test unit written' ; \
	done

tests/check_%: tests/check_%.o lib/liblrkit.a
	$(CC) $(LDFLAGS) -o $@ $< lib/liblrkit.a $(LDLIBS) $(CHECK_LIBS)

.c.o:
	$(CC) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

.checkdeps:
	@printf '#include <check.h>\n' | $(CC) -E - >/dev/null 2>&1 || { \
		echo "lrkit: <check.h> is missing; run 'make deps' as root, or: apt-get install -y $(BUILD_PKGS) $(TEST_PKGS)" >&2; \
		exit 1; }
	@for c in mandoc xmllint; do command -v $$c >/dev/null || { \
		echo "lrkit: $$c is missing; run 'make deps' as root, or: apt-get install -y $(BUILD_PKGS) $(TEST_PKGS)" >&2; \
		exit 1; }; done

# Unit tests, then the end-to-end tests of every tool, then the manual.
check:
	@sh tests/deps.sh ensure $(BUILD_PKGS) $(TEST_PKGS)
	@$(MAKE) -s .checkdeps
	@mkdir -p tests/out
	@$(MAKE) all $(CHECKS) $(FUZZ_REPLAY)
	@fail=0; \
	for t in $(CHECKS); do \
		CK_VERBOSITY=normal ./$$t || fail=1; \
	done; \
	for f in $(FUZZ); do \
		./tests/fuzz/replay_$$f tests/fuzz/corpus/$$f/* || fail=1; \
	done; \
	VALGRIND='$(VALGRIND)' SAN='$(SAN)' sh tests/run.sh $(TOOLS:tools/%=%) $(SUITES) || fail=1; \
	$(MAKE) -s lint || fail=1; \
	sh tests/man-examples.sh $(MAN1) $(MAN7) || fail=1; \
	if [ $$fail = 0 ]; then echo "make check: all passed"; \
	else echo "make check: FAILED" >&2; exit 1; fi

# The cluster recipes of the README against the real programs: GNU
# parallel, and a Slurm of this one machine (munged, slurmctld and slurmd
# started from a temporary folder and stopped; as root, it installs them
# when missing and skips, saying why, where they cannot start).
check-slurm:
	@$(MAKE) -s all
	@sh tests/slurm.sh

# The manual, the layers of lib/ that lib/README draws (checked on the
# objects), and the end-to-end tests that could not fail.
lint: $(LIBOBJ)
	mandoc -Tlint -W warning $(MAN1) $(MAN7)
	sh tests/layers.sh lib/README $(LIBOBJ)
	sh tests/weak-tests.sh

deps:
	@sh tests/deps.sh install $(BUILD_PKGS) $(TEST_PKGS)

# The Debian packages, for .ci/run and for people who install by hand.
packages:
	@echo $(BUILD_PKGS) $(TEST_PKGS)

# The whole pipeline on the bundled example (outputs in demo/): the range
# test of three seeds through sweep-run, the smoothed loss, the suggested
# lr, and the picture.
demo:
	@sh tests/deps.sh ensure $(BUILD_PKGS)
	@$(MAKE) -s all
	@sh examples/demo.sh

goldens:
	sh tests/golden/regen.sh

# Every tool against its installed peers (bench/bench-*.sh; about 5 minutes
# on 2 cores, data generated in bench/out/; REPEAT=N runs each N times);
# record the tables in bench/RESULTS.md.
bench: all
	sh bench/run.sh

# Does the suggested lr train well?  Every method's suggestion against the
# best of an lr grid, on the 15 tasks of bench/quality/tasks, in sample and
# on fresh seeds, beside Optuna's studies (27 minutes on 2 cores shared
# with other work); record the tables in bench/RESULTS.md.
.PHONY: quality
quality: all
	sh bench/quality.sh

# lrk_num_format's old snprintf+strtod loop against lib/dtoa.c.
.PHONY: bench-dtoa
bench-dtoa: lib/liblrkit.a
	@mkdir -p bench/out
	$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o bench/out/dtoa-bench \
		bench/dtoa-bench.c lib/liblrkit.a $(LDLIBS)
	./bench/out/dtoa-bench

# The bash completion is one file, lrkit, and a link to it under each
# tool's name (the name bash-completion looks for).
install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 \
		$(DESTDIR)$(MANPREFIX)/man7 $(DESTDIR)$(BASHCOMPDIR)
	cp -f $(TOOLS) $(DESTDIR)$(BINDIR)/
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f $(MAN7) $(DESTDIR)$(MANPREFIX)/man7/
	cp -f completions/lrkit $(DESTDIR)$(BASHCOMPDIR)/lrkit
	for t in $(TOOLS:tools/%=%); do \
		ln -sf lrkit $(DESTDIR)$(BASHCOMPDIR)/$$t || exit 1; \
	done

uninstall:
	for t in $(TOOLS:tools/%=%); do rm -f $(DESTDIR)$(BINDIR)/$$t; done
	for m in $(MAN1:man/%=%); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$$m; done
	rm -f $(DESTDIR)$(MANPREFIX)/man7/lrkit.7
	for t in lrkit $(TOOLS:tools/%=%); do \
		rm -f $(DESTDIR)$(BASHCOMPDIR)/$$t; \
	done

clean:
	rm -f $(LIBOBJ) lib/liblrkit.a $(TOOLS) $(TOOLS:=.o) $(CHECKS) \
		$(CHECKS:=.o) examples/mlp-train .flags .depcheck
	rm -f $(FUZZ_REPLAY)
	rm -rf tests/out

FORCE:

.PHONY: all check check-slurm demo fuzz lint deps packages goldens bench install uninstall \
	clean FORCE
