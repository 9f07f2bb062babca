#!/bin/sh
# tests/c23_aligned.sh - C23 [[gnu::aligned(N)]] (before a declaration or
# after its name) and alignas(N) on locals that live across a suspension
# keep their alignment on the frame field, [[maybe_unused]] stays off the
# field and off the compound literal of a copied initializer
# (tests/c23/aligned.co).  Not a tests/run test: `gnu::aligned` needs
# -std=c2x, so this builds with each of gcc and clang that accepts it.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
W=build/tests/c23_aligned.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM

"$COGEN" tests/c23/aligned.co -o "$W/a.c" || exit 1
SAN="-g -fsanitize=address,undefined -fno-sanitize-recover=all"
built=0
for cc in gcc clang; do
    command -v $cc >/dev/null 2>&1 || continue
    echo 'int x [[gnu::aligned(8)]];' | $cc -std=c2x -Werror -x c -c -o /dev/null - 2>/dev/null || continue
    $cc -std=c2x -Wall -Wextra -Werror $SAN -Iruntime "$W/a.c" build/libcogen.a -lpthread -o "$W/a.$cc" || exit 1
    "$W/a.$cc" > "$W/a.out" || exit 1
    cmp tests/c23/aligned.out "$W/a.out" || { echo "c23_aligned: $cc: output differs"; exit 1; }
    built=$((built + 1))
done
[ $built -gt 0 ] || exit 77
