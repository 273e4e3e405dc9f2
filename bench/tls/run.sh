#!/usr/bin/env bash
# TLS access benchmark: ns per thread-local access (a call to bump(), which does one
# volatile read-modify-write of a thread-local) for local-exec, initial-exec,
# general-dynamic and TLS-descriptor code, natively and under jitrun.
#
# Native references: the model's objects linked into an executable by gcc; for the
# dynamic models also the same -fPIC object built into a shared library and dlopen'ed
# (in an executable, ld relaxes GD and TLSDESC to local-exec, so only the dlopen'ed
# library really runs __tls_get_addr / the TLSDESC resolver). The target is
# "general-dynamic within 1.5x of a natively dlopen'ed library".
#
# Usage: bench/tls/run.sh [-n ACCESSES] [-r REPEATS]   (defaults: 200000000, 3)
# Each figure is the median of REPEATS runs; the timing is taken inside the program
# (clock_gettime around the loop), so jitrun's link time is not included.
# Environment: CC (default gcc), JITRUN (default: go build ./cmd/jitrun).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
n=200000000
reps=3
while getopts n:r:h opt; do
    case $opt in
    n) n=$OPTARG ;;
    r) reps=$OPTARG ;;
    *)
        sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
        exit 2
        ;;
    esac
done
cc=${CC:-gcc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jitrun=${JITRUN:-}
if [[ -z $jitrun ]]; then
    jitrun=$work/jitrun
    (cd "$root" && go build -o "$jitrun" ./cmd/jitrun)
fi

cd "$work"
O="-O2"
# name: flags for acc.c (and def.c / driver.c where needed)
$cc $O -c "$here/driver.c" -o driver.o
$cc $O -DDLOPEN -c "$here/driver.c" -o driver_dl.o
$cc $O -c "$here/def.c" -o def.o
$cc $O -DMODEL_NONE -c "$here/acc.c" -o acc_none.o
$cc $O -DMODEL_LE -c "$here/acc.c" -o acc_le.o
$cc $O -DMODEL_IE -c "$here/acc.c" -o acc_ie.o
$cc $O -fPIC -c "$here/acc.c" -o acc_gd.o
$cc $O -fPIC -mtls-dialect=gnu2 -c "$here/acc.c" -o acc_desc.o
$cc -shared acc_gd.o -o libacc_gd.so
$cc -shared acc_desc.o -o libacc_desc.so
$cc driver_dl.o -o driver_dl -ldl
for m in none le gd desc; do $cc driver.o acc_$m.o -o exe_$m; done
$cc driver.o acc_ie.o def.o -o exe_ie

# Show which relocations each object really uses.
relocs() { readelf -rW "$1" | awk '/R_X86_64_(TLS|GOTTPOFF|TPOFF|DTPOFF|GOTPC32_TLSDESC)/ {print $3}' | sort -u | tr '\n' ' '; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # command... -> median ns/access
    local i
    for ((i = 0; i < reps; i++)); do "$@"; done | median
}

declare -A nat dl jit
for m in none le ie gd desc; do nat[$m]=$(measure "./exe_$m" "$n"); done
for m in gd desc; do dl[$m]=$(measure ./driver_dl "$n" "$work/libacc_$m.so"); done
jit[none]=$(measure "$jitrun" driver.o acc_none.o -- "$n")
jit[le]=$(measure "$jitrun" driver.o acc_le.o -- "$n")
jit[ie]=$(measure "$jitrun" driver.o acc_ie.o def.o -- "$n")
jit[gd]=$(measure "$jitrun" driver.o acc_gd.o -- "$n")
jit[desc]=$(measure "$jitrun" driver.o acc_desc.o -- "$n")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
printf 'TLS access benchmark: %d accesses, median of %d runs, ns/access (call + volatile RMW)\n' "$n" "$reps"
printf 'host: %s, %s cores, load %s\n\n' "$(uname -r)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %-50s %10s %10s %10s %14s\n' model relocations native-exe native-.so jitrun jitrun/native
row() { # model label native reference
    local m=$1 label=$2 ref=$3 refname=$4
    printf '%-16s %-50s %10s %10s %10s %9s (%s)\n' "$label" "$(relocs acc_$m.o)" "${nat[$m]}" "${dl[$m]:--}" \
        "${jit[$m]}" "$(ratio "${jit[$m]}" "$ref")" "$refname"
}
row none "none (global)" "${nat[none]}" exe
row le local-exec "${nat[le]}" exe
row ie initial-exec "${nat[ie]}" exe
row gd general-dynamic "${dl[gd]}" .so
row desc tlsdesc "${dl[desc]}" .so
echo
echo "native-exe for general-dynamic and tlsdesc: ld relaxed the accesses to local-exec."
