#!/bin/sh
# run.sh - the benchmarks of DESIGN section 7, each beside its peers in the
# same run, at -O2.  Every program times itself with CLOCK_MONOTONIC (or
# measures its own /proc/self/status) and prints one line,
# `VARIANT FIGURE COUNT`, which this script gathers into one table per
# workload with ratios and the issue's targets:
#
#   gen       (1) a generator yielding N ints, summed: ns per item; plain C
#             loop, cogen (range-for and co_gen_next), C++20 coroutines
#   handoff   (2h) the natural one-channel producer/consumer: one task
#             sends N ints over one unbuffered channel, another receives
#             and sums them: ns per value; cogen, and its limit, two
#             hand-written switch state machines on a FIFO run queue
#             (bench/handoff_sm.c); target cogen <= 1.5x hand-written
#   pingpong  (2) two tasks passing ints over two unbuffered channels: ns
#             per message; cogen, hand-written state machines
#             (bench/pingpong_sm.c; target cogen <= 1.3x them), Go,
#             Python asyncio (Queue(maxsize=1))
#   xpingpong (2x) the same across threads: two loops on two threads,
#             shared unbuffered channels (co_chan_new_shared): ns per
#             message; cogen, Go with GOMAXPROCS=2
#   blocked   (3) K tasks each blocked on its own channel: bytes per task
#             (peak RSS growth / K, channel included); cogen, Go, Python
#   spawn     (4) spawn and finish N trivial tasks in batches of 1,000: ns
#             per task; cogen, Go, Python asyncio
#   echo      (5) a TCP echo server and 100 client connections in one
#             program on loopback, 64-byte messages: round trips per
#             second (higher is better); cogen, Go, Python asyncio streams
#   pool      (7) examples/fib_pool: fib(25..39) one after another on the
#             loop, then each on the thread pool (co_run_in_thread): the
#             speedup of POOL_RUNS runs, median and lowest; target on two
#             or more cores: median at least 1.8, none under 1.6
#   translate the translator on a large generated .co (tests/tools/
#             bigco.sh: coroutines of TR_N locals, yields, loops, blocks,
#             types, declarators, awaits) beside gcc -O0 -c of its output:
#             seconds; target: cogen at most 5 % of the compiler's time
#
# A peer that cannot be had is skipped with a one-line row; when the go
# command is missing and we are root, golang-go is installed with apt-get.
# While the translator or the runtime cannot build an async workload, its
# cogen row says so and the run goes on.  A program that builds but fails
# (a wrong checksum, a crash) makes the run fail after all tables print.
#
# Run by `make bench` from the top directory after `make`.  Environment:
#   WORKLOADS   which to run (default "gen handoff pingpong xpingpong
#               blocked spawn echo pool translate")
#   N           gen: items (default 1e9)
#   HO_N        handoff: values (default 1e7)
#   PP_N        pingpong: messages for cogen and Go (default 1e7)
#   PP_PY_N     pingpong: messages for Python (default 1e6)
#   XP_N        xpingpong: messages for cogen and Go (default 1e6)
#   MEM_K       blocked: tasks for cogen and Go (default 1e6)
#   MEM_PY_K    blocked: tasks for Python (default 1e5)
#   SPAWN_N     spawn: tasks for cogen and Go (default 1e7)
#   SPAWN_PY_N  spawn: tasks for Python (default 1e6)
#   ECHO_N      echo: round trips for cogen and Go (default 4e4)
#   ECHO_PY_N   echo: round trips for Python (default 1e4)
#   POOL_RUNS   pool: runs (default 5)
#   TR_N        translate: the size of each coroutine (default 2000)
#   REPEAT      runs of each program in handoff, pingpong, spawn and echo, the
#               best one counts (default 3; blocked runs once)
#   GO_PROCS    GOMAXPROCS for the Go peers (default 1: one thread, like
#               one cogen loop; xpingpong always uses 2)
#   (translate runs each side REPEAT times too)
#   CC, CXX, COGEN (default build/cogen), GO (default go), PYTHON
#   (default python3)

