#!/bin/sh
# tests/difftest/try.sh FILE.co - translate FILE.co with build/cogen, build
# it with gcc and clang (-std=c11 -Wall -Wextra -Werror, ASan+UBSan), run
# each build and compare its output with FILE.out: how the repros in
# found/ are checked.
f=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 2
w=build/difftest/try
mkdir -p $w
build/cogen "$f" -o $w/prog.c || { echo "cogen failed"; exit 1; }
st=0
for cc in gcc clang; do
    command -v $cc >/dev/null 2>&1 || continue
    if ! $cc -std=c11 -Wall -Wextra -Werror -Iruntime -g -fsanitize=address,undefined \
            -fno-sanitize-recover=all $w/prog.c build/libcogen.a -lpthread -lm \
            -o $w/prog.$cc 2>$w/$cc.err; then
        echo "$cc build failed:"; grep error $w/$cc.err | head -3; st=1; continue
    fi
    timeout 10 $w/prog.$cc >$w/$cc.out 2>$w/$cc.stderr
    echo "$cc status $?"
    if cmp -s "${f%.co}.out" $w/$cc.out; then
        echo "$cc output ok"
    else
        echo "$cc output differs:"; diff "${f%.co}.out" $w/$cc.out | head -5; st=1
    fi
done
exit $st
