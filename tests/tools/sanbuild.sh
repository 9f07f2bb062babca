#!/bin/sh
# tests/tools/sanbuild.sh - the translator linked into a test driver, built
# with AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   sh tests/tools/sanbuild.sh EXE DRIVER.c...
#
# Builds EXE from the driver files, codegen/*.c except main.c and the
# generated lexer and parser, unless EXE is newer than all of them and the
# headers.  The build goes to a temporary name and is renamed into place,
# so a run beside this one never executes half a file.  Prints the first
# compiler errors and exits 1 when the build fails.  Run from the top of
# the tree after `make` (which generates build/lexer.c and build/parser.c).
exe=$1
shift
for f in build/lexer.c build/parser.c build/parser.h; do
    [ -e "$f" ] || { echo "$f is missing: run make first"; exit 1; }
done
src="$* $(ls codegen/*.c | grep -v '/main\.c$') build/lexer.c build/parser.c"
if [ -x "$exe" ] && [ -z "$(find $src codegen/cg.h build/parser.h runtime/*.h \
        -newer "$exe" 2>/dev/null | head -n 1)" ]; then
    exit 0
fi
mkdir -p "$(dirname "$exe")"
# lemon's parser template leaves some parameters and a variable unused.
if ! gcc -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
        -fno-omit-frame-pointer -Wno-unused-parameter -Wno-unused-variable \
        -D_POSIX_C_SOURCE=200809L -Icodegen -Ibuild -Iruntime $src \
        -o "$exe.tmp.$$" 2>"$exe.err"; then
    echo "cannot build $exe:"
    sed -n '1,10p' "$exe.err"
    rm -f "$exe.tmp.$$"
    exit 1
fi
rm -f "$exe.err"
mv -f "$exe.tmp.$$" "$exe"
