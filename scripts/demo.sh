#!/usr/bin/env bash
# `make demo`: the emulator serving the sample page (www/) and the package (pkg/), on fixed
# ports unless DEMO_*_PORT say otherwise. Prints where to open it; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DEMO_WEB_PORT:=8080}" "${DEMO_API_PORT:=8787}" "${DEMO_STORAGE_PORT:=8788}"
out=$(mktemp)
target/release/authenta-emulator \
  --web-port "$DEMO_WEB_PORT" --api-port "$DEMO_API_PORT" --storage-port "$DEMO_STORAGE_PORT" \
  --www www --pkg pkg --test-controls "$@" > >(tee "$out") &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT INT TERM
for _ in $(seq 1 200); do grep -q '^EMULATOR_READY' "$out" 2>/dev/null && break; sleep 0.05; done
if ! grep -q '^EMULATOR_READY' "$out"; then
  echo "demo: the emulator did not start (is port $DEMO_WEB_PORT, $DEMO_API_PORT or $DEMO_STORAGE_PORT in use? set DEMO_WEB_PORT=… to move)" >&2
  exit 1
fi
web=$(sed -n 's/^EMULATOR_READY //p' "$out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).web))')
echo
echo "  Open ${web}/ in a browser: the sample page, with the emulator's URL and dev key filled in."
echo "  (Everything runs on this machine; nothing reaches the Authenta platform. Ctrl-C stops it.)"
echo
wait $pid
