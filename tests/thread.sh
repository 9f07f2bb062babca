#!/bin/sh
# tests/thread.sh - the threaded tests, under ThreadSanitizer.
#
#   sh tests/thread.sh [NAME...]     every test, or those named
#
# A test is tests/thread/NAME.co with NAME.out beside it (translated by
# build/cogen; its stdout must equal NAME.out) or tests/thread/NAME.c
# (built against runtime/*.c; it must exit 0).  The examples that use
# threads (THREADED below) are tests too, with their examples/NAME.out.
# Each is built twice with gcc: under ThreadSanitizer, and under
# AddressSanitizer + UndefinedBehaviorSanitizer (which also checks that
# nothing leaks); each build runs on the poll and the epoll backend.  A
# test that includes tests/unit/t.h is linked with its allocation-failure
# wrappers (malloc, calloc and realloc wrapped, as in unit.sh).  One
# line per run, then a summary; exit 1 when a run failed.  Work files go
# to build/tests/thread.PID and are kept only when something failed.
#
# Environment: CC (default gcc), COGEN (default build/cogen),
# THREAD_JOBS (runs at a time, default the number of processors).

cd "$(dirname "$0")/.." || exit 2
: "${CC:=gcc}"
: "${COGEN:=build/cogen}"
: "${THREAD_JOBS:=$(nproc 2>/dev/null || echo 2)}"
THREADED="race_counter thread_loop"
W=build/tests/thread.$$
WARN="-std=c11 -Wall -Wextra -Werror -Iruntime -Itests/unit"
TSAN="-g -O1 -fsanitize=thread"
WRAP="-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc"
ASAN="-g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

[ -x "$COGEN" ] || { echo "thread.sh: $COGEN is missing: run 'make all' first" >&2; exit 2; }
mkdir -p "$W/tsan" "$W/asan" || exit 2
. tests/tools/runs.sh
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM

# src_of NAME: the test's source file.
src_of() {
    for f in tests/thread/$1.co tests/thread/$1.c examples/$1.co; do
        [ -f "$f" ] && { echo "$f"; return; }
    done
}

if [ $# -gt 0 ]; then
    tests=$*
else
    tests="$(ls tests/thread/*.co tests/thread/*.c 2>/dev/null | sed 's|.*/||; s|\.co$||; s|\.c$||' | sort -u) $THREADED"
fi

# ---- build --------------------------------------------------------------------

for m in tsan asan; do
    [ $m = tsan ] && fl=$TSAN || fl=$ASAN
    build_runtime "$W/$m" "$fl" "thread ($m)"
done

fail=0
for t in $tests; do
    src=$(src_of "$t")
    if [ -z "$src" ]; then
        echo "thread.sh: no test $t" >&2
        exit 2
    fi
    c=$src
    case $src in
    *.co)
        c=$W/$t.c
        if ! "$COGEN" "$src" -o "$c" 2>"$W/$t.cogen"; then
            echo "FAIL thread/$t: cogen failed"
            sed 's/^/    /' "$W/$t.cogen" | head -20
            fail=1
            continue
        fi ;;
    esac
    # A test with t.h's allocation-failure wrappers links with them.
    wrap=
    grep -q '^#include ".*t\.h"' "$src" && wrap=$WRAP
    for m in tsan asan; do
        [ $m = tsan ] && fl=$TSAN || fl=$ASAN
        if ! $CC $WARN $fl "$c" $W/$m/*.o -lpthread -lm $wrap \
                -o "$W/$m/$t" 2>"$W/$m/$t.build"; then
            echo "FAIL thread/$t: does not build ($m)"
            sed 's/^/    /' "$W/$m/$t.build" | head -20
            fail=1
        fi
    done
done
[ $fail -eq 0 ] || exit 1

# ---- run ----------------------------------------------------------------------

# run TEST MODE BACKEND: one run; its verdict goes to a .res file.
run() {
    log=$W/$2/$1.$3
    COGEN_BACKEND=$3 timeout 300 "$W/$2/$1" >"$log.out" 2>"$log.err" </dev/null
    rc=$?
    exp=
    src=$(src_of "$1")
    case $src in *.co) exp=${src%.co}.out ;; esac
    if [ $rc -ne 0 ]; then
        { echo "FAIL thread/$1 ($2, $3): exit status $rc"
          tail -n 25 "$log.err" | sed 's/^/    /'; } >"$log.res"
    elif [ -n "$exp" ] && ! cmp -s "$exp" "$log.out"; then
        { echo "FAIL thread/$1 ($2, $3): printed something else"
          diff -u "$exp" "$log.out" | sed -n '3,14s/^/    /p'; } >"$log.res"
    else
        echo "PASS thread/$1 ($2, $3)" >"$log.res"
    fi
}

runs_max=$THREAD_JOBS
for t in $tests; do
    for m in tsan asan; do
        for b in poll epoll; do
            start "$W/$m/$t.$b.res" run $t $m $b
        done
    done
done
finish thread
