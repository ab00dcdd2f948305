# limber — a break scheduler for Linux desktops.
#
#   make            build limberd and limber (optimised, no sanitizers) into build/
#   make run        install missing Debian packages, build, run limberd in the foreground
#   make check      install missing Debian packages, build ASan/UBSan copies, run every test
#   make install    PREFIX=/usr/local DESTDIR=… (never runs systemctl, never overwrites a file in /etc)
#   make deps       install the Debian packages the build and the tests need
#   make deb        the Debian package, in build/deb/ (make rpm: the RPM, in build/rpm/)
#   make fuzz       fuzz each parser for FUZZ_SECONDS (default 120) with libFuzzer
#   make bench      benchmarks, limberd next to Workrave and Safe Eyes (installs them), the tray's cost,
#                   its memory in German
#   make pot        regenerate po/limber.pot from the sources and merge it into po/*.po
#   make check-po   fail when po/limber.pot is stale or a catalogue is incomplete (part of make check)
#   make pictures   render the exercise pictograms and the tray icons to PNG, with contact sheets, in build/pictures/

VERSION := 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SYSCONFDIR ?= /etc
DOCDIR ?= $(DATADIR)/doc/limber

PKG_CONFIG ?= pkg-config
CC ?= cc
CFLAGS ?= -O2 -g
BUILD ?= build

VENDORDIR = $(LIBDIR)/limber/policy.d
EMPLOYERDIR = $(SYSCONFDIR)/limber/policy.d
TIPSDIR = $(DATADIR)/limber
EXERCISESDIR = $(DATADIR)/limber/exercises
LOCALEDIR = $(DATADIR)/locale
EMPLOYER_EXERCISESDIR = $(SYSCONFDIR)/limber/exercises.d
ICONDIR = $(DATADIR)/icons/hicolor

# Install directories of other packages, from their pkg-config files with our
# prefix; evaluated only when installing. Override any of them on the command line.
pkgvar = $(or $(shell $(PKG_CONFIG) --define-variable=prefix=$(PREFIX) --define-variable=datadir=$(DATADIR) \
                --variable=$(2) $(1) 2>/dev/null),$(3))
USERUNITDIR ?= $(call pkgvar,systemd,systemduserunitdir,$(LIBDIR)/systemd/user)
DBUS_SERVICES_DIR ?= $(call pkgvar,dbus-1,session_bus_services_dir,$(DATADIR)/dbus-1/services)
DBUS_INTERFACES_DIR ?= $(call pkgvar,dbus-1,interfaces_dir,$(DATADIR)/dbus-1/interfaces)
BASH_COMPLETIONS_DIR ?= $(call pkgvar,bash-completion,completionsdir,$(DATADIR)/bash-completion/completions)
FISH_COMPLETIONS_DIR ?= $(call pkgvar,fish,completionsdir,$(DATADIR)/fish/vendor_completions.d)
ZSH_COMPLETIONS_DIR ?= $(if $(filter /usr,$(PREFIX)),$(DATADIR)/zsh/vendor-completions,$(DATADIR)/zsh/site-functions)
AUTOSTARTDIR ?= $(SYSCONFDIR)/xdg/autostart

PKGS = libsystemd dbus-1 libnotify inih json-c wayland-client wayland-protocols wayland-scanner xcb xcb-sync

# The libraries each part builds with, from pkg-config. Set any of these
# variables on the command line to build without pkg-config. They are
# recursive (`=`), so pkg-config runs when a recipe uses them (once per
# compile or link, a few ms) and never while make reads this file: `make deps`
# works on a machine without the -dev packages, and `make run` builds with
# the packages its `deps` has just installed. $(PKGCHECK) checks first that
# every package is there, and names the one that is not.
CONFIG_CFLAGS = $(shell $(PKG_CONFIG) --cflags inih libsystemd)
CONFIG_LIBS = $(shell $(PKG_CONFIG) --libs inih)
DAEMON_CFLAGS = $(shell $(PKG_CONFIG) --cflags libsystemd libnotify json-c inih wayland-client xcb xcb-sync)
DAEMON_LIBS = $(shell $(PKG_CONFIG) --libs libsystemd libnotify json-c inih wayland-client xcb xcb-sync)
CLI_CFLAGS = $(shell $(PKG_CONFIG) --cflags libsystemd json-c inih)
CLI_LIBS = $(shell $(PKG_CONFIG) --libs libsystemd json-c inih)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)
WAYLAND_SCANNER = $(shell $(PKG_CONFIG) --variable=wayland_scanner wayland-scanner)
WAYLAND_PROTOCOLS = $(shell $(PKG_CONFIG) --variable=pkgdatadir wayland-protocols)

WARN = -Werror=implicit-function-declaration -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 -Wno-unused-parameter -Wno-missing-field-initializers
# Paths compiled in go through a generated header that changes (and so
# rebuilds what uses it) only when they do: `make PREFIX=/usr install` after
# a plain `make` does not install binaries that look in /usr/local.
BUILD_CONFIG = $(BUILD)/build-config.h
DEFS = -D_GNU_SOURCE -include $(BUILD_CONFIG)
ALL_CFLAGS = -std=gnu11 $(WARN) $(DEFS) -Iconfig -MMD -MP $(CPPFLAGS) $(CFLAGS)

ifeq ($(WERROR),1)
ALL_CFLAGS += -Werror
endif

