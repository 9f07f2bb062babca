#!/bin/sh
# tests/deep_expr.sh - a coroutine body's expressions nest at most
# CG_MAX_DEPTH deep.  Left-deep chains (`a+a+...`, `p[0][0]...`, `s.b.b...`,
# `f()()...`) grow no parser stack, yet every pass recurses once per
# operand: 20000 terms once overflowed the translator's C stack
# (tests/fuzz/crashes/deep_sum).  Each such chain is one "expression too
# deeply nested"; plain C around it passes through whatever its depth; a
# chain of 500 terms with a yield in it still translates, builds and runs.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
W=build/tests/deep_expr.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0
fail() {
    echo "deep_expr: $*"
    fails=$((fails + 1))
}

# rep N TEXT: TEXT N times.
rep() {
    awk -v n="$1" -v t="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", t }'
}

# too_deep NAME BODY: a generator of BODY is one error at line 2.
too_deep() {
    printf 'struct S { struct S *b; };\ngenerator(int) g(int a, int **p, struct S s, int (*f)(void)) {\n%s\n}\n' "$2" > "$W/$1.co"
    if timeout 60 "$COGEN" --header "$W/$1.h" "$W/$1.co" -o "$W/$1.c" 2>"$W/$1.err"; then
        fail "$1: accepted"
    fi
    n=$(grep -c "^$W/$1.co:3:[0-9]*: error: expression too deeply nested\$" "$W/$1.err")
    [ "$n" = 1 ] || fail "$1: $n errors, expected one: $(head -c 300 "$W/$1.err")"
}

too_deep sum "yield $(rep 20000 'a+')1;"
too_deep index "yield **p$(rep 20000 '[0]');"
too_deep member "s$(rep 20000 '.b');"
too_deep call "f$(rep 20000 '()');"
too_deep postinc "a$(rep 20000 '++');"
too_deep paren "yield $(rep 5000 '(')a$(rep 5000 ')');"

# The same chain in a plain function is the compiler's business.
printf 'int h(int a) { return %s1; }\n' "$(rep 20000 'a+')" > "$W/plain.co"
timeout 60 "$COGEN" "$W/plain.co" -o "$W/plain.c" 2>"$W/plain.err" ||
    fail "plain: rejected: $(head -c 300 "$W/plain.err")"

# 500 terms, a yield among them: 1 + 250 + 7 + 249 * 1 = 507.
cat > "$W/legal.co" <<EOT
#include <stdio.h>
#include <cogen.h>
generator(int, int) g(int a) {
    yield $(rep 250 'a+')(yield 1)+$(rep 249 'a+')a;
}
int main(void) {
    co_gen *g1 = g(1);
    int v, s = 7;
    co_gen_next(g1, &v);
    co_gen_send(g1, &s, &v);
    printf("%d\n", v);
    co_gen_close(g1);
    return 0;
}
EOT
if ! timeout 60 "$COGEN" "$W/legal.co" -o "$W/legal.c" 2>"$W/legal.err"; then
    fail "legal: rejected: $(head -c 300 "$W/legal.err")"
elif ! cc -std=c11 -Wall -Wextra -Werror -Iruntime "$W/legal.c" build/libcogen.a -lpthread -o "$W/legal" 2>"$W/cc.err"; then
    fail "legal: cc: $(head -n 3 "$W/cc.err")"
else
    out=$("$W/legal")
    [ "$out" = 507 ] || fail "legal: printed '$out', expected 507"
fi

[ "$fails" = 0 ]
