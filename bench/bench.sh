#!/usr/bin/env bash
# End-to-end wall-time benchmark: jitrun vs. "gcc link, then run" vs.
# llvm-jitlink (with the ORC runtime), on a few workloads built from the
# sources in this directory. See bench/README.md.
#
# Usage: bench/bench.sh [--quick] [--keep] [WORKLOAD...]
#   WORKLOAD: small sqlite cpython-pass cpython-json (default: all)
#
# Environment:
#   JITRUN         jitrun binary (default: go build ./cmd/jitrun into the work dir)
#   JITRUN_FLAGS   extra flags put before jitrun's inputs (word-split)
#   CC             C compiler / native linker driver (default: gcc)
#   LLVM_JITLINK   llvm-jitlink binary (default: llvm-jitlink-19)
#   ORC_RUNTIME    ORC runtime archive (default: searched under /usr/lib/llvm-19)
#   PYTHON_CONFIG  python-config of the Python whose static lib is used
#                  (default: /usr/bin/python3.11-config, i.e. Debian's, not pyenv's)
#   LIBPYTHON      static libpython (default: /usr/lib/x86_64-linux-gnu/libpython3.11.a)
#   LIBSQLITE      static libsqlite3 (default: /usr/lib/x86_64-linux-gnu/libsqlite3.a)
#   HYPERFINE_OPTS extra hyperfine options (word-split), e.g. "--show-output"
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_dir/.." && pwd)

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
all_workloads=(small sqlite cpython-pass cpython-json)
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
# -N: no intermediate shell (its start-up correction is unreliable for
# millisecond commands); gcc-link+run is wrapped in an explicit `sh -c`.
hf_opts+=(-N)
# shellcheck disable=SC2206
hf_opts+=(${HYPERFINE_OPTS:-})

CC=${CC:-gcc}
LLVM_JITLINK=${LLVM_JITLINK:-llvm-jitlink-19}
PYTHON_CONFIG=${PYTHON_CONFIG:-/usr/bin/python3.11-config}
LIBPYTHON=${LIBPYTHON:-/usr/lib/x86_64-linux-gnu/libpython3.11.a}
LIBSQLITE=${LIBSQLITE:-/usr/lib/x86_64-linux-gnu/libsqlite3.a}
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
    p=$("$CC" -print-file-name="$1")
    if [[ $p == "$1" ]]; then
        for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64; do
            [[ -e $d/$1 ]] && p=$d/$1 && break
        done
    fi
    realpath -s "$p"
}

# ------------------------------------------------------------ objects ---

note "building objects with $CC -O2 (default PIE)"
obj=$work/obj
mkdir -p "$obj"
needs() { local w; for w in "${selected[@]}"; do [[ $w == "$1"* ]] && return 0; done; return 1; }
if needs small; then
    for f in main strutil numutil; do
        "$CC" -O2 -c "$bench_dir/small/$f.c" -o "$obj/$f.o"
    done
fi
if needs sqlite; then
    "$CC" -O2 -c "$bench_dir/sqlite_main.c" -o "$obj/sqlite_main.o"
fi
if needs cpython; then
    # shellcheck disable=SC2046
    "$CC" -O2 $("$PYTHON_CONFIG" --includes) -c "$bench_dir/pymain.c" -o "$obj/pymain.o"
fi

# ---------------------------------------------------------- workloads ---

# Per-workload settings, filled in by setup_workload:
#   inputs      objects and archives, in link order
#   libs        -l flags (given to gcc and to jitrun)
#   sonames     the shared libraries behind libs (preloaded into llvm-jitlink)
#   gcc_flags   extra flags for the native link
#   prog_args   program arguments (argv[1..])
setup_workload() {
    inputs=() libs=() sonames=() gcc_flags=() prog_args=()
    case $1 in
    small)
        inputs=("$obj/main.o" "$obj/strutil.o" "$obj/numutil.o")
        prog_args=(alpha beta gamma)
        ;;
    sqlite)
        inputs=("$obj/sqlite_main.o" "$LIBSQLITE")
        libs=(-lm)
        sonames=(libm.so.6)
        ;;
    cpython-*)
        # Debian's libpython3.11.a is non-PIC: link it -no-pie, and export
        # its symbols (-Wl,-E) for extension modules, as Debian's python does.
        # python3.11-config --ldflags --embed also says -ldl; with glibc >= 2.34
        # that is part of libc. The static lib needs -lexpat and -lz.
        inputs=("$obj/pymain.o" "$LIBPYTHON")
        libs=(-lexpat -lz -lm)
        sonames=(libexpat.so.1 libz.so.1 libm.so.6)
        gcc_flags=(-no-pie -Wl,-E)
        if [[ $1 == cpython-pass ]]; then
            prog_args=(-c pass)
        else
            prog_args=(-c 'import json; print(json.dumps({"a":1}))')
        fi
        ;;
    esac
}

summary_rows=$work/summary.tsv # workload \t json-file \t names (comma-separated) \t notes (\x1f-separated)
: >"$summary_rows"

