#!/bin/sh
# tests/fuzz/compile_corpus.sh - does the C that cogen accepted compile?
#
#   sh tests/fuzz/compile_corpus.sh [DIR|FILE...]     (default build/fuzz/corpus)
#
# An oracle the fuzz loop cannot afford: every input that build/cogen
# translates (exit 0) and that holds a cogen word goes through
# `gcc -fsyntax-only -std=gnu11 -Iruntime -include cogen.h` (the runtime
# header forced in: fuzzed inputs seldom include it).  Fuzzed inputs are
# seldom valid programs, so a failure is a translator bug only when the
# input was valid cogen, which no script can tell; the script sorts the
# failures for a human instead, who does best to start with the inputs
# nearest a valid program (a seed with a token changed).  The input
# itself is compiled as C too: outside the coroutines the translator
# copies it as it is, so gcc's complaints about that text come out the
# same, at the same line and column.
#   input    every error gcc reports on the generated C it also reports on
#            the input compiled as C (or it names a header that is not
#            there): the input's own C was wrong;
#   suspect  some error is new in the generated C: the translator may have
#            printed wrong C, or accepted a form it cannot translate.
# Writes build/fuzz/compile-report.txt (class, input, the first new error),
# suspects first, and prints a count of each class.  Always exits 0: the
# findings are for triage, not a test.

cd "$(dirname "$0")/../.." || exit 2
: "${COGEN:=build/cogen}"
[ -x "$COGEN" ] || { echo "compile_corpus: $COGEN is missing: run make first"; exit 2; }
W=build/fuzz/compile.$$
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
words='generator|async|yield|await|defer'
[ $# -gt 0 ] || set -- build/fuzz/corpus
find "$@" -type f ! -name 'README*' | sort >"$W/list"

: >"$W/suspect"
: >"$W/input"
accepted=0 compiled=0
while IFS= read -r f; do
    grep -qwE "$words" "$f" 2>/dev/null || continue
    timeout 10 "$COGEN" "$f" -o "$W/out.c" 2>/dev/null || continue
    accepted=$((accepted + 1))
    if timeout 20 gcc -fsyntax-only -std=gnu11 -w -Iruntime -include cogen.h "$W/out.c" 2>"$W/gcc.err"; then
        compiled=$((compiled + 1))
        continue
    fi
    # The errors, without the file name, that compiling the input as C
    # does not also report.
    gcc -fsyntax-only -std=gnu11 -w -Iruntime -include cogen.h -x c "$f" 2>&1 |
        grep -E ': (fatal )?error: ' | sed 's/^[^:]*://' | sort -u >"$W/plain.err"
    grep -E ': (fatal )?error: ' "$W/gcc.err" | sed 's/^[^:]*://' | sort -u |
        comm -23 - "$W/plain.err" >"$W/new.err"
    class=suspect first=$(head -n 1 "$W/new.err")
    if [ ! -s "$W/new.err" ] || grep -q 'No such file or directory' "$W/gcc.err"; then
        class=input first=$(grep -m 1 -E ': (fatal )?error: ' "$W/gcc.err")
    fi
    printf '%s\t%s\t%s\n' "$class" "$f" "$first" >>"$W/$class"
done <"$W/list"

mkdir -p build/fuzz
cat "$W/suspect" "$W/input" >build/fuzz/compile-report.txt
echo "compile_corpus: $accepted inputs with cogen words translated, $compiled compiled;" \
    "$(wc -l <"$W/suspect") suspect, $(wc -l <"$W/input") blamed on the input" \
    "(build/fuzz/compile-report.txt)"
