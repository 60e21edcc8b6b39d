# SPDX-License-Identifier: MIT
# mdrill: a migration drill and chaos simulator.
#   make          build ./mdrill (installs missing Debian -dev packages first)
#   make demo     phone-not-null rolled back, then rolled forward
#   make test     every test; prints "N passed, N failed"
#   make asan     the same tests built with AddressSanitizer and UBSan
#   make fuzz     each fuzz target for FUZZ_SECONDS (libFuzzer, clang)
#   make bench    measured figures and ratios against the named baselines
#   make docs     docs/mdrill.1 and the README's command reference, from the help tables

# Every core by default; make -jN still says how many.
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)

CC ?= cc
OPT ?= -O2 -g
STD = -std=c11 -D_DEFAULT_SOURCE
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wwrite-strings -Wvla -Wformat=2 -Werror
# Evaluated when used, so after tests/deps.sh has installed what is missing.
PKG_CFLAGS = $(shell pkg-config --cflags sqlite3 libpq)
PKG_LIBS = $(shell pkg-config --libs sqlite3 libpq) -lcsv -lm
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

B ?= build
SAN ?=
ALL_CFLAGS = $(STD) $(OPT) $(WARN) $(SAN) $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

# The library, room by room: building blocks, input readers, database
# drivers, the engine, then scoring and the renderers.
BASE_SRC = sim/base/alloc.c sim/base/strbuf.c sim/base/prng.c sim/base/sqltext.c sim/base/dialect.c \
           sim/base/sha256.c
INPUT_SRC = sim/input/queries.c sim/input/scenario.c sim/input/pgbench.c sim/input/strexpr.c sim/input/fixfile.c \
            sim/input/history.c \
            sim/input/layout.c sim/input/faults.c
DB_SRC = sim/db/db.c sim/db/catalog.c sim/db/stats.c sim/db/db_sqlite.c sim/db/faultvfs.c sim/db/db_pg.c sim/db/owner.c
ENGINE_SRC = sim/engine/gen.c sim/engine/ledger.c sim/engine/seeder.c sim/engine/client.c \
             sim/engine/scheduler.c sim/engine/swarm.c
SCORING_SRC = scoring/probe.c scoring/oracle.c scoring/scorecard.c scoring/expect.c scoring/pipeline.c \
              scoring/scaffold.c scoring/trial.c scoring/shard.c scoring/jsonread.c \
              scoring/lint.c scoring/live.c scoring/loss.c scoring/record.c scoring/locks.c
REPORTS_SRC = reports/json.c reports/terminal.c reports/compare.c reports/markdown.c \
              reports/formats.c reports/html.c reports/csv.c reports/junit.c reports/esc.c \
              reports/dashboard.c reports/leaderboard.c reports/try.c
LIB_SRC = $(BASE_SRC) $(INPUT_SRC) $(DB_SRC) $(ENGINE_SRC) $(SCORING_SRC) $(REPORTS_SRC)
# The command line: main.c's table of commands, a file per command.
CLI_SRC = main.c cmd/cli.c cmd/drillopts.c cmd/list.c cmd/show.c cmd/lint.c cmd/run.c cmd/compare.c \
          cmd/check.c cmd/drill.c cmd/drillctl.c cmd/replay.c cmd/leaderboard.c cmd/gc.c cmd/help.c \
          cmd/scaffoldopts.c cmd/scaffold.c cmd/try.c cmd/merge.c
CLI_OBJ = $(CLI_SRC:%.c=$(B)/%.o)
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o)
# The same modules with cmocka's allocator, so tests catch leaks.
TLIB_OBJ = $(LIB_SRC:%.c=$(B)/t/%.o)

TESTS = test_queries test_faults test_strexpr test_history test_catalog test_scaffold test_lint test_sqltext test_layout \
        test_scenario test_prng test_ledger test_oracle test_drill test_report test_pg test_faultvfs \
        test_pgbench test_sandbox
TEST_BIN = $(TESTS:%=$(B)/tests/%)

all: mdrill

$(B)/.deps:
	@sh tests/deps.sh
	@mkdir -p $(B) && touch $@

$(B)/%.o: %.c | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/t/%.o: %.c | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DUNIT_TESTING -include tests/testalloc.h -c $< -o $@

$(B)/mdrill: $(CLI_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# ./mdrill is a copy of the build's binary; make asan tests its own in build-asan/.
mdrill: $(B)/mdrill
	cp $(B)/mdrill $@

$(B)/tests/%: tests/%.c $(TLIB_OBJ) | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DUNIT_TESTING -include tests/testalloc.h -o $@ $< $(TLIB_OBJ) \
		$(ALL_LDFLAGS) $(PKG_LIBS) $(CMOCKA_LIBS)

$(B)/bench: tests/bench.c $(LIB_OBJ) | $(B)/.deps
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS)

# MDRILL_SAN tells tests/run.sh it runs under the sanitizers (under CI=true the
# plain run also runs make asan and the fuzz targets: not again from within them).
test: $(B)/mdrill $(TEST_BIN)
	@MDRILL=$(B)/mdrill MDRILL_SAN="$(SAN)" TEST_LOGS=$(B)/test-logs sh tests/run.sh $(TEST_BIN)

# The down migration is meant to fail its drill (exit 1): say so, and stop on anything else.
demo: mdrill
	@echo "== phone-not-null, rolled back with the scenario's down migration =="
	@./mdrill run phone-not-null --down; rc=$$?; echo; \
	if [ $$rc -eq 1 ]; then echo "(exit 1, as expected: the down migration lost the phone numbers" \
		"stored during the incident, and app v2 fails without its column)"; \
	else echo "(exit $$rc: the down migration was expected to fail its drill with exit 1)"; exit 1; fi
	@echo
	@echo "== phone-not-null, rolled forward with fixes/make-nullable.sql =="
	@./mdrill run phone-not-null --fix fixes/make-nullable.sql

# The manual page and the README's command reference, from the help tables.
docs: mdrill
	./mdrill help --man >docs/mdrill.1
	./mdrill help --markdown >$(B)/help.md
	awk -v ref=$(B)/help.md '/^<!-- END mdrill help --markdown -->$$/ { skip = 0 } !skip { print } \
		/^<!-- BEGIN mdrill help --markdown -->$$/ { while ((getline l < ref) > 0) print l; skip = 1 }' \
		README.md >$(B)/README.md && mv $(B)/README.md README.md

asan:
	@$(MAKE) --no-print-directory B=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

bench: $(B)/bench mdrill
	@$(B)/bench

# The fuzz targets (tests/fuzz), built with clang's libFuzzer over the
# library built with the same sanitizers, each run for FUZZ_SECONDS.
FUZZ_CC ?= $(shell command -v clang-14 || command -v clang)
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = scenario pgbench layout csv
FUZZ_B = build-fuzz

fuzz:
	@[ -n "$(FUZZ_CC)" ] || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
	$(MAKE) B=$(FUZZ_B) CC=$(FUZZ_CC) OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined" \
		$(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz/fuzz_%)
	@sh tests/fuzz.sh $(FUZZ_B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIB_OBJ) | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(ALL_LDFLAGS) $(PKG_LIBS)

clean:
	rm -rf build build-asan build-fuzz mdrill

.PHONY: all test demo docs asan bench fuzz clean
# The test objects are not intermediates: keep them, so nothing is rebuilt or removed.
.SECONDARY:

-include $(shell find $(B) -name '*.d' 2>/dev/null)
