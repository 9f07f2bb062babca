#!/bin/sh
# tests/fuzz/triage.sh - group crash inputs by where they crash.
#
#   sh tests/fuzz/triage.sh [FILE|DIR...]        (default build/fuzz/crashes)
#
# Runs each input once through build/fuzz/cogen-fuzz (`make fuzz` builds
# it) and takes the kind of report and the top three frames in the
# translator as the crash's signature.  Prints one line per distinct
# signature: how many inputs share it, the smallest of them, the kind and
# the frames.  A timeout, a leak and the identity oracle's abort each get
# a signature of their own.

cd "$(dirname "$0")/../.." || exit 2
FUZZ=${FUZZ:-build/fuzz/cogen-fuzz}
[ -x "$FUZZ" ] || { echo "triage: $FUZZ is missing: run make fuzz first"; exit 2; }
[ $# -gt 0 ] || set -- build/fuzz/crashes
W=$(mktemp -d) || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

find "$@" -type f ! -name 'README*' | while IFS= read -r f; do
    UBSAN_OPTIONS=print_stacktrace=1 "$FUZZ" -timeout=10 -rss_limit_mb=2048 "$f" \
        >"$W/log" 2>&1 && continue
    kind=$(grep -m 1 -oE 'ERROR: [A-Za-z]+: [a-z-]+|runtime error: [a-z -]+|did not translate to itself|ERROR: libFuzzer: [a-z-]+' "$W/log")
    frames=$(grep -E '^ +#[0-9]+ .* in [A-Za-z_0-9]+ [^ ]*/(codegen|build)/[a-z_]+\.[a-z]+:[0-9]+' "$W/log" |
        sed -E 's/.* in ([A-Za-z_0-9]+) .*\/([a-z]+\.[a-z]+):([0-9]+).*/\1 (\2:\3)/' | head -n 3 | paste -sd '<' -)
    printf '%s|%s\t%s\t%s\n' "$kind" "$frames" "$(wc -c <"$f")" "$f"
done | sort -t '	' -k1,1 -k2,2n | awk -F '\t' '
    $1 != last { if (last != "") print n "\t" first "\t" last; last = $1; first = $3; n = 0 }
    { n++ }
    END { if (last != "") print n "\t" first "\t" last }'