ifeq ($(SANITIZE),1)
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ALL_CFLAGS += $(SAN) -O1
LDFLAGS += $(SAN)
endif

CONFIG_SRCS = config/value.c config/schema.c config/policy.c config/diag.c config/util.c config/log.c config/ini-edit.c \
	config/schedule.c config/human.c config/i18n.c \
	config/events.c config/localtime.c config/trace.c config/bus-dict.c config/exercises.c \
	config/userstate.c config/journal.c config/activity.c
CLI_SRCS = cli/main.c cli/args.c cli/words.c cli/policy-cmd.c cli/client.c cli/status.c cli/control.c cli/stats.c cli/set.c \
	cli/exercises.c cli/journal.c cli/pacing.c cli/forget.c cli/report.c
DAEMON_SRCS = daemon/main.c daemon/engine.c daemon/calendar.c daemon/scheduler.c daemon/status.c daemon/replay.c daemon/clock.c \
	daemon/state.c daemon/history.c daemon/tips.c daemon/guide.c daemon/prompt.c daemon/notifier.c daemon/presence.c \
	daemon/idle-backend.c daemon/idle-mutter.c daemon/idle-screensaver.c daemon/idle-wayland.c \
	daemon/idle-wayland-ext.c daemon/idle-wayland-kde.c daemon/idle-x11.c \
	daemon/logind.c daemon/quiet.c daemon/quiet-mako.c daemon/quiet-swaync.c daemon/quiet-xfce.c daemon/quiet-gnome.c \
	daemon/bus.c daemon/dbus-util.c daemon/policy-watch.c daemon/checkin.c \
	daemon/tray.c daemon/tray-menu.c daemon/notice.c

CONFIG_OBJS = $(CONFIG_SRCS:%.c=$(BUILD)/%.o)
# The languages limber speaks (po/LINGUAS) and their compiled catalogues.
LINGUAS := $(shell cat po/LINGUAS)
MO_FILES = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/limber.mo)
CLI_OBJS = $(CLI_SRCS:%.c=$(BUILD)/%.o)
# Wayland protocol glue, generated at build time from the wayland-protocols
# package (ext-idle-notify-v1) and plasma-wayland-protocols (KDE's idle.xml,
# the older protocol of sway 1.7 and wlroots ≤ 0.16).
GEN = $(BUILD)/gen
PLASMA_PROTOCOLS = /usr/share/plasma-wayland-protocols
WAYLAND_GLUE = ext-idle-notify-v1 kde-idle
DAEMON_OBJS = $(DAEMON_SRCS:%.c=$(BUILD)/%.o) $(WAYLAND_GLUE:%=$(GEN)/%-protocol.o)

# The simulated user for the KWin tests (tests/desktops).
FAKE_INPUT_XML = $(PLASMA_PROTOCOLS)/fake-input.xml
TEST_TOOLS = $(BUILD)/tests/desktops/fake-input

$(GEN)/fake-input-client-protocol.h: | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)$(WAYLAND_SCANNER) client-header $(FAKE_INPUT_XML) $@

$(GEN)/fake-input-protocol.c: | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)$(WAYLAND_SCANNER) private-code $(FAKE_INPUT_XML) $@

$(BUILD)/tests/desktops/fake-input: tests/desktops/fake-input.c $(GEN)/fake-input-protocol.o \
		$(GEN)/fake-input-client-protocol.h
	@mkdir -p $(@D)
	$(say) CCLD $@
	$(Q)$(CC) $(ALL_CFLAGS) -I$(GEN) $(DAEMON_CFLAGS) $(LDFLAGS) -o $@ $< $(GEN)/fake-input-protocol.o $(DAEMON_LIBS)

# The simulated user for the sway tests: wlroots' virtual pointer and
# keyboard (the protocol files are in tests/desktops: Debian packages none).
TEST_TOOLS += $(BUILD)/tests/desktops/virtual-input
VIRTUAL_INPUT_GLUE = virtual-pointer virtual-keyboard
.SECONDARY: $(VIRTUAL_INPUT_GLUE:%=$(GEN)/%-protocol.c)

$(GEN)/virtual-%-client-protocol.h: tests/desktops/virtual-%.xml | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)$(WAYLAND_SCANNER) client-header $< $@

$(GEN)/virtual-%-protocol.c: tests/desktops/virtual-%.xml | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)$(WAYLAND_SCANNER) private-code $< $@

$(BUILD)/tests/desktops/virtual-input: tests/desktops/virtual-input.c $(VIRTUAL_INPUT_GLUE:%=$(GEN)/%-protocol.o) \
		$(VIRTUAL_INPUT_GLUE:%=$(GEN)/%-client-protocol.h)
	@mkdir -p $(@D)
	$(say) CCLD $@
	$(Q)$(CC) $(ALL_CFLAGS) -I$(GEN) $(DAEMON_CFLAGS) $(LDFLAGS) -o $@ $< $(VIRTUAL_INPUT_GLUE:%=$(GEN)/%-protocol.o) \
		$(DAEMON_LIBS)

# An LD_PRELOAD shim that moves the wall clock, for tests/faults.
TEST_TOOLS += $(BUILD)/tests/faults/clockshift.so

$(BUILD)/tests/faults/clockshift.so: tests/faults/clockshift.c
	@mkdir -p $(@D)
	$(say) CCLD $@
	$(Q)$(CC) -std=gnu11 -Wall -Wextra -O2 -fPIC -shared -o $@ $< -ldl

