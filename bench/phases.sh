#!/usr/bin/env bash
# Phase table: where jitrun's time goes on a workload, for one or more jitrun binaries
# side by side (e.g. before and after a change).
#
#   bench/phases.sh [-n RUNS] WORKLOAD JITRUN [JITRUN...]
#
# WORKLOAD is cpython (pymain.c + libpython3.11.a, `-c pass`) or clang (the -cc1 driver
# over the clang/LLVM archives, compiling testdata/programs/clang/in.c), built as
# bench/bench.sh builds them. Each binary runs RUNS times (default 10; the binaries take
# turns): `--stats --noexec` for the link phases (medians of jitrun's --stats), the same
# under /usr/bin/time for the process (start-up, reading the inputs, link, exit), and the
# whole run (link and program) for what the program's initializers, main and exit add.
# Prints a markdown table: phase, and per binary ms and % of the whole run.
set -euo pipefail
runs=10
if [[ ${1:-} == -n ]]; then
    runs=$2
    shift 2
fi
if (($# < 2)); then
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
workload=$1
shift
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/jitrun-phases.XXXXXX")
trap 'rm -rf "$work"' EXIT

case $workload in
cpython)
    gcc -O2 $(/usr/bin/python3.11-config --includes) -c "$repo/bench/pymain.c" -o "$work/pymain.o"
    inputs=("$work/pymain.o" /usr/lib/x86_64-linux-gnu/libpython3.11.a -lexpat -lz -lm)
    prog=(-c pass)
    ;;
clang)
    llvm_config=${LLVM_CONFIG:-/usr/bin/llvm-config-19}
    libdir=$("$llvm_config" --libdir)
    g++ $("$llvm_config" --cxxflags) -O2 -c -o "$work/cc1main.o" "$repo/testdata/programs/clang/cc1main.cpp"
    inputs=("$work/cc1main.o" $("$llvm_config" --ldflags))
    for l in clangFrontendTool clangFrontend clangDriver clangSerialization clangCodeGen \
        clangParse clangSema clangAPINotes clangAnalysis clangASTMatchers clangAST \
        clangEdit clangLex clangBasic clangRewrite clangRewriteFrontend clangARCMigrate \
        clangStaticAnalyzerFrontend clangStaticAnalyzerCheckers clangStaticAnalyzerCore \
        clangCrossTU clangIndex clangExtractAPI clangInstallAPI clangSupport \
        clangToolingCore clangToolingInclusions clangToolingInclusionsStdlib \
        clangAnalysisFlowSensitive clangAnalysisFlowSensitiveModels clangFormat; do
        inputs+=("$libdir/lib$l.a")
    done
    inputs+=($("$llvm_config" --link-static --libs all) $("$llvm_config" --system-libs --link-static) -lstdc++ -lm)
    res=$libdir/clang/$("$llvm_config" --version | cut -d. -f1)
    cp "$repo/testdata/programs/clang/in.c" "$work/in.c"
    prog=(-cc1 -triple x86_64-pc-linux-gnu -O2 -Wall -resource-dir "$res" -internal-isystem "$res/include"
        -internal-externc-isystem /usr/include/x86_64-linux-gnu -internal-externc-isystem /usr/include
        -mrelocation-model pic -pic-level 2 -pic-is-pie -emit-obj -o out.o in.c)
    ;;
*)
    echo "unknown workload $workload (cpython, clang)" >&2
    exit 2
    ;;
esac

cd "$work"
for ((r = 0; r < runs; r++)); do
    for ((b = 1; b <= $#; b++)); do
        j=${!b}
        "$j" --stats --noexec "${inputs[@]}" 2>"stats.$b.$r" >/dev/null
        # Wall time from bash's microsecond clock (time's %e has 10 ms steps).
        t0=$EPOCHREALTIME
        /usr/bin/time -f '%e %U %S %M' -o "noexec.$b.$r" "$j" --noexec "${inputs[@]}" >/dev/null
        t1=$EPOCHREALTIME
        /usr/bin/time -f '%e %U %S %M' -o "full.$b.$r" "$j" "${inputs[@]}" -- "${prog[@]}" >/dev/null
        t2=$EPOCHREALTIME
        echo "$t0 $t1 $t2" >"wall.$b.$r"
    done
done

python3 - "$runs" "$@" <<'EOF'
import re, statistics, sys
phase_line = re.compile(r"jitrun: (.+?)\s+([0-9.]+) ms(?:\s+\(CPU\s+[0-9.]+ ms, [0-9.]+ cores\))?$")
runs = int(sys.argv[1])
bins = sys.argv[2:]
def last(path):
    return open(path).read().strip().splitlines()[-1].split()
cols = []
order = []
for b in range(1, len(bins) + 1):
    phases = {}
    for r in range(runs):
        for line in open(f"stats.{b}.{r}"):
            # "jitrun: NAME  12.34 ms", with "  (CPU 20.00 ms, 1.62 cores)" since the
            # phases' CPU time is reported.
            m = phase_line.match(line.rstrip())
            if m:
                name = m.group(1).strip()
                phases.setdefault(name, []).append(float(m.group(2)))
                if name not in order:
                    order.append(name)
    med = {k: statistics.median(v) for k, v in phases.items()}
    noexec = [last(f"noexec.{b}.{r}") for r in range(runs)]
    full = [last(f"full.{b}.{r}") for r in range(runs)]
    walls = [[float(v) for v in open(f"wall.{b}.{r}").read().split()] for r in range(runs)]
    nx = statistics.median(w[1] - w[0] for w in walls) * 1000
    fu = statistics.median(w[2] - w[1] for w in walls) * 1000
    med["outside the link (start-up, reading inputs, exit) "] = max(nx - med.get("link total", 0), 0)
    med["program (initializers, main, exit)"] = max(fu - nx, 0)
    med["whole run (wall)"] = fu
    med["CPU / wall (whole run)"] = statistics.median((float(x[1]) + float(x[2])) / (w[2] - w[1]) for x, w in zip(full, walls))
    med["peak RSS MB"] = statistics.median(int(x[3]) for x in full) / 1024
    cols.append(med)
rows = [n for n in order if n != "link total"] + ["link total", "outside the link (start-up, reading inputs, exit) ",
        "program (initializers, main, exit)", "whole run (wall)", "CPU / wall (whole run)", "peak RSS MB"]
hdr = "| phase | " + " | ".join(f"{b} ms | %" for b in bins) + " |"
print(hdr)
print("|---|" + "---|---|" * len(bins))
for n in rows:
    cells = []
    for med in cols:
        v = med.get(n)
        if v is None:
            cells += ["-", "-"]
        elif n.startswith("CPU") or n.startswith("peak"):
            cells += [f"{v:.2f}" if n.startswith("CPU") else f"{v:.1f}", ""]
        else:
            cells += [f"{v:.1f}", f"{100 * v / med['whole run (wall)']:.0f}%"]
    print(f"| {n.strip()} | " + " | ".join(cells) + " |")
EOF
