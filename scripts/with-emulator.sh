#!/usr/bin/env bash
# Runs a command with an emulator on free ports, its URLs and key in the environment:
#   AUTHENTA_EMULATOR_API, AUTHENTA_EMULATOR_STORAGE, AUTHENTA_EMULATOR_WEB, AUTHENTA_EMULATOR_KEY.
# Usage: scripts/with-emulator.sh [--processing-ms N] -- CMD ARGS...
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${AUTHENTA_EMULATOR_BIN:-target/debug/authenta-emulator}
[ -x "$bin" ] || cargo build -q -p authenta-emulator
args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
out=$(mktemp)
"$bin" --api-port 0 --storage-port 0 --web-port 0 --test-controls \
  --api-key api_test_key_0123456789 --processing-ms 300 "${args[@]}" >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 200); do grep -q '^EMULATOR_READY' "$out" && break; sleep 0.05; done
line=$(grep '^EMULATOR_READY' "$out") || { echo "with-emulator: the emulator did not start" >&2; exit 1; }
json=${line#EMULATOR_READY }
field() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$json" "$1"; }
export AUTHENTA_EMULATOR_API=$(field api) AUTHENTA_EMULATOR_STORAGE=$(field storage) \
  AUTHENTA_EMULATOR_WEB=$(field web) AUTHENTA_EMULATOR_KEY=$(field apiKey)
"$@"
