#!/usr/bin/env bash
# Our engine vs llama.cpp on the same GGUF, side by side, in one run on this machine.
#
#   Benchmarks/run-engine-vs-llamacpp.sh [--threads 1,2] [--rounds 2] [--reps 2] [--prompt 512] [--gen 128]
#                                        [--precision exact|fast] [--venv /work/venv-ref]
#
# Builds `veector-engine-bench` and `veector-kernel-bench` in release (scratch path .build-bench), then for
# each thread count runs ours and llama.cpp (Benchmarks/llama_cpp_bench.py, llama-bench's pp/tg) alternately,
# --rounds times (ours, theirs, ours, theirs), each pinned with `taskset` to the first N CPUs so both get
# the same cores. Both report tokens/s by wall time; ours also by CPU time per thread (the fair figure on a
# loaded machine: llama.cpp's threads spin, so its CPU time is not comparable and only wall ratios are
# given for it). Also measures memory read bandwidth (veector-kernel-bench) and says how close tg gets to
# the bandwidth limit (weight bytes read per token ÷ bandwidth). Prints a markdown table and writes it to
# Benchmarks/out/engine-vs-llamacpp.md (raw JSON in Benchmarks/out/engine-vs-llamacpp/).
# ENGINE_BENCH=PATH and KERNEL_BENCH=PATH skip the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMMAND="Benchmarks/run-engine-vs-llamacpp.sh${*:+ $*}"

THREADS=1,2 ROUNDS=2 REPS=2 PROMPT=512 GEN=128 PRECISION=exact VENV=/work/venv-ref
while (($# > 0)); do
    case "$1" in
        --threads) THREADS=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --reps) REPS=$2; shift ;;
        --prompt) PROMPT=$2; shift ;;
        --gen) GEN=$2; shift ;;
        --precision) PRECISION=$2; shift ;;
        --venv) VENV=$2; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "run-engine-vs-llamacpp: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

MODEL=.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
[[ -f $MODEL ]] || { echo "run-engine-vs-llamacpp: $MODEL is absent; run scripts/fetch-models.sh first" >&2; exit 1; }
OUT=Benchmarks/out/engine-vs-llamacpp
rm -rf "$OUT" && mkdir -p "$OUT"

if [[ -z ${ENGINE_BENCH:-} || -z ${KERNEL_BENCH:-} ]]; then
    swift build -c release --jobs 2 --scratch-path .build-bench --product veector-engine-bench >&2
    swift build -c release --jobs 2 --scratch-path .build-bench --product veector-kernel-bench >&2
    BIN=$(swift build -c release --scratch-path .build-bench --show-bin-path)
    ENGINE_BENCH=$BIN/veector-engine-bench KERNEL_BENCH=$BIN/veector-kernel-bench
fi

IFS=, read -ra THREAD_LIST <<< "$THREADS"
for t in "${THREAD_LIST[@]}"; do
    cpus=0-$((t - 1))
    taskset -c "$cpus" "$KERNEL_BENCH" --threads "$t" --shapes 576x1536 --ncols 1 --paths avx2 --cache \
        --json "$OUT/bandwidth-t$t.json" 2>&2
    for ((r = 1; r <= ROUNDS; r++)); do
        echo "run-engine-vs-llamacpp: t=$t round $r: ours" >&2
        OPENBLAS_NUM_THREADS=$t taskset -c "$cpus" "$ENGINE_BENCH" --model "$MODEL" --threads "$t" --reps "$REPS" \
            --prompt "$PROMPT" --gen "$GEN" --precision "$PRECISION" --json "$OUT/ours-t$t-r$r.json"
        echo "run-engine-vs-llamacpp: t=$t round $r: llama.cpp" >&2
        taskset -c "$cpus" python3 Benchmarks/llama_cpp_bench.py --venv "$VENV" --model "$MODEL" --threads "$t" \
            --reps "$REPS" --prompt "$PROMPT" --gen "$GEN" --out "$OUT/llamacpp-t$t-r$r.json" > /dev/null
    done
done

python3 - "$OUT" "$COMMAND" <<'PY' | tee Benchmarks/out/engine-vs-llamacpp.md
import glob, json, os, statistics, sys
out, command = sys.argv[1], sys.argv[2]
def load(pattern): return [json.load(open(p)) for p in sorted(glob.glob(os.path.join(out, pattern)))]
def pooled(docs, test, key="tokens_per_second", runs_key="results"):
    rates = []
    for d in docs:
        for r in d[runs_key]:
            if r["test"] == test:
                if key == "tokens_per_second":
                    rates += [r["tokens"] / s for s in r["seconds"]]
                else:
                    rates += [r["tokens"] / (s / d["threads"]) for s in r["cpu_seconds"]]
    return rates
def ms(rates): return (statistics.fmean(rates), statistics.stdev(rates) if len(rates) > 1 else 0.0)
threads = sorted({d["threads"] for d in load("ours-*.json")})
ours_any = load("ours-*.json")[0]
loads = [d["load_average_before"] for d in load("ours-*.json")] + [d["load_average_after"] for d in load("ours-*.json")]
print(f"Command: `{command}`  ")
print(f"Date: {ours_any['date_utc']}; CPU: {ours_any['cpu']}; precision {ours_any['precision']}; "
      f"load average during the run {min(loads):.1f}–{max(loads):.1f} on 2 cores (shared machine).\n")
print("| test | threads | ours tok/s (wall) | ours tok/s (CPU time/thread) | llama.cpp tok/s (wall) | ours/llama.cpp (wall) |")
print("|---|---|---|---|---|---|")
for t in threads:
    ours = load(f"ours-t{t}-r*.json")
    theirs = [{"threads": t, "results": run["results"]} for d in load(f"llamacpp-t{t}-r*.json") for run in d["runs"]]
    for test in [r["test"] for r in ours[0]["results"]]:
        ow, ow_sd = ms(pooled(ours, test)); oc, oc_sd = ms(pooled(ours, test, "cpu"))
        tw, tw_sd = ms(pooled(theirs, test))
        print(f"| {test} | {t} | {ow:.1f} ± {ow_sd:.1f} | {oc:.1f} ± {oc_sd:.1f} | {tw:.1f} ± {tw_sd:.1f} | {ow / tw:.2f} |")
print()
bytes_per_token = ours_any["weight_bytes_per_token"]
for t in threads:
    bw = next(r for r in json.load(open(os.path.join(out, f"bandwidth-t{t}.json")))["results"] if r["kind"] == "memory")
    ours = load(f"ours-t{t}-r*.json")
    tg = [r["test"] for r in ours[0]["results"] if r["test"].startswith("tg")]
    if not tg: continue
    ow, _ = ms(pooled(ours, tg[0])); oc, _ = ms(pooled(ours, tg[0], "cpu"))
    limit_wall = bw["read_gb_s"] * 1e9 / bytes_per_token
    limit_cpu = bw["read_gb_s_cpu_time"] * 1e9 / bytes_per_token
    print(f"Bandwidth limit, {t} thread(s): {bytes_per_token / 1e6:.1f} MB of weights per token; read bandwidth "
          f"{bw['read_gb_s']:.1f} GB/s wall ({bw['read_gb_s_cpu_time']:.1f} by CPU time) → ceiling "
          f"{limit_wall:.0f} tok/s wall ({limit_cpu:.0f} by CPU time); {tg[0]} reaches {100 * ow / limit_wall:.0f} % "
          f"(wall) / {100 * oc / limit_cpu:.0f} % (CPU time).  ")
PY
