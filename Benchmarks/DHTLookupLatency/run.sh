#!/usr/bin/env bash
# DHT lookup latency over real `veenode start` processes on loopback.
#
#   Benchmarks/DHTLookupLatency/run.sh VEENODE [NODES] [LOOKERS] [LOOKUPS_EACH]
#   (defaults: 100 nodes, 20 looking nodes, 10 lookups each of each kind)
#
# Starts NODES processes, each with its own home (`veenode init`), on 127.0.0.1 … 127.0.0.NODES (one
# UDP port), all joining through the first one, with --no-upnp. Waits until every node has published
# its endpoint record and the publications have stopped changing (routing tables settled). Then
# LOOKERS nodes each look up LOOKUPS_EACH random other nodes twice over the control socket:
#   `veenode dht endpoint KEY --json`  (BEP 44 get of the signed endpoint record, then verified)
#   `veenode dht lookup NODEID --json` (iterative find_node for the node's ID)
# and lookup_latency.py reports hops, queries sent (round trips) and milliseconds inside the node as
# p50/p90/p99, the success rate, and every node's RSS. Every process started here is stopped on exit.
# Needs only loopback (127.0.0.0/8 on lo, as on any Linux host); sends nothing elsewhere.
set -euo pipefail

VEENODE=$(readlink -f "${1:?usage: run.sh VEENODE [NODES] [LOOKERS] [LOOKUPS_EACH]}")
NODES=${2:-100}
LOOKERS=${3:-20}
EACH=${4:-10}
PORT=${PORT:-$((21000 + $$ % 2000))}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
(( NODES >= 2 && NODES <= 250 )) || { echo "NODES must be 2…250 (one 127.0.0.x address each)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/vlookup.XXXXXX)
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# $NODES nodes on 127.0.0.1-$NODES:$PORT, work folder $WORK" >&2
export VEENODE_PASSPHRASE="lookup latency benchmark"
T0=$(date +%s)
for ((i = 0; i < NODES; i++)); do
    "$VEENODE" init --home "$WORK/n$i" >/dev/null
done
echo "# homes created in $(( $(date +%s) - T0 )) s" >&2

start_node() {  # index, extra arguments…
    local i=$1; shift
    "$VEENODE" start --home "$WORK/n$i" --host "127.0.0.$((i + 1))" --port "$PORT" --no-upnp "$@" \
        >"$WORK/n$i.out" 2>"$WORK/n$i.err" &
    PIDS+=($!)
    echo "$!" >"$WORK/n$i.pid"
}
wait_socket() {
    for _ in $(seq 300); do [[ -S "$WORK/n$1/control.sock" ]] && return 0; sleep 0.1; done
    echo "node $1 did not open its control socket:" >&2; cat "$WORK/n$1.err" >&2; exit 1
}

T0=$(date +%s)
start_node 0
wait_socket 0
for ((i = 1; i < NODES; i++)); do
    start_node "$i" --bootstrap "127.0.0.1:$PORT"
    # Start in groups of ten so the bootstrap node is not asked by everyone in the same instant.
    if (( i % 10 == 0 )); then wait_socket "$i"; fi
done
for ((i = 1; i < NODES; i++)); do wait_socket "$i"; done
echo "# $NODES processes up in $(( $(date +%s) - T0 )) s" >&2

"$PY" "$HERE/lookup_latency.py" --veenode "$VEENODE" --work "$WORK" --nodes "$NODES" --lookers "$LOOKERS" --each "$EACH"
