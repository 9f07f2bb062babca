#!/bin/sh
# tests/core_size.sh - the runtime's tiers, each on its own: how big they
# are, and that each calls only the tiers below it, by the names it may.
#
# The tiers (runtime/lib.h says what each holds):
#   the core     every runtime/*.c not named below: what schedules and
#                suspends
#   the library  net.c sync.c wait.c: awaitables on the frame protocol
#   the layer    future.c pool.c chan_shared.c remote.c: cross-thread
# Prints each core and library file's lines, all and without comments and
# blank lines, and the totals of the three tiers (the goal is a core of at
# most 3,000 lines; that is printed, not checked).  Then checks, on the
# objects, with nm:
#   - no core object refers to a symbol the library or the layer defines
#     (the core reaches the layer only through pointers it sets: rt.h);
#   - a library file includes lib.h, not rt.h, and its object refers to
#     no runtime symbol but the public ones (named in cogen.h or
#     cogen_impl.h) and the internal ones lib.h declares, and to none of
#     the layer;
# and links single-thread examples against the core's objects alone, or
# against the core's and the library's when they await I/O or a sync
# primitive: every object named on the command line (not an archive, so
# each reference must resolve), nothing in the place of the rest.  Each
# program must link and print its expected output.

cd "$(dirname "$0")/.." || exit 2
: "${CC:=cc}"
: "${COGEN:=build/cogen}"
LIB="net.c sync.c wait.c"
LAYER="future.c pool.c chan_shared.c remote.c"
EXAMPLES="async_hello chan_pc wait_modes nested master_worker semaphore barrier readers_writers echo"
W=build/tests/core_size.$$
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
mkdir -p "$W/obj" || exit 2

fail() { echo "core_size: $*"; exit 1; }

command -v gcc >/dev/null 2>&1 || { echo "gcc not found (it strips the comments)"; exit 77; }
command -v nm >/dev/null 2>&1 || { echo "nm not found"; exit 77; }

# code FILE: its lines without comments and blank lines.
code() { gcc -fpreprocessed -dD -E -P "$1" 2>/dev/null | grep -cv '^[[:space:]]*$'; }

core=
for f in runtime/*.c; do
    case " $LIB $LAYER " in *" ${f#runtime/} "*) continue ;; esac
    core="$core ${f#runtime/}"
done

# sizes TITLE FILES: print each file's size (when TITLE is not empty) and
# set $all and $src to the totals.
sizes() {
    all=0 src=0
    [ -n "$1" ] && printf '%-24s %6s %6s\n' "$1" lines code
    t=$1
    shift
    for f in "$@"; do
        n=$(wc -l <"runtime/$f") c=$(code "runtime/$f")
        [ -n "$t" ] && printf '%-24s %6d %6d\n' "runtime/$f" "$n" "$c"
        all=$((all + n)) src=$((src + c))
    done
}
# shellcheck disable=SC2086
sizes "core file" $core
call=$all csrc=$src
# shellcheck disable=SC2086
sizes "library file" $LIB
lall=$all lsrc=$src
# shellcheck disable=SC2086
sizes "" $LAYER
printf '\n%-24s %6d %6d   (goal: at most 3000)\n' "core" "$call" "$csrc"
printf '%-24s %6d %6d   (%s)\n' "library tier" "$lall" "$lsrc" "$LIB"
printf '%-24s %6d %6d   (%s)\n' "cross-thread layer" "$all" "$src" "$LAYER"
for f in rt.h lib.h cogen.h cogen_impl.h; do
    printf '%-24s %6d %6d\n' "runtime/$f" "$(wc -l <"runtime/$f")" "$(code "runtime/$f")"
done

# objects FILES: build them as make does; their names.
objects() {
    for f in "$@"; do
        o=$W/obj/${f%.c}.o
        $CC -O2 -std=c11 -Wall -Wextra -Werror -Iruntime -c -o "$o" "runtime/$f" ||
            fail "runtime/$f does not compile"
        echo "$o"
    done
}
# shellcheck disable=SC2086
cobjs=$(objects $core) && lobjs=$(objects $LIB) && xobjs=$(objects $LAYER) || exit 1

# defined OBJS / undefined OBJ: global symbols, one a line, sorted.
defined() { nm -g --defined-only "$@" | awk 'NF == 3 { print $3 }' | sort -u; }
undefined() { nm -u "$1" | awk '{ print $NF }' | sort -u; }
# shellcheck disable=SC2086
defined $lobjs >"$W/lib.syms"
# shellcheck disable=SC2086
defined $xobjs >"$W/layer.syms"
sort -u "$W/lib.syms" "$W/layer.syms" >"$W/above.syms"
# What a library object may name: the public API, lib.h's internals.
grep -oh '\bco_[A-Za-z0-9_]*' runtime/cogen.h runtime/cogen_impl.h | sort -u >"$W/public.syms"
grep -o '\bco__[a-z0-9_]*(' runtime/lib.h | tr -d '(' | sort -u >"$W/libh.syms"
sort -u "$W/public.syms" "$W/libh.syms" >"$W/allowed.syms"

# bad OBJ SYMS: what OBJ refers to of SYMS, on one line.
bad() { undefined "$1" | comm -12 - "$2" | tr '\n' ' '; }

for o in $cobjs; do
    b=$(bad "$o" "$W/above.syms")
    [ -n "$b" ] && fail "core file ${o##*/} refers to the library or the layer: $b"
