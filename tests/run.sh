#!/bin/sh
# tests/run.sh - cogen's test runner.
#
#   sh tests/run.sh [-j N] [NAME...]     run the tests (all, or those named)
#   sh tests/run.sh --update-err [NAME...]
#                                        rewrite tests/err/*.err and
#                                        tests/warn/*.err from what build/cogen
#                                        prints now (for a human, after review)
#
# Run from anywhere after `make all` (build/cogen, build/libcogen.a).  The
# files beside each test choose its kind:
#
#   examples/NAME.co + NAME.out    examples/NAME   translate, build with gcc
#   tests/run/NAME.co + NAME.out   run/NAME        and clang under ASan+UBSan
#                                                  (debug builds: -DCOGEN_DEBUG),
#                                                  each run on the poll and
#                                                  the epoll backend
#                                                  and with gcc -O2, run each;
#                                                  stdout must equal NAME.out
#                                                  and the exit status be 0
#   tests/err/NAME.co + NAME.err   err/NAME        cogen exits 1, stderr equals
#                                                  NAME.err, no output file
#   tests/warn/NAME.co + NAME.err  warn/NAME       cogen exits 0 and stderr
#                                                  equals NAME.err; with
#                                                  -Werror it exits 1 and
#                                                  leaves no output file
#   tests/NAME.sh                  NAME            a script: exit 0 passes,
#                                                  77 skips, else it fails
#
# A NAME argument selects tests by full name (run/defer_loop), by last part
# (defer_loop), by file (tests/run/defer_loop.co) or by shell pattern
# ('run/defer_*').  One line per test: PASS, FAIL (with the first lines of
# what went wrong) or SKIP; then `N passed, N failed`.  The exit status is 1
# when a test failed.  Work files go to build/tests/work.PID while the run
# lasts and are left in build/tests/last.
#
# Environment: COGEN and LIB (default build/cogen, build/libcogen.a),
# CC_LIST (compilers for the sanitized builds, default "gcc clang"), LDLIBS
# (default "-lpthread -lm"), JOBS (like -j; default: the number of
# processors).

cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
# Each run works in a directory of its own, so two runs at once (make check
# beside a run by hand) never touch each other's files; at the end it
# becomes build/tests/last, where the files of the last run can be read.
B=build/tests/work.$$
: "${COGEN:=build/cogen}"
: "${LIB:=build/libcogen.a}"
STRICT="-std=c11 -Wall -Wextra -Werror -Iruntime"
SAN="-g -DCOGEN_DEBUG -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
: "${CC_LIST:=gcc clang}"
: "${LDLIBS:=-lpthread -lm}"
: "${JOBS:=$(nproc 2>/dev/null || echo 1)}"
ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:abort_on_error=0:exitcode=23
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ROOT B COGEN LIB STRICT SAN LDLIBS ASAN_OPTIONS UBSAN_OPTIONS

