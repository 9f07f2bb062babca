#!/bin/sh
# tests/fuzz.sh - the fuzzer's finds stay fixed.
#
# Builds the fuzz target (tests/fuzz/target.c) with its replay driver
# (tests/fuzz/replay.c) under AddressSanitizer and UndefinedBehaviorSanitizer
# with gcc (build/tests/fuzz-replay), then feeds it, in one process, the
# committed corpus tests/fuzz/corpus/, the hand-written seeds of
# tests/fuzz/seeds/ and every crash input of tests/fuzz/crashes/.  Passes
# when the replay ends with status 0 within 60 s: no sanitizer report, no
# leak, no abort of the target's own oracle.
# Arguments, if any, replace the list of inputs.

cd "$(dirname "$0")/.." || exit 2
W=build/tests/fuzz.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
exe=build/tests/fuzz-replay
sh tests/tools/sanbuild.sh "$exe" tests/fuzz/target.c tests/fuzz/replay.c || exit 1

if [ $# -eq 0 ]; then
    set -- $(ls tests/fuzz/corpus/* tests/fuzz/crashes/* tests/fuzz/seeds/* 2>/dev/null |
        grep -v '/README\.md$')
fi
[ $# -gt 0 ] || { echo "fuzz: no inputs"; exit 1; }
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    timeout 60 "$exe" "$@" >"$W/replay.out" 2>"$W/replay.err"
rc=$?
if [ $rc -ne 0 ]; then
    echo "fuzz: replay failed (status $rc) on $(grep -v '^replay:' "$W/replay.out" | tail -n 1):"
    sed -n '1,30p' "$W/replay.err"
    exit 1
fi
tail -n 1 "$W/replay.out"
