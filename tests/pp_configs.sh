#!/bin/sh
# tests/pp_configs.sh - one translation of tests/run/pp_in_expression.co,
# whose #if groups inside expressions cogen read in one configuration,
# built in three (as written, FAST=0, NOT_DEFINED defined) with gcc and
# clang under ASan+UBSan: each prints what C means in that configuration.
cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
W=build/tests/pp_configs.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
"$COGEN" tests/run/pp_in_expression.co -o "$W/pp.c" || exit 1
fails=0
check() {   # CC DEFINE EXPECTED
    "$1" -std=c11 -Wall -Wextra -Werror -g -fsanitize=address,undefined -fno-sanitize-recover=all \
        $2 -Iruntime "$W/pp.c" build/libcogen.a -o "$W/pp" -lpthread || { fails=$((fails + 1)); return; }
    got=$("$W/pp" | tr '\n' ' ')
    [ "$got" = "$3" ] || { echo "pp_configs: $1 $2: printed '$got', not '$3'"; fails=$((fails + 1)); }
}
for cc in gcc clang; do
    command -v $cc >/dev/null 2>&1 || continue
    check $cc "" "6 0 29 3 12 7 0 1 17 "
    check $cc -DFAST=0 "7 0 29 3 14 7 0 1 18 "
    check $cc -DNOT_DEFINED "6 0 29 2 30 7 0 1 5012 "
done
[ $fails -eq 0 ]
