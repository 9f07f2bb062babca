#!/bin/sh
# tests/gdb.sh - the #line directives cogen writes make gdb work on the
# .co file.
#  1. A breakpoint on the `yield` of examples/fib.co's generator is hit,
#     and the backtrace names that line and the for(:) loop in main() that
#     resumed it.
#  2. For a set of programs holding every form (tools/gdblines.py): `break
#     FILE.co:L` on each line with code in a coroutine (or a range-for's
#     head) is one location, and a backtrace at each breakpoint's first hit
#     names no line past the end of its file.
# Exits 0 on success, 77 (skip) when gdb (with Python) is missing, 1
# otherwise.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
: "${LIB:=build/libcogen.a}"
# Work files go to a directory of this run's own (two runs at once must
# not delete each other's files); it is removed unless the test failed.
W=build/tests/gdb.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
if ! command -v gdb >/dev/null 2>&1 || ! gdb -nx -batch -ex 'python print(1)' >/dev/null 2>&1; then
    echo "gdb with Python not found: skipped"
    exit 77
fi
fails=0

# ---- 1. a breakpoint in a generator -----------------------------------------

line=$(grep -n 'yield b;' examples/fib.co | head -n 1 | cut -d: -f1)
main_line=$(grep -n 'for (int n : fab(5))' examples/fib.co | head -n 1 | cut -d: -f1)
[ -n "$line" ] && [ -n "$main_line" ] || { echo "gdb: cannot find the lines in examples/fib.co"; exit 1; }

timeout 10 "$COGEN" examples/fib.co -o "$W/fib.c" || { echo "gdb: cogen failed"; exit 1; }
gcc -std=c11 -g -O0 -Iruntime "$W/fib.c" "$LIB" -o "$W/fib" || { echo "gdb: gcc failed"; exit 1; }
timeout 60 gdb -nx -batch -ex "break fib.co:$line" -ex run -ex bt "$W/fib" \
    >"$W/gdb.out" 2>&1 </dev/null

if ! grep -q "^Breakpoint 1, .*fib\.co:$line\$" "$W/gdb.out"; then
    echo "gdb: did not stop at fib.co:$line; gdb said:"
    sed -n '1,20p' "$W/gdb.out"
    fails=$((fails + 1))
elif ! grep -q "^#0 .*fib\.co:$line\$" "$W/gdb.out" ||
        ! grep -q "^#[1-9].* main () at .*fib\.co:$main_line\$" "$W/gdb.out"; then
    echo "gdb: the backtrace does not show fib.co:$line under main at fib.co:$main_line:"
    grep '^#' "$W/gdb.out"
    fails=$((fails + 1))
fi

# ---- 2. every line, a set of programs ---------------------------------------

# Generators, async functions and generators, awaits in every position,
# defers, range-fors and for await, yield from, #if around yields, CRLF.
set -- examples/fib.co examples/gen_send.co examples/gen_pipeline.co \
    examples/nested.co examples/sleep_gather.co examples/async_hello.co \
    tests/run/async_generator.co tests/run/async_yield_await.co \
    tests/run/async_defer_return.co tests/run/async_recursion.co \
    tests/run/await_cond.co tests/run/await_loops.co \
    tests/run/await_shortcircuit.co tests/run/await_ternary_nested.co \
    tests/run/await_timeout.co tests/run/defer_close.co \
    tests/run/defer_nested.co tests/run/rangefor_return.co \
    tests/run/rangefor_nested.co tests/run/loop_heads.co \
    tests/run/pp_decl.co tests/run/pp_yield.co tests/run/pp_indented.co \
    tests/run/switch_yield.co \
    tests/run/yield_from_nested.co tests/run/yield_from_send.co \
    tests/run/yield_logic.co tests/run/crlf.co
checked=0
for co in "$@"; do
    n=$(basename "$co" .co)
    if ! timeout 10 "$COGEN" "$co" -o "$W/$n.c" 2>"$W/$n.err" ||
            ! gcc -std=c11 -g -O0 -Iruntime "$W/$n.c" "$LIB" -lpthread -o "$W/$n" 2>>"$W/$n.err"; then
        echo "gdb: $co does not build:"
        sed -n '1,5p' "$W/$n.err"
        fails=$((fails + 1))
        continue
    fi
    CO=$co C=$W/$n.c timeout 60 gdb -nx -batch -x tests/tools/gdblines.py "$W/$n" \
        >"$W/$n.gdb" 2>&1 </dev/null
    if ! grep -q '^gdblines: [0-9]* lines, 0 mistakes$' "$W/$n.gdb"; then
        echo "gdb: $co:"
        grep '^gdblines:' "$W/$n.gdb" || tail -n 5 "$W/$n.gdb"
        fails=$((fails + 1))
    fi
    checked=$((checked + 1))
done

[ $fails -eq 0 ] && echo "gdb: stopped at fib.co:$line under main; $checked programs: one location a line, no line past the end"
[ $fails -eq 0 ]
