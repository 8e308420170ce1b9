#!/usr/bin/env bash
# soak.sh: the engine's soak test (tests/it_soak.c) for longer than the test suite runs it:
# "$1" seconds [600] of churn (jobd killed every few seconds, a second jobd joining and
# leaving, the model vendor pausing, cancels and retries at random) on a throwaway stack that
# tests/integration.sh starts on its test ports, then the same checks: every execution ends
# within lease + sweep, no completed step runs twice, one ordered event stream each.
# Run it from the repository after a build (FRAGENT_BUILD_DIR selects the build folder,
# e.g. build-asan for the sanitizer build).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-600}
[[ $SECS =~ ^[0-9]+$ ]] || { echo "usage: bench/soak.sh [SECONDS]" >&2; exit 2; }
export FRAGENT_SOAK_SECONDS=$SECS
export FRAGENT_IT_ONLY="it_soak"
export FRAGENT_IT_TIMEOUT=$((SECS + 600))
exec tests/integration.sh
