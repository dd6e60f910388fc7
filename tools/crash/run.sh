#!/usr/bin/env bash
# Crash harness (test plan D1, D2, F1): `bash tools/crash/run.sh [sqlite|postgres] [CYCLES]` (default: sqlite, 100).
# Builds the release server and the harness client, then kill -9s the server at random moments while findings are
# written through the API; the PostgreSQL run alternates with `pg_ctl stop -m immediate` of a throwaway cluster on
# port 5433 (initdb into a temporary directory as the postgres OS user; the shared cluster on 5432 is never touched).
set -euo pipefail
cd "$(dirname "$0")/../.."
engine="${1:-sqlite}"
cycles="${2:-100}"
# GIAMSAT_CRASH_PROFILE=debug reuses the test build (the landing gate does; durability does not depend on it).
profile="${GIAMSAT_CRASH_PROFILE:-release}"
if [ "$profile" = release ]; then
  cargo build --release --locked -p giamsat-web -p giamsat-crash
else
  cargo build --locked -p giamsat-web -p giamsat-crash
fi
bin="target/$profile"

work=$(mktemp -d /tmp/giamsat-crash.XXXXXX)
chmod 755 "$work"

case "$engine" in
  sqlite)
    "$bin/giamsat-crash" --bin "$bin/giamsat" \
      --database-url "sqlite://$work/crash.db?mode=rwc" --cycles "$cycles"
    rm -rf "$work"
    ;;
  postgres)
    bindir=$(dirname "$(readlink -f "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1)")")
    as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
    data="$work/pgdata"
    mkdir -p "$data" && { [ "$(id -u)" != 0 ] || chown postgres "$work" "$data"; }
    as_pg "$bindir/initdb -D $data -U postgres --auth=trust -E UTF8 >/dev/null"
    pg_start="$bindir/pg_ctl -D $data -o '-p 5433 -k $work -c listen_addresses=127.0.0.1' -l $work/pg.log -w start >/dev/null"
    pg_stop="$bindir/pg_ctl -D $data -m immediate stop >/dev/null"
    cleanup() { as_pg "$bindir/pg_ctl -D $data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$work"; }
    trap cleanup EXIT
    as_pg "$pg_start"
    as_pg "$bindir/createdb -h 127.0.0.1 -p 5433 -U postgres crash"
    "$bin/giamsat-crash" --bin "$bin/giamsat" \
      --database-url "postgres://postgres@127.0.0.1:5433/crash" --cycles "$cycles" \
      --pg-stop "$(declare -f as_pg); as_pg \"$pg_stop\"" --pg-start "$(declare -f as_pg); as_pg \"$pg_start\""
    ;;
  *) echo "usage: $0 [sqlite|postgres] [CYCLES]" >&2; exit 2 ;;
esac