UNIT_TESTS = test-value test-policy test-scheduler test-state test-ini-edit test-trace test-exercises test-schedule test-guide \
	test-journal test-human
UNIT_BINS = $(UNIT_TESTS:%=$(BUILD)/tests/unit/%)

PKGCHECK = $(BUILD)/.pkgcheck

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q =
say = @true
else
Q = @
say = @printf '  %-6s %s\n'
endif

.PHONY: all clean deps run check check-unit check-integration check-desktops check-notifiers check-e2e check-faults \
	check-session check-report check-tray check-po pot install uninstall bench deb rpm pictures
.DEFAULT_GOAL := all

MANPAGES = $(BUILD)/man/limberd.8 $(BUILD)/man/limber.1 $(BUILD)/man/limber.ini.5 $(BUILD)/man/limber.exercise.5

SYSTEMD_FILES = $(BUILD)/systemd/limberd.service $(BUILD)/systemd/org.limber.Limber1.service \
	$(BUILD)/systemd/limberd.desktop

all: $(BUILD)/limberd $(BUILD)/limber $(MANPAGES) $(SYSTEMD_FILES) $(MO_FILES)

$(BUILD)/systemd/%: systemd/%.in $(BUILD_CONFIG)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)sed -e 's|@bindir@|$(BINDIR)|g' $< > $@

$(BUILD)/man/%: daemon/%.scd
	@mkdir -p $(@D)
	$(say) SCDOC $@
	$(Q)scdoc < $< > $@

$(BUILD)/man/%: cli/%.scd
	@mkdir -p $(@D)
	$(say) SCDOC $@
	$(Q)scdoc < $< > $@

$(BUILD)/man/%: config/%.scd
	@mkdir -p $(@D)
	$(say) SCDOC $@
	$(Q)scdoc < $< > $@

.PHONY: FORCE
$(BUILD_CONFIG): FORCE
	@mkdir -p $(@D)
	@printf '#define LIMBER_VERSION "%s"\n#define LIMBER_VENDOR_DIR "%s"\n#define LIMBER_EMPLOYER_DIR "%s"\n#define LIMBER_TIPS_DIR "%s"\n#define LIMBER_BINDIR "%s"\n' \
		'$(VERSION)' '$(VENDORDIR)' '$(EMPLOYERDIR)' '$(TIPSDIR)' '$(BINDIR)' > $@.tmp
	@printf '#define LIMBER_EXERCISES_DIR "%s"\n#define LIMBER_EMPLOYER_EXERCISES_DIR "%s"\n#define LIMBER_LOCALE_DIR "%s"\n' \
		'$(EXERCISESDIR)' '$(EMPLOYER_EXERCISESDIR)' '$(LOCALEDIR)' >> $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(PKGCHECK):
	@mkdir -p $(@D)
	@command -v $(PKG_CONFIG) >/dev/null || { echo "error: $(PKG_CONFIG) not found (run 'make deps' or install pkg-config)" >&2; exit 1; }
	@for p in $(PKGS); do \
		$(PKG_CONFIG) --exists $$p || { echo "error: the pkg-config package '$$p' is missing (run 'make deps', or install its -dev package)" >&2; exit 1; }; \
	done
	@[ -r $(PLASMA_PROTOCOLS)/idle.xml ] || { echo "error: $(PLASMA_PROTOCOLS)/idle.xml is missing (run 'make deps', or install plasma-wayland-protocols)" >&2; exit 1; }
	@touch $@

$(BUILD)/config/%.o: config/%.c $(BUILD_CONFIG) | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) $(CONFIG_CFLAGS) -c -o $@ $<

$(BUILD)/cli/%.o: cli/%.c $(BUILD_CONFIG) | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) $(CLI_CFLAGS) -c -o $@ $<

$(BUILD)/daemon/%.o: daemon/%.c $(BUILD_CONFIG) | $(PKGCHECK) $(WAYLAND_GLUE:%=$(GEN)/%-client-protocol.h)
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -Idaemon -I$(GEN) $(DAEMON_CFLAGS) -c -o $@ $<

$(GEN)/ext-idle-notify-v1-client-protocol.h: | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)$(WAYLAND_SCANNER) client-header $(WAYLAND_PROTOCOLS)/staging/ext-idle-notify/ext-idle-notify-v1.xml $@

$(GEN)/ext-idle-notify-v1-protocol.c: | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)$(WAYLAND_SCANNER) private-code $(WAYLAND_PROTOCOLS)/staging/ext-idle-notify/ext-idle-notify-v1.xml $@

$(GEN)/kde-idle-client-protocol.h: | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)$(WAYLAND_SCANNER) client-header $(PLASMA_PROTOCOLS)/idle.xml $@

$(GEN)/kde-idle-protocol.c: | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)$(WAYLAND_SCANNER) private-code $(PLASMA_PROTOCOLS)/idle.xml $@

$(GEN)/%.o: $(GEN)/%.c
	$(say) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) $(DAEMON_CFLAGS) -c -o $@ $<

$(BUILD)/libconfig.a: $(CONFIG_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/limberd: $(DAEMON_OBJS) $(BUILD)/libconfig.a
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS) -lpthread

$(BUILD)/limber: $(CLI_OBJS) $(BUILD)/libconfig.a
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(CLI_LIBS) -lpthread

# ---- tests ------------------------------------------------------------------

