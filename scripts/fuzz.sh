#!/usr/bin/env bash
# Fuzzes every parser that sees network input (fuzz/fuzz_targets), each for SECONDS (default 20;
# `make fuzz` uses 300). Stable Rust with RUSTC_BOOTSTRAP=1 for cargo-fuzz's sanitizer flags.
# A crash stops with the input saved under fuzz/artifacts/<target>/: turn it into a regression
# test in the core before fixing it.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2
export RUSTC_BOOTSTRAP=1
(cd fuzz && cargo fuzz build -O) || exit 1
passed=0 failed=0
for target in $(cd fuzz && cargo fuzz list); do
  mkdir -p "fuzz/corpus/$target"
  log=$(mktemp)
  if (cd fuzz && cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=8192 -print_final_stats=1) >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "fuzz: $target: ok, $runs executions in $seconds s"
    passed=$((passed + 1))
  else
    echo "fuzz: $target: FAILED"; grep -E "panicked|ERROR|SUMMARY|artifact" "$log" | head -n 8
    failed=$((failed + 1))
  fi
  rm -f "$log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
