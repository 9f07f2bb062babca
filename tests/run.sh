#!/bin/sh
# tests/run.sh - cogen's test runner: every kind of test, one line each.
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
#   tests/unit/NAME.c              unit/NAME       a C program with hand-written
#                                                  frames (tests/unit/t.h),
#                                                  built against runtime/*.c
#                                                  with gcc under ASan+UBSan
#                                                  and plainly for valgrind;
#                                                  each build runs on both
#                                                  backends and must exit 0
#   tests/thread/NAME.co + .out    thread/NAME     built with gcc under TSan
#   tests/thread/NAME.c                            and under ASan+UBSan against
#   examples/NAME.co + .out                        runtime/*.c, each run on
#     (the threaded ones)                          both backends; exit 0 and
#                                                  stdout equal to NAME.out
#   tests/NAME.sh                  NAME            a script: exit 0 passes,
#                                                  77 skips, else it fails
#
# A NAME argument selects tests by full name (run/defer_loop), by last part
# (defer_loop), by file (tests/run/defer_loop.co) or by shell pattern
# ('run/defer_*', 'thread/*').  One line per test: PASS, FAIL (with the
# first lines of what went wrong; for a test of several runs, which runs
# failed) or SKIP; then `N passed, N failed`.  The exit status is 1 when a
# test failed.  Tests run JOBS at a time; results print in
# the order of the tests, a line names each group as it begins, and a
# stretch of 30 s without a result prints what is still running.  Work
# files go to build/tests/work.PID while the run lasts and are left in
# build/tests/last, with `times`: the seconds each job took.
#
# Unit and threaded tests link with runtime objects that the run builds
# once, before them, for each way they are built: ASan+UBSan, TSan, and
# plain for valgrind (only those the selected tests need).  A test that
# includes tests/unit/t.h is linked with its allocation wrappers (malloc,
# calloc and realloc wrapped; every unit test is).  Under valgrind
# UNIT_VALGRIND=1 is set and heavy tests scale themselves down.
#
# Environment: COGEN and LIB (default build/cogen, build/libcogen.a),
# CC_LIST (compilers for the sanitized builds of programs, default "gcc
# clang"), CC (compiler of the unit and threaded tests, default gcc),
# LDLIBS (default "-lpthread -lm"), JOBS (like -j; default: the number of
# processors), UNIT_NO_VALGRIND=1 (no valgrind runs; a missing valgrind
# also means none, with a note), COGEN_STRESS=K (the threaded storms run
# K times longer: `make stress`).

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
: "${CC:=gcc}"
ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:abort_on_error=0:exitcode=23
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
export ROOT B COGEN LIB STRICT SAN LDLIBS ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS

# The unit and threaded tests' builds: the flags of each mode, and the
# runtime objects (build/tests/work.PID/rt/RT) each links with.
RT_WARN="-std=c11 -Wall -Wextra -Werror -Iruntime -Itests/unit"
FL_asan="-g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
FL_tsan="-g -O1 -fsanitize=thread"
FL_plain="-g -O2"
WRAP="-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc"
# The examples that use threads, run as threaded tests too.
THREADED="race_counter thread_loop"
# The threaded storms, whose TSan runs take half a minute each: under TSan
# they run on the epoll backend alone (ASan still runs them on both, as
# TSan does under make stress): what TSan looks for is in the cross-thread
# layer, which is the same on both.
TSAN_ONE_BACKEND="storm stress"
: "${COGEN_STRESS:=1}"

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

for f in "$COGEN" "$LIB"; do
    if [ ! -e "$f" ]; then
        echo "run.sh: $f is missing: run 'make all' first" >&2
        exit 2
    fi
done
# A translator or library older than a source it is built from (any
# runtime header counts: the translator includes them too) tests old code.
if [ "$COGEN" = build/cogen ] && [ "$LIB" = build/libcogen.a ]; then
    for f in $(find runtime codegen grammar -newer "$COGEN" \( -name '*.[chy]' -o -name '*.re' \) \
                   ! -path 'runtime/*.c') \
             $(find runtime -name '*.[ch]' -newer "$LIB"); do
        echo "run.sh: $f is newer than the build: run 'make all' first" >&2
        exit 2
    done
