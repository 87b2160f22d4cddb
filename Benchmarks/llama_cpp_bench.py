#!/usr/bin/env python3
"""llama.cpp side of Veector's engine benchmarks: llama-bench's pp512 and tg128 with llama-cpp-python.

    python3 Benchmarks/llama_cpp_bench.py [--venv PATH] [--model GGUF] [--threads 1,2] [--reps 5]
                                          [--prompt 512] [--gen 128] [--flash-attn on|off] [--out JSON]

Measures, on the SmolLM2-135M-Instruct Q4_1 GGUF (.cache/models/smollm2/), what `llama-bench -p 512 -n 128
-t 1,2` measures: pp512 = one batch of 512 random token ids from an empty KV cache (n_ubatch 512), and
tg128 = 128 single-token decodes from an empty KV cache, each id random; one warm-up of each first,
then --reps timed repetitions, reported as mean ± sample sd of tokens/second (as llama-bench does).
Settings follow llama-bench's defaults: F16 KV cache, flash attention on (what llama-bench's "auto"
picks on a CPU), no logits kept except the last. Each thread count runs in its own child process, so
"peak_rss_mib" (getrusage ru_maxrss) is that configuration's peak resident memory (model pages
touched, KV cache, compute buffers and the Python interpreter).

Creates its own venv when llama_cpp is not importable (see Tests/Reference/reference_venv.py). Writes one
JSON document to --out (default Benchmarks/out/llama-cpp-bench.json) and to standard output.
"""
import argparse
import datetime
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "Tests" / "Reference"))
import reference_venv  # noqa: E402

TOKEN_SEED = 42


def cpu_description():
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((l.split(":", 1)[1].strip() for l in info.splitlines() if l.startswith("model name")),
                 platform.processor())
    flags = next((l.split(":", 1)[1].split() for l in info.splitlines() if l.startswith("flags")), [])
    return {"model": model, "avx512f": "avx512f" in flags, "avx2": "avx2" in flags, "logical_cpus": os.cpu_count()}


def summarise(name, tokens, seconds):
    rates = [tokens / s for s in seconds]
    return {"test": name, "tokens": tokens, "reps": len(seconds),
            "tokens_per_second_mean": statistics.fmean(rates),
            "tokens_per_second_sd": statistics.stdev(rates) if len(rates) > 1 else 0.0,
            "seconds": seconds}


def worker(args):
    """Runs pp and tg for one thread count in this process and prints one JSON line."""
    import llama_cpp
    rng = random.Random(TOKEN_SEED)
    llm = llama_cpp.Llama(
        model_path=args.model, n_ctx=args.prompt + args.gen, n_batch=args.prompt, n_ubatch=min(args.prompt, 512),
        n_threads=args.threads_one, n_threads_batch=args.threads_one, logits_all=False,
        flash_attn=args.flash_attn == "on", use_mmap=True, verbose=False)
    vocab = llm.n_vocab()
    ctx = llm.ctx

    def pp():
        llm.reset()
        tokens = [rng.randrange(vocab) for _ in range(args.prompt)]
        start = time.perf_counter()
        llm.eval(tokens)
        llama_cpp.llama_synchronize(ctx)
        return time.perf_counter() - start

    def tg(count):
        llm.reset()
        tokens = [rng.randrange(vocab) for _ in range(count)]
        start = time.perf_counter()
        for token in tokens:
            llm.eval([token])
        llama_cpp.llama_synchronize(ctx)
        return time.perf_counter() - start

    pp()   # warm-up, as llama-bench does
    tg(1)
    pp_seconds = [pp() for _ in range(args.reps)]
    tg_seconds = [tg(args.gen) for _ in range(args.reps)]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"threads": args.threads_one, "results": [
        summarise(f"pp{args.prompt}", args.prompt, pp_seconds),
        summarise(f"tg{args.gen}", args.gen, tg_seconds)], "peak_rss_mib": peak_kib / 1024}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", help="venv to create/use when llama_cpp is not importable")
    parser.add_argument("--model", default=str(REPO / ".cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--prompt", type=int, default=512)
    parser.add_argument("--gen", type=int, default=128)
    parser.add_argument("--flash-attn", choices=["on", "off"], default="on")
    parser.add_argument("--out", default=str(REPO / "Benchmarks/out/llama-cpp-bench.json"))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--threads-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reps < 1 or args.prompt < 1 or args.gen < 1:
        sys.exit("llama_cpp_bench: --reps, --prompt and --gen must be at least 1")
    try:
        thread_counts = [int(t) for t in args.threads.split(",")]
    except ValueError:
        sys.exit(f"llama_cpp_bench: --threads must be comma-separated integers, got {args.threads!r}")
    if not Path(args.model).exists():
        sys.exit(f"llama_cpp_bench: {args.model} is absent; run scripts/fetch-models.sh first")
    reference_venv.ensure(args.venv)
    if args.worker:
        return worker(args)

    import llama_cpp
    command = "python3 Benchmarks/llama_cpp_bench.py" + "".join(f" {a}" for a in sys.argv[1:])
    runs = []
    for threads in thread_counts:
        child = [sys.executable, __file__, "--worker", "--threads-one", str(threads), "--model", args.model,
                 "--reps", str(args.reps), "--prompt", str(args.prompt), "--gen", str(args.gen),
                 "--flash-attn", args.flash_attn]
        output = subprocess.run(child, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
        for r in runs[-1]["results"]:
            print(f"llama_cpp_bench: t={threads} {r['test']}: {r['tokens_per_second_mean']:.1f} ± "
                  f"{r['tokens_per_second_sd']:.1f} tok/s; peak RSS {runs[-1]['peak_rss_mib']:.0f} MiB",
                  file=sys.stderr)
    document = {
        "benchmark": "llama.cpp via llama-cpp-python, llama-bench style",
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "model": os.path.relpath(args.model, REPO) if Path(args.model).resolve().is_relative_to(REPO)
        else args.model,
        "model_bytes": Path(args.model).stat().st_size,
        "llama_cpp_python": llama_cpp.__version__,
        "cpu": cpu_description(),
        "load_average_at_end": os.getloadavg(),
        "settings": {"kv_cache": "F16", "flash_attn": args.flash_attn, "n_ubatch": min(args.prompt, 512),
                     "token_ids": f"random.Random({TOKEN_SEED}) over the vocabulary", "warmup": True},
        "runs": runs,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2) + "\n")
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
