#!/usr/bin/env bash
# Installs the locked dependencies when node_modules is missing or older than package-lock.json.
# Run by test.sh and start.sh from the repository root.
set -euo pipefail

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: running npm ci"
  npm ci --no-audit --no-fund
else
  echo "deps: node_modules up to date, skipping npm ci"
fi