fi
R=$B/res
mkdir -p "$B/examples" "$B/run" "$B/err" "$B/warn" "$B/sh" "$B/unit" "$B/thread" "$R"
running= ticker=
trap 'st=$?; [ -n "$ticker" ] && kill "$ticker" 2>/dev/null; rm -rf build/tests/last; mv "$B" build/tests/last 2>/dev/null || rm -rf "$B"; exit $st' EXIT
trap 'for p in $running; do kill "${p#*:}" 2>/dev/null; done; exit 130' INT TERM

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
        COGEN_BACKEND=$be timeout 60 "./$w.$b" >"$w.$b.stdout" 2>"$w.$b.stderr" </dev/null
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

# run_script NAME: sh tests/NAME.sh.  The time limits here and above only
# catch hangs: on a loaded machine a script takes several times as long.
run_script() {
    name=$1
    timeout 900 sh "tests/$name.sh" >"$B/sh/$name.log" 2>&1 </dev/null
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

# ---- the unit and threaded tests --------------------------------------------
#
# Each is several jobs: the runtime objects of a mode (shared by every test
# of the run), the test's builds, and one job per run.  A build job prints
# nothing when it succeeds, a FAIL line when not; a run job prints `ok` or
# what went wrong on its first line, details under it.  runs_verdict joins
# them into the test's one line.

# build_rt RT FILE: compile runtime/FILE.c with FL_RT into $B/rt/RT/FILE.o
# (one job a file: the runtime builds use the cores the tests leave).
build_rt() {
    o=$B/rt/$1/$2.o
    eval "fl=\$FL_$1"
    if ! $CC $RT_WARN $fl -c "runtime/$2.c" -o "$o" 2>"$o.err"; then
        echo "FAIL runtime ($1): $CC cannot build runtime/$2.c"
        head_of "$o.err"
    fi
}

# rt_of MODE: the runtime objects a build mode links with.
rt_of() { case $1 in valgrind) echo plain ;; *) echo "$1" ;; esac; }

# src_of KIND NAME: a unit or threaded test's source file.
src_of() {
    case $1 in
    unit) echo "tests/unit/$2.c" ;;
    thread)
        for f in "tests/thread/$2.co" "tests/thread/$2.c" "examples/$2.co"; do
            [ -f "$f" ] && { echo "$f"; return; }
        done ;;
    esac
}

