#!/bin/sh
# tests/typed_chan.sh - typed channels (cogen.h, "Typed channels") where
# the run test tests/run/typed_chan_uses.co cannot look:
#  - each tests/typed/bad_*.co must not compile, with gcc and with clang,
#    with -Wall -Wextra -Werror and with no warning flags at all; the
#    first error is at the line marked ERROR and names the reason
#    (struct co_error_...), but for bad_not_chan, whose error (a call of
#    something that is no function) need only name that line somewhere;
#  - tests/typed/main.co and hub.co, two files that share typed channels
#    through hub.h and the header cogen --header wrote, build with both
#    compilers under ASan+UBSan and print what they must;
#  - tests/typed/cost.c: the typed and the untyped function compile to
#    the same instructions (gcc and clang, -O2).
# A file with no cogen form is written out as it is, without #line, so
# its errors name the .c file: at the same line.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
W=build/tests/typed_chan.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0
fail() {
    echo "typed_chan: $*"
    fails=$((fails + 1))
}
CCS=
for cc in gcc clang; do
    command -v "$cc" >/dev/null 2>&1 && CCS="$CCS $cc"
done

# ---- what must not compile ---------------------------------------------------
for src in tests/typed/bad_*.co; do
    n=$(basename "$src" .co)
    line=$(grep -n 'ERROR' "$src" | cut -d: -f1)
    if ! "$COGEN" -I tests/typed "$src" -o "$W/$n.c" 2>"$W/$n.cogen"; then
        fail "$n: cogen failed: $(head -n 2 "$W/$n.cogen")"
        continue
    fi
    for cc in $CCS; do
        for flags in "-Wall -Wextra -Werror" ""; do
            e=$W/$n.$cc.err
            if $cc -std=c11 $flags -Iruntime -Itests/typed -c "$W/$n.c" -o "$W/$n.o" 2>"$e"; then
                fail "$n: $cc $flags compiled it"
                continue
            fi
            at="\($n\.co\|$n\.c\):$line:"
            if [ "$n" = bad_not_chan ]; then
                grep -q "$at" "$e" || fail "$n: $cc $flags: no diagnostic at line $line"
                continue
            fi
            first=$(grep -m1 'error:' "$e")
            echo "$first" | grep -q "$at.*struct co_error_" ||
                fail "$n: $cc $flags: first error not at line $line with a reason: $first"
        done
    done
done

# ---- two files, one header -------------------------------------------------------
SAN="-g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
if "$COGEN" tests/typed/hub.co -o "$W/hub.c" --header "$W/hub_co.h" 2>"$W/hub.cogen" &&
   "$COGEN" -I tests/typed -I "$W" tests/typed/main.co -o "$W/main.c" 2>"$W/main.cogen"; then
    for cc in $CCS; do
        if ! $cc -std=c11 -Wall -Wextra -Werror $SAN -Iruntime -Itests/typed -I"$W" \
                "$W/hub.c" "$W/main.c" build/libcogen.a -lpthread -o "$W/app.$cc" 2>"$W/app.$cc.err"; then
            fail "two files: $cc could not build them: $(grep -m2 error "$W/app.$cc.err")"
            continue
        fi
        ASAN_OPTIONS=detect_leaks=1 timeout 20 "$W/app.$cc" >"$W/app.$cc.out" 2>&1 ||
            fail "two files: the $cc program failed: $(head -n 3 "$W/app.$cc.out")"
        cmp -s tests/typed/main.out "$W/app.$cc.out" ||
            fail "two files: the $cc program printed: $(head -n 3 "$W/app.$cc.out")"
    done
else
    fail "two files: cogen failed: $(cat "$W/hub.cogen" "$W/main.cogen" | head -n 2)"
fi

# ---- no cost ---------------------------------------------------------------------
# body FILE NAME: the instructions of function NAME in the assembly FILE,
# its local labels renamed in order.
body() {
    awk -v f="$2:" '$1 == f { on = 1; next } on && /^[a-zA-Z_][a-zA-Z0-9_]*:/ { on = 0 }
        on && /\.size|\.cfi_endproc/ { on = 0 } on && !/^\.L.*:$|\.cfi_/ { print }' "$1" |
        sed 's/\.L[A-Za-z_]*[0-9]*/.L/g'
}
for cc in $CCS; do
    noicf=
    [ "$cc" = gcc ] && noicf=-fno-ipa-icf
    if ! $cc -std=c11 -O2 $noicf -Wall -Wextra -Werror -Iruntime -S tests/typed/cost.c \
            -o "$W/cost.$cc.s" 2>"$W/cost.$cc.err"; then
        fail "cost.c: $cc: $(head -n 2 "$W/cost.$cc.err")"
        continue
    fi
    body "$W/cost.$cc.s" same_untyped >"$W/u.$cc"
    body "$W/cost.$cc.s" same_typed >"$W/t.$cc"
    [ -s "$W/u.$cc" ] || fail "cost.c: $cc: no instructions found"
    cmp -s "$W/u.$cc" "$W/t.$cc" ||
        fail "cost.c: $cc: the typed function differs: $(diff "$W/u.$cc" "$W/t.$cc" | head -n 4)"
done

[ $fails -eq 0 ] && echo "typed_chan: all checks passed"
[ $fails -eq 0 ]