cd "$(dirname "$0")/.." || exit 1
WORKLOADS=${WORKLOADS:-"gen handoff pingpong xpingpong blocked spawn echo pool translate"}
N=${N:-1000000000}
HO_N=${HO_N:-10000000}
PP_N=${PP_N:-10000000}
PP_PY_N=${PP_PY_N:-1000000}
XP_N=${XP_N:-1000000}
MEM_K=${MEM_K:-1000000}
MEM_PY_K=${MEM_PY_K:-100000}
SPAWN_N=${SPAWN_N:-10000000}
SPAWN_PY_N=${SPAWN_PY_N:-1000000}
ECHO_N=${ECHO_N:-40000}
ECHO_PY_N=${ECHO_PY_N:-10000}
TR_N=${TR_N:-2000}
POOL_RUNS=${POOL_RUNS:-5}
GO_PROCS=${GO_PROCS:-1}
REPEAT=${REPEAT:-3}
CC=${CC:-cc}
CXX=${CXX:-g++}
COGEN=${COGEN:-build/cogen}
GO=${GO:-go}
PYTHON=${PYTHON:-python3}
out=build/bench
cflags="-O2 -std=c11 -Wall -Wextra -Werror"
failed=

die() { echo "bench: $*" >&2; exit 1; }

mkdir -p $out || exit 1

# ---- (1) generators -------------------------------------------------------

bench_gen() {
	: > $out/gen.results
	$CC $cflags -o $out/plain_sum bench/plain_sum.c ||
		die "cannot build plain_sum.c"
	$COGEN bench/gen_sum.co -o $out/gen_sum.c ||
		die "cogen cannot translate gen_sum.co"
	$CC $cflags -Iruntime -o $out/gen_sum $out/gen_sum.c build/libcogen.a ||
		die "cannot build the translated gen_sum.c"

	# g++ wants -fcoroutines before version 11; clang++ does not know it.
	cpp=
	for f in "-std=c++20 -fcoroutines" "-std=c++20"; do
		if $CXX -O2 $f -o $out/cpp_sum bench/cpp_sum.cc \
		    2>$out/cpp_sum.err; then
			cpp=$out/cpp_sum
			break
		fi
	done
	[ -n "$cpp" ] || echo "bench: $CXX cannot build C++20 coroutines" \
		"(see $out/cpp_sum.err); skipping that peer" >&2

	for p in $out/plain_sum $out/gen_sum $cpp; do
		$p "$N" >> $out/gen.results || die "$p failed"
	done

	awk -v n="$N" -v cc="$CC" -v cxx="$CXX" '
	{ sum[$1] = $2; ns[$1] = $3; order[++k] = $1 }
	END {
		label["plain"] = "plain C loop"
		label["cogen-for"] = "cogen for (:)"
		label["cogen-next"] = "cogen co_gen_next"
		label["c++20"] = "C++20 coroutine generator"
		base = ns["plain"] > 0 ? ns["plain"] : 1e-9
		if ("c++20" in ns)
			target["cogen-next"] = ns["cogen-next"] <= 3 && \
			    ns["cogen-next"] < ns["c++20"] ? "met" : "MISSED"
		else
			target["cogen-next"] = ns["cogen-next"] <= 3 ? "met" : "MISSED"
		target["cogen-for"] = ns["cogen-for"] <= 2 * base ? "met" : "MISSED"
		goal["cogen-for"] = "target <= 2x plain: "
		goal["cogen-next"] = ("c++20" in ns) ? \
		    "target <= 3 ns and < C++20: " : "target <= 3 ns: "

		printf "workload (1): sum of %s ints from a generator, -O2 (%s, %s)\n",
		    n, cc, cxx
		printf "  %-34s %10s %9s\n", "variant", "ns/item", "x plain"
		for (i = 1; i <= k; i++) {
			v = order[i]
			printf "  %-34s %10.3f %9.2f", label[v], ns[v], ns[v] / base
			if (v in target)
				printf "   %s%s", goal[v], target[v]
			printf "\n"
		}
		bad = 0
		for (i = 2; i <= k; i++)
			if (sum[order[i]] "" != sum[order[1]] "")
				bad = 1
		if (bad) {
			print "bench: the sums disagree:" > "/dev/stderr"
			for (i = 1; i <= k; i++)
				printf "  %s %s\n", order[i], sum[order[i]] > "/dev/stderr"
			exit 1
		}
		printf "  all sums agree: %s\n", sum[order[1]]
	}' $out/gen.results || exit 1
}

