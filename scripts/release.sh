#!/usr/bin/env bash
# `make release`: everything before `npm publish`, and nothing published. Runs the whole test
# command (which builds pkg/), packs the tarball into target/npm-release/, prints its SHA-256 and
# what `npm publish --dry-run` would send. Publishing that same tarball is then one command by a
# maintainer (README.md, "Releasing").
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/test.sh

out=target/npm-release
mkdir -p "$out"
rm -f "$out"/authenta-wasm-*.tgz
tarball=$(cd pkg && npm pack --pack-destination "../$out" --loglevel=error | tail -n 1)
tarball="$out/$tarball"

echo
echo "=== npm publish --dry-run $tarball ==="
# --dry-run sends nothing to the registry; its report is the tarball's contents, size and tag.
npm publish --dry-run "$tarball" 2>&1

echo
echo "release: $tarball"
echo "release: sha256 $(sha256sum "$tarball" | awk '{print $1}')"
echo "release: nothing was published; to publish: npm publish $tarball --otp <code>"