update=0
while [ $# -gt 0 ]; do
    case $1 in
    --update-err) update=1; shift ;;
    -j) JOBS=$2; shift 2 ;;
    -j*) JOBS=${1#-j}; shift ;;
    -h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
    esac
done

for f in "$COGEN" "$LIB" runtime/cogen.h; do
    if [ ! -e "$f" ]; then
        echo "run.sh: $f is missing: run 'make all' first" >&2
        exit 2
    fi
done
R=$B/res
mkdir -p "$B/examples" "$B/run" "$B/err" "$B/warn" "$B/sh" "$R"
trap 'st=$?; rm -rf build/tests/last; mv "$B" build/tests/last 2>/dev/null || rm -rf "$B"; exit $st' EXIT
trap 'exit 130' INT TERM

# ---- helpers ---------------------------------------------------------------

# say LINE...: one line of detail under a FAIL.
say() { printf '    %s\n' "$*"; }

# head_of FILE: the first lines of FILE, indented.
head_of() { sed -n '1,12s/^/    /p' "$1"; }

# diff_of EXPECTED ACTUAL: the first lines of their unified diff.
diff_of() { diff -u "$1" "$2" | sed -n '3,14s/^/    /p'; }

# ---- the kinds -------------------------------------------------------------

# run_program KIND NAME: translate DIR/NAME.co, build it three ways, run
# each build and compare its stdout with DIR/NAME.out.  The C is built as
# if it stood beside the .co: its quoted #includes are found in DIR.
run_program() {
    dir=$1 name=$2
    src=$dir/$name.co exp=$dir/$name.out
    w=$B/${dir##*/}/$name
    rm -f "$w".*
    if ! timeout 10 "$COGEN" "$src" -o "$w.c" 2>"$w.cogen.err"; then
        echo "FAIL $3: cogen failed"
        head_of "$w.cogen.err"
        return
    fi
    builds=
    for cc in $CC_LIST; do
        command -v "$cc" >/dev/null 2>&1 || continue
        if ! timeout 120 $cc $STRICT $SAN -iquote "$dir" "$w.c" "$LIB" $LDLIBS \
                -o "$w.$cc" 2>"$w.$cc.err"; then
            echo "FAIL $3: $cc could not build the generated C"
            head_of "$w.$cc.err"
            return
        fi
        builds="$builds $cc"
    done
    if ! timeout 120 gcc $STRICT -O2 -iquote "$dir" "$w.c" "$LIB" $LDLIBS \
            -o "$w.O2" 2>"$w.O2.err"; then
        echo "FAIL $3: gcc -O2 could not build the generated C"
        head_of "$w.O2.err"
        return
    fi
    # Every build runs on both event-loop backends.
    for b in $builds O2; do
      for be in poll epoll; do
        COGEN_BACKEND=$be timeout 20 "./$w.$b" >"$w.$b.stdout" 2>"$w.$b.stderr" </dev/null
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "FAIL $3: the $b build exited with status $rc ($be backend)"
            head_of "$w.$b.stderr"
            return
        fi
        if ! cmp -s "$exp" "$w.$b.stdout"; then
            echo "FAIL $3: the $b build printed something else ($be backend)"
            diff_of "$exp" "$w.$b.stdout"
            return
        fi
      done
    done
    echo "PASS $3"
}

# run_err NAME: cogen must refuse tests/err/NAME.co with exactly NAME.err.
run_err() {
    name=$1
    d=$B/err/$name.d
    rm -rf "$d" && mkdir -p "$d"
    timeout 10 "$COGEN" "tests/err/$name.co" -o "$d/$name.c" \
        >"$B/err/$name.stdout" 2>"$B/err/$name.stderr"
    rc=$?
    if [ $rc -ne 1 ]; then
        echo "FAIL err/$name: cogen exited with status $rc, not 1"
        head_of "$B/err/$name.stderr"
    elif ! cmp -s "tests/err/$name.err" "$B/err/$name.stderr"; then
        echo "FAIL err/$name: other diagnostics"
        diff_of "tests/err/$name.err" "$B/err/$name.stderr"
    elif [ -n "$(ls -A "$d")" ]; then
        echo "FAIL err/$name: files left behind:" $(ls -A "$d")
    else
        echo "PASS err/$name"
    fi
}

# run_warn NAME: cogen must warn about tests/warn/NAME.co with exactly
# NAME.err and succeed; with -Werror it must fail and write nothing.
run_warn() {
    name=$1
    d=$B/warn/$name.d
    rm -rf "$d" && mkdir -p "$d"
    timeout 10 "$COGEN" "tests/warn/$name.co" -o "$d/$name.c" \
        2>"$B/warn/$name.stderr"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL warn/$name: cogen exited with status $rc, not 0"
        head_of "$B/warn/$name.stderr"
        return
    fi
    if ! cmp -s "tests/warn/$name.err" "$B/warn/$name.stderr"; then
        echo "FAIL warn/$name: other warnings"
        diff_of "tests/warn/$name.err" "$B/warn/$name.stderr"
        return
    fi
    if [ ! -s "$d/$name.c" ]; then
        echo "FAIL warn/$name: no output file"
        return
    fi
    rm -rf "$d" && mkdir -p "$d"
    timeout 10 "$COGEN" -Werror "tests/warn/$name.co" -o "$d/$name.c" \
        2>"$B/warn/$name.werror.stderr"
    rc=$?
    if [ $rc -ne 1 ]; then
        echo "FAIL warn/$name: with -Werror cogen exited with status $rc, not 1"
        head_of "$B/warn/$name.werror.stderr"
    elif [ -n "$(ls -A "$d")" ]; then
        echo "FAIL warn/$name: with -Werror files were left:" $(ls -A "$d")
    else
        echo "PASS warn/$name"
    fi
}

# run_script NAME: sh tests/NAME.sh.
run_script() {
    name=$1
    timeout 300 sh "tests/$name.sh" >"$B/sh/$name.log" 2>&1 </dev/null
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS $name"
    elif [ $rc -eq 77 ]; then
        echo "SKIP $name: $(tail -n 1 "$B/sh/$name.log")"
    else
        echo "FAIL $name: exit status $rc"
        tail -n 12 "$B/sh/$name.log" | sed 's/^/    /'
    fi
}

# run_one NAME: run one test by its full name.
run_one() {
    case $1 in
    examples/*) run_program examples "${1#examples/}" "$1" ;;
    run/*) run_program tests/run "${1#run/}" "$1" ;;
    err/*) run_err "${1#err/}" ;;
    warn/*) run_warn "${1#warn/}" ;;
    *) run_script "$1" ;;
    esac
}

# ---- which tests -----------------------------------------------------------

all_tests() {
    for f in examples/*.co; do
        [ -e "${f%.co}.out" ] && echo "examples/$(basename "$f" .co)"
    done
    for f in tests/run/*.co; do
        [ -e "${f%.co}.out" ] && echo "run/$(basename "$f" .co)"
    done
    for f in tests/err/*.co; do
        [ -e "$f" ] && echo "err/$(basename "$f" .co)"
    done
    for f in tests/warn/*.co; do
        [ -e "$f" ] && echo "warn/$(basename "$f" .co)"
    done
    for f in tests/*.sh; do
        case $f in tests/run.sh) continue ;; esac
        [ -e "$f" ] && echo "$(basename "$f" .sh)"
    done
}

# selected NAME PATTERN...: is test NAME one of those asked for?
selected() {
    t=$1; shift
    [ $# -eq 0 ] && return 0
    for a in "$@"; do
        a=${a#./}
        case $a in
        examples/*.co|examples/*.out) a=${a%.*} ;;
        tests/*/*.co|tests/*/*.out|tests/*/*.err) a=${a#tests/}; a=${a%.*} ;;
        tests/*.sh) a=${a#tests/}; a=${a%.sh} ;;
        esac
        case $t in $a) return 0 ;; esac
        case ${t##*/} in $a) return 0 ;; esac
    done
    return 1
}

