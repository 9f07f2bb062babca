#!/bin/sh
# tests/fib_pool.sh - the thread pool really runs in parallel.
#
# Builds examples/fib_pool.co with gcc -O2 and runs it: fib(25..39) one
# coroutine after another on the loop, then each on the pool with
# co_run_in_thread.  The program prints "speedup: X" on stderr; with two
# or more cores the pool must be at least 1.5 times as fast.  It has up
# to five tries, so that a run disturbed by the machine does not fail
# the test.  Each run's stdout must equal examples/fib_pool.out.  With
# one core there is nothing to measure: exit 77.  tests/run.sh runs
# scripts alone, so the other tests do not take the cores meanwhile.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
: "${LIB:=build/libcogen.a}"
MIN=1.5
W=build/tests/fib_pool.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM

cores=$(nproc 2>/dev/null || echo 1)
if [ "$cores" -lt 2 ]; then
    echo "fib_pool: one core, no parallel speedup to measure"
    exit 77
fi

if ! timeout 10 "$COGEN" examples/fib_pool.co -o "$W/fib_pool.c" 2>"$W/cogen.err"; then
    echo "fib_pool: cogen failed:"
    sed -n '1,10p' "$W/cogen.err"
    exit 1
fi
if ! gcc -std=c11 -Wall -Wextra -Werror -Iruntime -O2 "$W/fib_pool.c" "$LIB" \
        -lpthread -lm -o "$W/fib_pool" 2>"$W/gcc.err"; then
    echo "fib_pool: gcc could not build it:"
    sed -n '1,10p' "$W/gcc.err"
    exit 1
fi

best=0
for i in 1 2 3 4 5; do
    if ! timeout 60 "$W/fib_pool" >"$W/out" 2>"$W/err" </dev/null; then
        echo "fib_pool: run $i failed:"
        sed -n '1,10p' "$W/err"
        exit 1
    fi
    if ! cmp -s examples/fib_pool.out "$W/out"; then
        echo "fib_pool: run $i printed something else:"
        diff examples/fib_pool.out "$W/out" | head -n 6
        exit 1
    fi
    s=$(sed -n 's/^speedup: //p' "$W/err")
    case $s in
    [0-9]*) ;;
    *) echo "fib_pool: no speedup on stderr:"; cat "$W/err"; exit 1 ;;
    esac
    sed 's/^/  /' "$W/err"
    best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (b > a ? b : a) }')
    awk -v s="$best" -v m="$MIN" 'BEGIN { exit !(s >= m) }' && break
done

if awk -v s="$best" -v m="$MIN" 'BEGIN { exit !(s >= m) }'; then
    echo "fib_pool: speedup $best on $cores cores (at least $MIN)"
    exit 0
fi
echo "fib_pool: speedup $best on $cores cores, less than $MIN"
exit 1
