#!/usr/bin/env bash
# Bulk transfer over loopback TCP: encrypted sessions through the real driver (VeectorNet's
# SessionEndpoint / SessionChannelHandler) beside plain NIO TCP carrying the same message framing
# unencrypted (the ceiling), 1 MiB and 16 KiB messages, in one run; prints MB/s and the ratio.
#
#   Benchmarks/run-session-throughput.sh [--mib 256] [--rounds 3]
#
# Builds `veector-session-bench` in release (scratch path .build-bench), then runs it with --tcp, then
# once without (the core alone, no sockets, for reference). Runs are interleaved (session, plain,
# session, plain…) and the best of each is kept, so a passing load spike hurts both alike; still, run
# it on a quiet machine for figures to quote. Writes Benchmarks/out/session-throughput.txt.
# SESSION_BENCH=PATH skips the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MIB=256 ROUNDS=3
while (($# > 0)); do
    case "$1" in
        --mib) MIB=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "run-session-throughput: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ -z ${SESSION_BENCH:-} ]]; then
    swift build -c release --jobs 2 --scratch-path .build-bench --product veector-session-bench >&2
    SESSION_BENCH=$(swift build -c release --scratch-path .build-bench --show-bin-path)/veector-session-bench
fi
mkdir -p Benchmarks/out
{
    echo "# Benchmarks/run-session-throughput.sh --mib $MIB --rounds $ROUNDS ($(date -u +%Y-%m-%dT%H:%MZ))"
    "$SESSION_BENCH" --tcp "$MIB" "$ROUNDS"
    echo
    echo "# the core alone (no sockets, one thread): $SESSION_BENCH $MIB 1024"
    "$SESSION_BENCH" "$MIB" 1024
} | tee Benchmarks/out/session-throughput.txt
