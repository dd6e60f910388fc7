#!/usr/bin/env bash
# Supply-chain check: `cargo deny check` (licences, sources, bans, advisories) against the offline RustSec
# advisory database in ../shared/advisory-db.bundle. Nothing is fetched from the advisory database's URL:
# the bundle is cloned into a temporary directory laid out as cargo-deny expects, and cargo-deny runs with
# --offline. Crates themselves come from crates.io (`cargo fetch`), like every other step of .ci/run.
#
#   ADVISORY_DB_BUNDLE=/path/to/advisory-db.bundle   overrides the bundle (default: <repo>/../shared/..., or
#                                                    beside the origin of a clone of a local checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$(pwd -P)

# The pinned version: deny.toml follows its schema, and DB_DIR below is what it derives from deny.toml's
# `db-urls`. Changing the version means checking both (cargo-deny names the directory it wanted in its error).
DENY_VERSION=0.20.2
DB_DIR=advisory-db-3157b0e258782691
# cargo-deny's own limit for an offline database (maximum-db-staleness); the check below only warns.
STALE_DAYS=90

bundle="${ADVISORY_DB_BUNDLE:-$repo_root/../shared/advisory-db.bundle}"
# A clone made elsewhere (say in /tmp) of a checkout that sits beside shared/ finds the bundle beside its origin.
origin=$(git remote get-url origin 2>/dev/null || true)
if [ -z "${ADVISORY_DB_BUNDLE:-}" ] && [ ! -f "$bundle" ] && [ -d "$origin" ]; then
  bundle="$(cd "$origin" && pwd -P)/../shared/advisory-db.bundle"
fi
if [ ! -f "$bundle" ]; then
  echo "advisory database bundle not found: $bundle (set ADVISORY_DB_BUNDLE to override)" >&2
  exit 1
fi

if [ "$(cargo deny --version 2>/dev/null || true)" != "cargo-deny $DENY_VERSION" ]; then
  echo "installing cargo-deny $DENY_VERSION (takes about 5 minutes on 2 cores)"
  cargo install cargo-deny --locked --version "$DENY_VERSION" --force
fi
cargo deny --version

db_root=$(mktemp -d "${TMPDIR:-/tmp}/giamsat-advisory-dbs.XXXXXX")
trap 'rm -rf "$db_root"' EXIT
git -c init.defaultBranch=main clone --quiet "$bundle" "$db_root/$DB_DIR"

db="$db_root/$DB_DIR"
snapshot_epoch=$(git -C "$db" log -1 --format=%ct)
age_days=$(( ($(date +%s) - snapshot_epoch) / 86400 ))
echo "advisory database: $bundle"
echo "  newest commit $(git -C "$db" log -1 --format='%cI %h (%s)')"
echo "  snapshot age: $age_days days, $(find "$db/crates" -name 'RUSTSEC-*.md' | wc -l) advisories"
if [ "$age_days" -gt "$STALE_DAYS" ]; then
  echo "WARNING: the advisory snapshot is older than $STALE_DAYS days; refresh shared/advisory-db.bundle"
fi

# Crate sources (for the licence files) from crates.io; a no-op when the build already fetched them.
cargo fetch --locked --quiet

# A fresh clone has no FETCH_HEAD, so cargo-deny's own staleness limit sees today's date; the age printed
# above is the real one.
GIAMSAT_ADVISORY_DB_PATH="$db_root" cargo deny --locked --offline check