# build_rt_test KIND NAME MODE...: build the test once per mode into
# $B/KIND/MODE/NAME (a .co translated first).
build_rt_test() {
    kind=$1 name=$2
    shift 2
    src=$(src_of "$kind" "$name")
    w=$B/$kind/$name
    c=$src
    case $src in
    *.co)
        c=$w.c
        if ! timeout 10 "$COGEN" "$src" -o "$c" 2>"$w.cogen.err"; then
            echo "FAIL $kind/$name: cogen failed"
            head_of "$w.cogen.err"
            return
        fi ;;
    esac
    wrap=
    grep -q '^#include ".*t\.h"' "$src" && wrap=$WRAP
    for m; do
        rt=$(rt_of "$m")
        for f in runtime/*.c; do
            f=${f#runtime/}
            if [ ! -s "$B/rt/$rt/${f%.c}.o" ]; then
                echo "FAIL $kind/$name: runtime/$f did not build ($rt)"
                return
            fi
        done
        mkdir -p "$B/$kind/$m"
        eval "fl=\$FL_$rt"
        if ! timeout 120 $CC $RT_WARN $fl "$c" "$B/rt/$rt"/*.o -lpthread -lm $wrap \
                -o "$B/$kind/$m/$name" 2>"$B/$kind/$m/$name.build"; then
            echo "FAIL $kind/$name: does not build ($m)"
            head_of "$B/$kind/$m/$name.build"
            return
        fi
    done
}

# run_rt_test KIND NAME MODE BACKEND: one run of a built test.
run_rt_test() {
    kind=$1 name=$2 m=$3 be=$4
    exe=$B/$kind/$m/$name
    log=$exe.$be
    [ -x "$exe" ] || { echo "not built"; return; }
    t=$((300 * COGEN_STRESS))
    case $m in
    valgrind)
        COGEN_BACKEND=$be UNIT_VALGRIND=1 timeout $t valgrind -q \
            --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
            --error-exitcode=1 "$exe" >"$log.out" 2>"$log.err" </dev/null ;;
    *)
        [ "$kind" = unit ] && t=$((120 * COGEN_STRESS))
        # The options these tests were written against: the programs'
        # less detect_stack_use_after_return.
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 \
            COGEN_BACKEND=$be timeout $t "$exe" >"$log.out" 2>"$log.err" </dev/null ;;
    esac
    rc=$?
    src=$(src_of "$kind" "$name")
    if [ $rc -ne 0 ]; then
        [ $rc -eq 124 ] && echo "timed out after $t s" || echo "exit status $rc"
        # Failed checks and sanitizer reports go to stderr, their first
        # lines say the most.
        if [ -s "$log.err" ]; then
            sed -n '1,25s/^/    /p' "$log.err"
        else
            tail -n 12 "$log.out" | sed 's/^/    /'
        fi
    elif [ "${src%.co}" != "$src" ] && ! cmp -s "${src%.co}.out" "$log.out"; then
        echo "printed something else"
        diff_of "${src%.co}.out" "$log.out"
    else
        echo ok
    fi
}

# runs_verdict NAME BUILD_JOB RUN_JOB...: the test's line from its jobs.
runs_verdict() {
    name=$1 b=$2
    shift 2
    if [ -s "$R/j$b" ]; then
        cat "$R/j$b"
        return
    fi
    bad= why=
    for j; do
        first=$(head -n 1 "$R/j$j")
        [ "$first" = ok ] && continue
        bad="$bad $j"
        eval "l=\$jl_$j"
        why="$why${why:+; }$l: $first"
    done
    if [ -z "$bad" ]; then
        echo "PASS $name ($# runs)"
        return
    fi
    echo "FAIL $name: $why"
    for j in $bad; do
        eval "l=\$jl_$j"
        [ "$bad" = " $j" ] || say "-- $l"
        tail -n +2 "$R/j$j"
    done
}

# run_one NAME: run one test of one job by its full name.
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
    for f in tests/unit/*.c; do
        [ -e "$f" ] && echo "unit/$(basename "$f" .c)"
    done
    for f in tests/thread/*.co tests/thread/*.c; do
        [ -e "$f" ] && echo "thread/$(basename "${f%.c}" .co)"
    done | sort -u
    for n in $THREADED; do
        echo "thread/$n"
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
        tests/*/*.co|tests/*/*.out|tests/*/*.err|tests/*/*.c) a=${a#tests/}; a=${a%.*} ;;
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

# ---- the plan: result entries, and the jobs that make them ---------------
#
# Entry K (tl_K: its name, tk_K: how its line is made, tj_K: its jobs)
# prints once its jobs are done, in order.  Job N (jc_N: the command, jd_N:
# the jobs it waits for, jn_N: its name while it runs, jl_N: the label of
# its run) starts in the order of $order, at most JOBS at a time.

for cc in $CC_LIST; do
    command -v "$cc" >/dev/null 2>&1 || echo "note: $cc not found, skipping its builds"
done
unit_modes="asan valgrind"
if [ -n "$UNIT_NO_VALGRIND" ]; then
    unit_modes=asan
    echo "note: UNIT_NO_VALGRIND is set: no valgrind runs"
elif ! command -v valgrind >/dev/null 2>&1; then
    unit_modes=asan
    echo "note: valgrind not found: no valgrind runs"
fi
thread_modes="tsan asan"

nres=0 njobs=0 order= sorder= rtorder= rtmodes=
# entry NAME HOW JOB...: add a result entry.
entry() {
    nres=$((nres + 1))
    eval "tl_$nres=\$1 tk_$nres=\$2"
    shift 2
    eval "tj_$nres=\$*"
}
# job NAME LABEL DEPS CMD...: define a job; its number is in $jid.
job() {
    njobs=$((njobs + 1)) jid=$njobs
    eval "jn_$jid=\$1 jl_$jid=\$2 jd_$jid=\$3"
    shift 3
    eval "jc_$jid=\$*"
}

# group_of TEST: the group a test belongs to (a script's is `scripts`).
group_of() { case $1 in */*) echo "${1%%/*}" ;; *) echo scripts ;; esac; }

