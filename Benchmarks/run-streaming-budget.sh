#!/usr/bin/env bash
# SmolLM2 generation streamed through a BlockCache under a memory budget vs fully resident, in one run.
#
#   Benchmarks/run-streaming-budget.sh [--fraction 0.25] [--rounds 2] [--reps 2] [--gen 64] [--threads 2]
#
# Builds `veector-engine-bench` in release (scratch path .build-bench), decomposes the GGUF once into block
# files (.build-bench/smollm2-blocks, ultimate variant), then alternates (resident, budgeted, resident,
# budgeted) tg runs, each its own process so its peak RSS is its own: "resident" = a budget of all the
# blocks' bytes (nothing evicted), "budgeted" = --fraction of them. If that fraction is below the least
# budget the cache accepts (the largest block with what it borrows: since the token table is imported as
# 16 row shards, a 2.4 MB SmolLM2 layer), the least budget is used and the table says so. Delete
# .build-bench/smollm2-blocks after a layout change. Goal: budgeted tokens/s ≥ 0.5 × resident. Writes Benchmarks/out/streaming-budget.md (raw JSON in Benchmarks/out/streaming-budget/).
# ENGINE_BENCH=PATH skips the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMMAND="Benchmarks/run-streaming-budget.sh${*:+ $*}"

FRACTION=0.25 ROUNDS=2 REPS=2 GEN=64 THREADS=2
while (($# > 0)); do
    case "$1" in
        --fraction) FRACTION=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --reps) REPS=$2; shift ;;
        --gen) GEN=$2; shift ;;
        --threads) THREADS=$2; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "run-streaming-budget: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

MODEL=.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
[[ -f $MODEL ]] || { echo "run-streaming-budget: $MODEL is absent; run scripts/fetch-models.sh first" >&2; exit 1; }
OUT=Benchmarks/out/streaming-budget
rm -rf "$OUT" && mkdir -p "$OUT"
if [[ -z ${ENGINE_BENCH:-} ]]; then
    swift build -c release --jobs 2 --scratch-path .build-bench --product veector-engine-bench >&2
    ENGINE_BENCH=$(swift build -c release --scratch-path .build-bench --show-bin-path)/veector-engine-bench
fi
BLOCKS=.build-bench/smollm2-blocks
[[ -f $BLOCKS/manifest.json ]] || "$ENGINE_BENCH" --model "$MODEL" --decompose-to "$BLOCKS"

cpus=0-$((THREADS - 1))
for ((r = 1; r <= ROUNDS; r++)); do
    for run in resident:1.0 budgeted:$FRACTION; do
        name=${run%%:*} fraction=${run#*:}
        echo "run-streaming-budget: round $r: $name (budget fraction $fraction)" >&2
        OPENBLAS_NUM_THREADS=$THREADS taskset -c "$cpus" "$ENGINE_BENCH" --model "$MODEL" --blocks "$BLOCKS" \
            --budget-fraction "$fraction" --at-least-minimum --prompt 0 --gen "$GEN" --reps "$REPS" \
            --threads "$THREADS" --json "$OUT/$name-r$r.json"
    done
done

python3 - "$OUT" "$COMMAND" <<'PY' | tee Benchmarks/out/streaming-budget.md
import glob, json, os, statistics, sys
out, command = sys.argv[1], sys.argv[2]
docs = {n: [json.load(open(p)) for p in sorted(glob.glob(os.path.join(out, f"{n}-r*.json")))] for n in ["resident", "budgeted"]}
def rates(ds, cpu):
    v = []
    for d in ds:
        for r in d["results"]:
            v += [r["tokens"] / (s / d["threads"]) for s in r["cpu_seconds"]] if cpu else [r["tokens"] / s for s in r["seconds"]]
    return v
def ms(v): return statistics.fmean(v), (statistics.stdev(v) if len(v) > 1 else 0.0)
first = docs["resident"][0]
loads = [d[k] for ds in docs.values() for d in ds for k in ("load_average_before", "load_average_after")]
print(f"Command: `{command}`  ")
print(f"Date: {first['date_utc']}; CPU: {first['cpu']}; {first['threads']} thread(s); precision {first['precision']}; "
      f"load average {min(loads):.1f}–{max(loads):.1f} on 2 cores (shared machine).\n")
print("| run | budget | of block bytes | evictions (whole process) | tg tok/s (wall) | tg tok/s (CPU time/thread) | peak RSS |")
print("|---|---|---|---|---|---|---|")
summary = {}
for name, ds in docs.items():
    c = ds[0]["block_cache"]
    w, wsd = ms(rates(ds, False)); u, usd = ms(rates(ds, True))
    summary[name] = (w, u)
    rss = max(d["peak_rss_mib"] for d in ds)
    note = "" if c["memory_budget"] == c["requested_budget"] else f" (asked {100 * c['requested_budget'] / c['block_bytes']:.0f} %: below the least that works)"
    print(f"| {name} | {c['memory_budget'] / 1e6:.1f} MB | {100 * c['memory_budget'] / c['block_bytes']:.0f} %{note} | "
          f"{c['evictions']} | {w:.1f} ± {wsd:.1f} | {u:.1f} ± {usd:.1f} | {rss:.0f} MiB |")
print(f"\nbudgeted/resident: {summary['budgeted'][0] / summary['resident'][0]:.2f} (wall), "
      f"{summary['budgeted'][1] / summary['resident'][1]:.2f} (CPU time); goal ≥ 0.5.")
PY
