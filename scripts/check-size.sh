#!/usr/bin/env bash
# Size budget: gzip -9 of everything a browser downloads to use the package (the wasm and the
# browser entry). Prints the figures; fails above the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
# 50 KB (KB = 1024 bytes) with both APIs: 60 KB as issue 12 set it, 50 KB since issue 21 (whose
# aim past it is 40 KB). README "Design notes", "Size", says what keeps it there.
BUDGET=${SIZE_BUDGET_BYTES:-51200}
# The browser entry is one module (scripts/build-pkg.sh bundles the glue and the error classes
# into it): it and the wasm are all a page downloads, as long as it imports nothing else.
files=(pkg/authenta_wasm_bg.wasm pkg/index.js)
# One import() is allowed: the inlined wasm, fetched only where the .wasm cannot be (a bundler that
# did not emit it), in place of the .wasm.
if [ -f pkg/index.js ] && sed 's/import("\.\/authenta_wasm_inline\.js")//' pkg/index.js | grep -Eq '(^|[;}])\s*import\s*[^(.]|\bimport\('; then
  echo "check-size: pkg/index.js imports another module: list it here" >&2
  exit 1
fi
total_raw=0 total_gz=0
printf '%-70s %9s %9s\n' file bytes gzip-9
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "check-size: $f is missing; run make pkg" >&2; exit 1; }
  raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-70s %9d %9d\n' "$f" "$raw" "$gz"
done
printf '%-70s %9d %9d\n' "total" "$total_raw" "$total_gz"
if [ "$total_gz" -gt "$BUDGET" ]; then
  echo "size: FAIL: $total_gz bytes gzipped is over the budget of $BUDGET" >&2
  exit 1
fi
echo "size: ok: $total_gz bytes gzipped, budget $BUDGET ($(( (BUDGET - total_gz) )) to spare)"
