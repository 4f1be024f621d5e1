// Memory budget: uploading a 256 MB Blob in headless Chromium must raise neither the wasm
// memory nor the JS heap by more than 8 MB: the file goes to the network as it is, never
// through JS or wasm memory. Prints the figures; exits non-zero above the budget.
import { startEmulator } from "../support/emulator.mjs";
import { launchChromium } from "../support/chromium.mjs";

const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.MEMORY_BUDGET_BLOB_MB ?? 256);
const BUDGET = 8 * MB;

const emu = await startEmulator({ processingMs: 60_000 });
const browser = await launchChromium(["--enable-precise-memory-info", "--js-flags=--expose-gc"]);
let failed = false;
try {
  const page = await browser.newPage();
  // Any document on the web origin: the package is served at /pkg/.
  await page.goto(`${emu.web}/pkg/package.json`);
  const figures = await page.evaluate(
    async ({ api, apiKey, sizeMb }) => {
      // The glue itself (pkg/index.js bundles its own copy): its init() hands back the wasm's
      // exports, memory included, for the client made from the same module.
      const glue = await import("/pkg/authenta_wasm.js");
      const wasm = await glue.default({ module_or_path: "/pkg/authenta_wasm_bg.wasm" });
      // The exports have short names (scripts/minify-names.mjs): the memory by its type.
      const memory = Object.values(wasm).find((v) => v instanceof WebAssembly.Memory);
      // The class with its methods (made by methods.js on the same glue).
      const { AuthentaClient } = await import("/pkg/methods.js");
      const client = new AuthentaClient({ apiKey, baseUrl: api, dangerouslyAllowBrowser: true });
      const heap = () => performance.memory.usedJSHeapSize;
      const wasmBytes = () => memory.buffer.byteLength;

      // Warm up: first calls allocate what every later call reuses.
      await client.upload(new Blob([new Uint8Array(1024)], { type: "video/mp4" }), { modelType: "DF-1" });
      // 256 parts sharing one 1 MB buffer: the Blob's bytes live in the browser's blob store.
      const chunk = new Uint8Array(1024 * 1024).fill(42);
      const blob = new Blob(Array(sizeMb).fill(chunk), { type: "video/mp4" });
      gc();
      await new Promise((r) => setTimeout(r, 200));
      gc();
      const before = { heap: heap(), wasm: wasmBytes() };
      let peak = { ...before };
      let events = 0;
      const sample = setInterval(() => {
        peak = { heap: Math.max(peak.heap, heap()), wasm: Math.max(peak.wasm, wasmBytes()) };
      }, 20);
      const t0 = performance.now();
      const created = await client.upload(blob, {
        modelType: "DF-1",
        onProgress: () => {
          events++;
          peak = { heap: Math.max(peak.heap, heap()), wasm: Math.max(peak.wasm, wasmBytes()) };
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sample);
      gc();
      const after = { heap: heap(), wasm: wasmBytes() };
      return { before, peak, after, events, seconds, mid: created.mid, size: blob.size };
    },
    { api: emu.api, apiKey: emu.apiKey, sizeMb: SIZE_MB },
  );
  const storage = await emu.log("storage");
  const put = storage.filter((e) => e.method === "PUT").at(-1);
  const mb = (b) => (b / MB).toFixed(2);
  const heapRise = figures.peak.heap - figures.before.heap;
  const wasmRise = figures.peak.wasm - figures.before.wasm;
  console.log(`memory: uploaded ${mb(figures.size)} MB in ${figures.seconds.toFixed(2)} s (${figures.events} progress events)`);
  console.log(`memory: JS heap   before ${mb(figures.before.heap)} MB, peak ${mb(figures.peak.heap)} MB, after ${mb(figures.after.heap)} MB: rise ${mb(heapRise)} MB`);
  console.log(`memory: wasm mem  before ${mb(figures.before.wasm)} MB, peak ${mb(figures.peak.wasm)} MB, after ${mb(figures.after.wasm)} MB: rise ${mb(wasmRise)} MB`);
  if (!put || put.headers["content-length"] !== String(figures.size)) {
    console.log(`memory: FAIL: storage did not receive a ${figures.size}-byte PUT (${JSON.stringify(put?.headers)})`);
    failed = true;
  }
  for (const [what, rise] of [["JS heap", heapRise], ["wasm memory", wasmRise]]) {
    if (rise > BUDGET) {
      console.log(`memory: FAIL: ${what} rose ${mb(rise)} MB, budget ${mb(BUDGET)} MB`);
      failed = true;
    }
  }
  console.log(failed ? "memory: 0 passed, 1 failed" : "memory: 1 passed, 0 failed");
} finally {
  await browser.close();
  await emu.stop();
}
process.exit(failed ? 1 : 0);
