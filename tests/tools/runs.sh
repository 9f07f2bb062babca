# tests/tools/runs.sh - what tests/unit.sh and tests/thread.sh share:
# building the runtime once per set of flags, and running many test runs a
# few at a time, each leaving its verdict in a file, then a summary.
# Sourced (sh), not run.

# build_runtime DIR FLAGS LABEL: compile runtime/*.c into DIR/*.o with
# $CC $WARN FLAGS, all at once; on an error print it and exit 1.
build_runtime() {
    for f in runtime/*.c; do
        o=$1/$(basename "$f" .c).o
        $CC $WARN $2 -c "$f" -o "$o" 2>"$o.err" &
    done
    wait
    for f in runtime/*.c; do
        o=$1/$(basename "$f" .c).o
        if [ ! -s "$o" ]; then
            echo "FAIL $3: $CC cannot build $f"
            sed 's/^/    /' "$o.err" | head -20
            exit 1
        fi
    done
}

# start RESFILE CMD...: run CMD in the background (it writes RESFILE, a
# PASS or FAIL line and details); at most $runs_max at a time.
runs_list= runs_n=0
start() {
    res=$1
    shift
    "$@" &
    runs_list="$runs_list $res"
    runs_n=$((runs_n + 1))
    if [ $runs_n -ge "$runs_max" ]; then
        wait
        runs_n=0
    fi
}

# finish NAME: wait for the runs, print their verdicts and `NAME: N
# passed, N failed`; the status is 1 when one failed (or $fail was set).
finish() {
    wait
    pass=0
    for r in $runs_list; do
        cat "$r"
        case $(head -c 4 "$r") in
        PASS) pass=$((pass + 1)) ;;
        *) fail=$((fail + 1)) ;;
        esac
    done
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
