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

async function chromiumStart(kind, emu, browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const q = new URLSearchParams({ api: emu.api, key: emu.apiKey });
    await page.goto(`${emu.web}/startup-${kind}.html?${q}`);
    const t = await page.evaluate(() => window.__result);
    // navigation start (the page's time origin) → first fetch; and from the first script.
    return {
      processMs: t.fetch, importMs: t.fetch - t.script, afterImportMs: t.fetch - t.imported,
      jsEnd: t.jsEnd, wasmEnd: t.wasmEnd, imported: t.imported, script: t.script,
    };
  } finally {
    await context.close();
  }
}

export async function run() {
  const starts = envInt("BENCH_STARTS", 20);
  const emu = await startBenchEmulator();
  const browser = await startChromium();
  const res = { node: { sdk: [], raw: [] }, chromium: { sdk: [], raw: [] } };
  try {
    // One warm-up of each, not counted (the OS file cache, the emulator's first answers).
    for (const kind of ["sdk", "raw"]) {
      await nodeStart(kind, emu);
      await chromiumStart(kind, emu, browser);
    }
    progress(`start-up: ${starts} cold starts of each, Node then Chromium`);
    for (let i = 0; i < starts; i++) {
      for (const kind of pairOrder(i)) res.node[kind].push(await nodeStart(kind, emu));
    }
    for (let i = 0; i < starts; i++) {
      for (const kind of pairOrder(i)) res.chromium[kind].push(await chromiumStart(kind, emu, browser));
    }
  } finally {
    await browser.close();
    await emu.stop();
  }
  const rows = [];
  const cost = {};
  for (const [where, label, fromWhat] of [
    ["node", "Node", "process start"],
    ["chromium", "Chromium", "navigation start"],
  ]) {
    const m = (kind, f) => median(res[where][kind].map((r) => r[f]));
    cost[where] = m("sdk", "importMs") - m("raw", "importMs");
    for (const kind of ["sdk", "raw"]) {
      const sdk = kind === "sdk";
      rows.push([
        `${label} ${sdk ? "SDK" : "raw fetch"}`,
        res[where][kind].length,
        fromWhat,
        fmt(m(kind, "processMs"), 1),
        sdk ? `+${fmt(m("sdk", "processMs") - m("raw", "processMs"), 1)}` : "",
        sdk ? `${fmt(m("sdk", "processMs") / m("raw", "processMs"), 2)}x` : "",
        fmt(m(kind, "importMs"), 1),
        sdk ? `+${fmt(cost[where], 1)}` : "",
        fmt(m(kind, "afterImportMs"), 1),
      ]);
    }
  }
  const c = (f) => fmt(median(res.chromium.sdk.map((r) => r[f])), 1);
  printTable(
    "4. Start-up: to the first request leaving (cold: a fresh process / browser context each), medians",
    ["start", "runs", "from", "ms", "SDK-raw ms", "SDK/raw", "import→fetch ms", "SDK-raw ms", "of which after import ms"],
    rows,
    [
      "ms: from process start (Node, performance.timeOrigin) or navigation start (Chromium) to the first fetch call.",
      "import→fetch: from just before the import (Node) or the page's first script (Chromium) to the first fetch call:",
      "for the SDK that is loading its modules, compiling and instantiating the wasm, and constructing the client;",
      "of which after import: constructing the client and the call up to fetch. Node's own boot (process start to the",
      "script, 60-150 ms here) varies from start to start; the import→fetch columns do not include it.",
      "SDK-raw, SDK/raw: difference and ratio of the medians. Starts alternate SDK/raw (AB, BA, …).",
      `Chromium SDK, medians from navigation start: first script ${c("script")} ms, last JS module of the package in`,
      `${c("jsEnd")} ms, wasm in ${c("wasmEnd")} ms (resource timing, responseEnd), import done ${c("imported")} ms (compile +`,
      `instantiate overlap the wasm download), first fetch ${c("processMs")} ms.`,
    ],
  );
  return `start-up SDK-raw +${fmt(cost.node, 0)} ms Node, +${fmt(cost.chromium, 0)} ms Chromium`;
}
