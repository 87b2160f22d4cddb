#!/usr/bin/env bash
# Veector's MiniLM sentence embedder vs PyTorch + sentence-transformers, in one run on this machine.
#
#   Benchmarks/run-embed-vs-torch.sh [--threads 1,2] [--repeat 3]
#
# Builds `veector-embed-bench` in release (scratch path .build-bench), runs it and
# Benchmarks/minilm_torch_bench.py on the same 256 sentences (Benchmarks/EmbedBench/sentences.txt)
# at the same thread counts, then prints sentences/s of each side, the ratio, each side's CPU seconds per
# run (user + system, all threads: steadier than wall time when other processes share the cores), the
# load average before and after, and each side's peak RSS.
# Raw JSON goes to Benchmarks/out/embed-veector.json and Benchmarks/out/embed-torch.json.
# PYTHON=... picks an interpreter that has torch and sentence-transformers (default: /work/venv-minilm);
# EMBED_BENCH=PATH skips the build and runs that binary instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
THREADS=1,2
REPEAT=3
while (($# > 0)); do
    case "$1" in
        --threads) THREADS=$2; shift ;;
        --repeat) REPEAT=$2; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "run-embed-vs-torch: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
PYTHON=${PYTHON:-/work/venv-minilm/bin/python}
"$PYTHON" -c 'import torch, sentence_transformers' 2>/dev/null || {
    echo "run-embed-vs-torch: '$PYTHON' lacks torch or sentence-transformers; set PYTHON (see Tests/Reference/minilm_reference.py)" >&2
    exit 1; }
if [[ -z ${EMBED_BENCH:-} ]]; then
    swift build -c release --jobs 2 --scratch-path .build-bench --product veector-embed-bench >&2
    EMBED_BENCH=.build-bench/release/veector-embed-bench
fi
OUT=Benchmarks/out
mkdir -p "$OUT"
echo "load before: $(uptime)"
"$EMBED_BENCH" --threads "$THREADS" --repeat "$REPEAT" --json "$OUT/embed-veector.json"
"$PYTHON" Benchmarks/minilm_torch_bench.py --threads "$THREADS" --repeat "$REPEAT" >"$OUT/embed-torch.json"
"$PYTHON" - "$OUT/embed-veector.json" "$OUT/embed-torch.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
print(f"CPU: {v['cpu']} (OpenBLAS core {v['openblas_core']}); torch {t['torch']}; "
      f"{v['sentences']} sentences, {v['tokens']} tokens (torch counts {t['tokens']})")
print("| threads | Veector sentences/s | PyTorch sentences/s | ratio | Veector CPU s | PyTorch CPU s | CPU-time ratio |")
print("|---:|---:|---:|---:|---:|---:|---:|")
torch_runs = {r["threads"]: r for r in t["runs"]}
for r in v["runs"]:
    p = torch_runs.get(r["threads"])
    if p is None:
        continue
    print(f"| {r['threads']} | {r['sentences_per_second']:.1f} | {p['sentences_per_second']:.1f} | "
          f"**{r['sentences_per_second'] / p['sentences_per_second']:.2f}×** | {r['cpu_seconds']:.2f} | "
          f"{p['cpu_seconds']:.2f} | {p['cpu_seconds'] / r['cpu_seconds']:.2f}× |")
print(f"peak RSS: Veector {v['peak_rss_bytes'] / 2**20:.0f} MiB, PyTorch {t['peak_rss_bytes'] / 2**20:.0f} MiB")
PY
echo "load after: $(uptime)"
