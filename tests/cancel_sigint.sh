#!/bin/sh
# tests/cancel_sigint.sh - examples/cancel.co under a real Ctrl-C.
#
# Run as `cancel --wait`, the example starts its tasks with long sleeps
# and waits; once every task is waiting this script sends it SIGINT.  The
# loop must cancel every task (each one's defer runs), return, and the
# program must exit with status 0 within a few seconds (not when the
# sleeps would have ended), printing exactly examples/cancel.out (the
# same lines as the run without --wait, where the program sends itself
# the SIGINT).  Built with gcc and clang under ASan+UBSan: no leak.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
: "${LIB:=build/libcogen.a}"
: "${EX:=examples}"
W=build/tests/cancel_sigint.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0
fail() {
    echo "cancel_sigint: $*"
    fails=$((fails + 1))
}

if ! timeout 10 "$COGEN" "$EX/cancel.co" -o "$W/cancel.c" 2>"$W/cogen.err"; then
    echo "cancel_sigint: cogen failed:"
    sed -n '1,10p' "$W/cogen.err"
    exit 1
fi
SAN="-g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
for cc in gcc clang; do
    command -v "$cc" >/dev/null 2>&1 || continue
    exe=$W/cancel.$cc
    if ! $cc -std=c11 -Wall -Wextra -Werror -Iruntime $SAN "$W/cancel.c" "$LIB" \
            -lpthread -lm -o "$exe" 2>"$W/$cc.err"; then
        fail "$cc could not build cancel.c: $(grep -m1 error "$W/$cc.err")"
        continue
    fi
    out=$W/out.$cc
    ASAN_OPTIONS=detect_leaks=1:exitcode=23 "$exe" --wait >"$out" 2>"$W/stderr.$cc" </dev/null &
    pid=$!
    # wait (at most 10 s) until every task waits
    n=0
    until grep -q '^Waiting: 4$' "$out" 2>/dev/null; do
        n=$((n + 1))
        if [ $n -gt 100 ] || ! kill -0 $pid 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    if ! kill -0 $pid 2>/dev/null; then
        wait $pid
        fail "$cc: the program ended before the SIGINT (status $?): $(head -n 3 "$W/stderr.$cc")"
        continue
    fi
    sleep 0.2
    kill -INT $pid
    # it must end within 5 s of the SIGINT
    n=0
    while kill -0 $pid 2>/dev/null && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    if kill -0 $pid 2>/dev/null; then
        kill -KILL $pid
        wait $pid
        fail "$cc: still running 5 s after SIGINT"
        continue
    fi
    wait $pid
    rc=$?
    [ $rc -eq 0 ] || fail "$cc: exit status $rc after SIGINT, not 0: $(head -n 3 "$W/stderr.$cc")"
    cmp -s "$EX/cancel.out" "$out" ||
        fail "$cc: printed something else: $(diff "$EX/cancel.out" "$out" | head -n 6)"
done

[ $fails -eq 0 ] && echo "cancel_sigint: all checks passed"
[ $fails -eq 0 ]
