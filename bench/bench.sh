#!/usr/bin/env bash
# End-to-end wall-time benchmark: jitrun vs. "link natively (GNU ld, mold,
# lld), then run" vs. llvm-jitlink (with the ORC runtime), vs. running the
# already linked program, on small programs built from the sources in this
# directory and on whole programs (Lua, SQLite, OpenSSL, CPython, clang -cc1)
# linked from the system's static archives. Also reports peak memory (max
# RSS). See bench/README.md.
#
# Usage: bench/bench.sh [--quick] [--keep] [WORKLOAD...]
#   WORKLOAD: small sqlite lua openssl cpython-pass cpython-json clang
#             (default: all)
#
# Environment:
#   JITRUN         jitrun binary (default: go build ./cmd/jitrun into the work dir)
#   JITRUN_FLAGS   extra flags put before jitrun's inputs (word-split)
#   JITRUN_VARIANTS more jitrun rows, side by side with the default one:
#                  space-separated NAME=FLAG[,FLAG...], e.g. "debug-off=--debug=off"
#                  gives a row "jitrun debug-off" run with --debug=off
#   LAZY_ROWS      1 (default): clang and CPython also get rows with --lazy and with
#                  --lazy --speculate (objects linked / total in the notes); 0: not
#   CC             C compiler / native linker driver (default: gcc)
#   CXX            C++ compiler / linker driver for clang (default: g++)
#   LINKERS        native linkers to time, for -fuse-ld= (default: "bfd mold lld";
#                  bfd is always linked: its program is the reference and the baseline)
#   MOLD           mold binary (default: mold)
#   LLD            ld.lld binary (default: ld.lld-19; linked as ld.lld into a
#                  directory put first on PATH, for gcc's -fuse-ld=lld)
#   LLVM_JITLINK   llvm-jitlink binary (default: llvm-jitlink-19)
#   ORC_RUNTIME    ORC runtime archive (default: searched under /usr/lib/llvm-19)
#   PYTHON_CONFIG  python-config of the Python whose static lib is used
#                  (default: /usr/bin/python3.11-config, i.e. Debian's, not pyenv's)
#   LIBPYTHON      static libpython (default: /usr/lib/x86_64-linux-gnu/libpython3.11.a)
#   LIBSQLITE      static libsqlite3 (default: /usr/lib/x86_64-linux-gnu/libsqlite3.a)
#   LIBLUA         static liblua (default: /usr/lib/x86_64-linux-gnu/liblua5.4.a)
#   LIBCRYPTO      static libcrypto (default: /usr/lib/x86_64-linux-gnu/libcrypto.a)
#   LLVM_CONFIG    llvm-config of the clang/LLVM archives (default: /usr/bin/llvm-config-19)
#   HYPERFINE_OPTS extra hyperfine options (word-split), e.g. "--show-output"
#   CLANG_RUNS     hyperfine runs for the clang workload (default: 3, after 1 warmup)
#   CHECK_TIMEOUT  seconds for each check run (default: 120)
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_dir/.." && pwd)
programs=$repo_root/testdata/programs

quick=0
keep=0
selected=()
while (($#)); do
    case $1 in
    --quick) quick=1 ;;
    --keep) keep=1 ;;
    -h | --help)
        sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    -*)
        echo "bench.sh: unknown option $1 (try --help)" >&2
        exit 2
        ;;
    *) selected+=("$1") ;;
    esac
    shift
