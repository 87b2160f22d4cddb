#!/usr/bin/env python3
"""Independent reference outputs of SmolLM2-135M-Instruct for Veector's engine tests.

    python3 Tests/Reference/smollm2_reference.py [--venv PATH] [--model GGUF] [--out JSON] [--threads 2]

What it does (every step is recorded in the JSON it writes, Tests/Reference/smollm2-reference.json):
1. Dequantises the Q4_1 GGUF (.cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf; Q4_1 layers, Q8_0
   token embedding, F32 norms) to an all-F32 GGUF with the same metadata, with the PyPI `gguf` package
   (`gguf.quants.dequantize`), in .cache/reference/ (ignored by git). Same weights, no quantised arithmetic.
2. Runs that F32 file with llama.cpp (llama-cpp-python), F32 KV cache, no flash attention, logits for
   every position, all tokens of a prompt in one batch. For each prompt it records the prompt token ids
   (llama.cpp's tokenizer, special tokens parsed, no BOS: the GGUF says tokenizer.ggml.add_bos_token =
   false), the greedy continuation (up to 32 tokens, incremental decoding, top-2 margin per step), and
   teacher-forced logits over prompt+continuation evaluated in one batch: top-10 per position, the logits
   of a fixed id sample at every position, and all 49152 logits at 4 chosen positions.
3. Runs the original Q4_1 file the same way to give llama.cpp's own quantised path as a loose reference:
   its max |Δlogit| from F32, its greedy text for the chat prompts, its perplexity on the paragraph.
Chat prompts are rendered from the GGUF's own `tokenizer.chat_template` with jinja2 (which injects the
default system prompt when the conversation has none), as llama-cpp-python and transformers do.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import platform
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_venv  # noqa: E402

SCHEMA = "veector.smollm2-reference/1"
CONTINUATION_TOKENS = 32
TOP_K = 10
SAMPLE_SEED = 20261123
SAMPLE_COUNT = 256
END_TOKENS = {0: "<|endoftext|>", 2: "<|im_end|>"}

CHAT_QUESTIONS = [
    ("chat_capital", "What is the capital of France?"),
    ("chat_haiku", "Write a haiku about the sea."),
    ("chat_sky", "Explain in two sentences why the sky is blue."),
]
PARAGRAPH = (
    "The lighthouse at the end of the harbour was built in 1871, when the town still lived from fishing "
    "and from the small ships that carried timber along the coast. Its first keeper, a former sailor "
    "named Thomas Reid, kept a careful log of every storm, every wreck and every ship that passed at "
    "night. The log survives in the town library, and it tells a quieter story than the one painted on "
    "the postcards. Most nights nothing happened at all. Reid trimmed the wick, wound the clockwork that "
    "turned the lens, and wrote down the direction of the wind. In winter he climbed the stairs every "
    "four hours, because the oil thickened in the cold and the flame could fail without warning. When "
    "electricity reached the harbour in 1923, the clockwork was replaced by a motor, and the keeper's "
    "cottage became a museum. Today the light is automatic and is checked once a month by an engineer "
    "who drives in from the city. Visitors still ask whether the tower is haunted. The librarians answer "
    "that the only ghost they know of is the patient handwriting in the log, which records, on the night "
    "of the great storm of 1894, that eleven ships reached the harbour safely and that the keeper, having "
    "seen the last of them tie up at the pier, went to bed at six in the morning and slept until noon."
)
RAW_TEXTS = [
    ("raw_fact", "The capital of France is"),
    ("raw_code", 'def fibonacci(n):\n    """Return the n-th Fibonacci number."""\n'),
    ("raw_paragraph", PARAGRAPH),
]
# (prompt name, which position) of the 4 positions whose full 49152 logits are stored.
FULL_LOGIT_POSITIONS = [("chat_capital", "last_prompt"), ("raw_paragraph", "first"),
                        ("raw_paragraph", "last_prompt"), ("raw_code", "last")]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def f32_text(x):
    """Shortest decimal that parses back to the same float32 (so the JSON is exact and compact)."""
    import numpy as np
    return float(np.format_float_positional(np.float32(x), unique=True, trim="-"))


def b64_f32(array):
    import numpy as np
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def dequantise_to_f32(source, target):
    """Writes `target`: `source` with every tensor dequantised to F32 and general.file_type = ALL_F32."""
    import gguf
    import numpy as np
    reader = gguf.GGUFReader(str(source))
    writer = gguf.GGUFWriter(str(target) + ".partial", arch=reader.get_field("general.architecture").contents())
    for field in reader.fields.values():
        if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue
        value_type = field.types[0]
        sub_type = field.types[-1] if value_type == gguf.GGUFValueType.ARRAY else None
        value = field.contents()
        if field.name == gguf.Keys.General.FILE_TYPE:
            value = int(gguf.LlamaFileType.ALL_F32)
        writer.add_key_value(field.name, value, value_type, sub_type=sub_type)
    for tensor in reader.tensors:
        weights = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
        # GGUF lists dimensions innermost first; numpy wants them outermost first.
        weights = weights.reshape(tuple(int(d) for d in reversed(tensor.shape)))
        writer.add_tensor(tensor.name, weights, raw_dtype=gguf.GGMLQuantizationType.F32)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(str(target) + ".partial", target)


def open_model(path, n_ctx, threads):
    import llama_cpp
    return llama_cpp.Llama(
        model_path=str(path), n_ctx=n_ctx, n_batch=n_ctx, n_ubatch=n_ctx, n_threads=threads,
        n_threads_batch=threads, logits_all=True, type_k=llama_cpp.GGML_TYPE_F32,
        type_v=llama_cpp.GGML_TYPE_F32, flash_attn=False, use_mmap=True, verbose=False, seed=1)


def teacher_forced(llm, ids):
    """Logits [len(ids), vocab] for `ids` evaluated in one batch from an empty cache: row i predicts ids[i+1]."""
    import numpy as np
    llm.reset()
    llm.eval(ids)
    return np.array(llm.scores[: len(ids), :], dtype=np.float32)


def greedy(llm, prompt_ids, steps):
    """Greedy decoding: the prompt in one batch, then one token per step. Stops after an end token."""
    import numpy as np
    llm.reset()
    llm.eval(prompt_ids)
    out, margins = [], []
    for _ in range(steps):
        logits = np.array(llm.scores[llm.n_tokens - 1, :], dtype=np.float32)
        top2 = np.argsort(-logits, kind="stable")[:2]
        token = int(top2[0])
        out.append(token)
        margins.append(f32_text(logits[top2[0]] - logits[top2[1]]))
        if token in END_TOKENS:
            break
        llm.eval([token])
    return out, margins


def text_of(llm, ids):
    return llm.detokenize(ids, special=True).decode("utf-8", errors="replace")


def log_softmax_nll(logits, targets):
    """Mean negative log-likelihood (float64) of targets[i] under logits[i]."""
    import numpy as np
    x = logits.astype(np.float64)
    top = x.max(axis=1, keepdims=True)
    lse = top[:, 0] + np.log(np.exp(x - top).sum(axis=1))
    return float(np.mean(lse - x[np.arange(len(targets)), targets]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", help="venv to create/use when llama_cpp is not importable")
    parser.add_argument("--model", default=str(REPO / ".cache/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--f32", default=str(REPO / ".cache/reference/SmolLM2-135M-Instruct.F32-from-Q4_1.gguf"))
    parser.add_argument("--out", default=str(REPO / "Tests/Reference/smollm2-reference.json"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    command = "python3 Tests/Reference/smollm2_reference.py" + "".join(f" {a}" for a in sys.argv[1:])
    reference_venv.ensure(args.venv)

    import gguf
    import jinja2
    import jinja2.sandbox
    import llama_cpp
    import numpy as np

    source, f32_path = Path(args.model), Path(args.f32)
    if not source.exists():
        sys.exit(f"smollm2_reference: {source} is absent; run scripts/fetch-models.sh first")
    source_sha = sha256(source)
    if not f32_path.exists():
        f32_path.parent.mkdir(parents=True, exist_ok=True)
        print(f"smollm2_reference: writing {f32_path}", file=sys.stderr)
        dequantise_to_f32(source, f32_path)

    reader = gguf.GGUFReader(str(source))
    template_text = reader.get_field("tokenizer.chat_template").contents()
    add_bos = bool(reader.get_field("tokenizer.ggml.add_bos_token").contents())
    template = jinja2.sandbox.ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True).from_string(template_text)

    prompts = []
    for name, question in CHAT_QUESTIONS:
        messages = [{"role": "user", "content": question}]
        prompts.append({"name": name, "kind": "chat", "messages": messages,
                        "text": template.render(messages=messages, add_generation_prompt=True)})
    for name, text in RAW_TEXTS:
        prompts.append({"name": name, "kind": "raw", "text": text})

    n_ctx = 512
    f32 = open_model(f32_path, n_ctx, args.threads)
    vocab = f32.n_vocab()
    random_ids = sorted(int(i) for i in np.random.default_rng(SAMPLE_SEED).choice(vocab, SAMPLE_COUNT, replace=False))
    logits_f32 = {}
    for p in prompts:
        ids = f32.tokenize(p["text"].encode("utf-8"), add_bos=add_bos, special=True)
        p["prompt_ids"] = ids
        cont, margins = greedy(f32, ids, CONTINUATION_TOKENS)
        p["greedy"] = {"ids": cont, "text": text_of(f32, cont), "top2_margins": margins,
                       "ended_with_end_token": cont[-1] in END_TOKENS}
        full = ids + cont
        assert len(full) <= n_ctx, f"{p['name']}: {len(full)} tokens exceed n_ctx {n_ctx}"
        logits = teacher_forced(f32, full)
        logits_f32[p["name"]] = logits
        argmax = logits.argmax(axis=1)
        p["greedy"]["teacher_forced_argmax_agrees"] = bool(
            all(int(argmax[len(ids) - 1 + i]) == t for i, t in enumerate(cont)))
    del f32

    q4 = open_model(source, n_ctx, args.threads)
    notes_q4 = []
    for p in prompts:
        logits = logits_f32[p["name"]]
        full = p["prompt_ids"] + p["greedy"]["ids"]
        q4_logits = teacher_forced(q4, full)
        order = np.argsort(-logits, axis=1, kind="stable")[:, :TOP_K]
        sample = random_ids
        delta = np.abs(q4_logits - logits)
        p["teacher_forced"] = {
            "ids": full,
            "top10_ids": order.tolist(),
            "top10_logits": [[f32_text(logits[r, c]) for c in row] for r, row in enumerate(order)],
            "sample_ids": sample,
            "sample_logits_f32le_base64": b64_f32(logits[:, sample]),
            "sample_logits_shape": [len(full), len(sample)],
        }
        p["full_logits"] = []
        for (name, where) in FULL_LOGIT_POSITIONS:
            if name != p["name"]:
                continue
            position = {"first": 0, "last_prompt": len(p["prompt_ids"]) - 1, "last": len(full) - 1}[where]
            p["full_logits"].append({"position": position, "which": where,
                                     "logits_f32le_base64": b64_f32(logits[position])})
        top10_rows = np.take_along_axis(delta, order, axis=1)
        p["q4_1_llama_cpp"] = {
            "max_abs_dlogit_vs_f32_top10_and_sample": f32_text(max(delta[:, sample].max(), top10_rows.max())),
            "max_abs_dlogit_vs_f32_full_vocab": f32_text(delta.max()),
            "mean_abs_dlogit_vs_f32_full_vocab": f32_text(delta.mean()),
            "argmax_agreement_with_f32": f32_text((q4_logits.argmax(1) == logits.argmax(1)).mean()),
        }
        notes_q4.append(float(max(delta[:, sample].max(), top10_rows.max())))
        if p["kind"] == "chat":
            cont, margins = greedy(q4, p["prompt_ids"], CONTINUATION_TOKENS)
            p["q4_1_llama_cpp"]["greedy"] = {"ids": cont, "text": text_of(q4, cont)}
        if p["name"] == "raw_paragraph":
            ids = p["prompt_ids"]
            targets = np.array(ids[1:])
            nll_f32 = log_softmax_nll(logits[: len(ids) - 1], targets)
            nll_q4 = log_softmax_nll(q4_logits[: len(ids) - 1], targets)
            p["perplexity"] = {
                "predicted_tokens": len(ids) - 1,
                "definition": "exp(mean over i in 1..n-1 of -log softmax(logits[i-1])[ids[i]]) over the "
                              "prompt ids only (not the continuation), float64 log-softmax",
                "f32": float(np.exp(nll_f32)), "f32_mean_nll": nll_f32,
                "q4_1_llama_cpp": float(np.exp(nll_q4)), "q4_1_llama_cpp_mean_nll": nll_q4,
            }
    del q4

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    flags = next((line.split(":", 1)[1].split() for line in open("/proc/cpuinfo") if line.startswith("flags")), [])
    result = {
        "schema": SCHEMA,
        "purpose": "Independent reference outputs of SmolLM2-135M-Instruct (the Q4_1 GGUF's weights "
                   "dequantised to F32, run by llama.cpp) for Veector's engine correctness tests.",
        "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "rebuild": "see Benchmarks/README-reference.md",
        "notes": [
            "Token ids: llama.cpp tokenizer (llama_tokenize with parse_special=true, add_special=false); "
            f"the GGUF has tokenizer.ggml.add_bos_token = {str(add_bos).lower()}, so no BOS is prepended.",
            "Chat prompts: the GGUF's tokenizer.chat_template rendered with jinja2 "
            "(trim_blocks, lstrip_blocks, add_generation_prompt=true); it injects the default system "
            "prompt when the conversation has no system message.",
            "Positions start at 0 at the first prompt token. Logits row i (teacher_forced) is the output "
            "after reading ids[0...i] and scores the next token ids[i+1]. Logits are raw (pre-softmax) "
            "outputs of the tied head (token_embd.weight).",
            "greedy: prompt evaluated in one batch, then one token per step (incremental KV cache); "
            f"argmax with ties to the lower id; at most {CONTINUATION_TOKENS} tokens, stopping after "
            "<|im_end|> (2) or <|endoftext|> (0), which is then the last id. top2_margins[i] = "
            "logit(top1) - logit(top2) at step i: a Swift engine may pick differently only where it is tiny.",
            "teacher_forced: prompt+greedy continuation evaluated in ONE batch from an empty cache "
            "(so it can differ from the incremental greedy logits by float rounding). top10 sorted by "
            "logit descending, ties to the lower id. sample_ids = the same 256 ids for every prompt, "
            f"sorted: numpy default_rng({SAMPLE_SEED}).choice({vocab}, {SAMPLE_COUNT}, replace=False); "
            "sample_logits is row-major [position][sample index], little-endian f32, base64. Together "
            "with top10 they give max |dlogit| over both the head and a random spread of the vocabulary.",
            "full_logits: all vocab logits at one position, little-endian f32, base64.",
            "F32 reference: every tensor of the Q4_1 GGUF dequantised to F32 with gguf.quants.dequantize "
            "(Q4_1: d*q+m; Q8_0: d*q; F32 unchanged) -- the same weights the Swift engine reads, without "
            "quantised arithmetic. llama.cpp F32 matmuls accumulate in f32; KV cache F32; flash attention off.",
            "q4_1_llama_cpp: the original Q4_1 file through llama.cpp's own quantised path (activations "
            "quantised to Q8_1/Q8_0 for the dot products), same settings incl. F32 KV cache: a LOOSE "
            "reference only. Its max |dlogit| from F32 over every position's top-10 and sampled ids, all prompts: "
            f"{max(notes_q4):.3f}.",
            "Float values in JSON are the shortest decimals that parse back to the exact float32.",
        ],
        "environment": {
            "python": platform.python_version(),
            "llama_cpp_python": llama_cpp.__version__,
            "llama_cpp_commit": "0c1e57098bba43ac29e6e3b677cdceebdd22334f (vendored by llama-cpp-python 0.3.36)",
            "gguf": getattr(gguf, "__version__", None) or _dist_version("gguf"),
            "numpy": np.__version__,
            "jinja2": jinja2.__version__,
            "cpu": cpu,
            "cpu_has_avx512f": "avx512f" in flags,
            "platform": platform.platform(),
        },
        "model": {
            "source": {"path": str(source.relative_to(REPO)) if source.is_relative_to(REPO) else str(source),
                       "sha256": source_sha, "bytes": source.stat().st_size},
            "f32": {"path": str(f32_path.relative_to(REPO)) if f32_path.is_relative_to(REPO) else str(f32_path),
                    "sha256": sha256(f32_path), "bytes": f32_path.stat().st_size,
                    "made_by": "dequantise_to_f32() in Tests/Reference/smollm2_reference.py"},
            "vocab_size": vocab,
            "chat_template": template_text,
        },
        "llama_cpp_settings": {"n_ctx": n_ctx, "n_batch": n_ctx, "n_ubatch": n_ctx, "n_threads": args.threads,
                               "type_k": "F32", "type_v": "F32", "flash_attn": False, "logits_all": True},
        "sample": {"seed": SAMPLE_SEED, "random_ids": random_ids},
        "prompts": prompts,
    }
    out = Path(args.out)
    out.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"smollm2_reference: wrote {out} ({out.stat().st_size} bytes)", file=sys.stderr)


def _dist_version(name):
    from importlib.metadata import version
    return version(name)


if __name__ == "__main__":
    main()
