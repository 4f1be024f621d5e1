// Section 1, size: what a browser downloads (pkg/'s wasm and the JS modules it loads), raw,
// gzip -9 and brotli at maximum quality; then the top contributors to the wasm, by twiggy, on a
// build that keeps the function names (pkg/'s wasm has them stripped).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";
import { BASELINE_PKG, ROOT, fmt, printTable } from "./lib/common.mjs";

/** The budget of scripts/check-size.sh (one source: read from the script). */
const BUDGET_GZIP = Number(/SIZE_BUDGET_BYTES:-(\d+)/.exec(readFileSync(new URL("../scripts/check-size.sh", import.meta.url), "utf8"))[1]);
const TOP = 15;

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/** gzip -9 with the gzip command (as scripts/check-size.sh), else node's zlib at level 9. */
function gzipSize(path) {
  if (has("gzip")) return execFileSync("gzip", ["-9c", path], { maxBuffer: 1 << 30 }).length;
  return zlib.gzipSync(readFileSync(path), { level: 9 }).length;
}

/** brotli at maximum quality: the brotli command if installed, else node's zlib (quality 11). */
function brotliSize(path) {
  if (has("brotli")) return execFileSync("brotli", ["-q", "11", "-c", path], { maxBuffer: 1 << 30 }).length;
  const data = readFileSync(path);
  return zlib.brotliCompressSync(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  }).length;
}

function measure(paths) {
  return paths
    .map((p) => ({ bytes: statSync(p).size, gzip: gzipSize(p), brotli: brotliSize(p) }))
    .reduce((a, b) => ({ bytes: a.bytes + b.bytes, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
}

/** The top contributors to the wasm, by twiggy, on a wasm that keeps its names. */
function twiggyTop() {
  const input = `${ROOT}target/wasm32-unknown-unknown/release/authenta_wasm.wasm`;
  if (!existsSync(input)) throw new Error(`${input} is missing: run scripts/build-pkg.sh`);
  const tmp = mkdtempSync(join(tmpdir(), "authenta-bench-"));
  try {
    execFileSync("wasm-bindgen", ["--keep-debug", "--target", "web", "--out-dir", tmp, "--out-name", "authenta_wasm", input]);
    // The same optimisation as scripts/build-pkg.sh, but -g keeps the names for twiggy.
    const named = join(tmp, "named.wasm");
    execFileSync(`${ROOT}node_modules/.bin/wasm-opt`, [
      "-Oz", "-g", "--strip-producers", "--strip-target-features", join(tmp, "authenta_wasm_bg.wasm"), "-o", named,
    ]);
    const rows = JSON.parse(execFileSync("twiggy", ["top", "-n", "100000", "-f", "json", named], { maxBuffer: 1 << 28 }));
    // The name section only exists in this build: leave it out, and out of the percentages.
    const isNames = (r) => /^".*" subsection$/.test(r.name) || r.name === "custom section 'name'";
    const code = rows.filter((r) => !isNames(r));
    const codeBytes = code.reduce((s, r) => s + r.shallow_size, 0);
    return { top: code.slice(0, TOP), codeBytes, count: code.length };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function run() {
  const pkg = `${ROOT}pkg/`;
  const wasm = [`${pkg}authenta_wasm_bg.wasm`];
  // The browser entry is one module: the wasm-bindgen glue, the error classes and the loader.
  const glue = [`${pkg}index.js`];
  for (const f of [...wasm, ...glue]) if (!existsSync(f)) throw new Error(`${f} is missing: run scripts/build-pkg.sh`);
  const w = measure(wasm);
  const g = measure(glue);
  const sum = (a, b) => ({ bytes: a.bytes + b.bytes, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
  const t = sum(w, g);
  const kb = (b) => fmt(b / 1024, 1);
  const row = (name, m) => [name, m.bytes, kb(m.bytes), m.gzip, kb(m.gzip), m.brotli, kb(m.brotli)];
  // The same parts of the baseline package (BENCH_BASELINE_REF), and the difference.
  const baseline = [];
  if (BASELINE_PKG) {
    const bw = measure([`${BASELINE_PKG}authenta_wasm_bg.wasm`]);
    const bg = measure([`${BASELINE_PKG}index.js`]);
    const bt = sum(bw, bg);
    const delta = (a, b) => ({ bytes: a.bytes - b.bytes, gzip: a.gzip - b.gzip, brotli: a.brotli - b.brotli });
    baseline.push(row("baseline wasm", bw), row("baseline JS", bg), row("baseline total", bt), row("total - baseline", delta(t, bt)));
  }
  const brotliHow = has("brotli") ? "brotli -q 11" : "node zlib brotli, quality 11";
  printTable(
    "1. Size: what a browser downloads (pkg/, release build)",
    ["part", "bytes", "KB", "gzip -9 B", "KB", "brotli B", "KB"],
    [
      row("wasm (authenta_wasm_bg.wasm)", w),
      row("JS (index.js)", g),
      row("total", t),
      ...baseline,
    ],
    [
      `JS: index.js, the browser entry, one module (the wasm-bindgen glue, the error classes and the loader bundled by`,
      `scripts/build-pkg.sh); brotli: ${brotliHow}; KB = 1024 bytes.`,
      `Baseline: the budget of scripts/check-size.sh, ${BUDGET_GZIP} bytes gzipped: the total uses ${fmt((100 * t.gzip) / BUDGET_GZIP, 1)} % of it`,
      `(${BUDGET_GZIP - t.gzip} bytes to spare). Hand-written fetch code downloads nothing extra.`,
      ...(BASELINE_PKG ? [`baseline: the package of BENCH_BASELINE_REF (${process.env.BENCH_BASELINE_REF ?? BASELINE_PKG}), built in this run.`] : []),
    ],
  );

  const { top, codeBytes, count } = twiggyTop();
  const short = (name) => {
    const n = name.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "");
    return n.length > 78 ? `${n.slice(0, 75)}...` : n;
  };
  printTable(
    `1b. Size: top ${TOP} contributors to the wasm (twiggy top, shallow bytes)`,
    ["item", "bytes", "% of wasm"],
    top.map((r) => [short(r.name), r.shallow_size, fmt((100 * r.shallow_size) / codeBytes, 2)]),
    [
      `From wasm-bindgen --keep-debug + wasm-opt -Oz -g of target/wasm32-unknown-unknown/release/authenta_wasm.wasm:`,
      `${codeBytes} bytes in ${count} items without the name section (pkg/'s wasm: ${w.bytes} bytes); the top ${TOP}`,
      `make ${fmt((100 * top.reduce((s, r) => s + r.shallow_size, 0)) / codeBytes, 1)} % of it. Rust hashes removed from the names.`,
    ],
  );
  return `size ${kb(t.gzip)} KB gzip (${fmt((100 * t.gzip) / BUDGET_GZIP, 0)} % of the ${kb(BUDGET_GZIP)} KB budget), ${kb(t.brotli)} KB brotli`;
}
