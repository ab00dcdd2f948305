# Fuzzing limber's parsers with libFuzzer, ASan and UBSan (clang).
#
# One target per input limber reads from a file a person or another program
# wrote: tests/fuzz/fuzz-TARGET.c, with its seed corpus in
# tests/fuzz/corpus/TARGET/ (committed; an input that once crashed or hung
# goes there too, so that check-fuzz replays it, and into a unit test).
#
#   policy   the policy loader: one file applied as employer and user layers
#   values   durations, times of day, booleans, counts, percentages, lists of ids
#            and names (round trips)
#   state    limberd's state file (parse, format, parse: identical)
#   history  the history file, read through the trace reader
#   replay   limberd --replay: a trace (and optionally a policy) fed to the scheduler
#   schedule general.work-hours (round trips, and the changes it announces)
#   exercises  an exercise file (config/exercises/*.exercise and hostile ones)
#   journal  the journal of check-ins (limber log, limber journal, limber report)
#
#   make -f tests/fuzz/fuzz.mk fuzz-build    build $(FUZZ_BUILD)/fuzz-TARGET
#   make -f tests/fuzz/fuzz.mk check-fuzz    run each over its corpus only (regression, seconds)
#   make -f tests/fuzz/fuzz.mk fuzz          fuzz each for FUZZ_SECONDS, print exec/s
#
# `fuzz` works on a copy of each corpus in $(FUZZ_BUILD)/corpus-TARGET (kept
# between runs, so new inputs accumulate there and never in the repository);
# crashes, timeouts and the logs land in $(FUZZ_BUILD). FUZZ_TARGETS=… picks
# targets; a hang counts as a crash after FUZZ_TIMEOUT seconds.
#
# Include it from the main Makefile, or run it on its own from the top of the
# tree: every path is relative to the repository root, every name starts
# with FUZZ_ or fuzz.

FUZZ_TARGETS ?= policy values state history replay schedule exercises journal

FUZZ_BUILD ?= build/fuzz
FUZZ_SECONDS ?= 120
FUZZ_TIMEOUT ?= 10
FUZZ_NICE ?= nice -n 19
FUZZ_CC ?= clang
PKG_CONFIG ?= pkg-config

FUZZ_DIR = tests/fuzz
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 \
	-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-D_GNU_SOURCE -Iconfig -Idaemon $(shell $(PKG_CONFIG) --cflags inih)
FUZZ_LIBS = $(shell $(PKG_CONFIG) --libs inih json-c) -lpthread

# The project sources each target needs, and nothing else.
FUZZ_SRCS_values = config/value.c
FUZZ_SRCS_policy = config/policy.c config/schema.c config/schedule.c config/localtime.c config/value.c config/diag.c config/util.c config/log.c
FUZZ_SRCS_state = daemon/state.c daemon/clock.c daemon/scheduler.c config/human.c config/policy.c config/schema.c config/schedule.c config/value.c \
	config/diag.c config/util.c config/log.c config/events.c config/localtime.c
FUZZ_SRCS_history = config/trace.c config/events.c config/localtime.c config/schema.c config/schedule.c config/value.c \
	config/util.c
FUZZ_SRCS_replay = daemon/replay.c daemon/scheduler.c config/human.c config/trace.c config/events.c config/localtime.c \
	config/policy.c config/schema.c config/schedule.c config/value.c config/diag.c config/util.c config/log.c
FUZZ_SRCS_schedule = config/schedule.c config/localtime.c config/value.c config/util.c
FUZZ_SRCS_exercises = config/exercises.c config/schema.c config/schedule.c config/localtime.c config/value.c config/diag.c config/util.c config/log.c
FUZZ_SRCS_journal = config/journal.c config/userstate.c config/localtime.c config/value.c config/util.c

