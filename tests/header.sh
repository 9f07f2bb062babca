#!/bin/sh
# tests/header.sh - `cogen --header`: the header it writes declares the
# file's non-static generators (and no static one), has an include guard,
# is the same on every run, and lets plain C in another translation unit
# (tests/header/main.c) create and drive them; the program, built with
# gcc and clang under ASan and UBSan, prints tests/header/main.out.  On an
# error neither the C nor the header is written.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
: "${LIB:=build/libcogen.a}"
# Work files go to a directory of this run's own (two runs at once must
# not delete each other's files); it is removed unless the test failed.
W=build/tests/header.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0

# fail MESSAGE: record a failed check.
fail() {
    echo "header: $*"
    fails=$((fails + 1))
}

if ! timeout 10 "$COGEN" tests/header/gens.co -o "$W/gens.c" --header "$W/gens.h" 2>"$W/cogen.err"; then
    echo "header: cogen failed:"
    sed -n '1,10p' "$W/cogen.err"
    exit 1
fi
grep -q 'fib' "$W/gens.h" || fail "gens.h does not declare fib"
grep -q 'consumer' "$W/gens.h" || fail "gens.h does not declare consumer"
grep -q 'squares' "$W/gens.h" && fail "gens.h declares the static generator squares"
grep -q '^#ifndef' "$W/gens.h" || fail "gens.h has no include guard"

# Again to the same names (the C names its own file in #line).
mkdir -p "$W/again"
cp "$W/gens.h" "$W/gens.c" "$W/again/"
timeout 10 "$COGEN" tests/header/gens.co -o "$W/gens.c" --header "$W/gens.h" 2>/dev/null
cmp -s "$W/gens.h" "$W/again/gens.h" || fail "two runs wrote different headers"
cmp -s "$W/gens.c" "$W/again/gens.c" || fail "two runs wrote different C"

SAN="-g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
for cc in gcc clang; do
    command -v "$cc" >/dev/null 2>&1 || continue
    if ! $cc -std=c11 -Wall -Wextra -Werror -Iruntime -I"$W" $SAN "$W/gens.c" \
            tests/header/main.c "$LIB" -lpthread -lm -o "$W/main.$cc" 2>"$W/$cc.err"; then
        fail "$cc could not build gens.c + main.c: $(grep -m1 error "$W/$cc.err")"
        continue
    fi
    ASAN_OPTIONS=detect_leaks=1 "./$W/main.$cc" >"$W/main.$cc.out" 2>"$W/main.$cc.stderr" </dev/null ||
        fail "the $cc program failed: $(head -n 3 "$W/main.$cc.stderr")"
    cmp -s tests/header/main.out "$W/main.$cc.out" ||
        fail "the $cc program printed something else: $(diff tests/header/main.out "$W/main.$cc.out" | head -n 4)"
done

mkdir -p "$W/bad"
printf 'generator(int) g(void) {\n    return 1;\n}\n' >"$W/bad.co"
timeout 10 "$COGEN" "$W/bad.co" -o "$W/bad/bad.c" --header "$W/bad/bad.h" 2>/dev/null
rc=$?
[ $rc -eq 1 ] || fail "an input with an error exited with $rc, not 1"
[ -n "$(ls -A "$W/bad")" ] && fail "an error left files behind: $(ls -A "$W/bad")"

[ $fails -eq 0 ] && echo "header: all checks passed"
[ $fails -eq 0 ]