$(BUILD)/tests/unit/%.o: tests/unit/%.c $(BUILD_CONFIG) | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -Idaemon $(DAEMON_CFLAGS) -c -o $@ $<

# One rule links every unit test: its object, the daemon objects it tests,
# and libconfig.a. A new test goes into UNIT_TESTS; one that tests daemon
# code names those objects in TEST_OBJS_<test>. (.SECONDEXPANSION lets the
# rule's prerequisites name TEST_OBJS_$* of the test at hand.)
TEST_OBJS_test-scheduler = $(BUILD)/daemon/scheduler.o
TEST_OBJS_test-state = $(BUILD)/daemon/state.o $(BUILD)/daemon/clock.o $(BUILD)/daemon/scheduler.o
TEST_OBJS_test-guide = $(BUILD)/daemon/guide.o

.SECONDEXPANSION:
$(UNIT_BINS): $(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $$(TEST_OBJS_$$*) $(BUILD)/libconfig.a
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(CONFIG_LIBS) $(CMOCKA_LIBS) -lpthread

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; LIMBER_SRCDIR=$(CURDIR) $$t; done

# The binaries under test: ASan/UBSan copies in their own build directory.
CHECK_BUILD = build/asan

PYTEST = /usr/bin/python3 -m pytest
TEST_ENV = LIMBER_BUILD=$(CURDIR)/$(BUILD) LIMBER_SRCDIR=$(CURDIR) \
	ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# (test_checkin moves limberd's wall clock with the fault tests' shim.)
check-integration: all $(BUILD)/tests/faults/clockshift.so
	$(TEST_ENV) $(PYTEST) -q -p no:cacheprovider tests/integration

# limberd against real compositors, headless: GNOME mutter, KDE KWin, sway 1.7
# (as an unprivileged user: it refuses root) and an X server.
check-desktops: all $(TEST_TOOLS)
	$(TEST_ENV) $(PYTEST) -q -p no:cacheprovider tests/desktops

# A real notification server on a virtual screen: Xvfb and dunst. The
# screenshot of the prompt is kept in $(BUILD)/test-output/e2e/.
check-e2e: all
	LIMBER_TEST_OUTPUT=$(CURDIR)/$(BUILD)/test-output $(TEST_ENV) $(PYTEST) -q -p no:cacheprovider tests/e2e

# limber report on a four-week fixture, rendered by headless Chromium to a
# PNG (kept in $(BUILD)/test-output/report/) and to PDF (one A4 page).
check-report: all
	LIMBER_TEST_OUTPUT=$(CURDIR)/$(BUILD)/test-output $(TEST_ENV) $(PYTEST) -q -p no:cacheprovider tests/report

# Real notification servers and their do-not-disturb switches: mako and
# swaync drawn on sway 1.7, xfce4-notifyd on Xvfb with its xfconfd, GNOME's
# show-banners in the real dconf service. Screenshots of the prompts are
# kept in $(BUILD)/test-output/notifiers/.
check-notifiers: all $(TEST_TOOLS)
	LIMBER_TEST_OUTPUT=$(CURDIR)/$(BUILD)/test-output $(TEST_ENV) $(PYTEST) -q -p no:cacheprovider tests/notifiers

# What a session can throw at limberd: backends and the bus going away,
# kill -9, an unwritable state directory, clock jumps, hostile callers.
check-faults: all $(TEST_TOOLS)
	$(TEST_ENV) $(PYTEST) -q -p no:cacheprovider tests/faults

# The tray icon in a real host: waybar's tray on a headless sway 1.7, run as
# an unprivileged user. The screenshots (the icon, paused, after waybar
# restarts, a due break) are kept in $(BUILD)/test-output/tray/.
check-tray: all
	LIMBER_TEST_OUTPUT=$(CURDIR)/$(BUILD)/test-output $(TEST_ENV) $(PYTEST) -q -p no:cacheprovider tests/tray

# A real systemd: this machine's own root booted as a container
# (systemd-nspawn, over a throw-away overlay) with the package `make deb`
# builds installed, a user logged in to a graphical session on Xvfb, and
# limberd run by that user's systemd, as shipped and under
# systemd/hardening.conf. Skips, loudly, only where nspawn cannot run; under
# CI=true that is a failure (LIMBER_SESSION_MAY_SKIP=1 allows it).
check-session: deb
	LIMBER_DEB_DIR=$(CURDIR)/$(DEB_DIR) LIMBER_TEST_OUTPUT=$(CURDIR)/$(BUILD)/test-output \
		$(PYTEST) -q -p no:cacheprovider tests/session

check: deps
	$(MAKE) BUILD=$(CHECK_BUILD) SANITIZE=1 WERROR=1 all check-po check-unit check-fuzz check-integration check-desktops \
		check-notifiers check-e2e check-report check-faults check-tray check-session

# ---- translations --------------------------------------------------------------
#
# Everything a person reads is marked in the sources (config/i18n.h); the
# tips are one message each. po/limber.pot is the template (make pot
# rewrites it), po/LANG.po the catalogues, compiled into
# $(BUILD)/locale/LANG/LC_MESSAGES/limber.mo (LIMBER_LOCALEDIR points the
# programs there in tests). make check-po fails when the template is stale
# or a catalogue is incomplete.

POT_SRCS = $(sort $(CLI_SRCS) $(DAEMON_SRCS) $(CONFIG_SRCS)) cli/args.h
XGETTEXT = xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=D_ --keyword=C_:1c,2 \
	--keyword=ngettext:1,2 --add-comments=TRANSLATORS: --package-name=limber --package-version=$(VERSION) \
	--msgid-bugs-address=https://github.com/limber/limber/issues --sort-by-file

$(BUILD)/locale/%/LC_MESSAGES/limber.mo: po/%.po
	@mkdir -p $(@D)
	$(say) MSGFMT $@
	$(Q)msgfmt --check-format -o $@ $<

# The tips, one message each, as a C file xgettext reads (config/tips.c,
# found in $(BUILD)/pot): their locations name the tips file's lines.
$(BUILD)/pot/config/tips.c: config/tips
	@mkdir -p $(@D)
	$(Q)awk '/^#/ || /^\[/ || /^[[:space:]]*$$/ { print ""; next } \
		{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); print "N_(\"" $$0 "\");" }' $< > $@

$(BUILD)/pot/limber.pot: $(POT_SRCS) $(wildcard config/*.h daemon/*.h cli/*.h) $(BUILD)/pot/config/tips.c
	$(say) XGETTEXT $@
	$(Q)$(XGETTEXT) -D . -D $(BUILD)/pot -o $@ $(POT_SRCS) config/tips.c

pot: $(BUILD)/pot/limber.pot
	cp $< po/limber.pot
	for l in $(LINGUAS); do msgmerge --quiet --update --backup=none po/$$l.po po/limber.pot; done

# The template matches the sources (but for its creation date and the
# source lines it points at, which every edit moves), and every
# catalogue translates every message, with nothing fuzzy.
check-po: $(BUILD)/pot/limber.pot
	@grep -v -e '^"POT-Creation-Date:' -e '^#: ' $< > $(BUILD)/pot/new.pot; \
	grep -v -e '^"POT-Creation-Date:' -e '^#: ' po/limber.pot > $(BUILD)/pot/old.pot; \
	if ! cmp -s $(BUILD)/pot/new.pot $(BUILD)/pot/old.pot; then \
		diff -u $(BUILD)/pot/old.pot $(BUILD)/pot/new.pot | head -40; \
		echo "error: po/limber.pot is stale: run 'make pot' and translate what changed" >&2; exit 1; fi
	@set -e; for l in $(LINGUAS); do \
		stats=$$(LC_ALL=C msgfmt -c --check-format --statistics -o /dev/null po/$$l.po 2>&1); \
		echo "  po/$$l.po: $$stats"; \
		case "$$stats" in *fuzzy*|*untranslated*) echo "error: po/$$l.po is incomplete" >&2; exit 1;; esac; \
		msgcmp po/$$l.po po/limber.pot || { echo "error: po/$$l.po lacks messages of po/limber.pot" >&2; exit 1; }; \
	done

# ---- fuzzing ------------------------------------------------------------------
#
# make check replays each fuzzer's corpus (check-fuzz, seconds); make fuzz
# mutates for FUZZ_SECONDS per target and prints exec/s. See tests/fuzz/fuzz.mk.

include tests/fuzz/fuzz.mk

fuzz: deps

# ---- benchmarks (not part of make check) -----------------------------------

$(BUILD)/tests/bench/%.o: tests/bench/%.c $(BUILD_CONFIG) | $(PKGCHECK)
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -Idaemon $(DAEMON_CFLAGS) -c -o $@ $<

$(BUILD)/tests/bench/bench-scheduler: $(BUILD)/tests/bench/bench-scheduler.o $(BUILD)/daemon/scheduler.o \
		$(BUILD)/daemon/replay.o $(BUILD)/libconfig.a
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS) -lpthread

bench: deps all $(BUILD)/tests/bench/bench-scheduler $(TEST_TOOLS)
	LIMBER_BUILD=$(BUILD) tests/bench/run-replay.sh
	LIMBER_BUILD=$(CURDIR)/$(BUILD) /usr/bin/python3 tests/bench/bench-cli.py
	LIMBER_BUILD=$(CURDIR)/$(BUILD) /usr/bin/python3 tests/bench/bench-tray.py
	@echo "limberd's memory in the C locale and in German (LANGUAGE=de), a prompt shown:"
	LIMBER_BUILD=$(CURDIR)/$(BUILD) /usr/bin/python3 tests/bench/bench-i18n.py
	LIMBER_BUILD=$(CURDIR)/$(BUILD) /usr/bin/python3 tests/bench/bench-peers.py \
		--json $(CURDIR)/$(BUILD)/bench-peers.json
	@echo "limberd's wakeups under the real compositors, a minute idle (35 s after going idle) and a minute active:"
	@LIMBER_DESKTOP_WINDOW=60 LIMBER_DESKTOP_SETTLE=35 LIMBER_BUILD=$(CURDIR)/$(BUILD) LIMBER_SRCDIR=$(CURDIR) \
		$(PYTEST) -q -s -p no:cacheprovider tests/desktops -k "test_mutter or test_kwin or test_sway or test_x11" \
		> $(BUILD)/bench-desktops.log 2>&1; rc=$$?; \
		grep -E 'wakeups/min|passed|failed' $(BUILD)/bench-desktops.log; exit $$rc
	@echo "limberd's wakeups during a guided movement break (three exercises, a closing step), with the user away:"
	@set -e; for strace in 1 ""; do \
		LIMBER_BENCH_STRACE=$$strace LIMBER_BUILD=$(CURDIR)/$(BUILD) LIMBER_SRCDIR=$(CURDIR) \
		$(PYTEST) -q -s -p no:cacheprovider tests/integration/test_guided.py -k wakeups \
		> $(BUILD)/bench-guided.log 2>&1 || { cat $(BUILD)/bench-guided.log; exit 1; }; \
		grep -E '^guided movement break' $(BUILD)/bench-guided.log; done

# ---- the tray icons ---------------------------------------------------------

# Full colour into hicolor's scalable/apps, one colour (for panels that
# recolour icons) into symbolic/apps.
TRAY_ICONS = $(sort $(filter-out %-symbolic.svg,$(wildcard config/icons/*.svg)))
TRAY_SYMBOLIC_ICONS = $(sort $(wildcard config/icons/*-symbolic.svg))

# ---- the exercise catalogue -------------------------------------------------

# The shipped exercises and their pictograms, installed side by side.
EXERCISE_FILES = $(sort $(wildcard config/exercises/*.exercise config/exercises/*.svg))
EXERCISE_PICTURES = $(filter %.svg,$(EXERCISE_FILES))

# Each pictogram at the size a notification shows it (64 px), and a contact
# sheet of all of them, labelled where DejaVu Sans is installed.
PICTURES_DIR = $(BUILD)/pictures
SHEET_FONT = /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
pictures: deps $(EXERCISE_PICTURES) $(TRAY_ICONS) $(TRAY_SYMBOLIC_ICONS)
	@mkdir -p $(PICTURES_DIR)
	@set -e; for f in $(EXERCISE_PICTURES); do \
		rsvg-convert -w 64 -h 64 $$f -o $(PICTURES_DIR)/$$(basename $$f .svg).png; done
	montage $(if $(wildcard $(SHEET_FONT)),-font $(SHEET_FONT) -pointsize 9 -label '%t') \
		$(EXERCISE_PICTURES:config/exercises/%.svg=$(PICTURES_DIR)/%.png) \
		-tile 4x -geometry 64x64+52+6 -background '#7f7f7f' $(PICTURES_DIR)/contact-sheet.png
	@echo "contact sheet: $(PICTURES_DIR)/contact-sheet.png"
	@mkdir -p $(PICTURES_DIR)/icons
	@set -e; for f in $(TRAY_ICONS) $(TRAY_SYMBOLIC_ICONS); do for s in 16 22 24 48; do \
		rsvg-convert -w $$s -h $$s $$f -o $(PICTURES_DIR)/icons/$$(basename $$f .svg)-$$s.png; done; done
	montage $(foreach f,$(TRAY_ICONS) $(TRAY_SYMBOLIC_ICONS),$(foreach s,16 22 24 48,$(PICTURES_DIR)/icons/$(notdir $(f:.svg=))-$(s).png)) \
		-tile 8x -geometry '+8+8' -gravity center -background '#5a5a5a' $(PICTURES_DIR)/icons/sheet.png
	@echo "tray icons: $(PICTURES_DIR)/icons/sheet.png"

# ---- installing -------------------------------------------------------------
#
# Never runs systemctl, and never overwrites a file under /etc: the employer's
# policy.d is created empty, and an existing autostart entry is kept.

install: all
	install -Dm755 $(BUILD)/limberd $(DESTDIR)$(BINDIR)/limberd
	install -Dm755 $(BUILD)/limber $(DESTDIR)$(BINDIR)/limber
	install -Dm644 $(BUILD)/man/limber.1 $(DESTDIR)$(MANDIR)/man1/limber.1
	install -Dm644 $(BUILD)/man/limber.ini.5 $(DESTDIR)$(MANDIR)/man5/limber.ini.5
	install -Dm644 $(BUILD)/man/limber.exercise.5 $(DESTDIR)$(MANDIR)/man5/limber.exercise.5
	install -Dm644 $(BUILD)/man/limberd.8 $(DESTDIR)$(MANDIR)/man8/limberd.8
	install -Dm644 $(BUILD)/systemd/limberd.service $(DESTDIR)$(USERUNITDIR)/limberd.service
	install -Dm644 $(BUILD)/systemd/org.limber.Limber1.service \
		$(DESTDIR)$(DBUS_SERVICES_DIR)/org.limber.Limber1.service
	install -Dm644 daemon/org.limber.Limber1.xml $(DESTDIR)$(DBUS_INTERFACES_DIR)/org.limber.Limber1.xml
	install -Dm644 config/limber.ini $(DESTDIR)$(VENDORDIR)/00-limber.ini
	install -Dm644 config/tips $(DESTDIR)$(TIPSDIR)/tips
	install -d $(DESTDIR)$(EXERCISESDIR)
	install -m644 $(EXERCISE_FILES) $(DESTDIR)$(EXERCISESDIR)/
	install -d $(DESTDIR)$(ICONDIR)/scalable/apps $(DESTDIR)$(ICONDIR)/symbolic/apps
	install -m644 $(TRAY_ICONS) $(DESTDIR)$(ICONDIR)/scalable/apps/
	install -m644 $(TRAY_SYMBOLIC_ICONS) $(DESTDIR)$(ICONDIR)/symbolic/apps/
	install -d $(DESTDIR)$(DOCDIR)/examples
	install -m644 config/examples/*.ini $(DESTDIR)$(DOCDIR)/examples/
	install -m644 systemd/hardening.conf $(DESTDIR)$(DOCDIR)/examples/hardening.conf
	install -Dm644 cli/completions/limber.bash $(DESTDIR)$(BASH_COMPLETIONS_DIR)/limber
	install -Dm644 cli/completions/_limber $(DESTDIR)$(ZSH_COMPLETIONS_DIR)/_limber
	install -Dm644 cli/completions/limber.fish $(DESTDIR)$(FISH_COMPLETIONS_DIR)/limber.fish
	install -d $(DESTDIR)$(EMPLOYERDIR) $(DESTDIR)$(EMPLOYER_EXERCISESDIR)
	for l in $(LINGUAS); do \
		install -Dm644 $(BUILD)/locale/$$l/LC_MESSAGES/limber.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/limber.mo; done
	@if [ -e $(DESTDIR)$(AUTOSTARTDIR)/limberd.desktop ]; then \
		echo "kept the existing $(DESTDIR)$(AUTOSTARTDIR)/limberd.desktop"; \
	else \
		echo install -Dm644 $(BUILD)/systemd/limberd.desktop $(DESTDIR)$(AUTOSTARTDIR)/limberd.desktop; \
		install -Dm644 $(BUILD)/systemd/limberd.desktop $(DESTDIR)$(AUTOSTARTDIR)/limberd.desktop; \
	fi

# The autostart entry is compared with the one this tree builds.
uninstall: $(BUILD)/systemd/limberd.desktop
	rm -f $(DESTDIR)$(BINDIR)/limberd $(DESTDIR)$(BINDIR)/limber \
		$(DESTDIR)$(MANDIR)/man1/limber.1 $(DESTDIR)$(MANDIR)/man5/limber.ini.5 \
		$(DESTDIR)$(MANDIR)/man5/limber.exercise.5 $(DESTDIR)$(MANDIR)/man8/limberd.8 \
		$(DESTDIR)$(USERUNITDIR)/limberd.service $(DESTDIR)$(DBUS_SERVICES_DIR)/org.limber.Limber1.service \
		$(DESTDIR)$(DBUS_INTERFACES_DIR)/org.limber.Limber1.xml $(DESTDIR)$(VENDORDIR)/00-limber.ini \
		$(DESTDIR)$(TIPSDIR)/tips $(DESTDIR)$(DOCDIR)/examples/standard.ini $(DESTDIR)$(DOCDIR)/examples/strict.ini \
		$(DESTDIR)$(DOCDIR)/examples/hardening.conf \
		$(DESTDIR)$(BASH_COMPLETIONS_DIR)/limber $(DESTDIR)$(ZSH_COMPLETIONS_DIR)/_limber \
		$(DESTDIR)$(FISH_COMPLETIONS_DIR)/limber.fish \
		$(addprefix $(DESTDIR)$(EXERCISESDIR)/,$(notdir $(EXERCISE_FILES))) \
		$(addprefix $(DESTDIR)$(ICONDIR)/scalable/apps/,$(notdir $(TRAY_ICONS))) \
		$(addprefix $(DESTDIR)$(ICONDIR)/symbolic/apps/,$(notdir $(TRAY_SYMBOLIC_ICONS))) \
		$(LINGUAS:%=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/limber.mo)
	-rmdir $(DESTDIR)$(VENDORDIR) $(DESTDIR)$(LIBDIR)/limber $(DESTDIR)$(EXERCISESDIR) $(DESTDIR)$(TIPSDIR) \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null
	@# The autostart entry goes only if it is still the one we installed.
	@if cmp -s $(BUILD)/systemd/limberd.desktop $(DESTDIR)$(AUTOSTARTDIR)/limberd.desktop; then \
		rm -f $(DESTDIR)$(AUTOSTARTDIR)/limberd.desktop; fi

# ---- the Debian package ------------------------------------------------------

# A package build starts from a clean slate: none of this make's own
# settings (`make check` passes BUILD=, SANITIZE=1, WERROR=1, which reach
# every make below through the environment) go into a package.
PKG_BUILD_ENV = env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL -u BUILD -u SANITIZE -u WERROR

# Built from a copy of the working tree, so nothing lands outside build/.
# The copy builds in its own build/: our BUILD (PKG_BUILD_ENV) must not
# reach it, or its `make clean` would remove $(BUILD), the copy with it.
DEB_DIR = $(BUILD)/deb
deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/limber-$(VERSION)
	tar -c --exclude=./build --exclude=./.git . | tar -x -C $(DEB_DIR)/limber-$(VERSION)
	cd $(DEB_DIR)/limber-$(VERSION) && $(PKG_BUILD_ENV) dpkg-buildpackage -us -uc -b
	lintian --fail-on error $(DEB_DIR)/limber_$(VERSION)_*.deb

# ---- the RPM package ---------------------------------------------------------

# rpm/limber.spec, built with Debian's rpmbuild from a tarball of the working
# tree (what `rpmbuild -tb` takes on Fedora or RHEL), so nothing lands outside
# build/. Build dependencies are not checked (--nodeps: Debian's rpm database
# is empty, DEBS provides them); rpm/macros.debian adds what Fedora's
# redhat-rpm-config does (debuginfo packages), and rpmlint reads Fedora's
# view of the packaging guidelines from rpm/rpmlint.toml.
RPM_DIR = $(BUILD)/rpm
rpm:
	rm -rf $(RPM_DIR) && mkdir -p $(RPM_DIR)/SOURCES
	tar -c --exclude=./build --exclude=./.git --transform 's,^\.,limber-$(VERSION),' . \
		| gzip -n > $(RPM_DIR)/SOURCES/limber-$(VERSION).tar.gz
	$(PKG_BUILD_ENV) rpmbuild -ba --nodeps --load rpm/macros.debian --define '_topdir $(abspath $(RPM_DIR))' \
		rpm/limber.spec
	rpmlint --config rpm/rpmlint.toml rpm/limber.spec $(RPM_DIR)/SRPMS/limber-$(VERSION)-*.src.rpm \
		$(RPM_DIR)/RPMS/*/limber-$(VERSION)-*.rpm

# ---- running ----------------------------------------------------------------

# limberd in the foreground with the default policy: the built-in values only
# (an empty --root for the system directories, no user file), the tips and
# the exercises from config/, state and history under $(RUN_DIR). It joins the session bus when
# there is one and brings its own otherwise (a bare console, ssh). Ctrl-C
# stops it; it prints the exports with which `limber` in another shell talks
# to it and edits the policy it reads. A service
# manager's NOTIFY_SOCKET goes to limberd alone, never to a bus we start.
RUN_DIR ?= $(BUILD)/run
run: deps all
	@mkdir -p $(RUN_DIR)/root $(RUN_DIR)/config $(RUN_DIR)/state
	@export XDG_CONFIG_HOME="$(abspath $(RUN_DIR)/config)" XDG_STATE_HOME="$(abspath $(RUN_DIR)/state)" \
		LIMBER_TIPS="$(abspath config/tips)" LIMBER_EXERCISES="$(abspath config/exercises)" \
		LIMBER_LOCALEDIR="$(abspath $(BUILD)/locale)"; \
	set -- "$(abspath $(BUILD)/limberd)" --root "$(abspath $(RUN_DIR)/root)"; \
	echo "limberd with the default policy (state in $(RUN_DIR)/state); Ctrl-C stops it."; \
	if [ -n "$$DBUS_SESSION_BUS_ADDRESS" ] || [ -S "$${XDG_RUNTIME_DIR:-/nonexistent}/bus" ]; then \
		echo "From another shell (limber status, set, stats, ...):"; \
		echo "  export XDG_CONFIG_HOME=$$XDG_CONFIG_HOME XDG_STATE_HOME=$$XDG_STATE_HOME LIMBER_EXERCISES=$$LIMBER_EXERCISES LIMBER_LOCALEDIR=$$LIMBER_LOCALEDIR"; \
		echo "  $(abspath $(BUILD))/limber status"; exec "$$@"; fi; \
	echo "No session bus here, so limberd gets a private one. From another shell (limber status, set, stats, ...):"; \
	exec env -u NOTIFY_SOCKET dbus-run-session -- env NOTIFY_SOCKET="$${NOTIFY_SOCKET-}" sh -c \
		'[ -n "$$NOTIFY_SOCKET" ] || unset NOTIFY_SOCKET; \
		echo "  export XDG_CONFIG_HOME=$$XDG_CONFIG_HOME XDG_STATE_HOME=$$XDG_STATE_HOME LIMBER_EXERCISES=$$LIMBER_EXERCISES LIMBER_LOCALEDIR=$$LIMBER_LOCALEDIR DBUS_SESSION_BUS_ADDRESS=$$DBUS_SESSION_BUS_ADDRESS"; \
		echo "  $(abspath $(BUILD))/limber status"; exec "$$@"' sh "$$@"

# ---- Debian packages --------------------------------------------------------

# Everything the build and the tests need, on Debian 12.
DEBS = build-essential pkg-config libsystemd-dev libdbus-1-dev libnotify-dev libinih-dev libjson-c-dev \
       gettext locales libcmocka-dev scdoc libwayland-dev wayland-protocols libxcb1-dev libxcb-sync-dev \
       dbus dbus-daemon python3 python3-pytest python3-dbus python3-gi python3-dbusmock \
       bash-completion zsh fish bsdutils man-db groff-base python3-seccomp desktop-file-utils \
       util-linux systemd debhelper dpkg-dev fakeroot lintian tzdata \
       mutter kwin-wayland wayland-utils plasma-wayland-protocols sway grim \
       mako-notifier jq sway-notification-center xfce4-notifyd xfconf dconf-cli dconf-service \
       gsettings-desktop-schemas libglib2.0-bin fonts-dejavu-core \
       xvfb dunst imagemagick python3-pil xdotool clang libclang-rt-14-dev librsvg2-bin \
       systemd-container dbus-user-session rpm rpmlint elfutils cpio librsvg2-common strace chromium poppler-utils \
       waybar

# One dpkg-query for the whole list; apt-get only for what is missing.
deps:
	@installed=" $$(dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(DEBS) 2>/dev/null | sed -n 's/^ii  *//p' | tr '\n' ' ')"; \
	missing=; for p in $(DEBS); do case "$$installed" in *" $$p "*) ;; *) missing="$${missing:+$$missing }$$p" ;; esac; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing missing Debian packages:" $$missing; \
		if [ "$$(id -u)" != 0 ]; then echo "error: run 'make deps' as root (or: sudo apt-get install $$missing)" >&2; exit 1; fi; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends $$missing \
		|| { apt-get update -o DPkg::Lock::Timeout=600 && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends $$missing; }; \
	fi

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) \( -path $(BUILD)/deb -o -path $(BUILD)/rpm \) -prune -o -type f -name '*.d' -print 2>/dev/null)
