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

# BENCH_BASELINE_REF=<git ref>: that commit's package too (for example the main branch's, while
# working on a branch), built here and measured in the same run beside this one (bench/README.md,
# "Against another build"). Built first, in the same cargo target folder (the std built for size
# is shared), so that target/…/authenta_wasm.wasm is this build's afterwards (section 1 reads it).
if [ -n "${BENCH_BASELINE_REF:-}" ]; then
  base=target/bench-baseline
  rev=$(git rev-parse --verify "$BENCH_BASELINE_REF^{commit}")
  if [ "$(cat "$base/REV" 2>/dev/null)" != "$rev" ]; then
    echo "bench: building the baseline package of $BENCH_BASELINE_REF ($rev)"
    rm -rf "$base" && mkdir -p "$base/src"
    git archive "$rev" | tar -x -C "$base/src"
    ln -s "$PWD/target" "$base/src/target"
    (cd "$base/src" && scripts/build-pkg.sh)
    echo "$rev" > "$base/REV"
  fi
  export AUTHENTA_BENCH_BASELINE_PKG="$PWD/$base/src/pkg"
fi

scripts/build-pkg.sh
cargo build --release -p authenta-emulator
cargo build --release --example poll_schedule
export AUTHENTA_EMULATOR_BIN="$PWD/target/release/authenta-emulator"

mkdir -p test-output
node bench/run.mjs "$@" | tee test-output/bench.txt
