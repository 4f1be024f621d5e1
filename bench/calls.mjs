// Section 5, per-call overhead: `client.getMedia(mid)` vs a raw
// `fetch(url, {headers: {authorization}})` + `JSON.parse(await res.text())` to the same emulator
// route, in Node (the package's Node entry) and in headless Chromium (the browser entry), in
// interleaved blocks. A third variant, the raw fetch with the request init the SDK builds
// (`redirect: "manual"`, an abort signal with a 30 s timer), splits the SDK's extra cost into
// what its fetch options cost and what its own code costs.
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  BASELINE_PKG, ROOT, copyBrowserFiles, envInt, fmt, median, printTable, progress, startBenchEmulator, startChromium,
} from "./lib/common.mjs";

// Runs as is in Node and in the page (no closure over this module).
async function perCall({ modulePath, baselinePath, api, apiKey, mid, blocks, perBlock, warmup }) {
  const { AuthentaClient } = await import(modulePath);
  const client = new AuthentaClient({ apiKey, baseUrl: api, dangerouslyAllowBrowser: true });
  // The baseline package's client (BENCH_BASELINE_REF), when there is one: a variant of its own.
  const Baseline = baselinePath ? (await import(baselinePath)).AuthentaClient : undefined;
  const baseline = Baseline && new Baseline({ apiKey, baseUrl: api, dangerouslyAllowBrowser: true });
  const url = `${api}/media/${mid}`;
  const headers = { authorization: `Bearer ${apiKey}` };
  const calls = {
    sdk: async () => {
      const media = await client.getMedia(mid);
      if (media.mid !== mid) throw new Error("getMedia: another record");
    },
    raw: async () => {
      const res = await fetch(url, { headers });
      const media = JSON.parse(await res.text());
      if (!res.ok || media.mid !== mid) throw new Error(`raw GET: HTTP ${res.status}`);
    },
    // What the SDK's transport (src/wasm/js/runtime.js, send) passes to fetch for an API call.
    init: async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const res = await fetch(url, { method: "GET", headers, signal: controller.signal, redirect: "manual" });
        const media = JSON.parse(await res.text());
        if (!res.ok || media.mid !== mid) throw new Error(`raw GET: HTTP ${res.status}`);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  if (baseline) {
    calls.base = async () => {
      const media = await baseline.getMedia(mid);
      if (media.mid !== mid) throw new Error("baseline getMedia: another record");
    };
  }
  const kinds = Object.keys(calls);
  const times = Object.fromEntries(kinds.map((k) => [k, []]));
  const blockMedians = Object.fromEntries(kinds.map((k) => [k, []]));
  const med = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  for (let i = 0; i < warmup; i++) for (const k of kinds) await calls[k]();
  for (let b = 0; b < blocks; b++) {
    // Round b: one block of each variant, the order rotated by one each round.
    for (const kind of kinds.map((_, j) => kinds[(b + j) % kinds.length])) {
      const block = [];
      for (let i = 0; i < perBlock; i++) {
        const t0 = performance.now();
        await calls[kind]();
        block.push(performance.now() - t0);
      }
      times[kind].push(...block);
      blockMedians[kind].push(med(block));
    }
  }
  if (typeof client.free === "function") client.free();
  if (typeof baseline?.free === "function") baseline.free();
  return { times, blockMedians };
}

/**
 * Node, CPU time per call (process.cpuUsage, which other processes disturb less than wall time),
 * layer by layer from raw fetch to getMedia: the SDK's fetch options, its two header reads, the
 * transport of runtime.js called directly, and the whole SDK.
 */
async function cpuSplit({ api, apiKey, mid, blocks, perBlock }) {
  const { readdirSync } = await import("node:fs");
  const { AuthentaClient } = await import("../pkg/node.js");
  const [snippet] = readdirSync(new URL("../pkg/snippets/", import.meta.url));
  const { send } = await import(`../pkg/snippets/${snippet}/src/wasm/js/runtime.js`);
  const client = new AuthentaClient({ apiKey, baseUrl: api });
  const url = `${api}/media/${mid}`;
  const auth = `Bearer ${apiKey}`;
  const init = (signal) => ({ method: "GET", headers: { accept: "application/json", authorization: auth }, redirect: "manual", signal });
  const timed = async (body) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      return await body(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  };
  const calls = {
    raw: async () => JSON.parse(await (await fetch(url, { headers: { authorization: auth } })).text()),
    init: () => timed(async (signal) => JSON.parse(await (await fetch(url, init(signal))).text())),
    reads: () =>
      timed(async (signal) => {
        const res = await fetch(url, init(signal));
        res.headers.get("retry-after");
        res.headers.get("content-length");
        return JSON.parse(await res.text());
      }),
    transport: async () =>
      (await send(undefined, "GET", url, `accept\napplication/json\nauthorization\n${auth}\n`, undefined, true, 30_000, undefined, 64 * 2 ** 20, 8192, undefined))[1],
    sdk: () => client.getMedia(mid),
  };
  const kinds = Object.keys(calls);
  for (const k of kinds) for (let i = 0; i < 100; i++) await calls[k]();
  const cpu = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let b = 0; b < blocks; b++) {
    for (const k of kinds.map((_, j) => kinds[(b + j) % kinds.length])) {
      const start = process.cpuUsage();
      for (let i = 0; i < perBlock; i++) await calls[k]();
      const used = process.cpuUsage(start);
      cpu[k].push((used.user + used.system) / perBlock);
    }
  }
  client.free();
  return Object.fromEntries(kinds.map((k) => [k, median(cpu[k])]));
}