# ---- the peers of the async workloads ------------------------------------

# Set go_ok, or go_why to the reason the Go peers are skipped.
go_ok=
go_why=
find_go() {
	if ! command -v "$GO" >/dev/null 2>&1; then
		if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
			go_why="no $GO command (install golang-go)"
			return
		fi
		echo "bench: installing golang-go for the Go peers" >&2
		export DEBIAN_FRONTEND=noninteractive
		if ! apt-get install -y -q golang-go >$out/apt.log 2>&1 &&
		    ! { apt-get update -q && apt-get install -y -q golang-go; } \
		    >>$out/apt.log 2>&1; then
			go_why="apt-get install golang-go failed (see $out/apt.log)"
			return
		fi
		GO=go
	fi
	# go build needs a cache directory; without a usable HOME keep it here.
	if [ -z "$GOCACHE" ] && [ -z "$XDG_CACHE_HOME" ] &&
	    { [ -z "$HOME" ] || [ ! -w "$HOME" ]; }; then
		GOCACHE=$PWD/$out/go-cache
		export GOCACHE
	fi
	# Only the standard library is used: never fetch a toolchain.
	GOTOOLCHAIN=${GOTOOLCHAIN:-local}
	export GOTOOLCHAIN
	go_ver=$($GO version 2>/dev/null | awk '{ sub(/^go/, "", $3); print $3 }')
	go_ok=1
}