done
echo "core_size: no core object refers to a symbol of the library or the layer"

grep -q '#include "rt.h"' runtime/lib.h && fail "lib.h includes rt.h"
for f in $LIB; do
    grep -q '^#include "rt.h"' "runtime/$f" && fail "library file $f includes rt.h"
    grep -q '^#include "lib.h"' "runtime/$f" || fail "library file $f does not include lib.h"
    o=$W/obj/${f%.c}.o
    b=$(undefined "$o" | grep '^co_' | comm -23 - "$W/allowed.syms" | tr '\n' ' ')
    [ -n "$b" ] && fail "library file $f refers to runtime internals lib.h does not name: $b"
    b=$(bad "$o" "$W/layer.syms")
    [ -n "$b" ] && fail "library file $f refers to the layer: $b"
done
echo "core_size: the library objects refer to the core only through cogen.h, cogen_impl.h and lib.h ($(tr '\n' ' ' <"$W/libh.syms"))"

alone=0 withlib=0
for n in $EXAMPLES; do
    timeout 20 "$COGEN" "examples/$n.co" -o "$W/$n.c" 2>"$W/$n.err" ||
        { cat "$W/$n.err"; fail "cogen failed on examples/$n.co"; }
    # shellcheck disable=SC2086
    if $CC -O2 -std=c11 -Wall -Wextra -Werror -Iruntime -o "$W/$n" "$W/$n.c" \
        $cobjs -pthread 2>"$W/$n.link"; then
        alone=$((alone + 1)) with="the core"
    elif $CC -O2 -std=c11 -Wall -Wextra -Werror -Iruntime -o "$W/$n" "$W/$n.c" \
        $cobjs $lobjs -pthread 2>"$W/$n.link"; then
        withlib=$((withlib + 1)) with="the core and the library"
    else
        grep -i 'undefined' "$W/$n.link" | head
        fail "examples/$n does not link against the core and the library alone"
    fi
    timeout 60 "$W/$n" >"$W/$n.out" 2>&1 </dev/null ||
        { tail "$W/$n.out"; fail "examples/$n, linked against $with, failed"; }
    cmp -s "examples/$n.out" "$W/$n.out" ||
        { diff "examples/$n.out" "$W/$n.out" | head; fail "examples/$n, linked against $with, printed something else"; }
done
echo "core_size: single-thread examples run linked against the core alone ($alone) or the core and the library ($withlib), without the layer"
echo "core_size: the core is $call lines, $csrc without comments and blank lines; the library $lall and $lsrc; the layer $all and $src"
