#!/bin/sh
# tests/include.sh - cogen follows #include for typedef names: -I and
# -isystem (joined or not, -I searched first), -nostdinc, #include_next, a missing
# header (and then no hint for an unknown await), an include cycle, the compiler's own directories found without
# asking it (CC that does not run), and cogen.mk passing them from
# CPPFLAGS.  offsetof with those names inside a generator parses only when
# the header was found (a cast could go by its shape), so each check is a
# translation that must succeed (or, without the option, fail).
cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
ROOT=$(pwd)
W=build/tests/include.$$
mkdir -p "$W/inc" "$W/sys" "$W/src"
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
[ -x "$COGEN" ] || { echo "include: $COGEN is missing"; exit 1; }
case $COGEN in /*) ;; *) COGEN=$ROOT/$COGEN ;; esac
fails=0
fail() { echo "include: $*"; fails=$((fails + 1)); }

cat >"$W/inc/ulg.h" <<'H'
#pragma once
#include "cycle.h"
typedef struct { long a, b; } ulg_t;
H
cat >"$W/inc/cycle.h" <<'H'
#pragma once
#include "ulg.h"
H
cat >"$W/inc/both.h" <<'H'
typedef struct { long a, b; } first_t;
#include_next <both.h>
H
cat >"$W/sys/both.h" <<'H'
typedef struct { long a, b; } next_t;
H
cat >"$W/sys/sys.h" <<'H'
typedef struct { long a, b; } sys_t;
H
cat >"$W/src/use.co" <<'C'
#include <ulg.h>
#include <both.h>
#include <sys.h>
#ifdef NEVER    /* cogen reads every branch; a missing header is skipped */
#include <no_such_header_anywhere.h>
#include "no_such_local_header.h"
#endif
#include <cogen.h>
generator(long) g(int n)
{
    yield n + (long)__builtin_offsetof(ulg_t, b);
    yield (long)__builtin_offsetof(first_t, b);
    yield (long)__builtin_offsetof(next_t, b);
    yield (long)__builtin_offsetof(sys_t, b);
}
C
cat >"$W/src/regex.co" <<'C'
#include <regex.h>
#include <cogen.h>
generator(long) g(int n) { yield n + (long)__builtin_offsetof(regmatch_t, rm_eo); }
C

# An await of a name near an awaitable a header declares is a typo, unless
# a header cogen did not find may declare the name.
cat >"$W/src/work.h" <<'H'
struct t_work__frame;
void t_work__init(int ms, struct t_work__frame *f);
H
cat >"$W/src/typo.co" <<'C'
#include "work.h"
async int run(void) { return await t_wrok(1); }
C
cat >"$W/src/unseen.co" <<'C'
#include "work.h"
#include "not_here.h"
async int run(void) { return await t_wrok(1); }
C

# translate NAME ARGS...: cogen on src/NAME.co, status in $rc.
translate() {
    n=$1; shift
    timeout 10 "$COGEN" "$@" "$W/src/$n.co" -o "$W/$n.c" 2>"$W/$n.err"
    rc=$?
}

translate use
[ $rc -eq 1 ] || fail "without -I the casts parsed (status $rc)"
translate use -I "$W/inc" -isystem "$W/sys"
[ $rc -eq 0 ] || fail "-I DIR -isystem DIR: status $rc: $(head -n 1 "$W/use.err")"
translate use "-I$W/inc" "-isystem$W/sys"
[ $rc -eq 0 ] || fail "-IDIR -isystemDIR: status $rc: $(head -n 1 "$W/use.err")"
# -isystem is searched after every -I, whatever their order.
translate use -isystem "$W/sys" -I "$W/inc"
[ $rc -eq 0 ] || fail "-isystem before -I: status $rc: $(head -n 1 "$W/use.err")"
translate use -I "$W/sys" -I "$W/inc"
[ $rc -eq 1 ] || fail "#include_next found first_t in the wrong order (status $rc)"
gcc -std=c11 -fsyntax-only -Iruntime -I "$W/inc" -isystem "$W/sys" "$W/use.c" 2>"$W/use.gcc" ||
    fail "the generated C does not compile: $(head -n 1 "$W/use.gcc")"

# A system header, with the compiler's directories asked of it and known
# without it.
translate regex
[ $rc -eq 0 ] || fail "<regex.h>: status $rc: $(head -n 1 "$W/regex.err")"
CC=/nonexistent/cc translate regex
[ $rc -eq 0 ] || fail "<regex.h> with CC that does not run: status $rc: $(head -n 1 "$W/regex.err")"
translate regex -nostdinc
[ $rc -eq 1 ] || fail "-nostdinc still found <regex.h> (status $rc)"

translate typo
[ $rc -eq 1 ] && grep -q "did you mean 't_work'" "$W/typo.err" ||
    fail "await of a misspelt awaitable: status $rc: $(head -n 1 "$W/typo.err")"
translate unseen
[ $rc -eq 0 ] || fail "a header not found may declare the name: status $rc: $(head -n 1 "$W/unseen.err")"

# cogen.mk passes -I and -isystem from CPPFLAGS.
cat >"$W/Makefile" <<'M'
include ../../../cogen.mk
CPPFLAGS = -DX=1 -I inc -isystem sys
all: src/use.c
M
if ! make -s -C "$W" COGEN="$COGEN" >"$W/make.out" 2>&1; then
    fail "cogen.mk did not pass CPPFLAGS' -I and -isystem: $(head -n 3 "$W/make.out")"
fi

[ $fails -eq 0 ]
