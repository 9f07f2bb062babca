#!/bin/sh
# tests/c23_attributes.sh - C23 [[attributes]] before declarations in a
# coroutine body and `[[fallthrough]];` are accepted and kept as written,
# those before a coroutine go to its constructor (tests/c23/attributes.co;
# a frame field carries none).  Not a tests/run test: clang before 17 has
# no [[...]] under -std=c11, so this builds with gcc alone.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
command -v gcc >/dev/null 2>&1 || exit 77
W=build/tests/c23_attributes.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM

"$COGEN" tests/c23/attributes.co -o "$W/a.c" || exit 1
for a in '[[maybe_unused]] int c' '[[maybe_unused, deprecated("x")]] static const int d' \
         '[[maybe_unused]] int e' '[[fallthrough]];' '[[maybe_unused]] static CO_UNUSED co_gen *cases'; do
    grep -qF "$a" "$W/a.c" || { echo "c23_attributes: '$a' not kept"; exit 1; }
done
SAN="-g -fsanitize=address,undefined -fno-sanitize-recover=all"
gcc -std=c11 -Wall -Wextra -Werror $SAN -Iruntime "$W/a.c" build/libcogen.a -lpthread -o "$W/a" || exit 1
"$W/a" > "$W/a.out" || exit 1
cmp tests/c23/attributes.out "$W/a.out" || { echo "c23_attributes: output differs"; exit 1; }
