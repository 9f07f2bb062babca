#!/bin/sh
# tests/pending/mock/try.sh FILE.co... - translate, build against the MOCK
# runtime (tests/pending/mock), run, diff with FILE.out.
cd "$(dirname "$0")/../../.." || exit 2
W=build/pending-mock; mkdir -p "$W"
SAN="-g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
for f in "$@"; do
    n=$(basename "$f" .co); base=${f%.co}
    if ! build/cogen "$f" -o "$W/$n.c" 2>"$W/$n.stderr"; then echo "COGEN-FAIL $f"; head -6 "$W/$n.stderr"; continue; fi
    if ! gcc -std=c11 -Wall -Wextra -Werror -Itests/pending/mock $SAN "$W/$n.c" tests/pending/mock/mock.c build/libcogen.a -lpthread -lm -o "$W/$n" 2>"$W/$n.ccerr"; then echo "CC-FAIL $f"; grep -m6 -A3 'error' "$W/$n.ccerr"; continue; fi
    timeout 20 "./$W/$n" >"$W/$n.out" 2>"$W/$n.err" </dev/null; rc=$?
    if [ $rc -eq 0 ] && cmp -s "$base.out" "$W/$n.out"; then echo "PASS $f"
    else echo "FAIL $f (rc $rc)"; diff "$base.out" "$W/$n.out" | head -15; head -8 "$W/$n.err"; fi
done
