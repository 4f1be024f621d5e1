#!/usr/bin/env bash
# The wasm-bindgen tests (tests/wasm_client.rs): the client inside wasm against a running
# emulator, first in Node, then in headless Chromium. Usage: scripts/test-wasm.sh [node|browser]...
set -euo pipefail
cd "$(dirname "$0")/.."
modes=("$@"); [ ${#modes[@]} -gt 0 ] || modes=(node browser)
scripts/setup.sh wasm chromium
cat > target/webdriver.json <<JSON
{"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]}}
JSON
run() {
  for mode in "${modes[@]}"; do
    echo "== wasm tests in $mode =="
    if [ "$mode" = browser ]; then
      WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
        WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/target/webdriver.json" WASM_BINDGEN_TEST_TIMEOUT=120 \
        cargo test --target wasm32-unknown-unknown --test wasm_client
    else
      WASM_BINDGEN_TEST_TIMEOUT=120 cargo test --target wasm32-unknown-unknown --test wasm_client
    fi
  done
}
export -f run; export modes_str="${modes[*]}"
scripts/with-emulator.sh -- bash -c 'modes=($modes_str); '"$(declare -f run)"'; run'
