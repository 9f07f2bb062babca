#!/bin/sh
# tests/gdb.sh - the #line directives cogen writes let gdb stop on a line
# of the .co file: a breakpoint on the `yield` inside the generator of
# examples/fib.co must be hit, and the backtrace must name that line and
# the for(:) loop in main() that resumed it.
# Exits 0 on success, 77 (skip) when gdb is missing, 1 otherwise.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
: "${LIB:=build/libcogen.a}"
# Work files go to a directory of this run's own (two runs at once must
# not delete each other's files); it is removed unless the test failed.
W=build/tests/gdb.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
if ! command -v gdb >/dev/null 2>&1; then
    echo "gdb not found: skipped"
    exit 77
fi
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
    exit 1
fi
if ! grep -q "^#0 .*fib\.co:$line\$" "$W/gdb.out" ||
        ! grep -q "^#[1-9].* main () at .*fib\.co:$main_line\$" "$W/gdb.out"; then
    echo "gdb: the backtrace does not show fib.co:$line under main at fib.co:$main_line:"
    grep '^#' "$W/gdb.out"
    exit 1
fi
echo "gdb: stopped at fib.co:$line, called from main at fib.co:$main_line"
exit 0
