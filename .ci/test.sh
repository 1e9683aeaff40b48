#!/usr/bin/env bash
# The one test command (`npm test`): provisions services, installs, builds, lints, checks import
# cycles and types, then runs the console component tests and every server test (PostgreSQL, PGlite,
# Redis, s3rver and headless Chromium).
# Extra arguments go to vitest, e.g. `npm test -- test/storage`.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step="start"
counts=""
finish() {
  local code=$?
  local elapsed=$((SECONDS - started))
  if [ "$code" -eq 0 ]; then
    echo "=== weir tests: PASSED (provision, install, build, lint, cycles, typecheck, vitest) in ${elapsed}s ==="
    # Last line: the count, in the plain form CI reads whatever the runner.
    echo "${counts:-}"
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
console_results="$(mktemp -t weir-vitest-console-XXXXXX.json)"
run_step "vitest (console)" npm run test:console -- --reporter=default --reporter=json --outputFile.json="$console_results"
results="$(mktemp -t weir-vitest-XXXXXX.json)"
run_step vitest npm run test:server -- --reporter=default --reporter=json --outputFile.json="$results" "$@"
# The closing count in the plain form CI reads whatever the runner ("N passed, N failed").
counts="$(node -e 'const fs = require("fs");
  const reports = process.argv.slice(1).map((file) => JSON.parse(fs.readFileSync(file, "utf8")));
  const sum = (field) => reports.reduce((total, r) => total + (r[field] || 0), 0);
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);' "$console_results" "$results")"
