#!/usr/bin/env python3
"""Time commands interleaved: N rounds, each running every command once, in order.

usage: bench/interleave.py N 'CMD1 ARGS...' 'CMD2 ARGS...' ...

Prints each command's median, 25th and 75th percentile wall time (ms). On a noisy machine
(a VM whose speed drifts over minutes) this compares commands under the same conditions
better than hyperfine, which runs all of one command's runs before the next command's.
Each command is split with shlex; its output is discarded.
"""
import shlex
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    cmds = [shlex.split(c) for c in sys.argv[2:]]
    times = [[] for _ in cmds]
    for _ in range(n):
        for k, c in enumerate(cmds):
            start = time.perf_counter()
            subprocess.run(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[k].append((time.perf_counter() - start) * 1000)
    for k, c in enumerate(sys.argv[2:]):
        v = sorted(times[k])
        print("%9.2f ms median %9.2f p25 %9.2f p75  %s" % (statistics.median(v), v[len(v) // 4], v[3 * len(v) // 4], c[:70]))


if __name__ == "__main__":
    main()
