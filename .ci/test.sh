#!/usr/bin/env bash
# The one test command (`npm test`): provisions services, installs, builds, lints, checks import
# cycles and types, then runs every server test against real PostgreSQL and PGlite.
# Extra arguments go to vitest, e.g. `npm test -- test/storage`.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step="start"
finish() {
  local code=$?
  local elapsed=$((SECONDS - started))
  if [ "$code" -eq 0 ]; then
    echo "=== weir tests: PASSED (provision, install, build, lint, cycles, typecheck, vitest) in ${elapsed}s ==="
  else
    echo "=== weir tests: FAILED at step '${step}' (exit ${code}) after ${elapsed}s ===" >&2
  fi
}
trap finish EXIT

run_step() {
  step="$1"
  shift
  echo
  echo "--- ${step} ---"
  "$@"
}

run_step provision bash .ci/provision.sh
run_step install bash .ci/ensure-deps.sh
run_step build npm run build
run_step lint npm run lint
run_step cycles npm run cycles
run_step typecheck npm run typecheck
run_step vitest npm run test:server -- "$@"