FUZZ_HEADERS = $(wildcard config/*.h daemon/*.h)
FUZZ_BINS = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz-%)

ifeq ($(V),1)
FUZZ_Q =
else
FUZZ_Q = @
endif

.PHONY: fuzz-build check-fuzz fuzz

fuzz-build: $(FUZZ_BINS)

define FUZZ_RULE
$(FUZZ_BUILD)/fuzz-$(1): $(FUZZ_DIR)/fuzz-$(1).c $(FUZZ_SRCS_$(1)) $(FUZZ_HEADERS) $(FUZZ_DIR)/fuzz.mk
	@mkdir -p $$(@D)
	@command -v $(FUZZ_CC) >/dev/null || { echo "error: $(FUZZ_CC) not found (install clang)" >&2; exit 1; }
	@$(PKG_CONFIG) --exists inih || \
		{ echo "error: the pkg-config package 'inih' is missing (install libinih-dev)" >&2; exit 1; }
	@printf '  %-6s %s\n' CCLD $$@
	$(FUZZ_Q)$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ $(FUZZ_DIR)/fuzz-$(1).c $(FUZZ_SRCS_$(1)) $$(FUZZ_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_RULE,$(t))))

# Every corpus input once, no mutation: a crash, a leak or a hang fails.
# -artifact_prefix keeps libFuzzer's crash files out of the tree.
check-fuzz: $(FUZZ_BINS)
	@failed=; for t in $(FUZZ_TARGETS); do \
		printf '  %-6s %s\n' FUZZ "$$t (corpus: $$(ls $(FUZZ_DIR)/corpus/$$t | wc -l) inputs)"; \
		if ! $(FUZZ_BUILD)/fuzz-$$t -runs=0 -timeout=$(FUZZ_TIMEOUT) -artifact_prefix=$(FUZZ_BUILD)/check-$$t- \
				$(FUZZ_DIR)/corpus/$$t \
				>$(FUZZ_BUILD)/check-$$t.log 2>&1; then \
			tail -n 40 $(FUZZ_BUILD)/check-$$t.log; \
			echo "error: fuzz-$$t failed on its corpus (log: $(FUZZ_BUILD)/check-$$t.log)" >&2; \
			failed="$$failed $$t"; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then echo "check-fuzz: failed:$$failed" >&2; exit 1; fi

# Fuzz each target in turn for FUZZ_SECONDS, then a summary: executions per
# second, coverage and features at the start and at the end, new inputs.
fuzz: $(FUZZ_BINS)
	@failed=; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus-$$t; \
		cp -n $(FUZZ_DIR)/corpus/$$t/* $(FUZZ_BUILD)/corpus-$$t/ 2>/dev/null; \
		dict=; [ -f $(FUZZ_DIR)/$$t.dict ] && dict=-dict=$(FUZZ_DIR)/$$t.dict; \
		printf '  %-6s %s\n' FUZZ "$$t for $(FUZZ_SECONDS) s (log: $(FUZZ_BUILD)/fuzz-$$t.log)"; \
		if ! $(FUZZ_NICE) $(FUZZ_BUILD)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
				-timeout=$(FUZZ_TIMEOUT) -artifact_prefix=$(FUZZ_BUILD)/$$t- $$dict $(FUZZ_BUILD)/corpus-$$t \
				>$(FUZZ_BUILD)/fuzz-$$t.log 2>&1; then \
			tail -n 60 $(FUZZ_BUILD)/fuzz-$$t.log; \
			echo "error: fuzz-$$t crashed; the input is $(FUZZ_BUILD)/$$t-crash-* (or -timeout-, -leak-)" >&2; \
			failed="$$failed $$t"; \
		fi; \
	done; \
	printf '\n%-8s %6s %10s %8s %12s %12s %6s\n' target seconds execs exec/s cov ft new; \
	for t in $(FUZZ_TARGETS); do \
		awk -v t=$$t ' \
			function get(k, i) { for (i = 1; i < NF; i++) if ($$i == k) return $$(i + 1) } \
			/INITED/ { c0 = get("cov:"); f0 = get("ft:") } \
			/^#[0-9]+.*cov:/ { c = get("cov:"); f = get("ft:") } \
			/^stat::number_of_executed_units:/ { n = $$2 } \
			/^stat::average_exec_per_sec:/ { e = $$2 } \
			/^stat::new_units_added:/ { u = $$2 } \
			/^Done [0-9]+ runs in/ { s = $$(NF - 1) } \
			END { printf "%-8s %6s %10s %8s %12s %12s %6s\n", t, s, n, e, c0 "->" c, f0 "->" f, u }' \
			$(FUZZ_BUILD)/fuzz-$$t.log; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashed:$$failed" >&2; exit 1; fi
