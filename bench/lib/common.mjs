// Shared helpers of the benchmarks: statistics, aligned tables, the emulator and Chromium.
import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const MB = 1024 * 1024;

/** Median of a list of numbers (mean of the two middle values for an even count). */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median of the per-pair ratios a[i] / b[i] (robust to drift across pairs). */
export function pairedRatio(a, b) {
  return median(a.map((x, i) => x / b[i]));
}

/** A number with `d` decimals, or "-" for NaN / undefined. */
export function fmt(x, d = 1) {
  if (x === undefined || x === null || Number.isNaN(x)) return "-";
  if (typeof x === "string") return x;
  return x.toFixed(d);
}

/** "1.23×" */
export const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : "-");

/**
 * Prints an aligned table: `title`, then `header` (an array of column titles, units included),
 * then `rows` (arrays of strings/numbers already formatted). The first column is left-aligned,
 * the others right-aligned. `notes` are printed under the table.
 */
export function printTable(title, header, rows, notes = []) {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  console.log(`\n${title}`);
  console.log(line(cells[0]));
  console.log(rule);
  for (const r of cells.slice(1)) console.log(line(r));
  for (const n of notes) console.log(`  ${n}`);
}

/** Order of the two variants in pair `i`: AB, BA, AB, … (cancels a first/second bias). */
export const pairOrder = (i) => (i % 2 === 0 ? ["sdk", "raw"] : ["raw", "sdk"]);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A positive integer from the environment, else `dflt`. */
export function envInt(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${v}`);
  return n;
}

/** Progress to stderr, so that stdout holds the tables only. */
export const progress = (msg) => process.stderr.write(`bench: ${msg}\n`);

/**
 * The emulator (AUTHENTA_EMULATOR_BIN, else target/release, else target/debug: see
 * tests/support/emulator.mjs) with bench/pages served at / and pkg/ at /pkg/.
 */
export async function startBenchEmulator(opts = {}) {
  const { startEmulator } = await import("../../tests/support/emulator.mjs");
  return startEmulator({
    ...opts,
    extraArgs: ["--www", `${ROOT}bench/pages`, ...(opts.extraArgs ?? [])],
  });
}

/** Headless Chromium (tests/support/chromium.mjs) with precise memory figures and gc(). */
export async function startChromium() {
  const { launchChromium } = await import("../../tests/support/chromium.mjs");
  return launchChromium(["--enable-precise-memory-info", "--js-flags=--expose-gc"]);
}

/**
 * The package to compare with, when `make bench BENCH_BASELINE_REF=<git ref>` built one
 * (scripts/bench.sh: that commit's pkg/, built on this machine in the same run): its folder, or
 * undefined. Each section that measures the SDK then measures it too, interleaved with the rest.
 */
export const BASELINE_PKG = process.env.AUTHENTA_BENCH_BASELINE_PKG
  ? process.env.AUTHENTA_BENCH_BASELINE_PKG.replace(/\/?$/, "/")
  : undefined;

/** The files a page needs of a built package (its browser entry, the wasm, the inlined copy). */
export async function copyBrowserFiles(pkg, dest) {
  await mkdir(dest, { recursive: true });
  for (const f of ["index.js", "authenta_wasm_bg.wasm", "authenta_wasm_inline.js"]) {
    if (existsSync(join(pkg, f))) await copyFile(join(pkg, f), join(dest, f));
  }
}
