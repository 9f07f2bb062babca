#!/bin/sh
# tests/fuzz/pick.sh - choose the committed corpus from a run's corpus.
#
#   sh tests/fuzz/pick.sh [CORPUS [N]]    (default build/fuzz/corpus, 200)
#
# Merges the seeds (build/fuzz/seeds, as `make fuzz` makes them, and
# tests/fuzz/seeds) and CORPUS with build/fuzz/cogen-fuzz -merge=1, which
# runs the inputs smallest first and writes down the coverage edges each
# one reaches first.  Of the inputs from CORPUS that reach new edges and
# are at most PICK_MAX bytes (2048), the N that reach the most replace
# tests/fuzz/corpus/.  Small inputs with coverage of their own make a
# replay in make check that is quick and still goes through much of the
# translator.

cd "$(dirname "$0")/../.." || exit 2
corpus=${1:-build/fuzz/corpus} n=${2:-200}
FUZZ=build/fuzz/cogen-fuzz
[ -x "$FUZZ" ] && [ -d build/fuzz/seeds ] || { echo "pick: run make fuzz first"; exit 2; }
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
mkdir "$W/out"
"$FUZZ" -merge=1 -merge_control_file="$W/control" "$W/out" \
    build/fuzz/seeds tests/fuzz/seeds "$corpus" >"$W/log" 2>&1 ||
    { tail -n 5 "$W/log"; exit 1; }
# The control file: the number of inputs, a line, the inputs' paths, then
# per input `STARTED i size`, `FT i ...` and `COV i edge...` (new edges).
awk -v dir="$corpus/" -v max="${PICK_MAX:-2048}" 'NR == 1 { n = $1 } NR > 2 && NR <= n + 2 { path[NR - 3] = $0 }
    $1 == "STARTED" { size[$2] = $3 }
    $1 == "COV" && NF > 2 && size[$2] <= max && index(path[$2], dir) == 1 { print NF - 2, path[$2] }' \
    "$W/control" | sort -k1,1nr -k2 | head -n "$n" | cut -d' ' -f2- >"$W/picked"
[ -s "$W/picked" ] || { echo "pick: nothing to pick from $corpus"; exit 1; }
rm -f tests/fuzz/corpus/*
mkdir -p tests/fuzz/corpus
while IFS= read -r f; do cp "$f" tests/fuzz/corpus/; done <"$W/picked"
echo "pick: $(wc -l <"$W/picked") inputs in tests/fuzz/corpus ($(cat tests/fuzz/corpus/* | wc -c) bytes)"
