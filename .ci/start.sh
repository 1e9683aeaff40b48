#!/usr/bin/env bash
# The start command (`npm start`): installs if needed, builds, and runs `weir dev` on the example
# assets. Extra arguments go to `weir dev`, e.g. `npm start -- --port 4000`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/ensure-deps.sh
npm run build
exec node server/bin/weir.js dev "$@"