tests=
for t in $(all_tests); do
    selected "$t" "$@" && tests="$tests $t"
done
if [ -z "$tests" ]; then
    echo "run.sh: no test matches: $*" >&2
    exit 2
fi

# ---- --update-err ----------------------------------------------------------

if [ $update -eq 1 ]; then
    for t in $tests; do
        case $t in
        err/*)
            n=${t#err/}
            "$COGEN" "tests/err/$n.co" -o "$B/err/$n.c" 2>"tests/err/$n.err"
            rm -f "$B/err/$n.c"
            echo "updated tests/err/$n.err" ;;
        warn/*)
            n=${t#warn/}
            "$COGEN" "tests/warn/$n.co" -o "$B/warn/$n.c" 2>"tests/warn/$n.err"
            echo "updated tests/warn/$n.err" ;;
        esac
    done
    exit 0
fi

# ---- run -------------------------------------------------------------------

for cc in $CC_LIST; do
    command -v "$cc" >/dev/null 2>&1 || echo "note: $cc not found, skipping its builds"
done

pass=0 fail=0 skip=0
# report FILE: print one result and count it.
report() {
    cat "$1"
    case $(head -c 4 "$1") in
    PASS) pass=$((pass + 1)) ;;
    SKIP) skip=$((skip + 1)) ;;
    *) fail=$((fail + 1)) ;;
    esac
}

# Programs and diagnostics run JOBS at a time, in batches, and print in
# order; the scripts use every core themselves and run one at a time.
batch='' n=0 i=0
flush() {
    wait
    for r in $batch; do report "$R/$r"; done
    batch='' n=0
}
for t in $tests; do
    i=$((i + 1))
    case $t in
    */*) ;;
    *) flush ;;
    esac
    run_one "$t" >"$R/$i" 2>&1 &
    batch="$batch $i" n=$((n + 1))
    case $t in
    */*) [ "$n" -ge "$JOBS" ] && flush ;;
    *) flush ;;
    esac
done
flush

[ $skip -gt 0 ] && echo "$skip skipped"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
