#!/usr/bin/env bash
# Quality per profile and agreement with the references, as measured by the tests, in one run.
#
#   Benchmarks/run-profile-quality.sh [--release]
#
# Builds the tests (debug, or release with --release in scratch path .build-bench) and runs
# ProfileQualityTests (SmolLM2 perplexity on the reference paragraph for lite / pro / ultimate through a
# BlockCache; MiniLM cosine of lite / pro against ultimate on the reference sentences) and
# ReferenceLogitsTests (SmolLM2 logits against llama.cpp on the F32 weights, exact and fast precision).
# Prints the figures the tests log and writes them to Benchmarks/out/profile-quality.txt. Needs the models
# in .cache/models (the tests skip, and this prints nothing useful, without them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ARGS=()
while (($# > 0)); do
    case "$1" in
        --release) ARGS=(-c release --scratch-path .build-bench) ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "run-profile-quality: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
mkdir -p Benchmarks/out
swift build --build-tests --jobs 2 "${ARGS[@]}" >&2
{
    echo "Command: Benchmarks/run-profile-quality.sh${ARGS:+ --release}; date $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
    swift test --skip-build "${ARGS[@]}" --filter 'ProfileQualityTests|ReferenceLogitsTests' 2>&1 \
        | grep -E 'ProfileQualityTests:|ReferenceLogitsTests |Test run|passed|failed' || true
} | tee Benchmarks/out/profile-quality.txt
