#!/bin/sh
# tests/twofile.sh - examples/twofile: a program of two .co files built
# through cogen.mk.  main.co awaits, spawns, iterates (for await, a
# range-for) and passes on (yield from, in an async generator, with
# awaits on both sides, left by break and by a cancel inside the other
# file's generator) the coroutines of workers.co, knowing them only from
# the header `cogen --header` wrote (main.co declares none of them);
# the header does not declare the static coroutine's function.
# Built with gcc and clang under ASan+UBSan, the program must print
# examples/twofile/main.out.

cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
: "${COGEN:=build/cogen}"
case $COGEN in /*) ;; *) COGEN=$ROOT/$COGEN ;; esac
W=build/tests/twofile.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0
fail() {
    echo "twofile: $*"
    fails=$((fails + 1))
}

SAN="-g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
for cc in gcc clang; do
    command -v "$cc" >/dev/null 2>&1 || continue
    d=$W/$cc
    mkdir -p "$d"
    cp examples/twofile/Makefile examples/twofile/*.co "$d/"
    if ! make -C "$d" TOP="$ROOT" COGEN="$COGEN" CC="$cc" CFLAGS="$SAN" \
            LDFLAGS="$SAN" >"$d/make.log" 2>&1; then
        fail "$cc: make failed: $(grep -m2 -i error "$d/make.log")"
        continue
    fi
    grep -q 'fetch' "$d/workers.h" || fail "workers.h does not declare fetch"
    grep -q 'pump' "$d/workers.h" || fail "workers.h does not declare pump"
    grep -q 'delay_value(' "$d/workers.h" && fail "workers.h declares the static function delay_value"
    grep -Eq '(generator\([^)]*\)|async [a-z]+) +(countdown|squares|fetch|pump) *\(' "$d/main.co" &&
        fail "main.co declares a coroutine of workers.co itself"
    # yield from countdown embeds its frame, laid out by workers.h
    grep -q 'struct countdown__frame co_' "$d/main.c" ||
        fail "main.c does not hold countdown's frame for yield from"
    ASAN_OPTIONS=detect_leaks=1 timeout 20 "$d/app" >"$d/app.out" 2>"$d/app.err" </dev/null ||
        fail "the $cc program failed: $(head -n 3 "$d/app.err")"
    cmp -s examples/twofile/main.out "$d/app.out" ||
        fail "the $cc program printed something else: $(diff examples/twofile/main.out "$d/app.out" | head -n 4)"
    # a second make has nothing to do
    make -C "$d" -q TOP="$ROOT" COGEN="$COGEN" CC="$cc" CFLAGS="$SAN" LDFLAGS="$SAN" app ||
        fail "$cc: a second make would rebuild"
done

[ $fails -eq 0 ] && echo "twofile: all checks passed"
[ $fails -eq 0 ]
