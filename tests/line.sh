#!/bin/sh
# tests/line.sh - the #line directives cogen writes are exact, and C
# compiler errors in user code point at the .co line and column.
#  1. Every line of the C written for each example and tests/run program
#     is attributed to a line of the .co file that holds what it prints, or
#     (scaffolding) to the generated file's own line, or written to
#     standard output, to the coroutine's definition (tools/linemap.py).
#  2. gcc reports a type error inside a generator body (after a yield,
#     with its variables moved into the frame) and one inside a for(:)
#     loop of a plain function at FILE.co:N, N the line of the mistake.
#  3. gcc and clang report mistakes amid generated code at the .co line and
#     column where they were written: an await's argument, a yield's value,
#     a condition before and after an await, a defer's body (in every
#     place it runs), a range-for's body on the line of its head; in
#     generators and async functions, in a loop, a switch, under #if; an
#     await's first argument is argument 1 (gcc) or the first parameter
#     (clang); after locals and parameters that live across suspension
#     points, which keep their names.
# Exits 0 on success; otherwise says what was reported instead.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
# Work files go to a directory of this run's own (two runs at once must
# not delete each other's files); it is removed unless the test failed.
W=build/tests/line.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0

# ---- 1. the #line regions ---------------------------------------------------

if command -v python3 >/dev/null 2>&1; then
    pairs=
    for co in examples/*.co tests/run/*.co; do
        n=$(basename "$co" .co)
        timeout 10 "$COGEN" "$co" -o "$W/map_$n.c" 2>/dev/null && pairs="$pairs $co $W/map_$n.c"
        # To standard output, scaffolding carries the definition's line.
        timeout 10 "$COGEN" "$co" >"$W/std_$n.c" 2>/dev/null && pairs="$pairs $co $W/std_$n.c"
    done
    # shellcheck disable=SC2086 # the names have no blanks
    if ! python3 tests/tools/linemap.py $pairs >"$W/map.out"; then
        echo "line: the #line regions are wrong:"
        sed -n '1,10p' "$W/map.out"
        fails=$((fails + 1))
    fi
else
    echo "line: python3 not found: #line regions not checked"
fi

# ---- 2. lines -----------------------------------------------------------------

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

# ---- 3. columns ---------------------------------------------------------------

# columns NAME: translate $W/NAME.co; gcc and clang must each report every
# error at a place marked `/* MISTAKE: TEXT */` (at the first TEXT of its
# line), each place at least once, and nowhere else.
columns() {
    if ! timeout 10 "$COGEN" "$W/$1.co" -o "$W/$1.c" 2>"$W/$1.cogen.err"; then
        echo "line: cogen refused $1.co:"
        sed -n '1,5p' "$W/$1.cogen.err"
        fails=$((fails + 1))
        return
    fi
    awk -v f="$W/$1.co" '/MISTAKE: / {
        t = $0; sub(/.*MISTAKE: /, "", t); sub(/ \*\/.*/, "", t)
        print f ":" NR ":" index($0, t) ": error:" }' "$W/$1.co" >"$W/$1.want"
    for cc in gcc clang; do
        command -v $cc >/dev/null 2>&1 || continue
        $cc -std=c11 -Iruntime -fsyntax-only "$W/$1.c" 2>&1 |
            grep -o '^[^ ]*: error:' | sort -u >"$W/$1.$cc.got"
        if ! sort -u "$W/$1.want" | cmp -s - "$W/$1.$cc.got"; then
            echo "line: $cc did not report the errors of $1.co where they are; expected, then got:"
            cat "$W/$1.want" "$W/$1.$cc.got"
            fails=$((fails + 1))
        fi
    done
}

cat >"$W/cols.co" <<'EOF_CO'
#include <cogen.h>

struct s { int a; };
struct s v;
void take(int a);

async int add_later(int a, int b) {
    await co_sleep(1);
    return a + b;
}

generator(int) nums(int n) {
    for (int i = 0; i < n; i++)
        yield i;
}

async int use_await(int n) {
    int r = await add_later(v, 2);      /* MISTAKE: v, 2 */
    return r + n;
}

generator(int) use_yield(void) {
    yield 1;
    yield v + 1;                        /* MISTAKE: + */
}

async int use_cond(void) {
    if (v + await add_later(1, 2))      /* MISTAKE: + */
        return 1;
    while (await add_later(1, 2) + v)   /* MISTAKE: + v */
        return 2;
    return 0;
}

async int use_defer(void) {
    defer take(v);                      /* MISTAKE: v) */
    await co_sleep(1);
    return 0;
}

int use_for(void) {
    for (int x : nums(3)) take(v);      /* MISTAKE: v) */
    return 0;
}

generator(int) in_loop(int n) {
    for (int i = 0; i < n; i++) {
        defer take(v);                  /* MISTAKE: v) */
        yield i;
    }
}

generator(int) in_switch(int n) {
    switch (n) {
    case 1: yield v + 2;                /* MISTAKE: + */
    }
}

generator(int) in_range_for(void) {
    for (int x : nums(2)) yield v + x;  /* MISTAKE: + x */
}

generator(int) moved_locals(int n) {
    int total = 0;
    for (int i = 0; i < n; i++) {
        yield total;
        total = total + i * n + v + i;  /* MISTAKE: + v */
        n = n - 1 + total - v;          /* MISTAKE: - v */
    }
}

async int moved_await(int k) {
    int a = k, b = await add_later(a, 1);
    a = a + b + v;                      /* MISTAKE: + v */
    await co_sleep(1);
    return a + k + b + take(v);         /* MISTAKE: v) */
}

async int in_pp(void) {
#if 1
    int r = await add_later(v, 3);      /* MISTAKE: v, 3 */
#endif
    return r;
}
EOF_CO
columns cols

# The user's first argument of an await is the callee's argument 1 (the
# frame goes last in NAME__init), as gcc counts it and clang names it.
line=$(grep -n 'add_later(v, 2)' "$W/cols.co" | cut -d: -f1)
if command -v gcc >/dev/null 2>&1 &&
   ! gcc -std=c11 -Iruntime -fsyntax-only "$W/cols.c" 2>&1 |
     grep -q "cols.co:$line:[0-9]*: error: incompatible type for argument 1 of"; then
    echo "line: gcc did not call v of 'await add_later(v, 2)' argument 1:"
    gcc -std=c11 -Iruntime -fsyntax-only "$W/cols.c" 2>&1 | grep "cols.co:$line:" | head -n 3
    fails=$((fails + 1))
fi
if command -v clang >/dev/null 2>&1 &&
   ! clang -std=c11 -Iruntime -fsyntax-only "$W/cols.c" 2>&1 |
     grep -A3 "cols.co:$line:" | grep -q "note: passing argument to parameter 'a' here"; then
    echo "line: clang did not match v of 'await add_later(v, 2)' with parameter a"
    fails=$((fails + 1))
fi

[ $fails -eq 0 ] && echo "line: #line regions exact; errors reported at the .co lines and columns"
[ $fails -eq 0 ]
