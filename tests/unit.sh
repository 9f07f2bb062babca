#!/bin/sh
# tests/unit.sh - the runtime's unit tests, tests/unit/NAME.c.
#
#   sh tests/unit.sh [NAME...]      every test, or those named
#
# Each test is a C program with hand-written coroutine frames (tests/unit/
# t.h) that exits 0 when all its checks hold.  It is linked with malloc,
# calloc and realloc wrapped by t.h, which can make one of them fail
# (t_fail_alloc).  It is built against runtime/*.c twice: with gcc under
# AddressSanitizer and UndefinedBehaviorSanitizer (leak check on), and
# plainly for valgrind --leak-check=full.  Each build runs on both backends, COGEN_BACKEND=poll
# and =epoll: four runs per test, all of which must pass.  Under valgrind
# UNIT_VALGRIND=1 is set and heavy tests scale themselves down.
#
# Environment: CC (default gcc); UNIT_JOBS (runs at a time, default the
# number of processors); UNIT_NO_VALGRIND=1 skips the valgrind runs (so
# does a missing valgrind, with a note).  One line per run, then a
# summary; exit 1 when a run failed.  Work files go to build/tests/
# unit.PID and are kept only when something failed.

cd "$(dirname "$0")/.." || exit 2
: "${CC:=gcc}"
: "${UNIT_JOBS:=$(nproc 2>/dev/null || echo 2)}"
W=build/tests/unit.$$
WARN="-std=c11 -Wall -Wextra -Werror -Iruntime -Itests/unit"
SAN="-g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
PLAIN="-g -O2"
WRAP="-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

mkdir -p "$W/asan" "$W/vg" || exit 2
. tests/tools/runs.sh
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM

if [ $# -gt 0 ]; then
    tests=$*
else
    # The stress test first: it is the longest, the others fill in beside it.
    tests=$(ls tests/unit/*.c | sed 's|.*/||; s|\.c$||' | sort | awk '$0 == "stress" { print; next } { r = r " " $0 } END { print r }')
fi

modes=asan
if [ -n "$UNIT_NO_VALGRIND" ]; then
    echo "note: UNIT_NO_VALGRIND is set: no valgrind runs"
elif ! command -v valgrind >/dev/null 2>&1; then
    echo "note: valgrind not found: no valgrind runs"
else
    modes="asan vg"
fi

# ---- build ------------------------------------------------------------------

# The runtime, once per mode.
for m in $modes; do
    [ $m = asan ] && fl=$SAN || fl=$PLAIN
    build_runtime "$W/$m" "$fl" "unit ($m)"
done

fail=0
for t in $tests; do
    if [ ! -f "tests/unit/$t.c" ]; then
        echo "unit.sh: no test tests/unit/$t.c" >&2
        exit 2
    fi
    for m in $modes; do
        [ $m = asan ] && fl=$SAN || fl=$PLAIN
        if ! $CC $WARN $fl "tests/unit/$t.c" $W/$m/*.o -lpthread $WRAP \
                -o "$W/$m/$t" 2>"$W/$m/$t.build"; then
            echo "FAIL unit/$t: does not build ($m)"
            sed 's/^/    /' "$W/$m/$t.build" | head -20
            fail=1
        fi
    done
done
[ $fail -eq 0 ] || exit 1

# ---- run --------------------------------------------------------------------

# run TEST MODE BACKEND: one run; its verdict goes to a .res file.
run() {
    log=$W/$2/$1.$3.log
    if [ $2 = vg ]; then
        COGEN_BACKEND=$3 UNIT_VALGRIND=1 timeout 300 valgrind -q \
            --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
            --error-exitcode=1 "$W/vg/$1" >"$log" 2>&1 </dev/null
    else
        COGEN_BACKEND=$3 timeout 120 "$W/asan/$1" >"$log" 2>&1 </dev/null
    fi
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS unit/$1 ($2, $3)" >"$log.res"
    else
        { echo "FAIL unit/$1 ($2, $3): exit status $rc"
          tail -n 15 "$log" | sed 's/^/    /'; } >"$log.res"
    fi
}

runs_max=$UNIT_JOBS
for m in $modes; do
    for t in $tests; do
        for b in poll epoll; do
            start "$W/$m/$t.$b.log.res" run $t $m $b
        done
    done
done
finish unit
