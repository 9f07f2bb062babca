#!/bin/sh
# tests/realc/realc.sh - cogen on real C: every function definition of the
# given C files becomes a generator, which cogen must translate and the
# compiler compile.
#
#   sh tests/realc/realc.sh [-f FLAGS] [-w WORKDIR] [-q] [-E] FILE|DIR...
#
# (`make realc DIR=...` runs it.)  The work files go to WORKDIR (default
# build/realc), one directory per file, numbered in the order tried.
# FLAGS are the flags the files compile with (default -std=gnu11); a file
# the compiler ($CC, default gcc) rejects with them is left out.  For each
# file, gens (tests/realc/gens.c) writes a .co holding, after each
# definition, a generator copy of it (the scheme is described there);
# cogen translates it with the -I and -isystem options of FLAGS (and the
# file's directory), and the result is compiled with FLAGS, -iquote the
# file's directory and the runtime's header.  A copy whose translation or
# compilation fails is listed with the first error (file:line: function:
# stage: message, the line in the original file) and left unconverted, and
# the file is tried again without it, so one failure does not hide the
# others.  Definitions a generator cannot express (variable arguments, K&R
# parameters, a type defined in the return type) are counted as skipped.
#
# -E: the functions a file holds once preprocessed (those of the headers
# it includes): each becomes a generator after an #include of the file.
# Their lines are those of the preprocessed text, WORKDIR/N/pp.c.
#
# Prints `realc: N files, functions tried T, translated X, compiled Y,
# skipped S` (-q: only that and the failures).  Exits 0 when every function
# tried compiled.  Needs build/cogen and build/lexer.o (`make`).

cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
: "${COGEN:=build/cogen}"
: "${CC:=gcc}"
FLAGS=-std=gnu11 W= quiet=0 expand=0
while [ $# -gt 0 ]; do
    case $1 in
    -f) FLAGS=$2; shift 2 ;;
    -w) W=$2; shift 2 ;;
    -q) quiet=1; shift ;;
    -E) expand=1; shift ;;
    *) break ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: realc.sh [-f FLAGS] [-w WORKDIR] [-q] [-E] FILE|DIR..." >&2; exit 2; }
[ -x "$COGEN" ] && [ -e build/lexer.o ] || { echo "realc: run make first" >&2; exit 2; }
case $COGEN in /*) ;; *) COGEN=$ROOT/$COGEN ;; esac
: "${W:=build/realc}"
mkdir -p "$W" || exit 2

GENS=$W/gens
$CC -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -g -Icodegen -Ibuild \
    tests/realc/gens.c build/lexer.o build/codegen/unit.o -o "$GENS" || exit 2

# cogen gets the -I and -isystem options of FLAGS, joined.
INCS=$(printf '%s\n' "$FLAGS" | sed -e 's/-I  */-I/g' -e 's/-isystem  */-isystem/g' |
       tr ' ' '\n' | grep -E '^-(I|isystem)')

# attribute MAP ERRS GENC: the first error of each converted function, as
# `N LINE MESSAGE` (LINE in the original file); `-1 0 MESSAGE` for the
# first error no function holds.  ERRS are cogen's or the compiler's
# messages; GENC, when given, is the generated C, whose #line directives
# map its own lines back to the .co.
attribute() {
    awk -v genc="$3" '
        FILENAME == ARGV[1] { if ($4 != "skip") { n++; id[n] = $1; orig[n] = $3; lo[n] = $4; hi[n] = $5 }; next }
        FILENAME == genc { if ($1 == "#line") { cur = $2; next } map[FNR] = cur++; next }
        / error: / {
            split($0, p, ":"); file = p[1]; line = p[2] + 0
            msg = $0; sub(/^[^:]*:[0-9]*:[0-9]*: error: /, "", msg)
            if (genc != "" && file == genc) line = map[line]
            else if (file !~ /\.co$/) line = 0
            for (i = 1; i <= n; i++)
                if (line >= lo[i] && line <= hi[i]) {
                    if (!(id[i] in seen)) { seen[id[i]] = 1; print id[i], orig[i] + line - lo[i], msg }
                    found = 1; break
                }
            if (i > n && !other) other = msg
        }
        END { if (other != "" && !found) print -1, 0, other }
    ' "$1" $3 "$2"
}

