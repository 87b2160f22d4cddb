#!/usr/bin/env bash
# The README's "main job": sets up the machine, builds veenode in release, and runs a short session
# (create a node home, store, list and read back encrypted documents; later issues add the assistant).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
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
echo "demo: done. The node is in $VEENODE_HOME (passphrase: \$VEENODE_PASSPHRASE)."
