#!/bin/sh
# tests/difftest.sh - a fixed set of random programs (tests/difftest/run.py)
# translated, built with gcc and clang under ASan+UBSan and run; each must
# print what the Python model of it prints.  The known translator bugs'
# feature classes stay off (gen.py KNOWN, tests/difftest/found/README.md).
# Skips (77) without python3.
cd "$(dirname "$0")/.." || exit 2
command -v python3 >/dev/null 2>&1 || { echo "difftest: no python3"; exit 77; }
python3 tests/difftest/run.py --quiet --seed 1 -n 25 &&
# 9032: a label at the end of a case that falls through (gen.py in_case_blocks)
exec python3 tests/difftest/run.py --quiet --seed 9032 -n 1
