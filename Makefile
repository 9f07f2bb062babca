# Makefile - builds cogen (the .co -> .c translator) and libcogen (its runtime).
#
# GNU make.  `make` builds build/cogen and build/libcogen.a, `make check` runs
# every test, `make examples` translates, builds and runs examples/*.co,
# `make bench` measures, `make install PREFIX=... DESTDIR=...` installs.
# The generated lexer and parser live in build/ with everything else.

CC ?= cc
CXX ?= g++
CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
AR ?= ar
RE2C ?= re2c
LEMON ?= lemon
LEMPAR ?= /usr/share/lemon/lempar.c
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man

# Fixed flags, appended after the user's: our own code builds warning-free.
WARN = -std=c11 -Wall -Wextra -Werror
# lemon's parser template leaves some parameters and a variable unused.
LEMON_WARN = -Wno-unused-parameter -Wno-unused-variable
CG_CFLAGS = $(CPPFLAGS) $(CFLAGS) $(WARN) -Icodegen -Ibuild -Iruntime
RT_CFLAGS = $(CPPFLAGS) $(CFLAGS) $(WARN) -Iruntime

VERSION = $(shell sed -n 's/^\#define COGEN_VERSION "\(.*\)"/\1/p' runtime/cogen.h)

CG_SRC = $(wildcard codegen/*.c)
CG_OBJ = $(CG_SRC:codegen/%.c=build/codegen/%.o) build/lexer.o build/parser.o
RT_SRC = $(wildcard runtime/*.c)
RT_OBJ = $(RT_SRC:runtime/%.c=build/runtime/%.o)
RT_HDR = $(wildcard runtime/*.h)
# The installed headers: the API, and the frame protocol it includes.
RT_API = runtime/cogen.h runtime/cogen_impl.h

NEED_TOOLS = @RE2C='$(RE2C)' LEMON='$(LEMON)' sh build-aux/need-tools

.SUFFIXES:
.DELETE_ON_ERROR:
.PHONY: all check stress loadcheck examples bench realc difftest fuzz install uninstall clean

all: build/cogen build/libcogen.a

# ---- the translator -----------------------------------------------------

build/cogen: $(CG_OBJ)
	$(CC) $(LDFLAGS) -o $@ $(CG_OBJ)

build/codegen/%.o: codegen/%.c codegen/cg.h build/parser.h
	@mkdir -p build/codegen
	$(CC) $(CG_CFLAGS) -c -o $@ $<

# main.c includes cogen.h for COGEN_VERSION.
build/codegen/main.o: $(RT_API)

build/lexer.o: build/lexer.c build/parser.h codegen/cg.h
	$(CC) $(CG_CFLAGS) -c -o $@ build/lexer.c

build/parser.o: build/parser.c build/parser.h codegen/cg.h
	$(CC) $(CG_CFLAGS) $(LEMON_WARN) -c -o $@ build/parser.c

# lemon writes parser.c, parser.h and parser.out, but leaves an unchanged
# parser.h with its old date; the touch keeps parser.h newer than parser.c
# so make does not run lemon again on every build.
build/parser.c: grammar/parser.y
	@mkdir -p build
	$(NEED_TOOLS)
	$(LEMON) -T$(LEMPAR) -dbuild grammar/parser.y
	@touch build/parser.h

build/parser.h: build/parser.c
	@test -f $@ || $(LEMON) -T$(LEMPAR) -dbuild grammar/parser.y

# The lexer includes parser.h for the token codes.
build/lexer.c: grammar/lexer.re build/parser.h
	$(NEED_TOOLS)
	$(RE2C) -W --no-generation-date --no-version -o $@ grammar/lexer.re

# ---- the runtime --------------------------------------------------------

build/libcogen.a: $(RT_OBJ)
	rm -f $@
	$(AR) rcs $@ $(RT_OBJ)

build/runtime/%.o: runtime/%.c $(RT_HDR)
	@mkdir -p build/runtime
	$(CC) $(RT_CFLAGS) -c -o $@ $<

# ---- tests, examples, benchmarks ----------------------------------------

check: all
	sh tests/run.sh

# The cancellation races and storms of make check, STRESS times longer,
# under ThreadSanitizer and AddressSanitizer on both backends.
STRESS ?= 10
stress: all
	COGEN_STRESS=$(STRESS) sh tests/run.sh thread/cancel_race thread/cond_storm \
		thread/storm thread/fault_sweep thread/race

# make check RUNS times in a row beside two busy loops per processor: a
# test that holds only on a quiet machine fails here.
RUNS ?= 3
loadcheck: all
	MAKE='$(MAKE)' sh tests/tools/loadcheck.sh $(RUNS)

# The examples build the way a user's project would, through cogen.mk.
examples: all
	@mkdir -p build/examples
	@$(MAKE) --no-print-directory -C build/examples \
		-f ../../build-aux/examples.mk CC='$(CC)' CFLAGS='$(CFLAGS)'

# Random programs checked against a Python model (tests/difftest/run.py):
# `make difftest N=500 SEED=1000 NO=goto,defer WITH=multidecl`.  No `N ?=`
# here: bench passes its own N.
difftest: all
	@python3 tests/difftest/run.py -n $(or $(N),100) --seed $(or $(SEED),1) \
		$(if $(NO),--no $(NO)) $(if $(WITH),--with $(WITH))

# Every workload with its peers; see bench/run.sh for the knobs, e.g.
# `make bench WORKLOADS=pingpong PP_N=1e6`.
BENCH_VARS = WORKLOADS N HO_N PP_N PP_PY_N MEM_K MEM_PY_K SPAWN_N SPAWN_PY_N \
	ECHO_N ECHO_PY_N POOL_RUNS REPEAT GO_PROCS
bench: all
	@CC='$(CC)' CXX='$(CXX)' $(foreach v,$(BENCH_VARS),$v='$($v)') \
		sh bench/run.sh

# Every function of the C files under DIR made a generator, translated and
# compiled with REALC_FLAGS (see tests/realc/realc.sh), e.g.
# `make realc DIR=../lua/src REALC_FLAGS='-std=gnu99 -DLUA_USE_LINUX'`.
REALC_FLAGS ?= -std=gnu11
realc: all
	@test -n '$(DIR)' || { echo 'usage: make realc DIR=dir [REALC_FLAGS=...]'; exit 2; }
	@CC='$(CC)' sh tests/realc/realc.sh -f '$(REALC_FLAGS) -I$(DIR)' '$(DIR)'

# ---- fuzzing ------------------------------------------------------------

# `make fuzz` builds the libFuzzer target (tests/fuzz/target.c over the
# translator's sources, without main.c) and runs it on one core for
# FUZZ_TIME seconds.  New inputs collect in build/fuzz/corpus, crashes,
# leaks and hangs in build/fuzz/crashes; the seeds are every .co file of
# examples/ and tests/, tests/fuzz/seeds and the committed corpus
# tests/fuzz/corpus.  See tests/README.md.
FUZZ_CC ?= clang
FUZZ_TIME ?= 600
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_SRC = tests/fuzz/target.c $(filter-out codegen/main.c,$(CG_SRC)) build/lexer.c build/parser.c

build/fuzz/cogen-fuzz: $(FUZZ_SRC) codegen/cg.h build/parser.h
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(LEMON_WARN) -Icodegen -Ibuild -Iruntime -o $@ $(FUZZ_SRC)

fuzz: build/fuzz/cogen-fuzz
	@rm -rf build/fuzz/seeds
	@mkdir -p build/fuzz/corpus build/fuzz/crashes build/fuzz/seeds
	@for f in examples/*.co examples/*/*.co tests/*/*.co tests/identity/*.c; do \
		cp "$$f" "build/fuzz/seeds/$$(echo "$$f" | tr / _)"; done
	build/fuzz/cogen-fuzz -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
		-dict=tests/fuzz/cogen.dict -artifact_prefix=build/fuzz/crashes/ \
		build/fuzz/corpus build/fuzz/seeds tests/fuzz/seeds tests/fuzz/corpus

# ---- install ------------------------------------------------------------

build/cogen.pc: cogen.pc.in runtime/cogen.h FORCE
	@mkdir -p build
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	    -e 's|@DATADIR@|$(DATADIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    cogen.pc.in > $@

# FORCE: the .pc holds PREFIX, which may differ from the last run's.
FORCE:

install: all build/cogen.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(DATADIR)/cogen \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 755 build/cogen $(DESTDIR)$(BINDIR)/cogen
	install -m 644 build/libcogen.a $(DESTDIR)$(LIBDIR)/libcogen.a
	install -m 644 $(RT_API) $(DESTDIR)$(INCLUDEDIR)
	install -m 644 cogen.mk $(DESTDIR)$(DATADIR)/cogen/cogen.mk
	install -m 644 build/cogen.pc $(DESTDIR)$(LIBDIR)/pkgconfig/cogen.pc
	install -m 644 docs/cogen.1 $(DESTDIR)$(MANDIR)/man1/cogen.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cogen $(DESTDIR)$(LIBDIR)/libcogen.a \
	    $(DESTDIR)$(INCLUDEDIR)/cogen.h $(DESTDIR)$(INCLUDEDIR)/cogen_impl.h \
	    $(DESTDIR)$(DATADIR)/cogen/cogen.mk \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/cogen.pc \
	    $(DESTDIR)$(MANDIR)/man1/cogen.1
	rmdir $(DESTDIR)$(DATADIR)/cogen 2>/dev/null || true

clean:
	rm -rf build
