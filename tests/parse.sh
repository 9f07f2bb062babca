#!/bin/sh
# The lexer and parser on their own: node kinds and exact token ranges.
exec sh tests/parse/run.sh
