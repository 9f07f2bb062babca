#!/bin/sh
# tests/timeout_types.sh - what co_timeout's compile-time checks refuse:
# the result of an awaitable cogen cannot see (the runtime's, another
# file's) that does not fit co_timeout's int, and an out pointer of the
# wrong type.  Each program must fail to build with gcc and with clang,
# with and without -Werror, with the check's message at the .co line of
# the await.
cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
W=build/tests/timeout_types.$$
trap 'rc=$?; rm -rf "$W"; exit $rc' EXIT
trap 'exit 130' INT TERM
mkdir -p "$W" || exit 2
fails=0

# case NAME LINE MESSAGE BODY: BODY's await on line LINE of NAME.co
case_() {
    name=$1 line=$2 msg=$3 body=$4
    printf '#include <cogen.h>\nstatic void *work(void *a) { return a; }\nasync double half(void) { return 0.5; }\nasync void f(void)\n{\n%s\n}\n' \
        "$body" >"$W/$name.co"
    "$COGEN" "$W/$name.co" -o "$W/$name.c" || { echo "FAIL $name: cogen refused it"; fails=$((fails + 1)); return; }
    for cc in gcc clang; do
        command -v $cc >/dev/null 2>&1 || continue
        for werror in -Werror ""; do
            if $cc -std=c11 -Wall -Wextra $werror -Iruntime -c -o "$W/$name.o" "$W/$name.c" 2>"$W/err"; then
                echo "FAIL $name: $cc $werror built it"; fails=$((fails + 1)); continue
            fi
            grep -q "$name.co:$line:.*$msg" "$W/err" ||
                { echo "FAIL $name: $cc $werror: no '$msg' at line $line:"; head -5 "$W/err"; fails=$((fails + 1)); }
        done
    done
}

case_ pointer_in_int 6 "result as an int" \
    '    int r = await co_timeout(10, co_run_in_thread(work, 0));
    (void)r;'
case_ wrong_out 7 "out must point at" \
    '    float x;
    int r = await co_timeout(10, half(), &x);
    (void)r;'
case_ wrong_out_ptr 7 "out must point at" \
    '    int *p;
    int r = await co_timeout(10, co_run_in_thread(work, 0), &p);
    (void)r;'
[ $fails -eq 0 ] || exit 1
echo "timeout_types: 3 programs refused at their line by each compiler, with and without -Werror"
