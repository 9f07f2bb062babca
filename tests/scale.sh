#!/bin/sh
# tests/scale.sh - translation cost grows linearly with the size of a
# coroutine: tests/tools/bigco.sh N (coroutines of N locals, yields,
# loops, blocks, block-scope types, declarators, awaits) at N and 4N, and
# plain code of 10N unbalanced calls of a generator (` ;f(` each, which
# the island scanner matches brackets for) at 10N and 40N, yields of
# `?:` and `||` chains of 200 and 800 terms, and N and 4N coroutines that
# name each other.
# Linear costs 4 times as much, quadratic 16.  With valgrind the cost is
# the count of instructions run (callgrind), which does not depend on the
# machine's load, and may grow 5 times; without, it is the best of three
# CPU times (user + system), which may grow 10 times.  A run over 120 s
# fails at once.  Skipped with neither valgrind nor /usr/bin/time.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
W=build/tests/scale.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM

# run CMD...: run it, failing the test when it fails or takes too long.
run() {
    timeout 120 "$@" >/dev/null 2>"$W/err" || {
        echo "scale: $* failed or ran over 120 s"
        exit 1
    }
}

# cost FILE: what translating FILE costs.
if command -v valgrind >/dev/null 2>&1; then
    n=${SCALE_N:-250} limit=5 unit=instructions
    cost() {
        run valgrind --tool=callgrind --callgrind-out-file=/dev/null "$COGEN" "$1" -o "$W/out.c"
        sed -n 's/.*I *refs: *//p' "$W/err" | tr -d ,
    }
elif [ -x /usr/bin/time ]; then
    n=${SCALE_N:-2000} limit=10 unit=s
    cost() {
        for k in 1 2 3; do
            run /usr/bin/time -f '%U %S' -o "$W/time" "$COGEN" "$1" -o "$W/out.c"
            awk '{ s = $1 + $2; print s < 0.01 ? 0.01 : s }' "$W/time"
        done | sort -n | head -1
    }
else
    echo "scale: neither valgrind nor /usr/bin/time"
    exit 77
fi

# compare WHAT N SMALL BIG: BIG, 4 times SMALL (of size N), costs at most
# limit times more.
compare() {
    small=$(cost "$3") || exit 1
    big=$(cost "$4") || exit 1
    awk -v w="$1" -v s="$small" -v b="$big" -v n="$2" -v u="$unit" -v limit="$limit" 'BEGIN {
        printf "scale: %s N=%d %s %s, 4N %s %s: %.2fx (at most %dx)\n", w, n, s, u, b, u, b / s, limit
        exit b / s > limit
    }' || fails=1
}

# unbalanced N: a generator f, then a plain function of N ` ;f(`.
unbalanced() {
    echo 'generator(int) f(void) { yield 1; }'
    awk -v n="$1" 'BEGIN { printf "void h(void) {"; for (i = 0; i < n; i++) printf " ;f("; print " }" }'
}

# chains N: yields of N-term `?:` and right-nested `||` chains (operands
# walked once per enclosing operator took 2^N; N stays under CG_MAX_DEPTH).
chains() {
    awk -v n="$1" 'BEGIN {
        print "generator(int) g(int a) {"
        for (k = 0; k < 10; k++) {
            printf "    yield"
            for (i = 0; i < n; i++) printf " a == %d ? %d :", i, k
            print " -1;"
            printf "    yield"
            for (i = 0; i < n / 2; i++) printf " (a == %d ||", i + k
            printf " 0"
            for (i = 0; i < n / 2; i++) printf ")"
            print ";"
        }
        print "}"
    }'
}

# manyco N: N async functions with prototypes, each awaiting the one
# before; N generators read by one plain function (each name once looked
# up among all the coroutines took N^2).
manyco() {
    awk -v n="$1" 'BEGIN {
        print "#include <cogen.h>"
        for (i = 0; i < n; i++) printf "async int a%d(int x);\n", i
        print "async int a0(int x) { return x; }"
        for (i = 1; i < n; i++) printf "async int a%d(int x) { return await a%d(x) + 1; }\n", i, i - 1
        for (i = 0; i < n; i++) printf "generator(int) g%d(void) { yield %d; }\n", i, i
        print "int sum(void) {\n    int s = 0;"
        for (i = 0; i < n; i++) printf "    for (int v : g%d()) s += v;\n", i
        print "    return s;\n}"
    }'
}

fails=0
manyco "$n" > "$W/small_many.co"
manyco $((4 * n)) > "$W/big_many.co"
compare "many coroutines" "$n" "$W/small_many.co" "$W/big_many.co"
chains 200 > "$W/small_chain.co"
chains 800 > "$W/big_chain.co"
compare chains 200 "$W/small_chain.co" "$W/big_chain.co"
sh tests/tools/bigco.sh "$n" > "$W/small.co"
sh tests/tools/bigco.sh $((4 * n)) > "$W/big.co"
compare coroutines "$n" "$W/small.co" "$W/big.co"
unbalanced $((10 * n)) > "$W/small_unb.co"
unbalanced $((40 * n)) > "$W/big_unb.co"
compare unbalanced $((10 * n)) "$W/small_unb.co" "$W/big_unb.co"
exit "$fails"
