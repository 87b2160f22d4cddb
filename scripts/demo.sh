#!/usr/bin/env bash
# The README's "main job": sets up the machine, builds veenode in release, and runs a short session
# (create a node home, store, list and read back encrypted documents; later issues add the assistant).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
swift build -c release --product veenode
VEENODE="$(swift build -c release --show-bin-path)/veenode"
echo "demo: built $VEENODE"

# --- veenode session (filled in by the lead) ---
# Example shape (not yet wired):
#   export VEENODE_HOME=$(mktemp -d "${TMPDIR:-/tmp}/veenode-demo.XXXXXX")
#   export VEENODE_PASSPHRASE=demo-passphrase
#   "$VEENODE" init
#   "$VEENODE" docs add README.md --title "Read me"
#   "$VEENODE" docs list
#   "$VEENODE" docs get "Read me" -o "$VEENODE_HOME/readme.out" && cmp README.md "$VEENODE_HOME/readme.out"
#   "$VEENODE" status
