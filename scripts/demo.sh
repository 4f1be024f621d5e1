#!/usr/bin/env bash
# `make demo`: the emulator (API and storage) and, in front of it, the demo server
# (scripts/demo-server.mjs: the sample page, the package, and authenta-wasm/server's handler at
# /api/authenta holding the emulator's key), on fixed ports unless DEMO_*_PORT say otherwise.
# Prints where to open it (never the key); Ctrl-C stops both. Extra arguments go to the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEMO_WEB_PORT="${DEMO_WEB_PORT:-8080}" DEMO_API_PORT="${DEMO_API_PORT:-8787}" DEMO_STORAGE_PORT="${DEMO_STORAGE_PORT:-8788}"
export AUTHENTA_EMULATOR_BIN="${AUTHENTA_EMULATOR_BIN:-${CARGO_TARGET_DIR:-target}/release/authenta-emulator}"
exec node scripts/demo-server.mjs "$@"
