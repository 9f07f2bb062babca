#!/bin/sh
# tests/identity.sh - a file with no coroutine form translates to itself,
# byte for byte.
#
# 1. tests/identity/idents.c, plain C that uses yield, await, async,
#    generator, defer and from as ordinary identifiers, translates to itself
#    and builds and runs with gcc, printing tests/identity/idents.out.
# 2. Every *.h under /usr/include (IDENTITY_DIR to change it) translates to
#    itself.  The headers are split among as many workers as processors.
# Exits 0 when all is well; otherwise prints what differed.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
: "${IDENTITY_DIR:=/usr/include}"
# Work files go to a directory of this run's own (two runs at once must
# not delete each other's files); it is removed unless the test failed.
W=build/tests/identity.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
[ -x "$COGEN" ] || { echo "identity: $COGEN is missing"; exit 1; }
# A copy: a rebuild of build/cogen while this runs must not fail it.
cp "$COGEN" "$W/cogen" && COGEN=$W/cogen
fails=0

# ---- typo_words.c: names that look like misspelt keywords, no cogen.h --------

if ! timeout 10 "$COGEN" tests/identity/typo_words.c -o "$W/typo_words.c" 2>"$W/typo.err" ||
        ! cmp -s tests/identity/typo_words.c "$W/typo_words.c"; then
    echo "identity: tests/identity/typo_words.c did not translate to itself:"
    sed -n '1,10p' "$W/typo.err"
    fails=$((fails + 1))
fi

# ---- idents.c --------------------------------------------------------------

if ! timeout 10 "$COGEN" tests/identity/idents.c -o "$W/idents.c" 2>"$W/idents.err"; then
    echo "identity: cogen refused tests/identity/idents.c:"
    sed -n '1,10p' "$W/idents.err"
    fails=$((fails + 1))
elif ! cmp -s tests/identity/idents.c "$W/idents.c"; then
    echo "identity: tests/identity/idents.c did not translate to itself:"
    diff -u tests/identity/idents.c "$W/idents.c" | sed -n '3,14p'
    fails=$((fails + 1))
fi
if ! gcc -std=c11 -Wall -Wextra -Werror -g tests/identity/idents.c \
        -o "$W/idents" 2>"$W/gcc.err"; then
    echo "identity: idents.c does not build:"
    sed -n '1,10p' "$W/gcc.err"
    fails=$((fails + 1))
elif ! "./$W/idents" >"$W/idents.out" 2>&1 ||
        ! cmp -s tests/identity/idents.out "$W/idents.out"; then
    echo "identity: idents.c printed something else:"
    diff -u tests/identity/idents.out "$W/idents.out" | sed -n '3,14p'
    fails=$((fails + 1))
fi

# ---- the system headers ----------------------------------------------------

find "$IDENTITY_DIR" -name '*.h' -type f -print0 >"$W/headers" 2>/dev/null
total=$(tr -cd '\0' <"$W/headers" | wc -c)
jobs=$(nproc 2>/dev/null || echo 2)
export COGEN
# Each worker translates its share of the headers and prints one line per
# header that did not come out the same.
xargs -0 -P "$jobs" -n 64 sh -c '
    tmp=$0.$$
    for f; do
        timeout 10 "$COGEN" "$f" -o "$tmp" 2>/dev/null
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "$f: cogen exited with status $rc"
        elif ! cmp -s "$f" "$tmp"; then
            echo "$f: output differs"
        fi
    done
    rm -f "$tmp"
' "$W/out" <"$W/headers" >"$W/mismatches"
bad=$(wc -l <"$W/mismatches")
echo "identity: $total headers under $IDENTITY_DIR checked, $bad did not translate to themselves"
if [ "$bad" -ne 0 ]; then
    sed -n '1,20p' "$W/mismatches"
    [ "$bad" -gt 20 ] && echo "... (all of them in $W/mismatches)"
    fails=$((fails + 1))
fi
[ "$total" -gt 0 ] || { echo "identity: no headers found under $IDENTITY_DIR"; fails=$((fails + 1)); }

[ $fails -eq 0 ]
