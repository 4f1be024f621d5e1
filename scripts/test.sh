#!/usr/bin/env bash
# `make test`: every test in the project. Installs what it needs (scripts/setup.sh), runs each
# suite even when an earlier one failed, and ends with one line: "make-test: N passed, M failed"
# (suites). Each suite prints its own counts above.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output
passed=0 failed=0 failures=()
start_all=$SECONDS

step() {
  local name=$1; shift
  local t0=$SECONDS
  echo
  echo "=== $name ==="
  if "$@"; then
    passed=$((passed + 1)); echo "--- $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "--- $name: FAILED ($((SECONDS - t0)) s)"
  fi
}
have() { [ -e "$1" ]; }

step "setup (toolchains, npm packages, Chromium)" scripts/setup.sh
step "format and clippy (host and wasm32)" make -s lint
step "host tests: SDK core and emulator (cargo test)" cargo test --workspace
step "package build (make pkg)" scripts/build-pkg.sh
step "size budget" scripts/check-size.sh
have tests/runtimes/run.mjs && step "every runtime from the packed tarball" node tests/runtimes/run.mjs
step "wasm tests in Node and Chromium (wasm-bindgen-test)" scripts/test-wasm.sh node browser
have tests/js && step "package tests in Node (node --test tests/js)" node --test --test-concurrency=1 tests/js/
have tests/types/check.mjs && step "TypeScript checks" node tests/types/check.mjs
have tests/e2e && step "sample page end-to-end in Chromium" node --test --test-concurrency=1 tests/e2e/
have tests/hardening && step "fault matrix (operations x faults)" node --test tests/hardening/matrix.test.mjs
have tests/hardening && step "load and leaks in Node and Chromium" node --test tests/hardening/load.test.mjs
have tests/hardening && step "secrets and redirects" node --test tests/hardening/secrets.test.mjs
have tests/hardening && step "hostile values (mids, names, URLs)" node --test tests/hardening/hostile.test.mjs
step "memory budget (256 MB upload in Chromium)" node tests/budget/memory.mjs
step "fuzzing, 20 s per parser (make fuzz: 5 min each)" scripts/fuzz.sh 20

echo
echo "make test took $((SECONDS - start_all)) s"
[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "make-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
