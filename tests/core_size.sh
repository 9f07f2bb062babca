#!/bin/sh
# tests/core_size.sh - the runtime's single-thread core, on its own: how
# big it is, and that it stands without the cross-thread layer.
#
# The layer is runtime/future.c, pool.c, chan_shared.c and remote.c (the
# inbox); the core is every other runtime/*.c (rt.h says who calls whom).
# Prints each core file's lines, all and without comments and blank lines,
# and the totals (the goal is a core of at most 3,000 lines; that is
# printed, not checked).  Then checks with nm that no core object refers
# to a symbol the layer's objects define (the core reaches the layer only
# through pointers the layer sets: rt.h), and links single-thread examples
# against the core's objects alone, every one of them named on the command
# line (not an archive, so each object's references must resolve), with
# nothing in their place.  Each program must link and print its expected
# output.

cd "$(dirname "$0")/.." || exit 2
: "${CC:=cc}"
: "${COGEN:=build/cogen}"
LAYER="future.c pool.c chan_shared.c remote.c"
EXAMPLES="async_hello chan_pc wait_modes nested master_worker semaphore barrier readers_writers echo"
W=build/tests/core_size.$$
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
mkdir -p "$W/obj" || exit 2

fail() { echo "core_size: $*"; exit 1; }

command -v gcc >/dev/null 2>&1 || { echo "gcc not found (it strips the comments)"; exit 77; }

# code FILE: its lines without comments and blank lines.
code() { gcc -fpreprocessed -dD -E -P "$1" 2>/dev/null | grep -cv '^[[:space:]]*$'; }

core=
for f in runtime/*.c; do
    case " $LAYER " in *" ${f#runtime/} "*) continue ;; esac
    core="$core $f"
done

all=0 src=0
printf '%-24s %6s %6s\n' "core file" lines code
for f in $core; do
    n=$(wc -l <"$f") c=$(code "$f")
    printf '%-24s %6d %6d\n' "$f" "$n" "$c"
    all=$((all + n)) src=$((src + c))
done
printf '%-24s %6d %6d   (goal: at most 3000)\n' "core total" "$all" "$src"
lall=0 lsrc=0
for f in $LAYER; do
    lall=$((lall + $(wc -l <"runtime/$f"))) lsrc=$((lsrc + $(code "runtime/$f")))
done
printf '%-24s %6d %6d   (%s)\n' "cross-thread layer" "$lall" "$lsrc" "$LAYER"
for f in runtime/rt.h runtime/cogen.h runtime/cogen_impl.h; do
    printf '%-24s %6d %6d\n' "$f" "$(wc -l <"$f")" "$(code "$f")"
done

# The core's objects, built as make builds them.
objs=
for f in $core; do
    o=$W/obj/$(basename "$f" .c).o
    $CC -O2 -std=c11 -Wall -Wextra -Werror -Iruntime -c -o "$o" "$f" ||
        fail "$f does not compile"
    objs="$objs $o"
done
# The layer's objects, for the symbols they define.
lobjs=
for f in $LAYER; do
    o=$W/obj/$(basename "$f" .c).o
    $CC -O2 -std=c11 -Wall -Wextra -Werror -Iruntime -c -o "$o" "runtime/$f" ||
        fail "runtime/$f does not compile"
    lobjs="$lobjs $o"
done
command -v nm >/dev/null 2>&1 || fail "nm not found"
# defined OBJS / undefined OBJ: global symbols, one a line, sorted.
defined() { nm -g --defined-only "$@" | awk 'NF == 3 { print $3 }' | sort -u; }
undefined() { nm -u "$1" | awk '{ print $NF }' | sort -u; }
defined $lobjs >"$W/layer.syms"
for o in $objs; do
    undefined "$o" | comm -12 - "$W/layer.syms" >"$W/bad.syms"
    [ -s "$W/bad.syms" ] &&
        fail "$(basename "$o" .o).c calls the cross-thread layer by name: $(tr '\n' ' ' <"$W/bad.syms")"
done
echo "core_size: no core object names a symbol of the cross-thread layer"

for n in $EXAMPLES; do
    timeout 20 "$COGEN" "examples/$n.co" -o "$W/$n.c" 2>"$W/$n.err" ||
        { cat "$W/$n.err"; fail "cogen failed on examples/$n.co"; }
    $CC -O2 -std=c11 -Wall -Wextra -Werror -Iruntime -o "$W/$n" "$W/$n.c" \
        $objs -pthread 2>"$W/$n.link" ||
        { grep -i 'undefined' "$W/$n.link" | head; fail "examples/$n does not link against the core alone"; }
    timeout 60 "$W/$n" >"$W/$n.out" 2>&1 </dev/null ||
        { tail "$W/$n.out"; fail "examples/$n, linked against the core alone, failed"; }
    cmp -s "examples/$n.out" "$W/$n.out" ||
        { diff "examples/$n.out" "$W/$n.out" | head; fail "examples/$n, linked against the core alone, printed something else"; }
done
echo "core_size: $(echo $EXAMPLES | wc -w) single-thread examples link and run against the core alone"
echo "core_size: the core is $all lines, $src without comments and blank lines"
