#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throw-away PostgreSQL cluster
# (database "hallway_bench"), deleted afterwards; the same way .ci/run starts one.
# Usage: tools/with_throwaway_postgres.sh COMMAND [ARGS...]
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL binaries not found (Debian: apt-get install postgresql)." >&2
  exit 1
fi
PGPORT=${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
PGDATA=$(mktemp -d /tmp/hallway-bench-pg.XXXXXX)
pg_user=$(id -un)
run_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  pg_user=postgres
  chown postgres: "$PGDATA"
  run_pg() { runuser -u postgres -- "$@"; }
fi
cleanup() {
  run_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
trap cleanup EXIT
run_pg "$PGBIN/initdb" -D "$PGDATA" -A trust -U "$pg_user" >/dev/null
# A benchmark cluster: no fsync, a reasonable cache for a 24 GiB machine.
run_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c max_connections=100" \
  start >/dev/null
run_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U "$pg_user" hallway_bench
export DATABASE_URL="postgres://$pg_user@127.0.0.1:$PGPORT/hallway_bench"
echo "Throw-away PostgreSQL: $DATABASE_URL ($PGBIN)"
"$@"
