#!/bin/sh
# Rebuilds square.o (cd orcrt/testdata && sh gen.sh).
gcc -O2 -c square.c -o square.o
