#!/bin/sh
# tests/prefix.sh - the translator survives every truncation of its input.
#
# Builds the driver tests/tools/prefix.c with the translator linked in,
# under AddressSanitizer and UndefinedBehaviorSanitizer (build/tests/
# prefix-asan, from codegen/*.c and the generated lexer and parser), then
# cuts each of the files below after each of its tokens and translates
# every cut (the cuts of a file in one process, a new one after a
# failure).  Each cut must give 0 or 1 within 5 s, with no signal, no
# sanitizer report and no leak.  The files are split among as many
# workers as processors.  Arguments, if any, replace the list of files.

cd "$(dirname "$0")/.." || exit 2
# Work files go to a directory of this run's own (two runs at once must
# not delete each other's files); it is removed unless the test failed.
W=build/tests/prefix.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
# The driver links the translator, built with the sanitizers.
exe=build/tests/prefix-asan
sh tests/tools/sanbuild.sh "$exe" tests/tools/prefix.c || exit 1

if [ $# -gt 0 ]; then
    files="$*"
else
    # Every example, and a handful of tests that between them hold every
    # form (all of tests/run would take minutes on two cores).
    files=$(ls examples/*.co examples/*/*.co tests/run/yield_expr.co \
        tests/run/pp_yield.co tests/run/literals.co tests/run/defer_nested.co \
        tests/run/await_operators.co tests/run/async_generator.co \
        tests/run/await_timeout.co tests/run/local_types.co \
        tests/run/loop_heads.co tests/run/yield_many.co \
        tests/run/await_ternary_nested.co 2>/dev/null)
fi
ASAN_OPTIONS=detect_leaks=1:exitcode=23
UBSAN_OPTIONS=halt_on_error=1:exitcode=24
export ASAN_OPTIONS UBSAN_OPTIONS

# Deal the files out to the workers in turn, run them, gather the results.
jobs=$(nproc 2>/dev/null || echo 2)
k=0
for f in $files; do
    echo "$f" >>"$W/list.$((k % jobs))"
    k=$((k + 1))
done
k=0
while [ $k -lt "$jobs" ]; do
    if [ -s "$W/list.$k" ]; then
        mkdir -p "$W/w$k"
        "$exe" "$W/w$k" $(cat "$W/list.$k") >"$W/result.$k" 2>&1 &
    fi
    k=$((k + 1))
done
wait

runs=0 failures=0 status=0
for r in "$W"/result.*; do
    grep -v '^prefix: [0-9]* runs' "$r" | sed -n '1,20p'
    set -- $(sed -n 's/^prefix: \([0-9]*\) runs, \([0-9]*\) failures$/\1 \2/p' "$r")
    if [ $# -ne 2 ]; then
        echo "prefix: a worker did not finish ($r)"
        status=1
        continue
    fi
    runs=$((runs + $1)) failures=$((failures + $2))
done
echo "prefix: $runs cuts of $(echo $files | wc -w) files translated, $failures failed"
[ $failures -eq 0 ] && [ $status -eq 0 ]
