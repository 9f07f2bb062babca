#!/bin/sh
# tests/deadlock_where.sh - the deadlock report names the .co line each
# blocked task waits at.  tests/deadlock/blocked.co leaves three tasks
# blocked for ever (one two awaits deep, one inside an async generator
# iterated with for await, main in co_join); co_run must return -EDEADLK
# and stderr must list each task with its innermost await's line.
# gcc and clang under ASan+UBSan, on both backends.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
: "${LIB:=build/libcogen.a}"
W=build/tests/deadlock_where.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0
fail() {
    echo "deadlock_where: $*"
    fails=$((fails + 1))
}

src=tests/deadlock/blocked.co
if ! timeout 10 "$COGEN" "$src" -o "$W/blocked.c" 2>"$W/cogen.err"; then
    echo "deadlock_where: cogen failed:"
    sed -n '1,10p' "$W/cogen.err"
    exit 1
fi
cat >"$W/expected" <<END
cogen: deadlock: task amain blocked at $src:34
cogen: deadlock: task iterate blocked at $src:21
cogen: deadlock: task middle blocked at $src:11
END
SAN="-g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
for cc in gcc clang; do
    command -v "$cc" >/dev/null 2>&1 || continue
    if ! $cc -std=c11 -Wall -Wextra -Werror -Iruntime $SAN "$W/blocked.c" "$LIB" \
            -lpthread -lm -o "$W/blocked.$cc" 2>"$W/$cc.err"; then
        fail "$cc could not build blocked.c: $(grep -m1 error "$W/$cc.err")"
        continue
    fi
    for be in poll epoll; do
        r=$W/$cc.$be
        COGEN_BACKEND=$be ASAN_OPTIONS=detect_leaks=1:exitcode=23 timeout 20 \
            "$W/blocked.$cc" >"$r.out" 2>"$r.err" </dev/null
        rc=$?
        [ $rc -eq 0 ] || fail "$cc/$be: exit status $rc: $(head -n 3 "$r.err")"
        [ "$(cat "$r.out")" = "co_run: -EDEADLK" ] ||
            fail "$cc/$be: printed $(head -n 2 "$r.out")"
        grep "^cogen: deadlock: task" "$r.err" | LC_ALL=C sort >"$r.tasks"
        cmp -s "$W/expected" "$r.tasks" ||
            fail "$cc/$be: other report: $(diff "$W/expected" "$r.tasks" | head -n 6)"
    done
done

[ $fails -eq 0 ] && echo "deadlock_where: all checks passed"
[ $fails -eq 0 ]
