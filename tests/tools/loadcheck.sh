#!/bin/sh
# tests/tools/loadcheck.sh - `make check` several times in a row on a
# loaded machine: a test that passes only on a quiet one shows here.
#
#   sh tests/tools/loadcheck.sh [N]      N runs, default 3 (`make loadcheck`)
#
# Starts LOAD busy loops (default two per processor), which run for the
# whole time, then runs `make check` N times one after another.  Prints
# each run's summary line with how long it took, the FAIL lines of a run
# that failed, and at the end `loadcheck: K of N runs passed`; the exit
# status is 1 when a run failed.  The busy loops end with the script, on
# Ctrl-C too.  Each run's whole output is kept in
# build/tests/loadcheck.K.log.  Environment: LOAD, MAKE (default make).

cd "$(dirname "$0")/../.." || exit 2
n=${1:-3}
: "${LOAD:=$((2 * $(nproc 2>/dev/null || echo 1)))}"
: "${MAKE:=make}"
case $n in ''|*[!0-9]*) echo "usage: loadcheck.sh [N]" >&2; exit 2 ;; esac
mkdir -p build/tests || exit 2

# The load and the running check end with the script, however it ends.
spinners= check=
trap 'kill $spinners $check 2>/dev/null' EXIT
trap 'exit 130' INT TERM HUP
i=0
while [ $i -lt "$LOAD" ]; do
    ( while :; do :; done ) &
    spinners="$spinners $!"
    i=$((i + 1))
done
echo "loadcheck: $n runs of make check beside $LOAD busy loops on $(nproc) processors"

ok=0 i=1
while [ $i -le "$n" ]; do
    log=build/tests/loadcheck.$i.log
    t0=$(date +%s)
    # In the background, so that a signal reaches the trap at once.
    $MAKE check >"$log" 2>&1 </dev/null &
    check=$!
    wait $check
    rc=$?
    check=
    t=$(($(date +%s) - t0))
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    [ -n "$summary" ] || summary="no summary line (exit status $rc)"
    echo "run $i: $summary in ${t} s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ $rc -eq 0 ]; then
        ok=$((ok + 1))
    else
        grep '^FAIL' "$log" | sed 's/^/    /'
        echo "    (the whole output: $log)"
    fi
    i=$((i + 1))
done
echo "loadcheck: $ok of $n runs passed"
[ $ok -eq "$n" ]
