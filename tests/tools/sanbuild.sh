#!/bin/sh
# tests/tools/sanbuild.sh - the translator linked into a test driver, built
# with AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   sh tests/tools/sanbuild.sh EXE DRIVER.c...
#
# The translator's files (codegen/*.c except main.c, the generated lexer
# and parser) are compiled once into build/tests/san/, for every driver:
# an object is compiled again when its source or a header is newer.  EXE
# is linked from them and the driver files unless it is newer than all of
# them.  Objects and EXE are built under temporary names and renamed into
# place, so a run beside this one never reads half a file.  Prints the
# first compiler errors and exits 1 when a build fails.  Run from the top
# of the tree after `make` (which generates build/lexer.c and
# build/parser.c).
exe=$1
shift
for f in build/lexer.c build/parser.c build/parser.h; do
    [ -e "$f" ] || { echo "$f is missing: run make first"; exit 1; }
done
# lemon's parser template leaves some parameters and a variable unused.
CFLAGS="-std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer -Wno-unused-parameter -Wno-unused-variable
    -D_POSIX_C_SOURCE=200809L -Icodegen -Ibuild -Iruntime"
headers="codegen/cg.h build/parser.h $(ls runtime/*.h)"
dir=build/tests/san
mkdir -p "$dir" "$(dirname "$exe")"

# stale OUT FILE...: is OUT missing or older than a FILE or a header?
stale() {
    out=$1
    shift
    [ ! -e "$out" ] || [ -n "$(find "$@" $headers -newer "$out" 2>/dev/null | head -n 1)" ]
}

# build OUT SRC...: compile (and link) SRC into OUT, or say why not.
build() {
    out=$1
    shift
    # shellcheck disable=SC2086
    if ! gcc $CFLAGS "$@" -o "$out.tmp.$$" 2>"$out.err"; then
        echo "cannot build $out:"
        sed -n '1,10p' "$out.err"
        rm -f "$out.tmp.$$"
        exit 1
    fi
    rm -f "$out.err"
    mv -f "$out.tmp.$$" "$out"
}

objs=
for f in $(ls codegen/*.c | grep -v '/main\.c$') build/lexer.c build/parser.c; do
    o=$dir/$(basename "$f" .c).o
    stale "$o" "$f" && build "$o" -c "$f"
    objs="$objs $o"
done
# shellcheck disable=SC2086
stale "$exe" "$@" $objs && build "$exe" "$@" $objs
exit 0
