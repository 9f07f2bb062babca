#!/bin/sh
# tests/tools/bigco.sh N - print a .co file whose coroutines each hold N
# of one shape: locals live across a yield, locals each with a yield,
# loops, blocks, block-scope types, one declaration of N declarators,
# awaits.  For the scaling test (tests/scale.sh) and the translation row
# of the benchmarks (bench/run.sh).
awk -v n="${1:-1000}" 'BEGIN {
    print "#include <cogen.h>"
    print "generator(int) locals(void) {"
    for (i = 0; i < n; i++) printf "    int v%d = %d;\n", i, i
    print "    yield 0;\n    int s = 0;"
    for (i = 0; i < n; i++) printf "    s += v%d;\n", i
    print "    yield s;\n}"
    print "generator(int) yields(void) {"
    for (i = 0; i < n; i++) printf "    int w%d = %d; yield w%d;\n", i, i, i
    print "    yield w0;\n}"
    print "generator(int) loops(void) {"
    for (i = 0; i < n; i++)
        printf "    int l%d = %d; for (int j = 0; j < 2; j++) { l%d += j; yield l%d; }\n", i, i, i, i
    print "}"
    print "generator(int) blocks(void) {"
    for (i = 0; i < n; i++) printf "    { int b = %d; yield b; yield b; }\n", i
    print "}"
    print "generator(int) types(void) {"
    for (i = 0; i < n; i++) printf "    { struct s { int a; } t = { %d }; yield t.a; yield t.a; }\n", i
    print "}"
    print "generator(int) onedecl(void) {"
    printf "    int d0 = 0"
    for (i = 1; i < n; i++) printf ", d%d = %d", i, i
    print ";\n    yield 0;"
    for (i = 0; i < n; i++) printf "    yield d%d;\n", i
    print "}"
    print "async int awaits(void) {"
    for (i = 0; i < n; i++) printf "    int a%d = %d; await co_sleep(a%d);\n", i, i, i
    print "    return a0;\n}"
}'
