// Section 2, upload: `client.uploadFile(url, blob, {contentType})` vs a raw
// `fetch(url, {method: "PUT", body: blob, headers: {"content-type": …}})` in headless Chromium,
// each to a fresh pre-signed URL of an identical record, interleaved A/B. Peak wasm memory and
// JS heap are sampled every 20 ms during each upload.
import {
  MB, envInt, fmt, median, pairedRatio, printTable, progress, ratio,
  startBenchEmulator, startChromium,
} from "./lib/common.mjs";

/** Sizes (MB) and rounds per size (a round uploads once per variant); BENCH_UPLOAD_ROUNDS_256 / BENCH_UPLOAD_ROUNDS_1024 override. */
export function plan() {
  return [
    { mb: 256, rounds: envInt("BENCH_UPLOAD_ROUNDS_256", 7) },
    { mb: 1024, rounds: envInt("BENCH_UPLOAD_ROUNDS_1024", 5) },
  ].filter((p) => p.rounds > 0);
}

/**
 * The variants, in table order. `sdk` and `raw` are the comparison the section is about; `xhr`
 * and `sdk-fetch` explain it: the SDK uploads through XMLHttpRequest (for byte progress) unless
 * the client has a `fetch` option.
 */
const VARIANTS = [
  ["sdk", "uploadFile (XHR)"],
  ["raw", "raw fetch PUT"],
  ["xhr", "raw XHR PUT"],
  ["sdk-fetch", "uploadFile, fetch option"],
];

// Runs in the page: one upload of window.__bench.blob by `kind`, with memory sampling.
async function uploadOnce({ kind }) {
  const { client, fetchClient, wasm, blob } = window.__bench;
  const type = "video/mp4";
  const created = await client.createMedia({ name: "bench.mp4", contentType: type, size: blob.size, modelType: "DF-1" });
  const heap = () => performance.memory.usedJSHeapSize;
  // The exports have short names (scripts/minify-names.mjs): the memory by type.
  const memory = Object.values(wasm).find((v) => v instanceof WebAssembly.Memory);
  const mem = () => memory.buffer.byteLength;
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const before = { heap: heap(), wasm: mem() };
  const peak = { ...before };
  const sample = () => {
    peak.heap = Math.max(peak.heap, heap());
    peak.wasm = Math.max(peak.wasm, mem());
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  try {
    if (kind === "sdk") {
      await client.uploadFile(created.uploadUrl, blob, { contentType: type });
    } else if (kind === "sdk-fetch") {
      await fetchClient.uploadFile(created.uploadUrl, blob, { contentType: type });
    } else if (kind === "xhr") {
      // What the SDK's transport does (src/wasm/js/runtime.js, xhrSend), without the SDK.
      await new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open("PUT", created.uploadUrl, true);
        xhr.setRequestHeader("Content-Type", type);
        xhr.upload.onprogress = () => {};
        xhr.onload = () => (xhr.status === 200 ? resolve() : reject(new Error(`raw XHR: HTTP ${xhr.status}`)));
        xhr.onerror = () => reject(new Error("raw XHR: network error"));
        xhr.send(blob);
      });
    } else {
      const res = await fetch(created.uploadUrl, { method: "PUT", body: blob, headers: { "content-type": type } });
      await res.text();
      if (!res.ok) throw new Error(`raw PUT: HTTP ${res.status}`);
    }
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t0;
  sample();
  return { ms, mid: created.mid, before, peak };
}