files=0 rejected=0 tried=0 translated=0 compiled=0 skipped=0
: >"$W/failures"
k=0
for arg; do
    if [ -d "$arg" ]; then find "$arg" -name '*.c' -type f | sort; else echo "$arg"; fi
done >"$W/files"
while read -r f; do
    k=$((k + 1)) w=$W/$k d=$(dirname "$f")
    mkdir -p "$w"
    if ! $CC $FLAGS -fsyntax-only "$f" 2>"$w/orig.err"; then
        rejected=$((rejected + 1))
        [ $quiet -eq 1 ] || echo "realc: $f: $CC rejects it, left out"
        continue
    fi
    files=$((files + 1))
    $CC $FLAGS -dM -E "$f" >"$w/macros" 2>/dev/null
    in=$f pro= where=$f
    if [ $expand -eq 1 ]; then
        $CC $FLAGS -E -P "$f" >"$w/pp.c" || continue
        in=$w/pp.c pro="-p $ROOT/$f" where=$w/pp.c
        case $f in /*) pro="-p $f" ;; esac
    fi
    x=
    first=1
    ok=0
    while :; do
        "$GENS" -m "$w/macros" $x $pro "$in" "$w/gen.co" >"$w/map" || break
        if [ $first -eq 1 ]; then
            n=$(awk '$4 != "skip"' "$w/map" | wc -l)
            s=$(awk '$4 == "skip" && $5 != "excluded"' "$w/map" | wc -l)
            tried=$((tried + n)) skipped=$((skipped + s)) first=0
        fi
        if ! timeout 60 "$COGEN" $INCS -I "$d" "$w/gen.co" -o "$w/gen.c" 2>"$w/cogen.err"; then
            stage=translate
            attribute "$w/map" "$w/cogen.err" >"$w/bad"
        elif ! $CC $FLAGS -iquote "$d" -I"$ROOT/runtime" -fsyntax-only "$w/gen.c" 2>"$w/cc.err"; then
            stage=compile
            attribute "$w/map" "$w/cc.err" "$w/gen.c" >"$w/bad"
        else
            ok=1
            break
        fi
        # Leave the failed ones out and try again; an error no copy holds
        # (or none at all: a crash) fails every copy left.
        [ -s "$w/bad" ] || echo "-1 0 failed without a diagnostic" >"$w/bad"
        if grep -q '^-1 ' "$w/bad"; then
            msg=$(sed -n 's/^-1 0 //p' "$w/bad")
            awk '$4 != "skip"' "$w/map" | while read -r i name line rest; do
                echo "$where:$line: $name: $stage: $msg"
            done >>"$W/failures"
            [ $stage = compile ] && translated=$((translated + $(awk '$4 != "skip"' "$w/map" | wc -l)))
            break
        fi
        while read -r i line msg; do
            name=$(awk -v i="$i" '$1 == i { print $2 }' "$w/map")
            echo "$where:$line: $name: $stage: $msg" >>"$W/failures"
            [ $stage = compile ] && translated=$((translated + 1))
            x="$x -x $i"
        done <"$w/bad"
    done
    n=0
    [ $ok -eq 1 ] && n=$(awk '$4 != "skip"' "$w/map" | wc -l)
    translated=$((translated + n)) compiled=$((compiled + n))
    [ $quiet -eq 1 ] || echo "realc: $f: $n compiled"
done <"$W/files"

cat "$W/failures"
echo "realc: $files files ($rejected left out), functions tried $tried, translated $translated, compiled $compiled, skipped $skipped"
[ "$compiled" -eq "$tried" ] && [ "$files" -gt 0 ]
