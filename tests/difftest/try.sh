#!/bin/sh
# try.sh FILE.co: translate, build with gcc and clang (strict, ASan/UBSan), run, compare with FILE.out
cd /work/wt-difftest
f=$1; b=/tmp/try.$$
build/cogen "$f" -o $b.c || { echo "cogen failed"; exit 1; }
for cc in gcc clang; do
  $cc -std=c11 -Wall -Wextra -Werror -Iruntime -g -fsanitize=address,undefined -fno-sanitize-recover=all $b.c build/libcogen.a -lpthread -lm -o $b.$cc 2>$b.err || { echo "$cc build failed:"; grep error $b.err | head -3; continue; }
  $b.$cc > $b.out 2>$b.err2; echo "$cc status $?"; cmp -s $b.out ${f%.co}.out && echo "$cc output ok" || { echo "$cc output differs:"; diff ${f%.co}.out $b.out | head -5; }
done
rm -f $b.*
