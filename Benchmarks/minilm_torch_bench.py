#!/usr/bin/env python3
"""The PyTorch side of the MiniLM embedding benchmark: sentences per second of sentence-transformers'
all-MiniLM-L6-v2 on the same sentences as veector-embed-bench, at the same thread counts
(torch.set_num_threads), batch size 32 (sentence-transformers' default), one JSON object on stdout.

    python minilm_torch_bench.py [--model DIR] [--sentences FILE] [--threads 1,2] [--repeat 3]
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
from sentence_transformers import SentenceTransformer


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=os.path.join(root, ".cache", "models", "minilm"))
    parser.add_argument("--sentences", default=os.path.join(root, "Benchmarks", "EmbedBench", "sentences.txt"))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with open(args.sentences, encoding="utf-8") as f:
        sentences = [line.rstrip("\n") for line in f if line.strip()]
    model = SentenceTransformer(args.model, device="cpu")
    assert model.max_seq_length == 256
    tokens = sum(len(model.tokenizer(s, truncation=True, max_length=256)["input_ids"]) for s in sentences)
    runs = []
    with torch.inference_mode():
        for threads in [int(t) for t in args.threads.split(",")]:
            torch.set_num_threads(threads)
            model.encode(sentences, batch_size=32)  # warm-up
            times, cpu_times = [], []
            for _ in range(args.repeat):
                start, cpu_start = time.perf_counter(), time.process_time()
                model.encode(sentences, batch_size=32)
                times.append(time.perf_counter() - start)
                cpu_times.append(time.process_time() - cpu_start)  # user + system, all threads
            median = sorted(times)[len(times) // 2]
            cpu_median = sorted(cpu_times)[len(cpu_times) // 2]
            runs.append({"threads": threads, "best_seconds": min(times), "median_seconds": median,
                         "cpu_seconds": cpu_median, "sentences_per_second": len(sentences) / median,
                         "sentences_per_cpu_second": len(sentences) / cpu_median, "tokens_per_second": tokens / median})
            print(f"torch threads={threads}: {len(sentences) / median:.1f} sentences/s "
                  f"(median of {args.repeat}, {median:.3f} s; {cpu_median:.3f} CPU s)", file=sys.stderr)
    print(json.dumps({
        "engine": "pytorch", "torch": torch.__version__, "cpu": cpu_name(), "sentences": len(sentences),
        "tokens": tokens, "repeats": args.repeat, "runs": runs,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
