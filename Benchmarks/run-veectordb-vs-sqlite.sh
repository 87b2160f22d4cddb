#!/usr/bin/env bash
# VeectorDB vs SQLite, side by side, in one run on this machine (issue 2, section 6).
#
#   Benchmarks/run-veectordb-vs-sqlite.sh [--records N] [--blobs B] [--workloads a,b,c] [--sqlite-only]
#
# Builds `veectordb-bench` in release (scratch path .build-bench), then for each workload runs both
# programs on fresh folders on the repository's own filesystem (not /tmp, which may be tmpfs), in
# alternating order (SQLite first on even workloads, VeectorDB first on odd ones) so neither engine
# always gets the warmer machine. Prints a markdown table and writes it to
# Benchmarks/out/veectordb-vs-sqlite.md (raw JSON lines in Benchmarks/out/veectordb-vs-sqlite.jsonl).
# If veectordb-bench does not build or prints no result for a workload, its column says "n/a".
# VEECTORDB_BENCH=PATH skips the build and runs that binary instead; PYTHON=... picks the interpreter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
COMMAND="Benchmarks/run-veectordb-vs-sqlite.sh${*:+ $*}"

RECORDS=100000
BLOBS=20
WORKLOADS=put_txn1,put_txn100,get_random,scan_range,blob_put_10mib,blob_get_10mib
SQLITE_ONLY=0
while (($# > 0)); do
    case "$1" in
        --records) RECORDS=$2; shift ;;
        --blobs) BLOBS=$2; shift ;;
        --workloads) WORKLOADS=$2; shift ;;
        --sqlite-only) SQLITE_ONLY=1 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "run-veectordb-vs-sqlite: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sqlite3' 2>/dev/null || {
    echo "run-veectordb-vs-sqlite: '$PYTHON' has no sqlite3 module; set PYTHON=/usr/bin/python3" >&2; exit 1; }

OUT=Benchmarks/out
mkdir -p "$OUT"
RESULTS=$OUT/veectordb-vs-sqlite.jsonl
: >"$RESULTS"

# Work folders live next to the repository so both engines write to the same real disk.
WORK=$(mktemp -d "$REPO/$OUT/work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FS_TYPE=$(stat -f -c %T "$WORK" 2>/dev/null || echo unknown)
if [[ $FS_TYPE == tmpfs ]]; then
    echo "run-veectordb-vs-sqlite: warning: $WORK is on tmpfs; fsync costs nothing there" >&2
fi

VEECTOR_BENCH=${VEECTORDB_BENCH:-}  # set VEECTORDB_BENCH=PATH to use a binary that is already built
if ((SQLITE_ONLY)); then
    VEECTOR_BENCH=""
elif [[ -z $VEECTOR_BENCH ]]; then
    echo "bench: building veectordb-bench (release, .build-bench)" >&2
    if swift build -c release --scratch-path .build-bench --product veectordb-bench >&2; then
        VEECTOR_BENCH="$(swift build -c release --scratch-path .build-bench --show-bin-path)/veectordb-bench"
    else
        echo "bench: veectordb-bench did not build; its column will say n/a" >&2
    fi
fi

run_sqlite() {  # workload, folder
    "$PYTHON" Benchmarks/sqlite_bench.py --dir "$2" --records "$RECORDS" --blobs "$BLOBS" --workloads "$1" \
        | tee -a "$RESULTS" >&2
}
run_veectordb() {  # workload, folder
    [[ -n $VEECTOR_BENCH ]] || return 0
    # Keep only JSON lines: a stub or a failing run leaves the column n/a instead of stopping the run.
    "$VEECTOR_BENCH" --dir "$2" --records "$RECORDS" --blobs "$BLOBS" --workloads "$1" \
        | { grep '^{' || true; } | tee -a "$RESULTS" >&2 \
        || echo "bench: veectordb-bench failed on $1" >&2
}

index=0
IFS=, read -r -a workload_list <<<"$WORKLOADS"
for workload in "${workload_list[@]}"; do
    echo "bench: $workload" >&2
    if ((index % 2 == 0)); then order=(sqlite veectordb); else order=(veectordb sqlite); fi
    for engine in "${order[@]}"; do
        folder=$WORK/$engine-$workload
        mkdir -p "$folder"
        "run_$engine" "$workload" "$folder"
        rm -rf "$folder"
    done
    index=$((index + 1))
done

CPU_MODEL=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)
if grep -m1 '^flags' /proc/cpuinfo | grep -qw avx512f; then AVX512=yes; else AVX512=no; fi

"$PYTHON" - "$RESULTS" "$OUT/veectordb-vs-sqlite.md" "$WORKLOADS" "$COMMAND" "$CPU_MODEL" "$AVX512" \
    "$FS_TYPE" "$RECORDS" "$BLOBS" <<'PY'
import datetime, json, sqlite3, sys
results, target, workloads, command, cpu, avx512, fs, records, blobs = sys.argv[1:]
rates, notes = {}, {}
for line in open(results):
    r = json.loads(line)
    if r.get("seconds", 0) > 0:
        rates[(r["engine"], r["workload"])] = r["ops"] / r["seconds"]
        if r["engine"] == "sqlite" and "layout" in r:
            notes[r["workload"]] = r["layout"]

def fmt(x):
    return "n/a" if x is None else f"{x:,.0f}" if x >= 100 else f"{x:,.2f}"

rows = []
for w in workloads.split(","):
    s, v = rates.get(("sqlite", w)), rates.get(("veectordb", w))
    ratio = f"{v / s:.2f}×" if s and v else "n/a"
    rows.append(f"| {w} | {fmt(s)} | {fmt(v)} | {ratio} | {notes.get(w, '')} |")

now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
text = "\n".join([
    "# VeectorDB vs SQLite",
    "",
    f"- Date: {now}",
    f"- CPU: {cpu} (AVX-512: {avx512})",
    f"- Filesystem of the work folders: {fs}",
    f"- SQLite {sqlite3.sqlite_version} (Python sqlite3), WAL, synchronous=FULL",
    f"- Records: {records} × 1 KiB values; blobs: {blobs} × 10 MiB",
    f"- Command: `{command}`",
    "",
    "Ratio = VeectorDB ops/s ÷ SQLite ops/s; above 1 means VeectorDB is faster.",
    "",
    "| workload | SQLite ops/s | VeectorDB ops/s | ratio VeectorDB/SQLite | SQLite layout |",
    "|---|---:|---:|---:|---|",
    *rows,
    "",
])
open(target, "w").write(text)
print(text)
PY
echo "bench: wrote $OUT/veectordb-vs-sqlite.md" >&2
