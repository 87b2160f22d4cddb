#!/usr/bin/env bash
# Multi-provider fetch vs a single provider, on real `veenode start` processes over loopback: a
# fetcher and three providers (127.0.4.1–4 on Linux, else ports on 127.0.0.1; one DHT swarm). Each round shares two fresh random
# contents of --mib MiB as blobs — one on provider 1 only, one on all three — and times
# `veenode fetch CID --json` of each on the fetcher (DHT lookup, sessions, every chunk verified, the
# whole verified and stored). Prints MB/s per round, the best of each, and the ratio.
#
#   Benchmarks/run-fetch-throughput.sh [--mib 64] [--rounds 3]
#
# Builds `veenode` in release (scratch path .build-bench) unless VEENODE=PATH names a binary (e.g.
# .build/debug/veenode, much slower). Providers and fetcher share this machine's cores, so the figures
# measure the protocol's overheads and scheduling, not a network. Writes Benchmarks/out/fetch-throughput.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MIB=64 ROUNDS=3
while (($# > 0)); do
    case "$1" in
        --mib) MIB=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "run-fetch-throughput: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ -z ${VEENODE:-} ]]; then
    swift build -c release --jobs 2 --scratch-path .build-bench --product veenode >&2
    VEENODE=$(swift build -c release --scratch-path .build-bench --show-bin-path)/veenode
fi
WORK=$(mktemp -d /tmp/vfetch-bench.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$((24000 + $$ % 2000))
export VEENODE_PASSPHRASE="fetch bench"
# Linux routes all of 127/8 to loopback: one address per node, one port. Elsewhere (macOS has only
# 127.0.0.1 unless aliases are added): one address, one port per node.
host() { if [[ $(uname) == Linux ]]; then echo "127.0.4.$1"; else echo 127.0.0.1; fi; }
port() { if [[ $(uname) == Linux ]]; then echo "$PORT"; else echo $((PORT + $1)); fi; }
for i in 1 2 3 4; do
    "$VEENODE" init --home "$WORK/n$i" >/dev/null
    args=(start --home "$WORK/n$i" --host "$(host "$i")" --port "$(port "$i")" --no-upnp --dht-rate-limit 100000,100000)
    ((i > 1)) && args+=(--bootstrap "$(host 1):$(port 1)")
    "$VEENODE" "${args[@]}" >/dev/null 2>"$WORK/n$i.log" &
    PIDS+=($!)
    for _ in $(seq 200); do [[ -S $WORK/n$i/control.sock ]] && break; sleep 0.05; done
done
sleep 2

field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
fetch_mbs() {   # CID → "MB/s providers-that-delivered bytes", or "0 0 0" with the reason on stderr
    "$VEENODE" fetch "$1" --home "$WORK/n1" --json 2>>"$WORK/fetch-errors.log" | python3 -c '
import json,sys
try:
    s=json.load(sys.stdin)
except ValueError:
    print("0 0 0"); sys.exit()
if s.get("state")!="done":
    print("fetch failed: %s" % s.get("error"), file=sys.stderr); print("0 0 0"); sys.exit()
print("%.1f %d %d" % (s["totalBytes"]/s["seconds"]/1e6, len(s["chunksFrom"]), s["totalBytes"]))' || echo "0 0 0"
}

mkdir -p Benchmarks/out
{
CPU=$( (grep -m1 'model name' /proc/cpuinfo 2>/dev/null || sysctl -n machdep.cpu.brand_string 2>/dev/null || echo unknown) | sed 's/.*: //')
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "# Benchmarks/run-fetch-throughput.sh --mib $MIB --rounds $ROUNDS ($(date -u +%Y-%m-%dT%H:%MZ), $VEENODE, commit $COMMIT)"
echo "# CPU: $CPU, $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores; uptime:$(uptime | sed 's/.*up/ up/')"
best1=0 best3=0
for r in $(seq "$ROUNDS"); do
    head -c $((MIB << 20)) /dev/urandom >"$WORK/one.bin"
    head -c $((MIB << 20)) /dev/urandom >"$WORK/three.bin"
    one=$("$VEENODE" share block --file "$WORK/one.bin" --home "$WORK/n2" --json | field '["content"]')
    for i in 2 3 4; do three=$("$VEENODE" share block --file "$WORK/three.bin" --home "$WORK/n$i" --json | field '["content"]'); done
    read -r s1 p1 b1 < <(fetch_mbs "$one")
    read -r s3 p3 b3 < <(fetch_mbs "$three")
    echo "round $r: 1 provider ${s1} MB/s ($p1 delivered), 3 providers ${s3} MB/s ($p3 delivered), $b1 / $b3 bytes (0 = failed, see below)"
    best1=$(python3 -c "print(max($best1, $s1))"); best3=$(python3 -c "print(max($best3, $s3))")
done
echo "best: 1 provider $best1 MB/s, 3 providers $best3 MB/s, ratio $(python3 -c "print('%.2f' % ($best3 / $best1) if $best1 else 'n/a')")"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
if [[ -s $WORK/fetch-errors.log ]]; then echo "# fetch errors:"; sed 's/^/#   /' "$WORK/fetch-errors.log"; fi
grep -h "link-lost\|peer session ended" "$WORK"/n1.log 2>/dev/null | head -5 | sed 's/^/# fetcher log: /' || true
} | tee Benchmarks/out/fetch-throughput.txt
