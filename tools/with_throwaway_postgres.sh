#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throw-away PostgreSQL cluster,
# deleted afterwards: the benchmarks' (database "hallway_bench", a 1 GB cache)
# and CI's (.ci/run: PG_DATABASE=hallway PG_PROFILE=test).
# Usage: [PG_DATABASE=name] [PG_PROFILE=bench|test] [PGPORT=n] \
#        tools/with_throwaway_postgres.sh COMMAND [ARGS...]
set -euo pipefail
PG_DATABASE=${PG_DATABASE:-hallway_bench}
PG_PROFILE=${PG_PROFILE:-bench}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL binaries not found (Debian: apt-get install postgresql)." >&2
  exit 1
fi
PGPORT=${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
PGDATA=$(mktemp -d /tmp/hallway-pg.XXXXXX)
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
# Never fsync: the cluster is thrown away. A benchmark's also gets a cache
# sized for a 24 GiB machine; the tests' keeps PostgreSQL's defaults.
settings="-c listen_addresses=127.0.0.1 -c fsync=off"
if [ "$PG_PROFILE" = bench ]; then
  settings="$settings -c synchronous_commit=off -c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c max_connections=100"
fi
run_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-p $PGPORT -k $PGDATA $settings" start >/dev/null
run_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U "$pg_user" "$PG_DATABASE"
export DATABASE_URL="postgres://$pg_user@127.0.0.1:$PGPORT/$PG_DATABASE"
echo "Throw-away PostgreSQL: $DATABASE_URL ($PGBIN)"
"$@"