export async function run() {
  const emu = await startBenchEmulator({ processingMs: 600_000 });
  const browser = await startChromium();
  const rows = [];
  const summary = [];
  try {
    const page = await browser.newPage();
    await page.goto(`${emu.web}/index.html`);
    await page.evaluate(
      async ({ api, apiKey }) => {
        // The glue itself (pkg/index.js bundles its own copy): its init() hands back the wasm's
        // exports, memory included, for the client made from the same module.
        const glue = await import("/pkg/authenta_wasm.js");
        const wasm = await glue.default({ module_or_path: "/pkg/authenta_wasm_bg.wasm" });
        // The class with its methods (made by methods.js on the same glue).
        const { AuthentaClient } = await import("/pkg/methods.js");
        const client = new AuthentaClient({ apiKey, baseUrl: api, dangerouslyAllowBrowser: true });
        // The same client through the fetch path (a caller's fetch wins over XMLHttpRequest).
        const fetchClient = new AuthentaClient({
          apiKey, baseUrl: api, dangerouslyAllowBrowser: true, fetch: (u, i) => fetch(u, i),
        });
        window.__bench = { client, fetchClient, wasm };
        // Warm-up: one small upload per variant (connections, preflights, first-call allocations).
        window.__bench.blob = new Blob([new Uint8Array(1024)], { type: "video/mp4" });
      },
      { api: emu.api, apiKey: emu.apiKey },
    );
    for (const [kind] of VARIANTS) await page.evaluate(uploadOnce, { kind });

    for (const { mb, rounds } of plan()) {
      await page.evaluate((n) => {
        const chunk = new Uint8Array(1024 * 1024).fill(42);
        // n parts sharing one 1 MB buffer: the bytes live in the browser's blob store.
        window.__bench.blob = new Blob(Array(n).fill(chunk), { type: "video/mp4" });
      }, mb);
      const res = Object.fromEntries(VARIANTS.map(([k]) => [k, []]));
      for (let i = 0; i < rounds; i++) {
        // Round i: the variants rotated by i (each variant takes each position in turn).
        const order = VARIANTS.map((_, j) => VARIANTS[(i + j) % VARIANTS.length][0]);
        for (const kind of order) {
          const r = await page.evaluate(uploadOnce, { kind });
          progress(`upload ${mb} MB ${kind} ${i + 1}/${rounds}: ${(r.ms / 1000).toFixed(2)} s`);
          res[kind].push(r);
        }
      }
      // Every PUT must have landed whole (the storage log has its Content-Length).
      const puts = (await emu.log("storage")).filter((e) => e.method === "PUT");
      for (const r of Object.values(res).flat()) {
        const put = puts.find((e) => e.path.includes(`/${r.mid}/`));
        if (put?.headers["content-length"] !== String(mb * MB)) {
          throw new Error(`upload of ${r.mid}: the storage saw ${JSON.stringify(put?.headers?.["content-length"])}`);
        }
      }
      await page.evaluate(() => {
        window.__bench.blob = null;
        gc();
      });
      const ms = (k) => res[k].map((r) => r.ms);
      const rise = (k, f) => Math.max(...res[k].map((r) => r.peak[f] - r.before[f])) / MB;
      const peakOf = (k, f) => Math.max(...res[k].map((r) => r.peak[f])) / MB;
      const mbps = (k) => mb / (median(ms(k)) / 1000);
      for (const [k, label] of VARIANTS) {
        rows.push([
          `${mb} MB ${label}`,
          rounds,
          fmt(median(ms(k)) / 1000, 2),
          fmt(Math.min(...ms(k)) / 1000, 2),
          fmt(Math.max(...ms(k)) / 1000, 2),
          fmt(mbps(k), 0),
          k === "raw" ? "1 (base)" : ratio(pairedRatio(ms(k), ms("raw"))),
          fmt(rise(k, "heap"), 2),
          fmt(peakOf(k, "heap"), 1),
          fmt(rise(k, "wasm"), 2),
          fmt(peakOf(k, "wasm"), 2),
        ]);
      }
      summary.push(
        `${mb >= 1024 ? `${mb / 1024} GB` : `${mb} MB`} ${ratio(pairedRatio(ms("sdk"), ms("raw")))} ` +
          `(heap +${fmt(rise("sdk", "heap"), 2)} MB, wasm +${fmt(rise("sdk", "wasm"), 2)} MB)`,
      );
    }
  } finally {
    await browser.close();
    await emu.stop();
  }
  printTable(
    "2. Upload: headless Chromium → emulator (release), a Blob in the blob store, variants interleaved",
    ["upload", "runs", "median s", "min s", "max s", "MB/s", "x raw", "heap rise MB", "heap peak MB", "wasm rise MB", "wasm MB"],
    rows,
    [
      "x raw: median over rounds of (time / raw fetch time in the same round); 1.00x = same cost, above 1 = slower.",
      "Each round runs every variant once, in an order rotated by one each round.",
      "heap/wasm rise: the largest rise over the figure before the upload, sampled every 20 ms (max over runs);",
      "peak: the largest absolute figure. uploadFile uses XMLHttpRequest (for byte progress) unless the client has",
      "a fetch option; the two last rows separate the cost of XMLHttpRequest from the SDK's own.",
    ],
  );
  return `upload SDK/raw ${summary.join(", ")}`;
}
