// Section 4, start-up: time until the first request leaves, with the SDK (import, compile and
// instantiate the wasm, construct a client, call listMedia) and without (the same request with a
// raw fetch), interleaved, each start cold:
//   Node: a fresh `node` process per start (bench/startup/node-{sdk,raw}.mjs);
//   Chromium: a fresh browser context (empty caches, its own renderer process) per start,
//   loading bench/pages/startup-{sdk,raw}.html from the emulator's web origin, and two copies
//   made here (pages()): the SDK page with the package README's preload hints in its <head>,
//   and the raw page importing a one-line module first (what any separate module costs).
import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  BASELINE_PKG, ROOT, copyBrowserFiles, envInt, fmt, median, printTable, progress, startBenchEmulator, startChromium,
} from "./lib/common.mjs";

function nodeStart(kind, emu) {
  return new Promise((resolve, reject) => {
    // The baseline (BENCH_BASELINE_REF) runs the SDK's script on the baseline package.
    const script = kind === "baseline" ? "sdk" : kind;
    const entry = kind === "baseline" ? { BENCH_NODE_ENTRY: pathToFileURL(`${BASELINE_PKG}node.js`).href } : {};
    const child = spawn(process.execPath, [`${ROOT}bench/startup/node-${script}.mjs`], {
      env: { ...process.env, BENCH_API: emu.api, BENCH_KEY: emu.apiKey, ...entry },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`node-${kind}.mjs exited ${code}`))));
  });
}

/**
 * The pages, in a temporary folder served at /: bench/pages/startup-{sdk,raw}.html as they are,
 * startup-sdk-preload.html (the SDK page with the two hints of the package README, as a page
 * writes them: in its HTML, where the browser's preload scanner finds them), and
 * startup-module.html (the raw page importing /one-line.js before its fetch).
 */
async function pages() {
  const dir = await mkdtemp(join(tmpdir(), "authenta-bench-startup-"));
  const page = (name) => readFile(`${ROOT}bench/pages/${name}`, "utf8");
  for (const name of ["startup-sdk.html", "startup-raw.html"]) await copyFile(`${ROOT}bench/pages/${name}`, join(dir, name));
  const hints = `<link rel="modulepreload" href="/pkg/index.js">
<link rel="preload" href="/pkg/authenta_wasm_bg.wasm" as="fetch" type="application/wasm" crossorigin>
`;
  const sdk = await page("startup-sdk.html");
  await writeFile(join(dir, "startup-sdk-preload.html"), sdk.replace("<script>", `${hints}<script>`));
  // The entry where a bundler did not emit the .wasm (issue 19): the .wasm answers 404, the
  // inlined copy is imported instead.
  await mkdir(join(dir, "nowasm"));
  for (const f of ["index.js", "authenta_wasm_inline.js"]) await copyFile(`${ROOT}pkg/${f}`, join(dir, "nowasm", f));
  await writeFile(join(dir, "startup-sdk-inlined.html"), sdk.replaceAll('"/pkg/', '"/nowasm/'));
  // The baseline package's browser entry (BENCH_BASELINE_REF), on the same page.
  if (BASELINE_PKG) {
    await copyBrowserFiles(BASELINE_PKG, join(dir, "baseline"));
    await writeFile(join(dir, "startup-sdk-baseline.html"), sdk.replaceAll('"/pkg/', '"/baseline/'));
  }
  const raw = await page("startup-raw.html");
  await writeFile(join(dir, "one-line.js"), "export const loaded = true;\n");
  await writeFile(join(dir, "startup-module.html"),
    raw.replace('<script type="module">', '<script type="module">\n  import "/one-line.js";'));
  return dir;
}

const PAGE = {
  sdk: "startup-sdk", baseline: "startup-sdk-baseline", preload: "startup-sdk-preload", inlined: "startup-sdk-inlined",
  raw: "startup-raw", module: "startup-module",
};

/**
 * kind: "sdk", "preload" (the SDK page with the README's preload hints), "inlined" (the .wasm
 * missing: the inlined copy after its 404), "raw" or "module".
 */
async function chromiumStart(kind, emu, browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const q = new URLSearchParams({ api: emu.api, key: emu.apiKey });
    await page.goto(`${emu.web}/${PAGE[kind]}.html?${q}`);
    const t = await page.evaluate(() => window.__result);
    // navigation start (the page's time origin) → first fetch; and from the first script.
    return {
      processMs: t.fetch, importMs: t.fetch - t.script, afterImportMs: t.fetch - t.imported,
      jsStart: t.jsStart, jsEnd: t.jsEnd, wasmStart: t.wasmStart, wasmEnd: t.wasmEnd, imported: t.imported, script: t.script,
      ready: t.ready,
    };
  } finally {
    await context.close();
  }
}