export async function run() {
  const blocks = envInt("BENCH_CALL_BLOCKS", 10);
  const perBlock = envInt("BENCH_CALLS_PER_BLOCK", 100);
  const warmup = 50;
  // The page's folder: bench/pages/index.html, and the baseline's browser entry at /baseline/.
  const www = await mkdtemp(join(tmpdir(), "authenta-bench-calls-"));
  await copyFile(`${ROOT}bench/pages/index.html`, join(www, "index.html"));
  if (BASELINE_PKG) await copyBrowserFiles(BASELINE_PKG, join(www, "baseline"));
  const emu = await startBenchEmulator({ processingMs: 600_000, extraArgs: ["--www", www] });
  const results = {};
  try {
    const { AuthentaClient } = await import("../pkg/node.js");
    const setup = new AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
    const { mid } = await setup.createMedia({ name: "calls.mp4", contentType: "video/mp4", size: 1024, modelType: "DF-1" });
    const args = { api: emu.api, apiKey: emu.apiKey, mid, blocks, perBlock, warmup };
    progress(`per-call: ${blocks} blocks of ${perBlock} calls per variant, Node`);
    results.node = await perCall({
      ...args,
      modulePath: new URL("../pkg/node.js", import.meta.url).href,
      baselinePath: BASELINE_PKG && pathToFileURL(`${BASELINE_PKG}node.js`).href,
    });
    const cpuBlocks = envInt("BENCH_CPU_BLOCKS", 7);
    const cpuPerBlock = envInt("BENCH_CPU_CALLS_PER_BLOCK", 2000);
    progress(`per-call: CPU split, ${cpuBlocks} blocks of ${cpuPerBlock} calls per variant, Node`);
    results.cpu = await cpuSplit({ ...args, blocks: cpuBlocks, perBlock: cpuPerBlock });
    results.cpuShape = { blocks: cpuBlocks, perBlock: cpuPerBlock };
    progress(`per-call: ${blocks} blocks of ${perBlock} calls per variant, Chromium`);
    const browser = await startChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${emu.web}/index.html`);
      results.chromium = await page.evaluate(perCall, { ...args, modulePath: "/pkg/index.js", baselinePath: BASELINE_PKG && "/baseline/index.js" });
    } finally {
      await browser.close();
    }
  } finally {
    await emu.stop();
    await rm(www, { recursive: true, force: true });
  }
  const rows = [];
  const summary = [];
  const us = (ms) => fmt(ms * 1000, 0);
  for (const [where, label] of [["node", "Node"], ["chromium", "Chromium"]]) {
    const r = results[where];
    const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    const blockRatio = (k) => median(r.blockMedians[k].map((x, i) => x / r.blockMedians.raw[i]));
    const diff = (k) => median(r.times[k]) - median(r.times.raw);
    const signed = (x) => `${x >= 0 ? "+" : ""}${us(x)}`;
    const variants = [["sdk", "getMedia"], ...(r.times.base ? [["base", "getMedia, baseline package"]] : []), ["raw", "raw fetch + JSON.parse"], ["init", "  same, SDK's fetch init"]];
    for (const [kind, name] of variants) {
      const base = kind === "raw";
      rows.push([
        `${label} ${name}`,
        r.times[kind].length,
        us(median(r.times[kind])),
        us(pct(r.times[kind], 0.1)),
        us(pct(r.times[kind], 0.9)),
        base ? "" : signed(diff(kind)),
        base ? "1 (base)" : `${fmt(median(r.times[kind]) / median(r.times.raw), 2)}x`,
        base ? "" : `${fmt(blockRatio(kind), 2)}x`,
      ]);
    }
    summary.push(`${signed(diff("sdk"))} µs (${fmt(blockRatio("sdk"), 2)}x${r.times.base ? `; baseline ${fmt(blockRatio("base"), 2)}x` : ""}) ${label}`);
  }
  printTable(
    `5. Per-call overhead: GET /media/{mid} on the emulator, ${blocks} rounds of one ${perBlock}-call block per variant`,
    ["call", "calls", "median µs", "p10 µs", "p90 µs", "-raw µs", "x raw", "block ratio"],
    rows,
    [
      "median/p10/p90: per call, over every call; -raw, x raw: difference and ratio of the medians to raw fetch;",
      `block ratio: median over the rounds of (block median / raw block median). ${warmup} calls of each first, not counted.`,
      "Every figure includes the round trip to the emulator on loopback: -raw is what the SDK adds per call.",
      "\"SDK's fetch init\": the raw call with redirect: \"manual\" and an abort signal with a 30 s timer, as the SDK sends it.",
      "Chromium coarsens performance.now() to 100 µs in a page that is not cross-origin isolated.",
    ],
  );
  const c = results.cpu;
  const cpuRows = [
    ["raw fetch + JSON.parse", c.raw, "", "base"],
    ["+ SDK's fetch init", c.init, c.init - c.raw, "AbortController + 30 s timer, redirect: manual, accept"],
    ["+ Retry-After, Content-Length reads", c.reads, c.reads - c.init, "two Headers.get"],
    ["runtime.js send alone", c.transport, c.transport - c.reads, "the transport, called from JS"],
    ["getMedia", c.sdk, c.sdk - c.transport, "wasm, glue, drive"],
  ].map(([name, v, step, what]) => [name, fmt(v, 1), step === "" ? "" : `+${fmt(step, 1)}`, `${fmt(v / c.raw, 2)}x`, what]);
  printTable(
    `5b. Per-call CPU time in Node, layer by layer (${results.cpuShape.blocks} rotated blocks of ${results.cpuShape.perBlock} calls, medians)`,
    ["call", "CPU µs", "step µs", "x raw", "what the step adds"],
    cpuRows,
    ["CPU time of this process (process.cpuUsage) per call, the emulator's excluded: less disturbed by other processes than wall time."],
  );
  summary.push(`CPU ${fmt(c.sdk / c.raw, 2)}x (time-out and options ${fmt(c.init / c.raw, 2)}x) Node`);
  return `per call SDK-raw ${summary.join(", ")}`;
}

