#!/bin/sh
# Build the lexer/parser harness with sanitizers and run it on cases/
# (after `make`, which generates build/lexer.c and build/parser.c):
#   tests/parse/run.sh            (UNIT_C=path/to/unit.c to use another unit.c)
# Each cases/NAME.co is dumped and compared with cases/NAME.expected; every
# byte prefix of it is parsed too (no crash, no leak).  Each cases/NAME.lex
# is split into tokens, compared with cases/NAME.tokens.  UPDATE=1 rewrites
# the expected files.
set -e
cd "$(dirname "$0")/../.."
UNIT_C=${UNIT_C:-codegen/unit.c}
CC=${CC:-cc}
B=build/tests/parse
mkdir -p $B
$CC -std=c11 -Wall -Wextra -Werror -g -fsanitize=address,undefined \
    -fno-sanitize-recover=all -Icodegen -Ibuild -o $B/parse_test \
    tests/parse/parse_test.c codegen/parse.c codegen/ast.c codegen/symtab.c codegen/macro.c codegen/attr.c codegen/ppexpr.c \
    codegen/include.c build/parser.c \
    build/lexer.c "$UNIT_C"
pass=0 fail=0
for co in tests/parse/cases/*.co; do
    exp=${co%.co}.expected
    if [ -n "$UPDATE" ]; then $B/parse_test "$co" > "$exp"; fi
    if $B/parse_test "$co" > $B/parse_test.out 2>&1 &&
       diff -u "$exp" $B/parse_test.out > $B/parse_test.diff &&
       $B/parse_test -p "$co" > /dev/null; then
        echo "PASS $co"; pass=$((pass + 1))
    else
        echo "FAIL $co"; cat $B/parse_test.diff; fail=$((fail + 1))
    fi
done
for lx in tests/parse/cases/*.lex; do
    exp=${lx%.lex}.tokens
    if [ -n "$UPDATE" ]; then $B/parse_test -t "$lx" > "$exp"; fi
    if $B/parse_test -t "$lx" > $B/parse_test.out 2>&1 &&
       diff -u "$exp" $B/parse_test.out > $B/parse_test.diff &&
       $B/parse_test -l "$lx" > /dev/null; then
        echo "PASS $lx"; pass=$((pass + 1))
    else
        echo "FAIL $lx"; cat $B/parse_test.diff; fail=$((fail + 1))
    fi
done
# Nesting deeper than the parser's stack is an error, not a crash.
awk 'BEGIN { printf "void deep(void) { x = ";
             for (i = 0; i < 30000; i++) printf "(";
             printf "1"; for (i = 0; i < 30000; i++) printf ")"; print "; }" }' \
    > $B/deep.co
if $B/parse_test $B/deep.co | grep -q 'error: too deeply nested'; then
    echo "PASS deep nesting"; pass=$((pass + 1))
else
    echo "FAIL deep nesting"; fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