done
all_workloads=(small sqlite lua openssl cpython-pass cpython-json clang)
if ((${#selected[@]} == 0)); then
    selected=("${all_workloads[@]}")
fi
for w in "${selected[@]}"; do
    case " ${all_workloads[*]} " in
    *" $w "*) ;;
    *)
        echo "bench.sh: unknown workload '$w' (have: ${all_workloads[*]})" >&2
        exit 2
        ;;
    esac
done

if ((quick)); then
    hf_opts=(--runs 3 --warmup 1)
else
    hf_opts=(--warmup 3 --min-runs 10)
fi
# The clang links take seconds each (GNU ld: ~7 s): few runs.
hf_opts_clang=(--runs "${CLANG_RUNS:-3}" --warmup 1)
# -N: no intermediate shell (its start-up correction is unreliable for
# millisecond commands); link+run is wrapped in an explicit `sh -c`.
# shellcheck disable=SC2206
hf_extra=(-N ${HYPERFINE_OPTS:-})

CC=${CC:-gcc}
CXX=${CXX:-g++}
LLVM_JITLINK=${LLVM_JITLINK:-llvm-jitlink-19}
PYTHON_CONFIG=${PYTHON_CONFIG:-/usr/bin/python3.11-config}
LIBPYTHON=${LIBPYTHON:-/usr/lib/x86_64-linux-gnu/libpython3.11.a}
LIBSQLITE=${LIBSQLITE:-/usr/lib/x86_64-linux-gnu/libsqlite3.a}
LIBLUA=${LIBLUA:-/usr/lib/x86_64-linux-gnu/liblua5.4.a}
LIBCRYPTO=${LIBCRYPTO:-/usr/lib/x86_64-linux-gnu/libcrypto.a}
LLVM_CONFIG=${LLVM_CONFIG:-/usr/bin/llvm-config-19}
MOLD=${MOLD:-mold}
LLD=${LLD:-ld.lld-19}
CHECK_TIMEOUT=${CHECK_TIMEOUT:-120}

note() { printf '%s\n' "$*"; }
warn() { printf 'bench.sh: %s\n' "$*" >&2; }

if ! command -v hyperfine >/dev/null; then
    warn "hyperfine not found (apt-get install -y hyperfine)"
    exit 1
fi
if ! command -v python3 >/dev/null; then
    warn "python3 not found (needed to summarize hyperfine's JSON)"
    exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
    warn "/usr/bin/time not found (apt-get install -y time; needed for peak memory)"
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jitrun-bench.XXXXXX")
cleanup() {
    if ((keep)); then
        note "work dir kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Quote words POSIX-sh style (also what hyperfine -N's word splitting accepts).
shquote() {
    local out="" w
    for w in "$@"; do
        if [[ $w =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
            out+="$w "
        else
            out+="'${w//\'/\'\\\'\'}' "
        fi
    done
    printf '%s' "${out% }"
}

# First non-empty line of a file, trimmed to a sane length.
first_line() {
    local l
    l=$(grep -m1 -v '^[[:space:]]*$' "$1" 2>/dev/null || true)
    printf '%s' "${l:0:300}"
}

# ---------------------------------------------------------------- tools ---

note "== setup (work dir: $work)"
ncpu=$(nproc 2>/dev/null || echo 1)
read -r load1 _ </proc/loadavg || load1=0
note "load average: $load1 on $ncpu CPU(s)"
if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$load1" "$ncpu"; then
    note "warning: the machine is busy (load > CPUs); timings will be noisy"
fi

# jitrun
jitrun_ok=1
jitrun_why=""
if [[ -n ${JITRUN:-} ]]; then
    jitrun=$JITRUN
    if ! command -v "$jitrun" >/dev/null 2>&1; then
        jitrun_ok=0
        jitrun_why="JITRUN=$JITRUN is not an executable"
    fi
else
    jitrun=$work/jitrun
    note "building jitrun: go build -o $jitrun ./cmd/jitrun"
    if ! (cd "$repo_root" && go build -o "$jitrun" ./cmd/jitrun) >"$work/jitrun-build.log" 2>&1; then
        jitrun_ok=0
        jitrun_why="go build ./cmd/jitrun failed: $(first_line "$work/jitrun-build.log")"
    fi
fi
if ((jitrun_ok)); then
    note "jitrun: $jitrun"
else
    note "jitrun: unavailable, left out of all runs: $jitrun_why"
fi
# shellcheck disable=SC2206
jitrun_flags=(${JITRUN_FLAGS:-})

# Native linkers. gcc 12's -fuse-ld=NAME runs ld.NAME from its own directories
# or PATH; ld.mold and ld.lld are linked into $work/bin, first on PATH (also
# for hyperfine's runs), so LLD=ld.lld-19 is what -fuse-ld=lld runs.
linkers=(bfd)
declare -A linker_why=()
mkdir -p "$work/bin"
export PATH="$work/bin:$PATH"
# shellcheck disable=SC2206
for l in ${LINKERS:-bfd mold lld}; do
    case $l in
    bfd) continue ;;
    mold) bin=$MOLD ;;
    lld) bin=$LLD ;;
    *)
        warn "LINKERS: unknown linker '$l' (have: bfd mold lld)"
        exit 2
        ;;
    esac
    if p=$(command -v "$bin" 2>/dev/null); then
        ln -sf "$p" "$work/bin/ld.$l"
        linkers+=("$l")
        note "linker $l: $p (as $work/bin/ld.$l, for -fuse-ld=$l)"
    else
        linker_why[$l]="$bin not found"
        note "linker $l: $bin not found, left out of all runs"
    fi
done

# llvm-jitlink + ORC runtime
llvm_ok=1
llvm_why=""
if ! command -v "$LLVM_JITLINK" >/dev/null 2>&1; then
    llvm_ok=0
    llvm_why="$LLVM_JITLINK not found (apt-get install llvm-19)"
else
    orc_rt=${ORC_RUNTIME:-}
    if [[ -z $orc_rt ]]; then
        llvm_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v "$LLVM_JITLINK")")")")
        for d in "$llvm_prefix" /usr/lib/llvm-19; do
            [[ -d $d ]] || continue
            orc_rt=$(find "$d" -name 'liborc_rt-x86_64.a' -print -quit 2>/dev/null || true)
            [[ -n $orc_rt ]] || orc_rt=$(find "$d" -path '*x86_64*linux*' -name 'liborc_rt.a' -print -quit 2>/dev/null || true)
            [[ -n $orc_rt ]] && break
        done
    fi
    if [[ -z $orc_rt || ! -f $orc_rt ]]; then
        llvm_ok=0
        llvm_why="ORC runtime (liborc_rt-x86_64.a) not found; install libclang-rt-19-dev or set ORC_RUNTIME"
    fi
fi
if ((llvm_ok)); then
    note "llvm-jitlink: $(command -v "$LLVM_JITLINK") -orc-runtime=$orc_rt"
else
    note "llvm-jitlink: unavailable, left out of all runs: $llvm_why"
fi

