#!/usr/bin/env bash
# `make bench`: builds the release package and the release emulator, installs what the
# benchmarks need (skipping whatever is there), then prints one table per section (size,
# upload, polling, start-up, per-call overhead), each against a baseline measured in the same
# run. A copy of the tables goes to test-output/bench.txt. See bench/README.md.
# Arguments are passed to bench/run.mjs: `scripts/bench.sh upload calls` runs two sections.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm node chromium
if ! command -v twiggy >/dev/null 2>&1; then
  echo "bench: installing twiggy (cargo install twiggy, a few minutes, once)"
  cargo install twiggy
fi
# brotli: the `brotli` command when installed, else node's zlib (nothing to install).

scripts/build-pkg.sh
cargo build --release -p authenta-emulator
cargo build --release --example poll_schedule
export AUTHENTA_EMULATOR_BIN="$PWD/target/release/authenta-emulator"

mkdir -p test-output
node bench/run.mjs "$@" | tee test-output/bench.txt
