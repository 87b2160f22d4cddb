#!/usr/bin/env python3
"""Cross-checks llama.cpp's F32 reference with an independent float64 numpy forward pass of SmolLM2.

    python3 Tests/Reference/numpy_crosscheck.py [--venv PATH] [--prompts all|NAME,NAME]

Reads the F32 GGUF that smollm2_reference.py wrote (.cache/reference/) and smollm2-reference.json, runs
the llama architecture in float64 with plain numpy (RMSNorm, rotary embedding in GGUF's adjacent-pair
layout, grouped-query causal attention, SwiGLU, tied head) on each chosen prompt's teacher-forced ids,
and compares with the JSON: max |Δlogit| over the sampled ids and top-10 at every position, over the
full-vocabulary rows, and whether greedy (argmax) ids agree. Writes numpy-crosscheck.json beside this
file. The two implementations share nothing but the weights, so agreement to ~1e-4 says the reference
is the model, not an artefact of llama.cpp.
"""
import argparse
import base64
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_venv  # noqa: E402


def load_weights(path):
    import gguf
    import numpy as np
    reader = gguf.GGUFReader(str(path))
    meta = {f.name: f.contents() for f in reader.fields.values() if f.name.startswith("llama.")}
    weights = {t.name: np.asarray(t.data, dtype=np.float32).reshape(tuple(int(d) for d in reversed(t.shape)))
               .astype(np.float64) for t in reader.tensors}
    return meta, weights


def forward(meta, w, ids):
    """Logits [len(ids), vocab] in float64; row i scores the token after ids[0...i]."""
    import numpy as np
    eps = meta["llama.attention.layer_norm_rms_epsilon"]
    heads, kv_heads = meta["llama.attention.head_count"], meta["llama.attention.head_count_kv"]
    dim = meta["llama.embedding_length"]
    head_dim = dim // heads
    base = meta["llama.rope.freq_base"]
    n = len(ids)

    def rms(x, weight):
        return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * weight

    def rope(x):  # x [n, heads, head_dim]; GGUF llama weights are permuted for adjacent pairs (2i, 2i+1)
        theta = base ** (-np.arange(0, head_dim, 2) / head_dim)
        angle = np.arange(n)[:, None] * theta[None, :]
        cos, sin = np.cos(angle)[:, None, :], np.sin(angle)[:, None, :]
        even, odd = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = even * cos - odd * sin
        out[..., 1::2] = even * sin + odd * cos
        return out

    x = w["token_embd.weight"][ids]
    mask = np.triu(np.full((n, n), -np.inf), k=1)
    for layer in range(meta["llama.block_count"]):
        p = f"blk.{layer}."
        h = rms(x, w[p + "attn_norm.weight"])
        q = rope((h @ w[p + "attn_q.weight"].T).reshape(n, heads, head_dim))
        k = rope((h @ w[p + "attn_k.weight"].T).reshape(n, kv_heads, head_dim))
        v = (h @ w[p + "attn_v.weight"].T).reshape(n, kv_heads, head_dim)
        group = heads // kv_heads
        k, v = np.repeat(k, group, axis=1), np.repeat(v, group, axis=1)
        scores = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(head_dim) + mask
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        attended = np.einsum("hqk,khd->qhd", scores, v).reshape(n, dim)
        x = x + attended @ w[p + "attn_output.weight"].T
        h = rms(x, w[p + "ffn_norm.weight"])
        gate = h @ w[p + "ffn_gate.weight"].T
        x = x + ((gate / (1 + np.exp(-gate))) * (h @ w[p + "ffn_up.weight"].T)) @ w[p + "ffn_down.weight"].T
    x = rms(x, w["output_norm.weight"])
    head = w.get("output.weight", w["token_embd.weight"])
    return x @ head.T


def floats(text):
    import numpy as np
    return np.frombuffer(base64.b64decode(text), dtype="<f4")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv")
    parser.add_argument("--f32", default=str(REPO / ".cache/reference/SmolLM2-135M-Instruct.F32-from-Q4_1.gguf"))
    parser.add_argument("--reference", default=str(REPO / "Tests/Reference/smollm2-reference.json"))
    parser.add_argument("--prompts", default="all", help="comma-separated prompt names, or all")
    parser.add_argument("--out", default=str(REPO / "Tests/Reference/numpy-crosscheck.json"))
    args = parser.parse_args()
    command = "python3 Tests/Reference/numpy_crosscheck.py" + "".join(f" {a}" for a in sys.argv[1:])
    reference_venv.ensure(args.venv)
    import numpy as np

    if not Path(args.f32).exists():
        sys.exit(f"numpy_crosscheck: {args.f32} is absent; run Tests/Reference/smollm2_reference.py first")
    reference = json.loads(Path(args.reference).read_text())
    by_name = {p["name"]: p for p in reference["prompts"]}
    meta, weights = load_weights(args.f32)
    results = []
    names = list(by_name) if args.prompts == "all" else args.prompts.split(",")
    for name in names:
        if name not in by_name:
            sys.exit(f"numpy_crosscheck: no prompt named {name!r}; the reference has {sorted(by_name)}")
        p = by_name[name]
        tf = p["teacher_forced"]
        logits = forward(meta, weights, tf["ids"])
        rows, cols = tf["sample_logits_shape"]
        sample = floats(tf["sample_logits_f32le_base64"]).reshape(rows, cols)
        d_sample = np.abs(logits[:, tf["sample_ids"]] - sample).max()
        d_top = max(abs(logits[r, i] - v) for r in range(rows)
                    for i, v in zip(tf["top10_ids"][r], tf["top10_logits"][r]))
        d_full = [float(np.abs(logits[f["position"]] - floats(f["logits_f32le_base64"])).max())
                  for f in p["full_logits"]]
        start = len(p["prompt_ids"]) - 1
        agree = [int(a) for a in logits[start:start + len(p["greedy"]["ids"])].argmax(axis=1)] == p["greedy"]["ids"]
        results.append({"prompt": name, "positions": rows,
                        "max_abs_dlogit_sample": float(d_sample), "max_abs_dlogit_top10": float(d_top),
                        "max_abs_dlogit_full_rows": d_full, "greedy_ids_agree": agree,
                        "max_abs_logit": float(np.abs(logits).max())})
        print(f"numpy_crosscheck: {results[-1]}", file=sys.stderr)
    out = {"what": "float64 numpy forward pass of the F32-dequantised GGUF vs llama.cpp's F32 logits in "
                   "smollm2-reference.json",
           "command": command, "numpy": np.__version__, "results": results}
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