# Path of a shared library as the native linker would find it (for -preload).
so_path() {
    local p
    [[ $1 == /* ]] && { printf '%s' "$1"; return; }
    p=$("$CC" -print-file-name="$1")
    if [[ $p == "$1" ]]; then
        for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64; do
            [[ -e $d/$1 ]] && p=$d/$1 && break
        done
    fi
    realpath -s "$p"
}

summary_rows=$work/summary.tsv # workload \t json-file \t names (comma-separated) \t notes (\x1f-separated)
rss_rows=$work/rss.tsv         # workload \t column \t max RSS in KiB
: >"$summary_rows"
: >"$rss_rows"

# Memory floor (issue 8; bench/README.md): what any loader that relocates a program must keep
# resident while it runs, against the target of 1.3x the natively linked program's peak.
# Measured once here: the peak RSS of an empty C program, of an empty Go program with cgo
# (the least a Go host holds beyond a C process) and of jitrun running an empty main (what
# jitrun itself holds); per workload (floor_row): how much of the native program's peak is
# its own executable (rssexit.so, preloaded) and how much of jitrun's image relocation
# writes (jitrun --stats).
floor_rows=$work/floor.tsv # workload \t exe KiB at exit \t KiB written by relocation
: >"$floor_rows"
floor_ok=1
floor_why=""
peak_kb() { # CMD...: the median of 5 runs' max RSS (KiB)
    local i
    for i in 1 2 3 4 5; do
        /usr/bin/time -f %M -o "$work/peak.kb" "$@" >/dev/null 2>&1 </dev/null || return 1
        tail -n1 "$work/peak.kb" | tr -dc '0-9'
        echo
    done | sort -n | sed -n 3p | grep .
}
mkdir -p "$work/floor/go"
printf 'int main(void) { return 0; }\n' >"$work/floor/empty.c"
printf 'package main\n\nimport "C"\n\nfunc main() {}\n' >"$work/floor/go/main.go"
printf 'module emptycgo\n\ngo 1.21\n' >"$work/floor/go/go.mod"
if ! "$CC" -O2 -shared -fPIC -o "$work/rssexit.so" "$bench_dir/rssexit.c" >"$work/floor/build.log" 2>&1 ||
    ! "$CC" -O2 -o "$work/floor/empty-c" "$work/floor/empty.c" >>"$work/floor/build.log" 2>&1 ||
    ! "$CC" -O2 -c -o "$work/floor/empty.o" "$work/floor/empty.c" >>"$work/floor/build.log" 2>&1 ||
    ! (cd "$work/floor/go" && CGO_ENABLED=1 go build -o ../empty-cgo .) >>"$work/floor/build.log" 2>&1; then
    floor_ok=0 floor_why="building the floor's programs failed: $(first_line "$work/floor/build.log")"
elif ! floor_c=$(peak_kb "$work/floor/empty-c") || ! floor_go=$(peak_kb "$work/floor/empty-cgo"); then
    floor_ok=0 floor_why="an empty program failed to run"
elif ((jitrun_ok)) && ! floor_jitrun=$(peak_kb "$jitrun" "${jitrun_flags[@]}" "$work/floor/empty.o"); then
    floor_ok=0 floor_why="jitrun failed on an empty main"
fi
if ((floor_ok)); then
    note "memory floor: empty C program ${floor_c} KiB, empty Go program with cgo ${floor_go} KiB, jitrun on an empty main ${floor_jitrun:--} KiB (peak RSS, medians of 5)"
else
    note "memory floor: left out: $floor_why"
fi

# floor_row W: the native program's own executable at its exit, and the part of jitrun's
# image relocation writes, for workload W (floor.tsv).
floor_row() {
    ((floor_ok && jitrun_ok)) || return 0
    local exe written
    rm -f "$work/exe.kb"
    JITRUN_BENCH_RSSEXIT=$work/exe.kb LD_PRELOAD=$work/rssexit.so \
        timeout "$CHECK_TIMEOUT" sh -c "${run_cmd[bfd]}" >/dev/null 2>&1 </dev/null || true
    # The program exits before the processes that started it (timeout, sh): its line is
    # the file's first.
    # (A program that ends with _exit writes nothing; a link that fails, no count: the row is
    # left out, and set -e must not end the script.)
    exe=$(head -n1 "$work/exe.kb" 2>/dev/null | cut -f1) || exe=""
    written=$(timeout "$CHECK_TIMEOUT" "$jitrun" --stats --noexec "${jitrun_flags[@]}" "${jit_args[@]}" 2>&1 </dev/null |
        sed -n 's/.* \([0-9]*\) KiB of them written by relocation$/\1/p') || written=""
    [[ -n $exe && -n $written ]] && printf '%s\t%s\t%s\n' "$1" "$exe" "$written" >>"$floor_rows"
    return 0
}

# skip_workload W WHY: report a workload that cannot run at all.
skip_workload() {
    note "skipping workload $1: $2"
    printf '%s\t\t\t%s\n' "$1" "${2//$'\t'/ }" >>"$summary_rows"
}

# ------------------------------------------------------------ objects ---

# Objects are compiled with -O2 (default PIE), no -g. Workloads whose
# objects or prerequisites are missing are skipped with a note.
note "building objects with $CC -O2 (default PIE)"
obj=$work/obj
mkdir -p "$obj"
declare -A unavailable=() # workload -> why
needs() { local w; for w in "${selected[@]}"; do [[ $w == "$1"* ]] && return 0; done; return 1; }
# require W FILE PACKAGE: mark W unavailable if FILE is missing.
require() {
    [[ -e $2 ]] && return 0
    unavailable[$1]+="${unavailable[$1]:+, }$2 missing (apt-get install $3)"
    return 1
}
if needs small; then
    for f in main strutil numutil; do
        "$CC" -O2 -c "$bench_dir/small/$f.c" -o "$obj/$f.o"
    done
fi
if needs sqlite; then
    "$CC" -O2 -c "$bench_dir/sqlite_main.c" -o "$obj/sqlite_main.o"
fi
if needs lua && require lua "$LIBLUA" liblua5.4-dev; then
    "$CC" -O2 -c "$programs/lua/luamain.c" -o "$obj/luamain.o"
fi
if needs openssl && require openssl "$LIBCRYPTO" libssl-dev; then
    require openssl /usr/lib/x86_64-linux-gnu/libzstd.so libzstd-dev || true
    "$CC" -O2 -c "$programs/openssl/crypto_main.c" -o "$obj/crypto_main.o"
fi
if needs cpython; then
    # shellcheck disable=SC2046
    "$CC" -O2 $("$PYTHON_CONFIG" --includes) -c "$bench_dir/pymain.c" -o "$obj/pymain.o"
fi

# clang: a -cc1 driver (testdata/programs/clang/cc1main.cpp) over the static
# clang and LLVM archives, as e2e/programs_clang_test.go builds it.
clang_libs=(
    clangFrontendTool clangFrontend clangDriver clangSerialization clangCodeGen
    clangParse clangSema clangAPINotes clangAnalysis clangASTMatchers clangAST
    clangEdit clangLex clangBasic clangRewrite clangRewriteFrontend clangARCMigrate
    clangStaticAnalyzerFrontend clangStaticAnalyzerCheckers clangStaticAnalyzerCore
    clangCrossTU clangIndex clangExtractAPI clangInstallAPI clangSupport
    clangToolingCore clangToolingInclusions clangToolingInclusionsStdlib
    clangAnalysisFlowSensitive clangAnalysisFlowSensitiveModels clangFormat
)
if needs clang && require clang "$LLVM_CONFIG" llvm-19-dev; then
    llvm_libdir=$("$LLVM_CONFIG" --libdir)
    require clang "$llvm_libdir/libclangFrontendTool.a" libclang-19-dev || true
    require clang /usr/lib/x86_64-linux-gnu/libz3.so libz3-dev || true
    require clang /usr/lib/x86_64-linux-gnu/libxml2.so libxml2-dev || true
    if [[ -z ${unavailable[clang]:-} ]]; then
        # shellcheck disable=SC2046
        clang_cxxflags=($("$LLVM_CONFIG" --cxxflags))
        note "building the clang -cc1 driver: $CXX ${clang_cxxflags[*]} -O2 -c cc1main.cpp"
        if ! "$CXX" "${clang_cxxflags[@]}" -O2 -c -o "$obj/cc1main.o" "$programs/clang/cc1main.cpp" \
            >"$work/cc1main-build.log" 2>&1; then
            unavailable[clang]="compiling cc1main.cpp failed: $(first_line "$work/cc1main-build.log")"
        fi
    fi
fi

# ---------------------------------------------------------- workloads ---

# Programs run in this directory (clang writes out.o here).
rundir=$work/run
mkdir -p "$rundir"
cd "$rundir"

# Per-workload settings, filled in by setup_workload:
#   driver       compiler driver that links natively ($CC or $CXX)
#   pre_flags    flags before -o (e.g. -no-pie)
#   link_args    objects, archives and -l/-L flags for the native link
#   jit_args     the same for jitrun (which needs no --start-group)
#   llvm_inputs  objects and archives (full paths) for llvm-jitlink
#   sonames      shared libraries preloaded into llvm-jitlink (file names or paths)
#   prog_args    program arguments (argv[1..])
#   expect_rc    the program's exit status
#   out_file     a file the program writes, compared too ("" if none)
#   hf_run_opts  hyperfine's run count options
setup_workload() {
    driver=$CC pre_flags=() link_args=() jit_args=() llvm_inputs=() sonames=()
    prog_args=() expect_rc=0 out_file="" hf_run_opts=("${hf_opts[@]}")
    local libs=()
    case $1 in
    small)
        llvm_inputs=("$obj/main.o" "$obj/strutil.o" "$obj/numutil.o")
        prog_args=(alpha beta gamma)
        ;;
    sqlite)
        llvm_inputs=("$obj/sqlite_main.o" "$LIBSQLITE")
        libs=(-lm)
        sonames=(libm.so.6)
        ;;
    lua)
        # testdata/programs/lua: the script returns 7, the host's exit status.
        llvm_inputs=("$obj/luamain.o" "$LIBLUA")
        libs=(-lm)
        sonames=(libm.so.6)
        prog_args=("$programs/lua/test.lua" "first arg" second)
        expect_rc=7
        ;;
    openssl)
        llvm_inputs=("$obj/crypto_main.o" "$LIBCRYPTO")
        libs=(-lz -lzstd)
        sonames=(libz.so.1 libzstd.so.1)
        ;;
    cpython-*)
        # Debian's libpython3.11.a is non-PIC: link it -no-pie, and export
        # its symbols (-Wl,-E) for extension modules, as Debian's python does.
        # python3.11-config --ldflags --embed also says -ldl; with glibc >= 2.34
        # that is part of libc. The static lib needs -lexpat and -lz.
        llvm_inputs=("$obj/pymain.o" "$LIBPYTHON")
        libs=(-lexpat -lz -lm)
        sonames=(libexpat.so.1 libz.so.1 libm.so.6)
        pre_flags=(-no-pie -Wl,-E)
        if [[ $1 == cpython-pass ]]; then
            prog_args=(-c pass)
        else
            prog_args=(-c 'import json; print(json.dumps({"a":1}))')
        fi
        ;;
    clang)
        driver=$CXX
        local archives=() llvm_libs ldflags syslibs l res
        for l in "${clang_libs[@]}"; do
            archives+=("$llvm_libdir/lib$l.a")
        done
        # shellcheck disable=SC2207
        llvm_libs=($("$LLVM_CONFIG" --link-static --libs all)) # -lLLVM...
        # shellcheck disable=SC2207
        ldflags=($("$LLVM_CONFIG" --ldflags)) # -L/usr/lib/llvm-19/lib
        # shellcheck disable=SC2207
        syslibs=($("$LLVM_CONFIG" --system-libs --link-static)) # -lrt -ldl -lm libz3.so -lz -lzstd -lxml2
        # As the e2e test: g++ groups the archives; jitrun searches archives
        # repeatedly and gets the C++ runtime named (g++ adds it itself).
        link_args=("$obj/cc1main.o" "${ldflags[@]}" -Wl,--start-group "${archives[@]}" "${llvm_libs[@]}"
            -Wl,--end-group "${syslibs[@]}")
        jit_args=("$obj/cc1main.o" "${ldflags[@]}" "${archives[@]}" "${llvm_libs[@]}" "${syslibs[@]}" -lstdc++ -lm)
        llvm_inputs=("$obj/cc1main.o" "${archives[@]}")
        for l in "${llvm_libs[@]}"; do
            llvm_inputs+=("$llvm_libdir/lib${l#-l}.a")
        done
        # librt and libdl are in libc since glibc 2.34.
        sonames=(libz3.so libz.so.1 libzstd.so.1 libxml2.so.2 libstdc++.so.6 libm.so.6 libgcc_s.so.1)
        res=$llvm_libdir/clang/$("$LLVM_CONFIG" --version | cut -d. -f1)
        cp "$programs/clang/in.c" "$rundir/in.c"
        prog_args=(-cc1 -triple x86_64-pc-linux-gnu -O2 -Wall
            -resource-dir "$res" -internal-isystem "$res/include"
            -internal-externc-isystem /usr/include/x86_64-linux-gnu -internal-externc-isystem /usr/include
            -mrelocation-model pic -pic-level 2 -pic-is-pie
            -emit-obj -o out.o in.c)
        out_file=out.o
        hf_run_opts=("${hf_opts_clang[@]}")
        return
        ;;
    esac
    link_args=("${llvm_inputs[@]}" "${libs[@]}")
    jit_args=("${llvm_inputs[@]}" "${libs[@]}")
}

# wrap_rc CMD: a command (sh syntax) that succeeds iff CMD exits with
# $expect_rc (hyperfine counts any other status as a failure).
wrap_rc() {
    if ((expect_rc == 0)); then
        printf '%s' "$1"
    else
        printf '%s; test $? -eq %d' "$1" "$expect_rc"
    fi
}
# as_hf CMD: CMD as one hyperfine -N command (sh -c if it needs a shell).
as_hf() {
    if ((expect_rc == 0)); then
        printf '%s' "$1"
    else
        shquote sh -c "$(wrap_rc "$1")"
    fi
}

# max RSS (KiB) from a /usr/bin/time -f %M output file (its last line; time
# writes "Command exited with non-zero status N" first when N != 0).
rss_of() { tail -n1 "$1" 2>/dev/null | tr -dc '0-9'; }
record_rss() { # workload column file
    local kb
    kb=$(rss_of "$3")
    [[ -n $kb ]] && printf '%s\t%s\t%s\n' "$1" "$2" "$kb" >>"$rss_rows"
    return 0
}

# run_check NAME CMD: run CMD (sh syntax) once in $rundir, under
# /usr/bin/time (max RSS into $work/rss.NAME), stdout into $work/check.NAME.out;
# sets check_rc.
run_check() {
    local name=$1 cmd=$2
    [[ -z $out_file ]] || rm -f "$rundir/$out_file"
    check_rc=0
    timeout "$CHECK_TIMEOUT" /usr/bin/time -f %M -o "$work/rss.$name" sh -c "$cmd" \
        >"$work/check.$name.out" 2>"$work/check.$name.err" </dev/null || check_rc=$?
}

# verify NAME: compare the last run_check of NAME with the reference (exit
# status, stdout, out_file); sets check_why and fails if they differ.
verify() {
    local name=$1 out=$work/check.$1.out err=$work/check.$1.err
    check_why=""
    if ((check_rc != expect_rc)); then
        local l
        l=$(first_line "$err")
        [[ -n $l ]] || l="(no stderr)"
        ((check_rc == 124)) && l="timed out after ${CHECK_TIMEOUT}s; $l"
        check_why="exit $check_rc: $l"
        return 1
    fi
    if ! cmp -s "$ref_out" "$out"; then
        local d
        d=$(python3 - "$ref_out" "$out" <<'PY'
import sys
a, b = (open(p, "rb").read().decode("utf-8", "replace").splitlines() for p in sys.argv[1:3])
for i in range(max(len(a), len(b))):
    x = a[i] if i < len(a) else "<end of output>"
    y = b[i] if i < len(b) else "<end of output>"
    if x != y:
        print(f"line {i + 1}: expected {x[:100]!r}, got {y[:100]!r}")
        break
else:
    print("trailing whitespace/newline")
PY
)
        check_why="output differs from the GNU ld-linked program ($d)"
        [[ -s $err ]] && check_why+="; stderr: $(first_line "$err")"
        return 1
    fi
    if [[ -n $out_file ]] && ! cmp -s "$ref_file" "$rundir/$out_file"; then
        check_why="$out_file differs from the GNU ld-linked program's"
        return 1
    fi
    return 0
}

run_workload() {
    local w=$1
    note ""
    note "== workload: $w"
    if [[ -n ${unavailable[$w]:-} ]]; then
        skip_workload "$w" "${unavailable[$w]}"
        return 0
    fi
    setup_workload "$w"

    local names=() cmds=() notes=() l
    declare -A link_cmd=() run_cmd=()
    for l in "${linkers[@]}"; do
        link_cmd[$l]=$(shquote "$driver" -fuse-ld="$l" "${pre_flags[@]}" -o "$work/$w.$l" "${link_args[@]}")
        run_cmd[$l]=$(shquote "$work/$w.$l" "${prog_args[@]}")
    done

    # Reference: link with GNU ld (peak memory of the link), run the program
    # (its peak memory: the natively linked program's).
    ref_out=$work/ref.$w.out ref_file=$work/ref.$w.file
    note "bfd link:      ${link_cmd[bfd]}"
    run_check link-bfd "${link_cmd[bfd]}"
    if ((check_rc != 0)); then
        skip_workload "$w" "GNU ld link failed (exit $check_rc): $(first_line "$work/check.link-bfd.err")"
        return 0
    fi
    record_rss "$w" "bfd link" "$work/rss.link-bfd"
    run_check native "${run_cmd[bfd]}"
    if ((check_rc != expect_rc)); then
        skip_workload "$w" "the GNU ld-linked program failed (exit $check_rc, expected $expect_rc): $(first_line "$work/check.native.err")"
        return 0
    fi
    cp "$work/check.native.out" "$ref_out"
    [[ -n $out_file ]] && cp "$rundir/$out_file" "$ref_file"
    record_rss "$w" native-run "$work/rss.native"
    floor_row "$w"
    note "reference output (GNU ld-linked): $(wc -l <"$ref_out") line(s), exit $expect_rc"

    if ((jitrun_ok)); then
        local jitrun_cmd
        jitrun_cmd=$(shquote "$jitrun" "${jitrun_flags[@]}" "${jit_args[@]}")
        ((${#prog_args[@]})) && jitrun_cmd+=" -- $(shquote "${prog_args[@]}")"
        note "jitrun:        $jitrun_cmd"
        run_check jitrun "$jitrun_cmd"
        if verify jitrun; then
            names+=(jitrun) cmds+=("$(as_hf "$jitrun_cmd")")
            record_rss "$w" jitrun "$work/rss.jitrun"
        else
            note "jitrun: output differs / failed: $check_why -- left out"
            notes+=("jitrun: $check_why")
        fi
        local v vname vflags
        for v in ${JITRUN_VARIANTS:-}; do
            vname=${v%%=*}
            IFS=, read -r -a vflags <<<"${v#*=}"
            jitrun_cmd=$(shquote "$jitrun" "${vflags[@]}" "${jitrun_flags[@]}" "${jit_args[@]}")
            ((${#prog_args[@]})) && jitrun_cmd+=" -- $(shquote "${prog_args[@]}")"
            note "jitrun $vname: $jitrun_cmd"
            run_check "jitrun-$vname" "$jitrun_cmd"
            if verify "jitrun-$vname"; then
                names+=("jitrun $vname") cmds+=("$(as_hf "$jitrun_cmd")")
                record_rss "$w" "jitrun $vname" "$work/rss.jitrun-$vname"
            else
                notes+=("jitrun $vname: $check_why")
            fi
        done
        # Lazy linking (issue 8) on the whole programs it is meant for: a row with --lazy
        # and one with --lazy --speculate; the check run's --stats gives the objects
        # linked (at exit) out of those resolved, in the notes. LAZY_ROWS=0 leaves them out.
        local lflags
        if [[ ${LAZY_ROWS:-1} == 1 && ($w == clang || $w == cpython-*) ]]; then
            for v in "lazy=--lazy" "lazy+speculate=--lazy,--speculate"; do
                vname=${v%%=*}
                IFS=, read -r -a lflags <<<"${v#*=}"
                jitrun_cmd=$(shquote "$jitrun" "${lflags[@]}" "${jitrun_flags[@]}" "${jit_args[@]}")
                ((${#prog_args[@]})) && jitrun_cmd+=" -- $(shquote "${prog_args[@]}")"
                note "jitrun $vname: $jitrun_cmd"
                run_check "jitrun-$vname" "$(shquote "$jitrun" --stats "${lflags[@]}" "${jitrun_flags[@]}" "${jit_args[@]}")${prog_args:+ -- $(shquote "${prog_args[@]}")}"
                if verify "jitrun-$vname"; then
                    names+=("jitrun $vname") cmds+=("$(as_hf "$jitrun_cmd")")
                    record_rss "$w" "jitrun $vname" "$work/rss.jitrun-$vname"
                    notes+=("jitrun $vname: $(grep -o 'lazy: [0-9]* of [0-9]* objects linked.*' "$work/check.jitrun-$vname.err" | tail -n1)")
                else
                    notes+=("jitrun $vname: $check_why")
                fi
            done
        fi
    else
        notes+=("jitrun: $jitrun_why")
    fi

    for l in "${linkers[@]}"; do
        local hf_cmd
        hf_cmd=$(shquote sh -c "${link_cmd[$l]} && { $(wrap_rc "${run_cmd[$l]}"); }")
        [[ $l == bfd ]] || note "$l link:$(printf '%*s' $((9 - ${#l})) '')${link_cmd[$l]}"
        note "$l-link+run:$(printf '%*s' $((5 - ${#l})) '')$hf_cmd"
        if [[ $l != bfd ]]; then
            # mold forks and its parent exits as soon as the output is written:
            # --no-fork keeps the linking process a child, so that its peak
            # memory is counted (the timed command is mold's default).
            local lcmd=${link_cmd[$l]}
            [[ $l == mold ]] && lcmd=$(shquote "$driver" -fuse-ld=mold -Wl,--no-fork "${pre_flags[@]}" \
                -o "$work/$w.$l" "${link_args[@]}")
            run_check "link-$l" "$lcmd"
            if ((check_rc != 0)); then
                check_why="link failed (exit $check_rc): $(first_line "$work/check.link-$l.err")"
                note "$l-link+run: $check_why -- left out"
                notes+=("$l-link+run: $check_why")
                continue
            fi
            run_check "run-$l" "${run_cmd[$l]}"
            if ! verify "run-$l"; then
                note "$l-link+run: the $l-linked program differs / failed: $check_why -- left out"
                notes+=("$l-link+run: $check_why")
                continue
            fi
            record_rss "$w" "$l link" "$work/rss.link-$l"
        fi
        names+=("$l-link+run") cmds+=("$hf_cmd")
    done
    for l in "${!linker_why[@]}"; do
        notes+=("$l-link+run: ${linker_why[$l]}")
    done

    if ((llvm_ok)); then
        local llvm_args=(-orc-runtime="$orc_rt") s llvm_cmd
        for s in "${sonames[@]}"; do
            llvm_args+=(-preload="$(so_path "$s")")
        done
        llvm_cmd=$(shquote "$LLVM_JITLINK" "${llvm_args[@]}" "${llvm_inputs[@]}" -args "$w" "${prog_args[@]}")
        note "llvm-jitlink:  $llvm_cmd"
        run_check llvm-jitlink "$llvm_cmd"
        if verify llvm-jitlink; then
            names+=(llvm-jitlink) cmds+=("$(as_hf "$llvm_cmd")")
            record_rss "$w" llvm-jitlink "$work/rss.llvm-jitlink"
        else
            note "llvm-jitlink: cannot run this workload: $check_why -- left out"
            notes+=("llvm-jitlink: $check_why")
        fi
    else
        notes+=("llvm-jitlink: $llvm_why")
    fi

    # Baseline: the already linked (GNU ld) program, run only (no link).
    local native_cmd
    native_cmd=$(as_hf "${run_cmd[bfd]}")
    note "native-run:    $native_cmd"
    names+=(native-run) cmds+=("$native_cmd")

    local hf_args=() i
    for i in "${!names[@]}"; do
        hf_args+=(-n "${names[$i]}" "${cmds[$i]}")
    done
    local json=$work/$w.json
    if ! hyperfine "${hf_run_opts[@]}" "${hf_extra[@]}" --export-json "$json" "${hf_args[@]}"; then
        # hyperfine shows neither the failing run's output nor its stderr: run each command
        # again (up to 20 times) to catch a failure with its message.
        warn "$w: a timed run failed; running each command again to show the failure"
        for i in "${!names[@]}"; do
            local k err
            for k in $(seq 20); do
                if ! err=$(sh -c "${cmds[$i]}" 2>&1 >/dev/null); then
                    warn "${names[$i]} (try $k): ${err:-no message}"
                    break
                fi
            done
        done
        exit 1
    fi

    local IFS=','
    local joined_names="${names[*]}"
    IFS=$'\x1f'
    local joined_notes="${notes[*]:-}"
    printf '%s\t%s\t%s\t%s\n' "$w" "$json" "$joined_names" "${joined_notes//$'\t'/ }" >>"$summary_rows"
}

for w in "${selected[@]}"; do
    run_workload "$w"
done

# ------------------------------------------------------------ summary ---

note ""
note "== summary (median wall time, each workload timed in one hyperfine run)"
python3 - "$summary_rows" "$rss_rows" "${linkers[*]}" "$floor_rows" "${floor_c:-}" "${floor_go:-}" "${floor_jitrun:-}" <<'EOF'
import json, sys

def fmt(sec):
    if sec is None:
        return "-"
    if sec < 1:
        return f"{sec * 1000:.1f} ms"
    return f"{sec:.3f} s"

def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}x"

def table(header, rows):
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i])
                        for i, c in enumerate(r)))

linkers = sys.argv[3].split()
link_cols = [f"{l}-link+run" for l in linkers]
cols = ["jitrun"] + link_cols + ["llvm-jitlink", "native-run"]
rows, notes = [], []
with open(sys.argv[1]) as f:
    for line in f:
        line = line.rstrip("\n")
        if not line:
            continue
        w, path, names, extra = (line.split("\t") + ["", "", ""])[:4]
        med = {}
        if path:
            with open(path) as jf:
                results = json.load(jf)["results"]
            # hyperfine keeps the command order; names were given in that order.
            for name, r in zip(names.split(","), results):
                med[name] = r["median"]
        rows.append([w] + [fmt(med.get(c)) for c in cols]
                    + [ratio(med.get("jitrun"), med.get(c)) for c in link_cols]
                    + [ratio(med.get("jitrun"), med.get("llvm-jitlink"))])
        for n in extra.split("\x1f"):
            if n:
                notes.append(f"{w}: {n}")

table(["workload"] + cols + [f"jitrun/{l}" for l in linkers] + ["jitrun/llvm"], rows)

# Rows of jitrun with other flags (--lazy, JITRUN_VARIANTS), against the default jitrun
# and mold's link+run, from the same hyperfine runs.
vrows = []
with open(sys.argv[1]) as f:
    for line in f:
        w, path, names, _ = (line.rstrip("\n").split("\t") + ["", "", ""])[:4]
        if not path:
            continue
        with open(path) as jf:
            med = {n: r["median"] for n, r in zip(names.split(","), json.load(jf)["results"])}
        for n in names.split(","):
            if n.startswith("jitrun "):
                vrows.append([w, n, fmt(med[n]), ratio(med[n], med.get("jitrun")),
                              ratio(med[n], med.get("mold-link+run"))])
if vrows:
    print()
    print("== jitrun variants (median wall time)")
    table(["workload", "variant", "time", "/jitrun", "/mold-link+run"], vrows)
print()
print("ratios < 1.00x: jitrun is faster end to end; '-' = not run (see notes)")

rss = {}
order = []
with open(sys.argv[2]) as f:
    for line in f:
        w, col, kb = line.rstrip("\n").split("\t")
        if w not in rss:
            rss[w] = {}
            order.append(w)
        rss[w][col] = int(kb)
if order:
    def mb(kb):
        return "-" if kb is None else f"{kb / 1024:.1f} MB"
    rcols = ["jitrun", "native-run"] + [f"{l} link" for l in linkers] + ["llvm-jitlink"]
    print()
    print("== peak memory (max RSS, one run each; link = the link step alone)")
    table(["workload"] + rcols, [[w] + [mb(rss[w].get(c)) for c in rcols] for w in order])
# The memory floor (bench/README.md): N is the native program's peak, E its executable's
# resident pages at exit (so N - E is, at least, what it holds besides its executable), W
# what relocation writes in jitrun's image. A loader hosted by a Go process with cgo needs
# at least (N - E) + (Go - C) + W, jitrun as it is (N - E) + (jitrun - C) + W.
floor = []
with open(sys.argv[4]) as f:
    for line in f:
        w, exe, written = line.rstrip("\n").split("\t")
        floor.append((w, int(exe), int(written)))
if floor and all(sys.argv[5:8]):
    c, go, jr = (int(x) for x in sys.argv[5:8])
    def mb(kb):
        return f"{kb / 1024:.1f} MB"
    frows = []
    for w, exe, written in floor:
        n = rss.get(w, {}).get("native-run")
        if n is None:
            continue
        bound = 1.3 * n
        any_go = (n - exe) + (go - c) + written
        this = (n - exe) + (jr - c) + written
        j = rss[w].get("jitrun")
        frows.append([w, mb(n), mb(bound), mb(exe), mb(written), mb(any_go), f"{any_go / n:.2f}x",
                      mb(this), f"{this / n:.2f}x", "-" if j is None else f"{j / n:.2f}x"])
    print()
    print(f"== memory floor (empty C program {mb(c)}, empty Go program with cgo {mb(go)}, jitrun on an empty main {mb(jr)})")
    table(["workload", "native peak", "1.3x", "its executable", "relocation writes",
           "floor: Go host", "/native", "floor: jitrun", "/native", "jitrun peak"], frows)
    print("floor: Go host = native peak - its executable + (Go - C) + relocation writes; floor: jitrun uses jitrun on an empty main instead of Go")
if notes:
    print()
    print("notes:")
    for n in notes:
        print("  " + n)
EOF
