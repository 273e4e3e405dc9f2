#!/usr/bin/env bash
# Scaling benchmark: jitrun's link time on a generated C program (bench/gen) at 1/8, 1/4,
# 1/2 and the full size (default 2,000 objects, 100,000 functions, ~1,000,000
# relocations), from separate objects and from an archive of them.
#
#   bench/scaling.sh [--quick]
#
# For each size it runs `jitrun --noexec --stats --debug=off DRIVER.o OBJECTS...` RUNS
# times (and the same with libgen.a instead of the objects), and prints the median link
# time (jitrun's "link total"), the milliseconds per 1,000 relocations, the process's CPU
# time / wall time (user + system over elapsed, from getrusage: above 1.0 when both cores
# work), its wall time and its peak RSS. The relocation count is jitrun's
# (--stats: loaded sections' relocations, including .eh_frame's). Before timing, each
# size is linked natively (gcc) and run, and jitrun's run of it must print the same
# checksum.
#
# Environment: JITRUN (prebuilt jitrun; default: go build ./cmd/jitrun), WORKDIR (where
# the program is generated and compiled, kept between runs: default
# ${TMPDIR:-/tmp}/jitrun-scaling), OBJECTS, FUNCS, RELOCS (the full size), RUNS (default
# 5), JITRUN_FLAGS (default --debug=off), CC.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
quick=0
[[ ${1:-} == --quick ]] && quick=1
OBJECTS=${OBJECTS:-2000}
FUNCS=${FUNCS:-100000}
RELOCS=${RELOCS:-1000000}
RUNS=${RUNS:-5}
if ((quick)); then
    OBJECTS=${OBJECTS_QUICK:-400} FUNCS=$((OBJECTS * 50)) RELOCS=$((FUNCS * 10)) RUNS=3
fi
WORKDIR=${WORKDIR:-${TMPDIR:-/tmp}/jitrun-scaling}
read -r -a jflags <<<"${JITRUN_FLAGS:---debug=off}"
gen_dir=$WORKDIR/gen-$OBJECTS-$FUNCS-$RELOCS
mkdir -p "$WORKDIR"

if [[ -z ${JITRUN:-} ]]; then
    JITRUN=$WORKDIR/jitrun
    (cd "$repo" && go build -o "$JITRUN" ./cmd/jitrun)
fi
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
echo "== generating and compiling $OBJECTS objects, $FUNCS functions, ~$RELOCS relocations into $gen_dir"
(cd "$repo" && go run ./bench/gen -objects "$OBJECTS" -funcs "$FUNCS" -relocs "$RELOCS" -out "$gen_dir")

mapfile -t sizes <"$gen_dir/sizes.txt"
rows=$WORKDIR/rows.tsv
: >"$rows"

# measure STDERR-FILE CMD...: run CMD (stderr into the file) and print its wall time, user
# and system CPU time (seconds, microsecond resolution: /usr/bin/time's has 10 ms steps) and
# peak RSS (KiB).
measure() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
before = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.perf_counter()
with open(sys.argv[1], "w") as err:
    subprocess.run(sys.argv[2:], stderr=err, stdout=subprocess.DEVNULL, check=True)
wall = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime, after.ru_maxrss)
PY
}

objects_of() { # M: the driver and objects 0..M-1
    local m=$1 i
    printf '%s\n' "$gen_dir/obj/main_$m.o"
    for ((i = 0; i < m; i++)); do
        printf '%s/obj/o%04d.o\n' "$gen_dir" "$i"
    done
}

for m in "${sizes[@]}"; do
    mapfile -t objs < <(objects_of "$m")
    for variant in objects archive; do
        if [[ $variant == objects ]]; then
            inputs=("${objs[@]}")
        else
            inputs=("$gen_dir/obj/main_$m.o" "$gen_dir/libgen.a")
        fi
        # Correctness: the natively linked program and jitrun print the same checksum.
        exe=$WORKDIR/native-$m-$variant
        gcc -o "$exe" "${inputs[@]}"
        want=$("$exe")
        got=$("$JITRUN" "${jflags[@]}" "${inputs[@]}")
        if [[ $want != "$got" ]]; then
            echo "size $m ($variant): jitrun printed '$got', the native program '$want'" >&2
            exit 1
        fi
        echo "   $m objects ($variant): $got (same as native)"
        for ((r = 0; r < RUNS; r++)); do
            read -r wall user sys rss < <(measure "$WORKDIR/stats.txt" \
                "$JITRUN" --noexec --stats "${jflags[@]}" "${inputs[@]}")
            link=$(awk '/link total/ {print $4}' "$WORKDIR/stats.txt")
            relocs=$(sed -n 's/.* sections, \([0-9]*\) relocations.*/\1/p' "$WORKDIR/stats.txt")
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$variant" "$link" "$relocs" "$wall" "$user" "$sys" "$rss" >>"$rows"
        done
    done
done
# Where the time goes at the full size (the last run's phases).
echo "== phases at $m objects (archive variant, last run)"
sed 's/^jitrun: /   /' "$WORKDIR/stats.txt"

python3 - "$rows" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m, v, link, relocs, wall, user, sys_, rss = line.split("\t")
    rows.setdefault((int(m), v), []).append((float(link), int(relocs), float(wall), float(user), float(sys_), int(rss)))
print()
print("== median of the runs (link = jitrun --stats link total; CPU/wall = (user+sys)/elapsed of the process)")
hdr = ["objects", "inputs", "relocations", "link ms", "ms/1k relocs", "ns/reloc", "CPU/wall", "process wall ms", "peak RSS MB"]
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
base = {}
for (m, v), rs in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    link = statistics.median(r[0] for r in rs)
    relocs = rs[0][1]
    wall = statistics.median(r[2] for r in rs)
    cpu = statistics.median((r[3] + r[4]) / r[2] if r[2] else 0 for r in rs)
    rss = statistics.median(r[5] for r in rs) / 1024
    print(f"| {m} | {v} | {relocs:,} | {link:.1f} | {link / relocs * 1000:.3f} | {link / relocs * 1e6:.0f} | {cpu:.2f} | {wall * 1000:.0f} | {rss:.0f} |")
    base.setdefault(v, (m, link))
print()
for v, (m0, l0) in base.items():
    sizes = sorted(m for (m, vv) in rows if vv == v)
    out = []
    for m in sizes:
        link = statistics.median(r[0] for r in rows[(m, v)])
        out.append(f"{m // m0}x size: {link / l0:.2f}x time")
    print(f"linearity ({v}): " + ", ".join(out))
EOF
