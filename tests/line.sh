#!/bin/sh
# tests/line.sh - C compiler errors in generated code point at the .co
# file: a type error inside a generator body (on a statement after a yield,
# with the variables involved moved into the frame) and one inside a
# for(:) loop in a plain function must both be reported by gcc at
# FILE.co:N, N the line of the mistake.
# Exits 0 on success; otherwise says what gcc reported instead.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
# Work files go to a directory of this run's own (two runs at once must
# not delete each other's files); it is removed unless the test failed.
W=build/tests/line.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0

# check NAME: translate $W/NAME.co, compile it, and expect an error at the
# line marked MISTAKE.
check() {
    n=$(grep -n 'MISTAKE' "$W/$1.co" | head -n 1 | cut -d: -f1)
    if ! timeout 10 "$COGEN" "$W/$1.co" -o "$W/$1.c" 2>"$W/$1.cogen.err"; then
        echo "line: cogen refused $1.co:"
        sed -n '1,5p' "$W/$1.cogen.err"
        fails=$((fails + 1))
        return
    fi
    if gcc -std=c11 -Wall -Wextra -Iruntime -c "$W/$1.c" -o "$W/$1.o" 2>"$W/$1.gcc.err"; then
        echo "line: gcc compiled $1.c without the expected error"
        fails=$((fails + 1))
        return
    fi
    if ! grep -q "^$W/$1\.co:$n:[0-9]*: error:" "$W/$1.gcc.err"; then
        echo "line: gcc did not report an error at $W/$1.co:$n; it said:"
        grep 'error' "$W/$1.gcc.err" | sed -n '1,5p'
        fails=$((fails + 1))
    fi
}

cat >"$W/gen.co" <<'EOF_CO'
#include <cogen.h>

struct s { int a; };

generator(int) g(int n) {
    struct s v = { n };
    int x = 0;
    yield 1;
    x = v;      /* MISTAKE: a struct assigned to an int */
    yield x;
}
EOF_CO
check gen

cat >"$W/loop.co" <<'EOF_CO'
#include <cogen.h>

struct s { int a; };

generator(int) g(int n) {
    for (int i = 0; i < n; i++)
        yield i;
}

int total(void) {
    int t = 0;
    for (int x : g(3)) {
        struct s v = { x };
        t += v;     /* MISTAKE: a struct added to an int */
    }
    return t;
}
EOF_CO
check loop

[ $fails -eq 0 ] && echo "line: errors reported at the .co lines"
[ $fails -eq 0 ]
