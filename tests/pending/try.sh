#!/bin/sh
# tests/pending/try.sh - work-in-progress runner for the pending async tests
# (not scanned by tests/run.sh).  For each FILE.co given: translate it, build
# it with gcc under ASan+UBSan, run it and diff its stdout with FILE.out (run
# and examples), or compare cogen's stderr with FILE.err (err, warn).
cd "$(dirname "$0")/../.." || exit 2
W=build/pending; mkdir -p "$W"
SAN="-g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
for f in "$@"; do
    n=$(basename "$f" .co); d=$(dirname "$f"); base=${f%.co}
    case $d in
    */err|*/warn)
        build/cogen "$f" -o "$W/$n.c" 2>"$W/$n.stderr"; rc=$?
        if [ -e "$base.err" ] && cmp -s "$base.err" "$W/$n.stderr"; then echo "PASS $f (rc $rc)"
        else echo "DIFF $f (rc $rc)"; cat "$W/$n.stderr" | head -20; fi ;;
    *)
        if ! build/cogen "$f" -o "$W/$n.c" 2>"$W/$n.stderr"; then echo "COGEN-FAIL $f"; head -8 "$W/$n.stderr"; continue; fi
        if ! gcc -std=c11 -Wall -Wextra -Werror -Iruntime $SAN "$W/$n.c" build/libcogen.a -lpthread -lm -o "$W/$n" 2>"$W/$n.ccerr"; then echo "CC-FAIL $f"; head -12 "$W/$n.ccerr"; continue; fi
        timeout 20 "./$W/$n" >"$W/$n.out" 2>"$W/$n.err" </dev/null; rc=$?
        if [ $rc -eq 0 ] && cmp -s "$base.out" "$W/$n.out"; then echo "PASS $f"
        else echo "FAIL $f (rc $rc)"; diff "$base.out" "$W/$n.out" | head -15; head -8 "$W/$n.err"; fi ;;
    esac
done
