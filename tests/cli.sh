#!/bin/sh
# tests/cli.sh - the cogen command line: --version, --help, bad options,
# missing input, `-` for stdin and stdout, determinism, --no-line and #line,
# and that an error leaves no output file (and keeps an existing one).
# Exits 0 when every check passes; otherwise prints each failed check.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
# Work files go to a directory of this run's own (two runs at once must
# not delete each other's files); it is removed unless the test failed.
W=build/tests/cli.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
[ -x "$COGEN" ] || { echo "cli: $COGEN is missing"; exit 1; }
fails=0

# fail MESSAGE: record a failed check.
fail() {
    echo "cli: $*"
    fails=$((fails + 1))
}

# run ARGS...: run cogen, leaving its status in $rc and its output in
# $W/stdout and $W/stderr.
run() {
    timeout 10 "$COGEN" "$@" >"$W/stdout" 2>"$W/stderr" </dev/null
    rc=$?
}

# ---- --version, --help, unknown option ------------------------------------

version=$(sed -n 's/^#define COGEN_VERSION "\(.*\)"/\1/p' runtime/cogen.h)
run --version
[ $rc -eq 0 ] || fail "--version exited with $rc"
grep -qF "$version" "$W/stdout" || fail "--version does not print $version"

run --help
[ $rc -eq 0 ] || fail "--help exited with $rc"
grep -qi usage "$W/stdout" || fail "--help does not mention usage"

run --no-such-option examples/fib.co
[ $rc -eq 2 ] || fail "an unknown option exited with $rc, not 2"
[ -s "$W/stderr" ] || fail "an unknown option printed nothing on stderr"

# ---- missing input ---------------------------------------------------------

run "$W/x.co" -o "$W/x.c"
[ $rc -eq 1 ] || fail "a missing input file exited with $rc, not 1"
expect="cogen: cannot open '$W/x.co': No such file or directory"
[ "$(cat "$W/stderr")" = "$expect" ] ||
    fail "missing input: expected \"$expect\", got \"$(head -n 1 "$W/stderr")\""
[ -e "$W/x.c" ] && fail "a missing input file left $W/x.c"

# ---- stdin and stdout ------------------------------------------------------

# A file without coroutines, through stdin and stdout: itself.
cat >"$W/plain.c" <<'EOF'
#include <stdio.h>
int main(void) { int yield = 1; printf("%d\n", yield); return 0; }
EOF
timeout 10 "$COGEN" - <"$W/plain.c" >"$W/plain.out" 2>"$W/stderr"
rc=$?
[ $rc -eq 0 ] || fail "'cogen -' exited with $rc"
cmp -s "$W/plain.c" "$W/plain.out" || fail "'cogen -' (stdin to stdout) changed a plain C file"
timeout 10 "$COGEN" - -o - <"$W/plain.c" >"$W/plain.out2" 2>"$W/stderr"
cmp -s "$W/plain.c" "$W/plain.out2" || fail "'cogen - -o -' changed a plain C file"

# A generator through stdin: C that compiles.
timeout 10 "$COGEN" - <examples/fib.co >"$W/fib-stdin.c" 2>"$W/stderr"
rc=$?
[ $rc -eq 0 ] || fail "'cogen - < examples/fib.co' exited with $rc"
gcc -std=c11 -Wall -Wextra -Werror -Iruntime -fsyntax-only "$W/fib-stdin.c" 2>"$W/gcc.err" ||
    fail "the C written for stdin input does not compile: $(head -n 1 "$W/gcc.err")"

# -o - is stdout, and the same bytes as -o FILE.
run examples/fib.co -o -
[ $rc -eq 0 ] || fail "'-o -' exited with $rc"
cp "$W/stdout" "$W/fib-dash.c"
run examples/fib.co -o "$W/fib.c"
[ $rc -eq 0 ] || fail "'-o $W/fib.c' exited with $rc"
[ -s "$W/stdout" ] && fail "'-o FILE' also wrote to stdout"
# They differ in the #line directives only: scaffolding names the output
# file, or carries the definition's line when it has no name.
grep -v '^#line ' "$W/fib-dash.c" >"$W/fib-dash.code"
grep -v '^#line ' "$W/fib.c" >"$W/fib.code"
cmp -s "$W/fib-dash.code" "$W/fib.code" || fail "'-o -' and '-o FILE' wrote different code"
grep -q "^#line [0-9]* \"$W/fib\.c\"\$" "$W/fib.c" || fail "'-o FILE' does not name FILE in #line"
grep -q '^#line [0-9]* "<stdout>"' "$W/fib-dash.c" && fail "'-o -' names <stdout> in #line"

# ---- determinism -----------------------------------------------------------

for f in examples/*.co tests/run/*.co; do
    [ -e "$f" ] || continue
    timeout 10 "$COGEN" "$f" -o "$W/a.c" 2>/dev/null || continue
    mv "$W/a.c" "$W/b.c"
    timeout 10 "$COGEN" "$f" -o "$W/a.c" 2>/dev/null
    cmp -s "$W/a.c" "$W/b.c" || fail "two translations of $f differ"
done

# ---- #line -----------------------------------------------------------------

grep -Eq '^#line [0-9]+ "examples/fib\.co"$' "$W/fib.c" ||
    fail "the default output has no '#line N \"examples/fib.co\"' line"
run --no-line examples/fib.co -o "$W/fib-noline.c"
[ $rc -eq 0 ] || fail "--no-line exited with $rc"
grep -Eq '^[[:space:]]*#[[:space:]]*(line[[:space:]]+)?[0-9]+[[:space:]]+"' "$W/fib-noline.c" &&
    fail "--no-line output still has line markers: $(grep -Em1 '^[[:space:]]*#[[:space:]]*(line)?[[:space:]]*[0-9]' "$W/fib-noline.c")"
gcc -std=c11 -Wall -Wextra -Werror -Iruntime -fsyntax-only "$W/fib-noline.c" 2>"$W/gcc.err" ||
    fail "the --no-line output does not compile: $(head -n 1 "$W/gcc.err")"

# ---- errors write nothing --------------------------------------------------

cat >"$W/bad.co" <<'EOF'
int f(void) {
    yield 1;
    return 0;
}
EOF
mkdir -p "$W/out"
run "$W/bad.co" -o "$W/out/bad.c"
[ $rc -eq 1 ] || fail "a file with an error exited with $rc, not 1"
[ -s "$W/stderr" ] || fail "a file with an error printed no diagnostic"
[ -n "$(ls -A "$W/out")" ] && fail "an error left files behind: $(ls -A "$W/out")"

echo "keep me" >"$W/out/bad.c"
run "$W/bad.co" -o "$W/out/bad.c"
[ $rc -eq 1 ] || fail "a file with an error exited with $rc, not 1 (existing output)"
[ "$(cat "$W/out/bad.c")" = "keep me" ] || fail "an error clobbered an existing output file"
[ "$(ls -A "$W/out")" = "bad.c" ] || fail "an error left files behind: $(ls -A "$W/out")"

if [ $fails -ne 0 ]; then
    echo "cli: $fails checks failed"
    exit 1
fi
echo "cli: all checks passed"
exit 0
