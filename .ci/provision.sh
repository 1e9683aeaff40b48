#!/usr/bin/env bash
# Makes the services the integration tests need available on this machine:
# PostgreSQL (TCP 127.0.0.1:5432, user postgres / password postgres) and Redis on port 6390.
# Idempotent: on an already provisioned machine it only checks and says so.
set -euo pipefail

REDIS_PORT="${WEIR_TEST_REDIS_PORT:-6390}"
PG_PASSWORD=postgres

say() { printf 'provision: %s\n' "$*"; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    # Run from / so psql does not complain that it cannot read the caller's cwd.
    (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
  else
    sudo -n -u postgres "$@"
  fi
}

pg_installed() {
  command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1
}

# --- packages -------------------------------------------------------------------------------
missing=()
pg_installed || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The console's end-to-end tests and benchmark drive headless Chromium (playwright-core).
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing ${missing[*]} and not root: install them (apt-get install -y ${missing[*]}) and re-run" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
  say "installed ${missing[*]}"
else
  say "postgresql, redis-server and chromium already installed"
fi

# --- PostgreSQL -----------------------------------------------------------------------------
# The newest installed major version, e.g. 15 on Debian bookworm.
pg_version="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$pg_version" '$1 == v && $2 == "main"' | grep -q .; then
  pg_createcluster "$pg_version" main >/dev/null
  say "created cluster $pg_version/main"
fi
if pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  say "postgresql $pg_version/main already running"
else
  pg_ctlcluster "$pg_version" main start
  say "started postgresql $pg_version/main"
fi

# Wait until the server accepts connections (it may still be starting up).
for _ in $(seq 1 60); do
  as_postgres psql -qAtX -c 'select 1' >/dev/null 2>&1 && break
  sleep 0.5
done

# Only touch the role when a password login over TCP does not already work.
if PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -qAtX -c 'select 1' >/dev/null 2>&1; then
  say "postgres role already accepts password login on 127.0.0.1:5432"
else
  as_postgres psql -qAtX -c "ALTER ROLE postgres WITH PASSWORD '$PG_PASSWORD'" >/dev/null
  say "set postgres role password"
fi

# --- Redis ----------------------------------------------------------------------------------
if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  say "redis already answering on port $REDIS_PORT"
else
  redis-server --daemonize yes --port "$REDIS_PORT" --save '' --appendonly no >/dev/null
  for _ in $(seq 1 50); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  say "started redis on port $REDIS_PORT"
fi
