// Section 4, start-up: time until the first request leaves, with the SDK (import, compile and
// instantiate the wasm, construct a client, call listMedia) and without (the same request with a
// raw fetch), interleaved, each start cold:
//   Node: a fresh `node` process per start (bench/startup/node-{sdk,raw}.mjs);
//   Chromium: a fresh browser context (empty caches, its own renderer process) per start,
//   loading bench/pages/startup-{sdk,raw}.html from the emulator's web origin.
import { spawn } from "node:child_process";
import {
  ROOT, envInt, fmt, median, pairOrder, printTable, progress, startBenchEmulator, startChromium,
} from "./lib/common.mjs";

function nodeStart(kind, emu) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${ROOT}bench/startup/node-${kind}.mjs`], {
      env: { ...process.env, BENCH_API: emu.api, BENCH_KEY: emu.apiKey },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`node-${kind}.mjs exited ${code}`))));
  });
}

/** kind: "sdk", "preload" (the SDK page with the README's preload hints) or "raw". */
async function chromiumStart(kind, emu, browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const q = new URLSearchParams({ api: emu.api, key: emu.apiKey });
    if (kind === "preload") q.set("preload", "1");
    await page.goto(`${emu.web}/startup-${kind === "raw" ? "raw" : "sdk"}.html?${q}`);
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
  const emu = await startBenchEmulator();
  const browser = await startChromium();
  const res = { node: { sdk: [], raw: [] }, chromium: { sdk: [], preload: [], raw: [] } };
  try {
    // One warm-up of each, not counted (the OS file cache, the emulator's first answers).
    for (const kind of ["sdk", "raw"]) await nodeStart(kind, emu);
    for (const kind of ["sdk", "preload", "raw"]) await chromiumStart(kind, emu, browser);
    progress(`start-up: ${starts} cold starts of each, Node then Chromium`);
    for (let i = 0; i < starts; i++) {
      for (const kind of pairOrder(i)) res.node[kind].push(await nodeStart(kind, emu));
    }
    // Three kinds, each in every position in turn.
    const rotations = [["sdk", "preload", "raw"], ["preload", "raw", "sdk"], ["raw", "sdk", "preload"]];
    for (let i = 0; i < starts; i++) {
      for (const kind of rotations[i % 3]) res.chromium[kind].push(await chromiumStart(kind, emu, browser));
    }
  } finally {
    await browser.close();
    await emu.stop();
  }
  const rows = [];
  const cost = {};
  const labels = { sdk: "SDK", preload: "SDK + preload hints", raw: "raw fetch" };
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
      "medians. Starts alternate (Node AB, BA; Chromium in rotation). preload hints: the page also has",
      '<link rel="modulepreload"> for index.js and <link rel="preload" as="fetch"> for the wasm (package README).',
      `Chromium SDK, medians from navigation start: ${chain("sdk")}`,
      `Chromium SDK + preload hints: ${chain("preload")}`,
    ],
  );
  return `start-up SDK-raw +${fmt(cost.node.sdk, 0)} ms Node, +${fmt(cost.chromium.sdk, 0)} ms Chromium ` +
    `(+${fmt(cost.chromium.preload, 0)} ms with preload hints)`;
}
