#!/usr/bin/env bash
# gdb attach cost: time `gdb -p PID -batch -ex bt` against a program sleeping in JIT'd code,
# side by side: the program under jitrun with debug support on (the default), with
# --debug=off, and the natively linked program. Programs: the small C program of
# bench/small (with a sleep added by a wrapper main) and CPython from libpython3.11.a.
#
# Usage: bench/gdb-attach.sh        (needs gdb, hyperfine, libpython3.11-dev)
# Env:   JITRUN (default: go build ./cmd/jitrun), RUNS (default 10)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/jitrun-gdb-attach.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
jitrun=${JITRUN:-}
if [[ -z $jitrun ]]; then
    (cd "$repo" && go build -o "$work/jitrun" ./cmd/jitrun)
    jitrun=$work/jitrun
fi
runs=${RUNS:-10}

cat >"$work/sleeper.c" <<'C'
#include <unistd.h>
int __attribute__((noinline)) wait_here(int n) { pause(); return n; }
int __attribute__((noinline)) outer(int n) { return wait_here(n + 1) * 3; }
int main(void) { return outer(1) - 6; }
C
gcc -O2 -g -c "$work/sleeper.c" -o "$work/sleeper.o"
gcc -O2 -g -o "$work/sleeper" "$work/sleeper.o"

pyinc=$(python3.11-config --includes)
libpython=$(python3.11-config --configdir)/libpython3.11.a
[[ -f $libpython ]] || libpython=/usr/lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a
# shellcheck disable=SC2086
gcc -O2 $pyinc -c "$repo/bench/pymain.c" -o "$work/pymain.o"
gcc -no-pie -Wl,-E -o "$work/python" "$work/pymain.o" "$libpython" -lexpat -lz -lm
pyargs=(-c 'import time; time.sleep(1000)')

pids=()
start() { # name cmd...
    local name=$1
    shift
    "$@" >/dev/null 2>&1 </dev/null &
    pids+=($!)
    eval "pid_$name=$!"
}
start small_on "$jitrun" --debug-dir="$work/debug" "$work/sleeper.o"
start small_off "$jitrun" --debug=off "$work/sleeper.o"
start small_native "$work/sleeper"
start py_on "$jitrun" --debug-dir="$work/debug" "$work/pymain.o" "$libpython" -lexpat -lz -lm -- "${pyargs[@]}"
start py_off "$jitrun" --debug=off "$work/pymain.o" "$libpython" -lexpat -lz -lm -- "${pyargs[@]}"
start py_native "$work/python" "${pyargs[@]}"
sleep 3 # loads done, debug files written

gdbcmd() { printf 'gdb -nx -p %s -batch -ex bt' "$1"; }
echo "backtraces (debug on):"
gdb -nx -p "$pid_small_on" -batch -ex bt 2>/dev/null | grep '^#' | head -5
hyperfine -N --runs "$runs" --warmup 1 \
    -n "small jitrun (debug on)" "$(gdbcmd "$pid_small_on")" \
    -n "small jitrun --debug=off" "$(gdbcmd "$pid_small_off")" \
    -n "small native" "$(gdbcmd "$pid_small_native")" \
    -n "cpython jitrun (debug on)" "$(gdbcmd "$pid_py_on")" \
    -n "cpython jitrun --debug=off" "$(gdbcmd "$pid_py_off")" \
    -n "cpython native" "$(gdbcmd "$pid_py_native")"
