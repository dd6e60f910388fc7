#!/usr/bin/env bash
# Browser tests: every tests/browser/*.test.js in turn (the golden path, recording at a unit, "Việc của tôi",
# cancelling with a reason and 50 logins from one address), with axe-core checks, in Debian's headless Chromium
# driven by playwright-core.
#
#   bash tests/browser/run.sh                                    # on a fresh SQLite database
#   GIAMSAT_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bash tests/browser/run.sh
#                                                                # on a new database giamsat_browser_<random>
#                                                                # on that server, dropped afterwards
#   GIAMSAT_BROWSER_DATABASE_URL=postgres://…/fresh bash tests/browser/run.sh   # on a fresh database you made
#
# Installs chromium and chromium-driver with apt-get when missing (needs root), runs `npm ci`, builds
# the debug binary, starts `giamsat serve` with demo data on a free port, reads the demo accounts' passwords
# from its stderr, runs the node tests and stops the server. Screenshots, axe results and the server log go to
# target/browser-artefacts/<sqlite|postgres>/. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
here="$root/tests/browser"

say() { printf '[browser] %s\n' "$*" >&2; }

# --- Chromium and ChromeDriver from Debian's packages -------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "missing ${missing[*]}: run as root (or apt-get install ${missing[*]}) first"
    exit 1
  fi
  say "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null

# --- node packages (pinned in package-lock.json; none downloads a browser) -------------------------------
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

# --- the binary ---------------------------------------------------------------------------------------------
cargo build -p giamsat-web --bin giamsat --locked
bin="$root/target/debug/giamsat"

# --- a fresh database, a temporary files dir, a free port ---------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/giamsat-browser.XXXXXX")
server_pid=""
created_db=""
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$created_db" ]; then
    psql "$GIAMSAT_TEST_DATABASE_URL" -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS $created_db WITH (FORCE)" >/dev/null || status=1
  fi
  if [ -n "${artefacts:-}" ] && [ -f "$tmp/server.log" ]; then
    # The passwords were printed once; they are of no use after this run, but keep them out of the artefacts.
    sed -E 's/^(  [^ ]+@demo\.giamsat +)[^ ]+$/\1<password>/' "$tmp/server.log" >"$artefacts/server.log" || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${GIAMSAT_BROWSER_DATABASE_URL:-}" ]; then
  database_url="$GIAMSAT_BROWSER_DATABASE_URL"
  backend=postgres
elif [ -n "${GIAMSAT_TEST_DATABASE_URL:-}" ]; then
  name="giamsat_browser_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  psql "$GIAMSAT_TEST_DATABASE_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $name" >/dev/null
  created_db="$name"
  server_url="${GIAMSAT_TEST_DATABASE_URL%%\?*}"
  query=""
  [[ "$GIAMSAT_TEST_DATABASE_URL" == *\?* ]] && query="?${GIAMSAT_TEST_DATABASE_URL#*\?}"
  database_url="${server_url%/*}/$name$query"
  backend=postgres
else
  database_url="sqlite://$tmp/db.sqlite?mode=rwc"
  backend=sqlite
fi
artefacts="$root/target/browser-artefacts/$backend"
rm -rf "$artefacts"
mkdir -p "$artefacts"

port=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
base_url="http://127.0.0.1:$port"

# --- the server ---------------------------------------------------------------------------------------------
say "serving on $base_url ($backend)"
env -u DATABASE_URL -u GIAMSAT_ADDR -u GIAMSAT_PUBLIC_URL -u GIAMSAT_SECURE_COOKIES -u GIAMSAT_LOG_FORMAT \
  GIAMSAT_DEMO=1 GIAMSAT_FILES_DIR="$tmp/files" RUST_LOG="info,sqlx=warn,sea_orm=warn" \
  "$bin" --database-url "$database_url" serve --addr "127.0.0.1:$port" >"$tmp/server.out" 2>"$tmp/server.log" &
server_pid=$!

ready=""
for _ in $(seq 1 300); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    say "the server stopped before it was ready:"
    cat "$tmp/server.log" >&2
    exit 1
  fi
  if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "$base_url/healthz" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
[ -n "$ready" ] || { say "no answer on $base_url/healthz after 60 s"; cat "$tmp/server.log" >&2; exit 1; }

# The demo accounts, printed once on stderr as "  EMAIL  PASSWORD".
accounts=$({ grep -E '^  [^ ]+@demo\.giamsat +[^ ]+$' "$tmp/server.log" || true; } | sed -E 's/^ +//; s/ +/ /')
if [ "$(printf '%s\n' "$accounts" | grep -c .)" -lt 2 ]; then
  say "the server printed no demo accounts (was the database really empty?):"
  cat "$tmp/server.log" >&2
  exit 1
fi

# --- the tests ----------------------------------------------------------------------------------------------
status=0
(
  cd "$here"
  GIAMSAT_BROWSER_BASE_URL="$base_url" \
    GIAMSAT_BROWSER_ACCOUNTS="$accounts" \
    GIAMSAT_BROWSER_ARTEFACTS="$artefacts" \
    GIAMSAT_BROWSER_BACKEND="$backend" \
    node --test --test-concurrency=1 --test-reporter=spec ./*.test.js
) || status=$?
say "artefacts in ${artefacts#"$root"/}"
exit "$status"
