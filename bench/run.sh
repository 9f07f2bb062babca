#!/bin/sh
# run.sh - benchmark workload (1) of DESIGN section 7: a generator yielding
# N ints, summed.  Builds at -O2 and runs, in this one run: a plain C loop
# (the limit), bench/gen_sum.co through cogen (range-for and co_gen_next),
# and a C++20 coroutine generator; prints ns per item, the ratio to the
# plain loop and the targets, and fails if the sums disagree.
#
# Run by `make bench` from the top directory after `make`.  Environment:
# N (items, default 1e9), CC, CXX, COGEN (default build/cogen).

cd "$(dirname "$0")/.." || exit 1
N=${N:-1000000000}
CC=${CC:-cc}
CXX=${CXX:-g++}
COGEN=${COGEN:-build/cogen}
out=build/bench
cflags="-O2 -std=c11 -Wall -Wextra -Werror"

die() { echo "bench: $*" >&2; exit 1; }

mkdir -p $out || exit 1
: > $out/results

$CC $cflags -o $out/plain_sum bench/plain_sum.c || die "cannot build plain_sum.c"
$COGEN bench/gen_sum.co -o $out/gen_sum.c || die "cogen cannot translate gen_sum.co"
$CC $cflags -Iruntime -o $out/gen_sum $out/gen_sum.c build/libcogen.a ||
	die "cannot build the translated gen_sum.c"

# g++ wants -fcoroutines before version 11; clang++ does not know it.
cpp=
for f in "-std=c++20 -fcoroutines" "-std=c++20"; do
	if $CXX -O2 $f -o $out/cpp_sum bench/cpp_sum.cc 2>$out/cpp_sum.err; then
		cpp=$out/cpp_sum
		break
	fi
done
[ -n "$cpp" ] || echo "bench: $CXX cannot build C++20 coroutines" \
	"(see $out/cpp_sum.err); skipping that peer" >&2

for p in $out/plain_sum $out/gen_sum $cpp; do
	$p "$N" >> $out/results || die "$p failed"
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
		printf "  %-28s %9s %9s\n", "variant", "ns/item", "x plain"
		for (i = 1; i <= k; i++) {
			v = order[i]
			printf "  %-28s %9.3f %9.2f", label[v], ns[v], ns[v] / base
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
	}' $out/results