export async function run() {
  const starts = envInt("BENCH_STARTS", 20);
  const www = await pages();
  const emu = await startBenchEmulator({ extraArgs: ["--www", www] });
  const browser = await startChromium();
  const res = { node: { sdk: [], ...(BASELINE_PKG && { baseline: [] }), raw: [] }, chromium: { sdk: [], ...(BASELINE_PKG && { baseline: [] }), preload: [], inlined: [], module: [], raw: [] } };
  try {
    // One warm-up of each, not counted (the OS file cache, the emulator's first answers).
    for (const kind of Object.keys(res.node)) await nodeStart(kind, emu);
    for (const kind of Object.keys(res.chromium)) await chromiumStart(kind, emu, browser);
    progress(`start-up: ${starts} cold starts of each, Node then Chromium`);
    // The kinds in rotation: each in every position in turn (two kinds: AB, BA, …).
    const rotate = (list, i) => list.map((_, j) => list[(i + j) % list.length]);
    for (let i = 0; i < starts; i++) {
      for (const kind of rotate(Object.keys(res.node), i)) res.node[kind].push(await nodeStart(kind, emu));
    }
    for (let i = 0; i < starts; i++) {
      for (const kind of rotate(Object.keys(res.chromium), i)) res.chromium[kind].push(await chromiumStart(kind, emu, browser));
    }
  } finally {
    await browser.close();
    await emu.stop();
    await rm(www, { recursive: true, force: true });
  }
  const rows = [];
  const cost = {};
  const labels = { sdk: "SDK", baseline: "SDK, baseline package", preload: "SDK + preload hints", inlined: "SDK, .wasm missing (inlined copy)", module: "one-line module + raw fetch", raw: "raw fetch" };
  for (const [where, label, fromWhat] of [
    ["node", "Node", "process start"],
    ["chromium", "Chromium", "navigation start"],
  ]) {
    const m = (kind, f) => median(res[where][kind].map((r) => r[f]));
    cost[where] = {};
    for (const kind of Object.keys(res[where])) {
      const sdk = kind !== "raw";
      cost[where][kind] = m(kind, "processMs") - m("raw", "processMs");
      rows.push([
        `${label} ${labels[kind]}`,
        res[where][kind].length,
        fromWhat,
        fmt(m(kind, "processMs"), 1),
        sdk ? `+${fmt(cost[where][kind], 1)}` : "",
        sdk ? `${fmt(m(kind, "processMs") / m("raw", "processMs"), 2)}x` : "",
        fmt(m(kind, "importMs"), 1),
        sdk ? `+${fmt(m(kind, "importMs") - m("raw", "importMs"), 1)}` : "",
        fmt(m(kind, "afterImportMs"), 1),
      ]);
    }
  }
  const c = (kind, f) => fmt(median(res.chromium[kind].map((r) => r[f])), 1);
  const chain = (kind) =>
    `first script ${c(kind, "script")}, index.js requested ${c(kind, "jsStart")} and in ${c(kind, "jsEnd")}, ` +
    `import done ${c(kind, "imported")}, wasm requested ${c(kind, "wasmStart")} and in ${c(kind, "wasmEnd")}, ` +
    `compiled and instantiated ${c(kind, "ready")}, first fetch ${c(kind, "processMs")} ms.`;
  printTable(
    "4. Start-up: to the first request leaving (cold: a fresh process / browser context each), medians",
    ["start", "runs", "from", "ms", "SDK-raw ms", "SDK/raw", "import→fetch ms", "SDK-raw ms", "of which after import ms"],
    rows,
    [
      "ms: from process start (Node, performance.timeOrigin) or navigation start (Chromium) to the first fetch call.",
      "import→fetch: from just before the import (Node) or the page's first script (Chromium) to the first fetch call:",
      "for the SDK that is loading its module, compiling and instantiating the wasm, and constructing the client;",
      "of which after import: the client and the call up to fetch (in a page that includes waiting for the wasm, which",
      "loads in the background after the import). Node's own boot (process start to the script, 60-150 ms here) varies",
      "from start to start; the import→fetch columns do not include it. SDK-raw, SDK/raw: difference and ratio of the",
      "medians. Starts alternate (Node AB, BA; Chromium in rotation). preload hints: the page also has, in its <head>,",
      '<link rel="modulepreload"> for index.js and <link rel="preload" as="fetch"> for the wasm (package README).',
      "one-line module: the raw page importing a one-line module (/one-line.js) before its fetch, the cost of fetching",
      "and running any separate module here (a floor for a library that is not inlined in the page).",
      ".wasm missing: where a bundler did not emit the .wasm (esbuild, Angular, bun build, deno bundle): its request",
      "answers 404 and the entry imports the inlined copy (authenta_wasm_inline.js, a separate module here) instead.",
      `Chromium SDK, medians from navigation start: ${chain("sdk")}`,
      `Chromium SDK + preload hints: ${chain("preload")}`,
    ],
  );
  return `start-up SDK-raw +${fmt(cost.node.sdk, 0)} ms Node, +${fmt(cost.chromium.sdk, 0)} ms Chromium ` +
    `(+${fmt(cost.chromium.preload, 0)} ms with preload hints; +${fmt(cost.chromium.inlined, 0)} ms with the .wasm missing; ` +
    `one-line module +${fmt(cost.chromium.module, 0)} ms)` +
    (BASELINE_PKG ? `; baseline package +${fmt(cost.node.baseline, 0)} ms Node, +${fmt(cost.chromium.baseline, 0)} ms Chromium` : "");
}
