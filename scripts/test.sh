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

step "setup (toolchains, npm packages, Chromium)" scripts/setup.sh
step "format and clippy (host and wasm32)" make -s lint
step "host tests: SDK core and emulator (cargo test)" cargo test --workspace
step "package build (make pkg)" scripts/build-pkg.sh
step "size budget" scripts/check-size.sh
step "the packed tarball: version, files, licence, attw, publint" node --test --test-concurrency=1 tests/package/
step "every runtime from the packed tarball" node tests/runtimes/run.mjs
step "wasm tests in Node and Chromium (wasm-bindgen-test)" scripts/test-wasm.sh node browser
step "package tests in Node (node --test tests/js)" node --test --test-concurrency=1 tests/js/
step "server handler in Node (node --test tests/server)" node --test --test-concurrency=1 tests/server/
step "TypeScript checks" node tests/types/check.mjs
step "sample page end-to-end in Chromium" node --test --test-concurrency=1 tests/e2e/
step "fault matrix (operations x faults)" node --test tests/hardening/matrix.test.mjs
step "load and leaks in Node and Chromium" node --test tests/hardening/load.test.mjs
step "secrets and redirects" node --test tests/hardening/secrets.test.mjs
step "hostile values (mids, names, URLs)" node --test tests/hardening/hostile.test.mjs
step "server handler: attacks, key, load (authenta-wasm/server)" node --test tests/hardening/server.test.mjs
step "memory budget (256 MB upload in Chromium)" node tests/budget/memory.mjs
step "fuzzing, 20 s per parser (make fuzz: 5 min each)" scripts/fuzz.sh 20

echo
echo "make test took $((SECONDS - start_all)) s"
[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "make-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
