#!/bin/sh
# tests/realc.sh - cogen on real C (tests/realc/realc.sh): every function
# of cogen's own runtime/*.c and codegen/*.c, built with their own flags,
# and every inline function of the system headers that tests/realc/inline1.c
# and inline2.c include, becomes a generator that cogen must translate and
# gcc compile.  Every function tried must compile.
cd "$(dirname "$0")/.." || exit 2
command -v gcc >/dev/null 2>&1 || { echo "realc: no gcc"; exit 77; }
W=build/tests/realc.$$
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
STRICT="-std=c11 -Wall -Wextra -Werror"
fails=0
CC=gcc sh tests/realc/realc.sh -q -w "$W/runtime" -f "$STRICT -Iruntime" runtime || fails=$((fails + 1))
CC=gcc sh tests/realc/realc.sh -q -w "$W/codegen" -f "$STRICT -Icodegen -Ibuild -Iruntime" codegen ||
    fails=$((fails + 1))
CC=gcc sh tests/realc/realc.sh -q -E -w "$W/inline" -f "-std=gnu11 -O2" \
    tests/realc/inline1.c tests/realc/inline2.c || fails=$((fails + 1))
[ $fails -eq 0 ]