# What the line that begins each group says, after the number of tests.
about_examples="programs: gcc and clang under ASan+UBSan and gcc -O2, each run on poll and epoll"
about_run=$about_examples
about_err="programs that cogen must refuse"
about_warn="programs that cogen must warn about"
about_unit="runtime tests under $(echo "$unit_modes" | sed 's/asan/ASan+UBSan/; s/ / and /'), each run on poll and epoll"
about_thread="threaded tests under TSan and ASan+UBSan, each run on poll and epoll"
about_scripts="scripts"
for t in $tests; do
    g=$(group_of "$t")
    eval "n_$g=\$((\${n_$g:-0} + 1))"
done

# The runtime objects that the selected tests need: their jobs start after
# the first group's (so that the first results come soon) or before the
# first unit or threaded test.
need=
for t in $tests; do
    case $t in
    unit/*) need="$need $unit_modes" ;;
    thread/*) need="$need $thread_modes" ;;
    esac
done
for m in asan tsan valgrind; do
    case " $need " in *" $m "*) ;; *) continue ;; esac
    rt=$(rt_of $m) rtjobs=
    mkdir -p "$B/rt/$rt"
    for f in runtime/*.c; do
        f=$(basename "$f" .c)
        job "runtime/$f.c ($rt)" "" "" build_rt $rt "$f"
        rtjobs="$rtjobs $jid"
    done
    eval "rtjob_$rt=\$rtjobs"
    rtorder="$rtorder $rtjobs" rtmodes="$rtmodes $rt"
done

# Each test's jobs, in order (a run waits for its test's build, and the
# jobs after it start meanwhile).  The scripts' results come last, but
# they start first: the longest jobs are among them, and begun early they
# run beside the short ones instead of after them on one core.  They
# take at most JOBS - 1 places at a time, so that the first results come
# soon.
group=
for t in $tests; do
    g=$(group_of "$t")
    if [ "$g" != "$group" ]; then
        case $group:$g in
        :unit|:thread|?*:*)
            # A runtime's entry prints only when it does not build.
            for rt in $rtmodes; do
                eval "entry \"runtime (\$rt)\" one \$rtjob_$rt"
            done
            order="$order $rtorder" rtorder= rtmodes= ;;
        esac
        group=$g
        eval "entry \"== $g: \$n_$g \$about_$g\" header"
    fi
    case $t in
    unit/*|thread/*)
        kind=${t%%/*} name=${t#*/}
        eval "modes=\$${kind}_modes"
        deps=
        for m in $modes; do
            eval "deps=\"\$deps \$rtjob_$(rt_of $m)\""
        done
        job "$t (build)" "" "$deps" build_rt_test "$kind" "$name" $modes
        b=$jid runs=
        order="$order $b"
        for m in $modes; do
            bes="poll epoll"
            case $m:$COGEN_STRESS:" $TSAN_ONE_BACKEND " in
            tsan:1:*" $name "*) bes=epoll ;;
            esac
            for be in $bes; do
                job "$t ($m, $be)" "$m, $be" $b run_rt_test "$kind" "$name" $m $be
                runs="$runs $jid"
            done
        done
        order="$order $runs"
        entry "$t" runs $b $runs ;;
    */*)
        job "$t" "" "" run_one "$t"
        order="$order $jid"
        entry "$t" one $jid ;;
    *)
        job "$t" "" "" run_one "$t"
        eval "jscript_$jid=1"
        sorder="$sorder $jid"
        entry "$t" one $jid ;;
    esac
done
order="$sorder $order"

# ---- run -------------------------------------------------------------------

pass=0 fail=0 skip=0 now=$(date +%s)
last=$now
# report FILE: print one result (if any) and count it.
report() {
    [ -s "$1" ] || return 0
    cat "$1"
    last=$now
    case $(head -c 4 "$1") in
    PASS) pass=$((pass + 1)) ;;
    SKIP) skip=$((skip + 1)) ;;
    *) fail=$((fail + 1)) ;;
    esac
}

# done_all JOB...: have these jobs ended?
done_all() {
    for d; do
        [ -e "$R/j$d.done" ] || return 1
    done
}

# print_ready: print the entries, in order, whose jobs have ended.
nextres=1
print_ready() {
    while [ $nextres -le $nres ]; do
        eval "jobs=\$tj_$nextres how=\$tk_$nextres name=\$tl_$nextres"
        done_all $jobs || return 0
        case $how in
        header) echo "$name"; last=$now; : >"$R/e$nextres" ;;
        one) for j in $jobs; do cat "$R/j$j"; done >"$R/e$nextres" ;;
        runs) runs_verdict "$name" $jobs >"$R/e$nextres" ;;
        esac
        report "$R/e$nextres"
        nextres=$((nextres + 1))
    done
}

# Each running job is ID:PID in $running, $nscripts of them scripts;
# $nstarted jobs have started.
nrun=0 nscripts=0 nstarted=0
maxscripts=$((JOBS > 1 ? JOBS - 1 : 1))
reap() {
    still=
    for p in $running; do
        if [ -e "$R/j${p%%:*}.done" ]; then
            wait "${p#*:}"
            eval "echo \"\$((now - js_${p%%:*})) \$jn_${p%%:*}\"" >>"$B/times"
            eval "nscripts=\$((nscripts - \${jscript_${p%%:*}:-0}))"
            nrun=$((nrun - 1))
        else
            still="$still $p"
        fi
    done
    running=$still
}

# pick: take the first job of $order that may start (its jobs done; a
# script, when there is room for one) off the list into $next (false if
# none).
pick() {
    next=
    for j in $order; do
        eval "deps=\$jd_$j script=\${jscript_$j:-0}"
        [ "$script" = 1 ] && [ $nscripts -ge $maxscripts ] && continue
        done_all $deps && { next=$j; break; }
    done
    [ -n "$next" ] || return 1
    order=" $order "
    order=${order%%" $next "*}" "${order#*" $next "}
}

# start JOB: start it in the background; when it ends it says so on the
# events pipe (not to the job itself: its descriptors are its own).
start() {
    eval "cmd=\$jc_$1"
    ( $cmd >"$R/j$1" 2>&1 </dev/null 3>&-; : >"$R/j$1.done"; echo "$1" >&3 ) &
    running="$running $1:$!"
    nrun=$((nrun + 1)) nstarted=$((nstarted + 1))
    eval "nscripts=\$((nscripts + \${jscript_$1:-0}))"
    eval "js_$1=$now"
}

# still_running: after 30 s without a line, say what runs and since when.
still_running() {
    [ $((now - last)) -ge 30 ] || return 0
    line=
    for p in $running; do
        eval "n=\$jn_${p%%:*} s=\$js_${p%%:*}"
        line="$line${line:+, }$n $((now - s)) s"
    done
    eval "echo \"   ... waiting for \$tl_$nextres; running: \$line\""
    last=$now
}

# The loop sleeps until a job ends or a second passes: each job that ends
# writes a line to the events pipe, and so does a ticker, each second, for
# still_running.  The pipe is opened for reading and writing, so that it
# never blocks on open nor reads an end of file.
mkfifo "$R/events" || exit 2
exec 3<>"$R/events"
(trap 'exit 0' TERM; while sleep 1; do echo tick; done) >&3 &
ticker=$!
while :; do
    reap
    print_ready
    if [ $nrun -lt "$JOBS" ] && pick; then
        start "$next"
        continue
    fi
    [ $nstarted -eq $njobs ] && [ $nrun -eq 0 ] && break
    read -r event <&3
    now=$(date +%s)
    still_running
done
print_ready
if [ $nextres -le $nres ]; then
    eval "echo \"FAIL run.sh: \$tl_$nextres and the tests after it never ran\""
    fail=$((fail + 1))
fi

[ $skip -gt 0 ] && echo "$skip skipped"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