# check NAME CMD REF_OUT REF_RC: run CMD once; succeed if its stdout and exit
# status match the reference; otherwise set check_why.
check_cmd() {
    local name=$1 cmd=$2 ref_out=$3 ref_rc=$4 rc=0
    local out=$work/check.$name.out err=$work/check.$name.err
    timeout "$CHECK_TIMEOUT" sh -c "$cmd" >"$out" 2>"$err" </dev/null || rc=$?
    check_why=""
    if ((rc != ref_rc)); then
        local l
        l=$(first_line "$err")
        [[ -n $l ]] || l="(no stderr)"
        ((rc == 124)) && l="timed out after ${CHECK_TIMEOUT}s; $l"
        check_why="exit $rc: $l"
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
        check_why="output differs from the gcc-linked program ($d)"
        [[ -s $err ]] && check_why+="; stderr: $(first_line "$err")"
        return 1
    fi
    return 0
}

run_workload() {
    local w=$1
    setup_workload "$w"
    note ""
    note "== workload: $w"

    local exe=$work/$w.gcc
    local gcc_cmd native_cmd jitrun_cmd llvm_cmd
    gcc_cmd="$(shquote "$CC" "${gcc_flags[@]}" -o "$exe" "${inputs[@]}" "${libs[@]}") && $(shquote "$exe" "${prog_args[@]}")"
    gcc_cmd=$(shquote sh -c "$gcc_cmd")
    native_cmd=$(shquote "$exe" "${prog_args[@]}")

    # Reference: the gcc-linked program.
    local ref_out=$work/ref.$w.out ref_err=$work/ref.$w.err ref_rc=0
    timeout "$CHECK_TIMEOUT" sh -c "$gcc_cmd" >"$ref_out" 2>"$ref_err" </dev/null || ref_rc=$?
    if ((ref_rc != 0)); then
        note "gcc-link+run: failed (exit $ref_rc): $(first_line "$ref_err") -- skipping workload $w"
        printf '%s\t\t\tgcc-link+run failed: %s\n' "$w" "$(first_line "$ref_err")" >>"$summary_rows"
        return 0
    fi
    note "reference output (gcc-linked): $(wc -l <"$ref_out") line(s), exit 0"

    local names=() cmds=() notes=()
    if ((jitrun_ok)); then
        jitrun_cmd=$(shquote "$jitrun" "${jitrun_flags[@]}" "${inputs[@]}" "${libs[@]}")
        ((${#prog_args[@]})) && jitrun_cmd+=" -- $(shquote "${prog_args[@]}")"
        note "jitrun:        $jitrun_cmd"
        if check_cmd jitrun "$jitrun_cmd" "$ref_out" 0; then
            names+=(jitrun) cmds+=("$jitrun_cmd")
        else
            note "jitrun: output differs / failed: $check_why -- left out"
            notes+=("jitrun: $check_why")
        fi
    else
        notes+=("jitrun: $jitrun_why")
    fi

    note "gcc-link+run:  $gcc_cmd"
    names+=(gcc-link+run) cmds+=("$gcc_cmd")

    if ((llvm_ok)); then
        local llvm_args=(-orc-runtime="$orc_rt") s
        for s in "${sonames[@]}"; do
            llvm_args+=(-preload="$(so_path "$s")")
        done
        llvm_cmd=$(shquote "$LLVM_JITLINK" "${llvm_args[@]}" "${inputs[@]}" -args "$w" "${prog_args[@]}")
        note "llvm-jitlink:  $llvm_cmd"
        if check_cmd llvm-jitlink "$llvm_cmd" "$ref_out" 0; then
            names+=(llvm-jitlink) cmds+=("$llvm_cmd")
        else
            note "llvm-jitlink: cannot run this workload: $check_why -- left out"
            notes+=("llvm-jitlink: $check_why")
        fi
    else
        notes+=("llvm-jitlink: $llvm_why")
    fi

    # Baseline: the already linked native program, run only (no link).
    note "native-run:    $native_cmd"
    names+=(native-run) cmds+=("$native_cmd")

    local hf_args=() i
    for i in "${!names[@]}"; do
        hf_args+=(-n "${names[$i]}" "${cmds[$i]}")
    done
    local json=$work/$w.json
    hyperfine "${hf_opts[@]}" --export-json "$json" "${hf_args[@]}"

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
python3 - "$summary_rows" <<'EOF'
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

cols = ["jitrun", "gcc-link+run", "llvm-jitlink", "native-run"]
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
                    + [ratio(med.get("jitrun"), med.get("gcc-link+run")),
                       ratio(med.get("jitrun"), med.get("llvm-jitlink"))])
        for n in extra.split("\x1f"):
            if n:
                notes.append(f"{w}: {n}")

header = ["workload"] + cols + ["jitrun/gcc", "jitrun/llvm"]
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
def out(r):
    print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i])
                    for i, c in enumerate(r)))
out(header)
for r in rows:
    out(r)
print()
print("ratios < 1.00x: jitrun is faster end to end; '-' = not run (see notes)")
if notes:
    print("notes:")
    for n in notes:
        print("  " + n)
EOF