py_why=
find_python() {
	if ! command -v "$PYTHON" >/dev/null 2>&1; then
		py_why="no $PYTHON command"
	elif ! py_ver=$($PYTHON -c 'import asyncio, platform
print(platform.python_version())' 2>/dev/null); then
		py_why="$PYTHON cannot import asyncio"
	fi
}

# row RESULTS VARIANT WHY: a variant that did not run, and why.
row() { echo "$2 - $3" >> "$1"; }

# run RESULTS VARIANT LOG COMMAND...: run one program $reps times and
# append the line with the best figure (the run least disturbed by
# whatever else the machine was doing): the smallest, or the largest when
# $higher is set (a rate).
run() {
	res=$1 var=$2 log=$3
	shift 3
	: > $out/lines
	i=0
	while [ $i -lt "$reps" ]; do
		i=$((i + 1))
		"$@" > $out/line 2>"$log"
		st=$?
		if [ $st != 0 ] || ! grep -q "^$var [0-9]" $out/line; then
			cat $out/line >> "$log"
			row "$res" "$var" "FAILED (exit $st; see $log)"
			failed="$failed $var:$(basename "$res" .results)"
			return
		fi
		grep "^$var [0-9]" $out/line | head -n 1 >> $out/lines
	done
	sort -g ${higher:+-r} -k 2 $out/lines | head -n 1 >> "$res"
}

# cogen_side RESULTS NAME COUNT: translate, build and run bench/NAME.co.
# Generated code that builds only without -Werror is measured anyway, with
# a note under the table: warnings are the test suite's business.
cogen_side() {
	res=$1 name=$2 count=$3 blog=$out/$2.build.log
	if ! $COGEN bench/$name.co -o $out/$name.c 2>$blog; then
		row "$res" cogen "not available yet (translator/runtime); see $blog"
	elif ! $CC $cflags -Iruntime -o $out/$name $out/$name.c \
	    build/libcogen.a 2>>$blog &&
	    ! $CC ${cflags%-Werror} -Iruntime -o $out/$name $out/$name.c \
	    build/libcogen.a 2>/dev/null; then
		row "$res" cogen "not available yet (translator/runtime); see $blog"
	else
		grep -q 'error:' $blog && echo "  note: $out/$name.c builds" \
		    "only without -Werror (see $blog)" >> "$res.notes"
		run "$res" cogen $out/$name.err $out/$name "$count"
	fi
}

# go_side RESULTS NAME COUNT: build and run bench/NAME.go.
go_side() {
	res=$1 name=$2 count=$3 log=$out/$2-go.err
	if [ -z "$go_ok" ]; then
		row "$res" go "skipped: $go_why"
	elif ! $GO build -o $out/$name-go bench/$name.go 2>$log; then
		row "$res" go "skipped: $GO build failed (see $log)"
	else
		run "$res" go $log env GOMAXPROCS=$GO_PROCS $out/$name-go "$count"
	fi
}

# hand_side RESULTS NAME COUNT: build and run bench/NAME_sm.c, the
# hand-written state machines (bench/sm.h) a workload is measured against.
hand_side() {
	res=$1 name=$2 count=$3 log=$out/$2_sm.err
	if ! $CC $cflags -o $out/${name}_sm bench/${name}_sm.c 2>$log; then
		row "$res" hand "FAILED to build (see $log)"
		failed="$failed hand:$(basename "$res" .results)"
	else
		run "$res" hand $log $out/${name}_sm "$count"
	fi
}

# limit RESULTS FACTOR: the line under a table that sets cogen beside the
# hand-written limit: their ratio, and whether it is at most FACTOR.
limit() {
	awk -v goal="$2" '{ v[$1] = $2 }
	END {
		if (!("cogen" in v) || !("hand" in v) || v["cogen"] == "-" ||
		    v["hand"] == "-" || v["hand"] <= 0)
			exit 0
		r = v["cogen"] / v["hand"]
		printf "  cogen / hand-written: %.2fx   target <= %sx: %s\n", r, goal,
		    r <= goal + 0 ? "met" : "MISSED"
	}' "$1"
}

# py_side RESULTS NAME COUNT: run bench/NAME.py.
py_side() {
	res=$1 name=$2 count=$3 log=$out/$2-py.err
	if [ -n "$py_why" ]; then
		row "$res" python "skipped: $py_why"
	else
		run "$res" python $log $PYTHON bench/$name.py "$count"
	fi
}

# table RESULTS TITLE UNIT FORMAT OP TARGET: print one workload's table;
# ratios are to the cogen row, or to the first row that ran when cogen
# did not, and the cogen row says whether it meets `OP TARGET` (<= or <;
# no target when OP is empty).
table() {
	awk -v title="$2" -v unit="$3" -v fmt="$4" -v op="$5" -v goal="$6" \
	    -v gov="$go_ver" -v gop="$GO_PROCS" -v pyv="$py_ver" '
	{ v = $1; order[++k] = v; val[v] = $2; cnt[v] = $3
	  if ($2 == "-") { sub(/^[^ ]+ - /, ""); why[v] = $0 } }
	END {
		label["cogen"] = "cogen"
		label["hand"] = "hand-written state machines (C)"
		label["go"] = "Go" (gov == "" ? "" : " " gov) " (GOMAXPROCS=" gop ")"
		label["go-threads"] = "Go, LockOSThread each"
		label["python"] = "Python" (pyv == "" ? "" : " " pyv) " asyncio"
		for (i = 1; i <= k; i++)
			if (!(order[i] in why) && (base == "" || order[i] == "cogen"))
				base = order[i]
		print title
		printf "  %-34s %10s %9s %11s\n", "variant", unit,
		    base == "" ? "" : "x " base, "N"
		for (i = 1; i <= k; i++) {
			v = order[i]
			if (v in why) {
				printf "  %-34s %s\n", label[v], why[v]
				continue
			}
			r = val[base] > 0 ? val[v] / val[base] : 0
			printf "  %-34s " fmt " %9.2f %11s", label[v], val[v], r, cnt[v]
			if (v == "cogen" && op != "") {
				met = op == "<" ? val[v] < goal + 0 : val[v] <= goal + 0
				printf "   target %s %s: %s", op, goal, met ? "met" : "MISSED"
			}
			printf "\n"
		}
	}' "$1"
}

bench_handoff() {
	r=$out/handoff.results reps=$REPEAT
	: > $r
	: > $r.notes
	cogen_side $r handoff "$HO_N"
	hand_side $r handoff "$HO_N"
	table $r "workload (2h): one task sends ints over one unbuffered channel, another receives and sums them (one value = one hand-off)" \
	    ns/value %10.1f "" ""
	limit $r 1.5
	cat $r.notes
}

bench_pingpong() {
	r=$out/pingpong.results reps=$REPEAT
	: > $r
	: > $r.notes
	cogen_side $r pingpong "$PP_N"
	hand_side $r pingpong "$PP_N"
	go_side $r pingpong "$PP_N"
	py_side $r pingpong "$PP_PY_N"
	table $r "workload (2): ping-pong, two tasks, two unbuffered channels (one message = one send/recv pair)" \
	    ns/msg %10.1f "<=" 12
	limit $r 1.3
	cat $r.notes
}

bench_xpingpong() {
	r=$out/xpingpong.results reps=$REPEAT gp=$GO_PROCS
	: > $r
	: > $r.notes
	GO_PROCS=2
	cogen_side $r xping "$XP_N"
	go_side $r xping "$XP_N"
	# The same with each goroutine locked to a thread of its own.
	[ -x $out/xping-go ] && grep -q "^go [0-9]" $r &&
		run $r go-threads $out/xping-go.err env GOMAXPROCS=2 $out/xping-go "$XP_N" threads
	table $r "workload (2x): ping-pong across threads, two loops on two threads, two shared unbuffered channels" \
	    ns/msg %10.1f "" ""
	GO_PROCS=$gp
	cat $r.notes
}

bench_blocked() {
	r=$out/blocked.results reps=1
	: > $r
	: > $r.notes
	cogen_side $r blocked "$MEM_K"
	go_side $r blocked "$MEM_K"
	py_side $r blocked "$MEM_PY_K"
	table $r "workload (3): K tasks each blocked on its own channel (Python: a Future each), peak RSS growth / K" \
	    B/task %10.0f "<=" 160
	cat $r.notes
}

bench_spawn() {
	r=$out/spawn.results reps=$REPEAT
	: > $r
	: > $r.notes
	cogen_side $r spawn "$SPAWN_N"
	go_side $r spawn "$SPAWN_N"
	py_side $r spawn "$SPAWN_PY_N"
	table $r "workload (4): spawn and finish trivial tasks in batches of 1,000 (cogen: co_spawn, co_join; Go: WaitGroup)" \
	    ns/task %10.1f "<" 40
	cat $r.notes
}

bench_echo() {
	r=$out/echo.results reps=$REPEAT higher=1
	: > $r
	: > $r.notes
	cogen_side $r echo "$ECHO_N"
	go_side $r echo "$ECHO_N"
	py_side $r echo "$ECHO_PY_N"
	higher=
	table $r "workload (5): TCP echo on loopback, 100 connections in one program, 64-byte messages (higher is better)" \
	    rt/s %10.0f "" ""
	cat $r.notes
}

# ---- (7) the thread pool ---------------------------------------------------

# The speedup is a ratio of two phases of one run, so it needs idle cores,
# not a quiet machine for absolute times: it lives here, not in make check.
bench_pool() {
	$COGEN examples/fib_pool.co -o $out/fib_pool.c || die "cogen cannot translate fib_pool.co"
	$CC $cflags -Iruntime -o $out/fib_pool $out/fib_pool.c build/libcogen.a -lpthread -lm ||
		die "cannot build the translated fib_pool.c"
	: > $out/pool.results
	for k in $(seq "$POOL_RUNS"); do
		$out/fib_pool > $out/fib_pool.out 2> $out/fib_pool.err ||
			die "fib_pool failed (see $out/fib_pool.err)"
		cmp -s examples/fib_pool.out $out/fib_pool.out ||
			die "fib_pool printed something else than examples/fib_pool.out"
		sed -n 's/^speedup: //p' $out/fib_pool.err >> $out/pool.results
	done
	sort -g $out/pool.results | awk -v cores="$(nproc 2>/dev/null || echo 1)" '
	{ s[++n] = $1 }
	END {
		if (n == 0) { print "bench: fib_pool printed no speedup" > "/dev/stderr"; exit 1 }
		med = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
		printf "workload (7): examples/fib_pool, fib(25..39) on the loop, then on the pool (%d cores, %d runs)\n", cores, n
		printf "  %-34s %10s\n", "speedup", "x"
		printf "  %-34s %10.2f\n", "lowest", s[1]
		printf "  %-34s %10.2f", "median", med
		if (cores >= 2)
			printf "   target median >= 1.8, none < 1.6: %s", ((med >= 1.8 && s[1] >= 1.6) ? "met" : "MISSED")
		printf "\n"
	}' || exit 1
}

# ---- (6) translation time ------------------------------------------------

# secs CMD...: the best wall-clock seconds of REPEAT runs of CMD.
secs() {
	best=
	for k in $(seq "$REPEAT"); do
		t0=$(date +%s.%N)
		"$@" || return 1
		t=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.4f", $2 - $1 }')
		best=$(echo "$best $t" | awk '{ print ($2 != "" && ($1 == "" || $2 < $1)) ? $2 : $1 }')
	done
	echo "$best"
}

bench_translate() {
	sh tests/tools/bigco.sh "$TR_N" > $out/big.co || die "cannot write big.co"
	tc=$(secs $COGEN $out/big.co -o $out/big.c) || die "cogen cannot translate big.co"
	tg=$(secs $CC -O0 -std=c11 -Iruntime -c -o $out/big.o $out/big.c) ||
		die "$CC cannot compile the translated big.c"
	awk -v n="$TR_N" -v lines="$(wc -l < $out/big.co)" -v tc="$tc" -v tg="$tg" -v cc="$CC" 'BEGIN {
		printf "workload (6): translating a generated .co of %d lines (coroutines of %d locals, yields, loops, ...)\n", lines, n
		printf "  %-34s %10s %9s\n", "step", "s", "x cc"
		printf "  %-34s %10.3f %9.3f\n", cc " -O0 -c of the output", tg, 1
		r = tg > 0 ? tc / tg : 0
		printf "  %-34s %10.3f %9.3f   target <= 0.05x: %s\n", "cogen", tc, r, r <= 0.05 ? "met" : "MISSED"
	}'
}

peers=
for w in $WORKLOADS; do
	case $w in
	gen|pool|translate) ;;
	handoff) ;;
	pingpong|xpingpong|blocked|spawn|echo) peers=1 ;;
	*) die "unknown workload '$w' (gen, handoff, pingpong, xpingpong, blocked, spawn, echo, pool, translate)" ;;
	esac
done
if [ -n "$peers" ]; then
	find_go
	find_python
fi

first=1
for w in $WORKLOADS; do
	[ -n "$first" ] || echo
	first=
	bench_$w
done

if [ -n "$failed" ]; then
	echo "bench: failed:$failed" >&2
	exit 1
fi
exit 0
