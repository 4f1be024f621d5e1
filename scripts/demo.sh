#!/usr/bin/env bash
# Starts the emulator serving the sample page and the package, and says where to open it.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DEMO_WEB_PORT:=8080}" "${DEMO_API_PORT:=8787}" "${DEMO_STORAGE_PORT:=8788}"
echo "Starting the Authenta emulator (Ctrl-C stops it)…"
exec target/release/authenta-emulator \
  --web-port "$DEMO_WEB_PORT" --api-port "$DEMO_API_PORT" --storage-port "$DEMO_STORAGE_PORT" \
  --www www --pkg pkg --test-controls "$@"
