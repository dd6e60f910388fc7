#!/usr/bin/env bash
# Fuzzes each target for a bounded time: `bash fuzz/run.sh [SECONDS_PER_TARGET]` (default 60; the test plan's
# nightly tier uses 600). Needs the nightly toolchain and cargo-fuzz, installed here if missing. Crashes land in
# fuzz/artifacts/<target>/; commit them: `cargo test --manifest-path fuzz/Cargo.toml` (stable) replays them.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo +nightly install cargo-fuzz --locked
for target in docnum date interchange; do
  echo "==> fuzzing $target for ${seconds}s"
  cargo +nightly fuzz run --features libfuzzer "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10
done
