#!/bin/sh
# tests/shape.sh - the shape of generated C: the code cogen writes around
# user code (awaits, co_timeout, yields, yield from, range-fors, returns,
# cleanups, the resume function's head and end, prototypes) is one
# statement a line, no line of it longer than 120 columns.
# Every example and tests/run program is translated with --no-line; a line
# is scaffolding when it holds one of the words only generated code writes
# (co_state, NAME__init/__resume/__close calls, co_suspend, co_timeout_*,
# co_timer_*, CO_PENDING, CO_DONE, a co_aK: label...).  It
# holds more than one statement when, outside literals, comments and
# parentheses, it has two `;`, or a label with more after it.  What user
# text makes long is not counted: the arguments of an awaited call, and
# run/long_names, whose names alone are longer than the limit.
# Exits 0 on success; otherwise prints the offending lines.

cd "$(dirname "$0")/.." || exit 2
: "${COGEN:=build/cogen}"
W=build/tests/shape.$$
mkdir -p "$W"
trap 'rc=$?; if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
fails=0

for co in examples/*.co tests/run/*.co; do
    n=$(basename "$co" .co)
    [ "$n" = long_names ] && continue
    if ! timeout 10 "$COGEN" --no-line "$co" -o "$W/$n.c" 2>"$W/$n.err"; then
        echo "shape: cogen refused $co:"
        sed -n '1,3p' "$W/$n.err"
        fails=$((fails + 1))
        continue
    fi
    awk -v file="$W/$n.c" '
    function code(s) {      # the line without literals and comments
        gsub(/"([^"\\]|\\.)*"/, "\"\"", s)
        gsub(/\047([^\047\\]|\\.)*\047/, "0", s)
        gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, " ", s)
        sub(/\/\/.*/, "", s)
        return s
    }
    function statements(s,   i, c, depth, n) {
        n = 0
        for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1)
            if (c == "(") depth++
            else if (c == ")") depth--
            else if (c == ";" && depth == 0) n++
        }
        if (s ~ /^[ \t]*co_[a-z][0-9]+:[ \t]*[^ \t;]/) n++   # a label and a statement
        return n
    }
    {
        s = code($0)
        if (s !~ /co_state|[A-Za-z0-9_]__(init|resume|close)\(|co_suspend|co_timeout_|co_timer_|CO_PENDING|CO_DONE|co_where|^[ \t]*co_[a-z][0-9]+:/)
            next
        long = s
        sub(/__init\(.*, &[^,()]*\);[ \t]*$/, "__init(...);", long)    # the arguments: user text
        if (length(long) > 120) { print file ":" FNR ": longer than 120 columns: " $0; bad++ }
        else if (statements(s) > 1) { print file ":" FNR ": more than one statement: " $0; bad++ }
    }
    END { exit bad > 0 }' "$W/$n.c" >"$W/$n.shape" || {
        echo "shape: $co:"
        sed -n '1,5p' "$W/$n.shape"
        fails=$((fails + 1))
    }
done

[ "$fails" -eq 0 ] || { echo "shape: $fails file(s) with scaffolding not a statement a line"; exit 1; }
exit 0
