// Load and leaks, in Node and in one Chromium page, against the emulator:
// - 200 concurrent uploadAndPoll flows all succeed, each with the result its record's resultURL
//   serves (wall time printed);
// - after a warm-up, 10 000 calls (mostly getMedia; some listMedia, 404s, calls aborted before they
//   start, and getJob calls aborted while the emulator holds their request) each end as their kind
//   should, and leave wasm memory, the JS heap, timers and abort listeners where they were, and
//   no JS value of theirs held by the wasm: each call hands it a fresh `onStatus` function (which
//   the operation holds until it is freed), and once the last call has ended and one garbage
//   collection has run (before any FinalizationRegistry callback can), none may still be alive,
//   whatever would keep it (wasm-bindgen's value array, an operation not freed, a listener).
//   Figures go to test-output/hardening/load.json and the output.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners, setMaxListeners } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startEmulator } from "../support/emulator.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { bytesOf, checkError, sdk, sleep, video } from "../support/helpers.mjs";
import { serverResult } from "../support/raw.mjs";
import { initSync } from "../../pkg/authenta_wasm.js";

const FLOWS = 200;
const CALLS = 10_000;
const WARMUP = 1_000;
const CONCURRENCY = 16;
const MB = 1024 * 1024;
const WASM_SLACK = 1 * MB;
const HEAP_SLACK = 5 * MB;
/**
 * The values a census may find alive right after the last call: none. (A leaked reference, or
 * operations left to wasm-bindgen's FinalizationRegistry instead of `free()`, keep them.)
 */
const HELD_SLACK = 0;
const POLL = { pollIntervalMs: 100, maxPollIntervalMs: 400 };
const UNKNOWN_MID = "0123456789abcdef01234567";
/**
 * The mix's in-flight aborts: `getJob("abort-<k>")`, on a route nothing else in the mix uses, which
 * the emulator holds this long (a delay fault), so the caller's abort, 20 ms after the client
 * called fetch, always lands while the request is pending.
 */
const ABORT_ROUTE = "GET /v1/jobs/:id";
const HELD_MS = 120_000;
const ABORT_AFTER_MS = 20;
const ABORT_URL = "/v1/jobs/abort-";

/** What the mix of `n` calls must end as: one kind per `k % 20`. */
function mixCounts(n) {
  const counts = { get: 0, list: 0, notFound: 0, preAborted: 0, aborted: 0 };
  for (let k = 0; k < n; k++) {
    const r = k % 20;
    counts[r < 14 ? "get" : r < 16 ? "list" : r < 18 ? "notFound" : r === 18 ? "preAborted" : "aborted"]++;
  }
  return counts;
}

/**
 * The clients' `fetch`: once it has sent `…/v1/jobs/abort-<k>`, it aborts call k's controller
 * (`aborts.get(k)`) `abortAfterMs` later. Self-contained: the page evaluates its source too.
 */
function abortingFetch(aborts, setTimer, abortUrl, abortAfterMs) {
  return (input, init) => {
    const sent = fetch(input, init);
    const url = String(input);
    if (url.includes(abortUrl)) {
      const ac = aborts.get(Number(url.slice(url.indexOf(abortUrl) + abortUrl.length)));
      setTimer(() => ac.abort(), abortAfterMs);
    }
    return sent;
  };
}

/** Holds every in-flight-abort request of a warm-up and a measured mix at the emulator. */
async function holdAborts() {
  await emu.fault({ route: ABORT_ROUTE, count: mixCounts(WARMUP).aborted + mixCounts(CALLS).aborted, delayMs: HELD_MS });
}
const OUT_DIR = fileURLToPath(new URL("../../test-output/hardening/", import.meta.url));

// `node --expose-gc` is not needed: the flag can be set at run time.
if (typeof globalThis.gc !== "function") setFlagsFromString("--expose-gc");
const gc = globalThis.gc ?? runInNewContext("gc");

const figures = {};
let emu;

before(async () => {
  emu = await startEmulator({ processingMs: 300 });
});
after(async () => {
  await emu?.stop();
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}load.json`, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`load figures: ${JSON.stringify(figures, null, 2)}`);
});

const mb = (b) => Math.round((b / MB) * 100) / 100;

async function settle() {
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(50); // FinalizationRegistry callbacks (wasm-bindgen closures) run after a GC
  }
  gc();
}

function resources() {
  const byType = {};
  for (const t of process.getActiveResourcesInfo()) byType[t] = (byType[t] ?? 0) + 1;
  return byType;
}

/**
 * A census of values handed to the wasm: `probe()` makes a fresh function and keeps a weak
 * reference to it; `alive()` counts those that are still reachable. Self-contained: the page
 * evaluates its source too.
 */
function census() {
  const refs = [];
  return {
    probe() {
      const f = () => {};
      refs.push(new WeakRef(f));
      return f;
    },
    made: () => refs.length,
    alive: () => refs.filter((r) => r.deref() !== undefined).length,
  };
}

/**
 * Runs `n` calls of the mix, `concurrency` at a time; returns counts per kind. `aborts`: k → its
 * controller; `probe()`: each call's `onStatus`, a value the wasm holds while the call runs.
 */
async function nodeMix(client, mid, n, signal, aborts, probe = () => undefined) {
  const counts = { get: 0, list: 0, notFound: 0, preAborted: 0, aborted: 0 };
  let next = 0;
  async function one(k) {
    const r = k % 20;
    if (r < 14) {
      const m = await client.getMedia(mid, { signal, onStatus: probe() });
      assert.equal(m.mid, mid);
      counts.get++;
    } else if (r < 16) {
      const page = await client.listMedia({ limit: 5 }, { signal, onStatus: probe() });
      assert.equal(page.total, 1);
      counts.list++;
    } else if (r < 18) {
      try {
        await client.getMedia(UNKNOWN_MID, { signal, onStatus: probe() });
        assert.fail("a 404 resolved");
      } catch (e) {
        checkError(e, "NotFoundError", { statusCode: 404 });
      }
      counts.notFound++;
    } else if (r === 18) {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(client.getMedia(mid, { signal: ac.signal, onStatus: probe() }), sdk.AbortError);
      counts.preAborted++;
    } else {
      const ac = new AbortController(); // aborted by the client's fetch, once it has sent this call
      aborts.set(k, ac);
      const jobId = `abort-${k}`;
      await assert.rejects(client.getJob(jobId, { signal: ac.signal, onStatus: probe() }), (e) => {
        checkError(e, "AbortError", { code: "ABORTED", jobId });
        return true;
      });
      aborts.delete(k);
      counts.aborted++;
    }
  }
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let k = next++; k < n; k = next++) await one(k);
    }),
  );
  return counts;
}

describe("Node", () => {
  it(`${FLOWS} concurrent uploadAndPoll flows all succeed`, async () => {
    await emu.reset();
    const client = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
    const inputs = Array.from({ length: FLOWS }, (_, i) => bytesOf(`load-node-${i}`, 2048 + (i % 7) * 100));
    const t0 = performance.now();
    const outs = await Promise.all(
      inputs.map((b, i) => client.uploadAndPoll(video(b), { modelType: "DF-1", name: `n${i}.mp4`, ...POLL })),
    );
    const wall = performance.now() - t0;
    outs.forEach(({ media }, i) => {
      assert.equal(media.status, "PROCESSED");
      assert.equal(media.name, `n${i}.mp4`);
    });
    assert.equal(new Set(outs.map((o) => o.media.mid)).size, FLOWS);
    const log = await emu.log();
    figures.nodeFlows = {
      flows: FLOWS, wallMs: Math.round(wall), requests: log.length,
      puts: log.filter((e) => e.method === "PUT").length,
    };
    assert.equal(figures.nodeFlows.puts, FLOWS, "one PUT per flow");
    for (const [i, { media, result }] of outs.entries()) {
      assert.deepEqual(result, await serverResult(emu, media.mid), `n${i}.mp4`);
    }
  });

  it(`${CALLS} calls: wasm memory, heap, timers and listeners back to the baseline`, async () => {
    await emu.reset();
    await holdAborts();
    const aborts = new Map();
    const client = new sdk.AuthentaClient({
      apiKey: emu.apiKey,
      baseUrl: emu.api,
      fetch: abortingFetch(aborts, setTimeout, ABORT_URL, ABORT_AFTER_MS),
    });
    const wasm = initSync(); // the instance pkg/node.js initialised: its exports
    // The exports have short names (scripts/minify-names.mjs): the memory by its type.
    const memory = Object.values(wasm).find((v) => v instanceof WebAssembly.Memory);
    assert.ok(memory instanceof WebAssembly.Memory, "the wasm exports");
    const { mid } = await client.createMedia({ name: "leak.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
    const longLived = new AbortController(); // one signal shared by every call: its listeners must not pile up
    setMaxListeners(CONCURRENCY + 1, longLived.signal); // one per call in flight is expected
    const measure = () => ({
      heap: process.memoryUsage().heapUsed,
      wasm: memory.buffer.byteLength,
      resources: resources(),
      listeners: getEventListeners(longLived.signal, "abort").length,
    });

    await nodeMix(client, mid, WARMUP, longLived.signal, aborts);
    await settle();
    const base = measure();
    const t0 = performance.now();
    const held = census();
    const counts = await nodeMix(client, mid, CALLS, longLived.signal, aborts, held.probe);
    const wall = performance.now() - t0;
    // At once: no FinalizationRegistry callback has run since the last call ended.
    gc();
    const alive = held.alive();
    await sleep(100); // in-flight aborts' sockets close
    await settle();
    const end = measure();

    figures.nodeLeak = {
      calls: CALLS, wallMs: Math.round(wall), counts,
      heapMB: { base: mb(base.heap), end: mb(end.heap), growth: mb(end.heap - base.heap) },
      wasmMB: { base: mb(base.wasm), end: mb(end.wasm), growth: mb(end.wasm - base.wasm) },
      heldByWasm: { probes: held.made(), alive },
      resources: { base: base.resources, end: end.resources },
      abortListeners: { base: base.listeners, end: end.listeners },
    };
    assert.deepEqual(counts, mixCounts(CALLS), "every call ended as its kind should, in-flight aborts included");
    assert.ok(end.wasm - base.wasm <= WASM_SLACK, `wasm memory grew ${mb(end.wasm - base.wasm)} MB`);
    assert.ok(end.heap - base.heap <= HEAP_SLACK, `JS heap grew ${mb(end.heap - base.heap)} MB`);
    assert.equal(held.made(), CALLS, "every call had its probe");
    assert.ok(alive <= HELD_SLACK, `${alive} of the calls' onStatus functions still alive after the last call`);
    assert.equal(end.listeners, 0, "no abort listener left on the caller's signal");
    assert.equal(end.resources.Timeout ?? 0, base.resources.Timeout ?? 0, "no timer left behind");
    for (const [type, n] of Object.entries(end.resources)) {
      if (type === "TCPSocketWrap") {
        // Kept-alive connections of fetch's pool: at most one per concurrent call.
        assert.ok(n <= CONCURRENCY + (base.resources[type] ?? 0), `${n} sockets`);
      } else {
        assert.ok(n <= (base.resources[type] ?? 0), `${type}: ${base.resources[type] ?? 0} → ${n}`);
      }
    }
  });
});

describe("Chromium", () => {
  let browser;
  let page;
  before(async () => {
    browser = await launchChromium(["--enable-precise-memory-info", "--js-flags=--expose-gc"]);
    page = await browser.newPage();
    // Any document on the web origin: the package is served at /pkg/ (as tests/budget/memory.mjs).
    await page.goto(`${emu.web}/pkg/package.json`);
  });
  after(() => browser?.close());

  it(`${FLOWS} concurrent uploadAndPoll flows in one page all succeed`, async () => {
    await emu.reset();
    const inputs = Array.from({ length: FLOWS }, (_, i) => bytesOf(`load-page-${i}`, 2048 + (i % 7) * 100));
    const out = await page.evaluate(
      async ({ api, apiKey, inputs, poll }) => {
        const { AuthentaClient } = await import("/pkg/index.js");
        const client = new AuthentaClient({ apiKey, baseUrl: api, dangerouslyAllowBrowser: true });
        const t0 = performance.now();
        const outs = await Promise.all(
          inputs.map((b, i) =>
            client.uploadAndPoll(new Blob([new Uint8Array(b)], { type: "video/mp4" }), { modelType: "DF-1", name: `p${i}.mp4`, ...poll }),
          ),
        );
        return { wallMs: performance.now() - t0, outs };
      },
      { api: emu.api, apiKey: emu.apiKey, inputs: inputs.map((b) => Array.from(b)), poll: POLL },
    );
    out.outs.forEach(({ media }, i) => {
      assert.equal(media.status, "PROCESSED");
      assert.equal(media.name, `p${i}.mp4`);
    });
    assert.equal(new Set(out.outs.map((o) => o.media.mid)).size, FLOWS);
    const log = await emu.log();
    figures.chromiumFlows = {
      flows: FLOWS, wallMs: Math.round(out.wallMs), requests: log.length,
      puts: log.filter((e) => e.method === "PUT").length,
      preflights: log.filter((e) => e.method === "OPTIONS").length,
    };
    assert.equal(figures.chromiumFlows.puts, FLOWS, "one PUT per flow");
    for (const [i, { media, result }] of out.outs.entries()) {
      assert.deepEqual(result, await serverResult(emu, media.mid), `p${i}.mp4`);
    }
  });

  it(`${CALLS} calls in the page: wasm memory, heap, timers and listeners back to the baseline`, async () => {
    await emu.reset();
    await holdAborts();
    const r = await page.evaluate(
      async ({ api, apiKey, calls, warmup, concurrency, unknown, abortUrl, abortAfterMs, abortingFetchSource, censusSource }) => {
        // Count live timers and the listeners on one long-lived signal, from here on.
        const live = new Set();
        const realSet = globalThis.setTimeout;
        const realClear = globalThis.clearTimeout;
        globalThis.setTimeout = (fn, ms, ...args) => {
          const id = realSet(() => {
            live.delete(id);
            fn(...args);
          }, ms);
          live.add(id);
          return id;
        };
        globalThis.clearTimeout = (id) => {
          live.delete(id);
          realClear(id);
        };
        const longLived = new AbortController();
        let listeners = 0;
        const sig = longLived.signal;
        const add = sig.addEventListener.bind(sig);
        const remove = sig.removeEventListener.bind(sig);
        sig.addEventListener = (type, l, o) => {
          if (type === "abort") listeners++;
          add(type, l, o);
        };
        sig.removeEventListener = (type, l, o) => {
          if (type === "abort") listeners--;
          remove(type, l, o);
        };

        // The glue itself (pkg/index.js bundles its own copy), for the wasm's memory.
        const glue = await import("/pkg/authenta_wasm.js");
        const wasm = await glue.default({ module_or_path: "/pkg/authenta_wasm_bg.wasm" });
        // The exports have short names (scripts/minify-names.mjs): the memory by its type.
        const memory = Object.values(wasm).find((v) => v instanceof WebAssembly.Memory);
        // The class with its methods (made by methods.js on the same glue).
        const { AuthentaClient } = await import("/pkg/methods.js");
        const { AbortError, NotFoundError } = await import("/pkg/errors.js");
        const aborts = new Map(); // k → the controller of the in-flight abort k, aborted once its fetch is sent
        const abortingFetch = (0, eval)(`(${abortingFetchSource})`);
        const client = new AuthentaClient({
          apiKey,
          baseUrl: api,
          dangerouslyAllowBrowser: true,
          fetch: abortingFetch(aborts, realSet, abortUrl, abortAfterMs),
        });
        const { mid } = await client.createMedia({ name: "leak.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
        const counts = { get: 0, list: 0, notFound: 0, preAborted: 0, aborted: 0, wrong: [] };
        const sleep = (ms) => new Promise((res) => realSet(res, ms));
        let probe = () => undefined;
        async function one(k) {
          const r = k % 20;
          try {
            if (r < 14) {
              if ((await client.getMedia(mid, { signal: sig, onStatus: probe() })).mid !== mid) counts.wrong.push("get");
              counts.get++;
            } else if (r < 16) {
              if ((await client.listMedia({ limit: 5 }, { signal: sig, onStatus: probe() })).total !== 1) counts.wrong.push("list");
              counts.list++;
            } else if (r < 18) {
              try {
                await client.getMedia(unknown, { signal: sig, onStatus: probe() });
                counts.wrong.push("404 resolved");
              } catch (e) {
                if (!(e instanceof NotFoundError)) counts.wrong.push(`404: ${e.name}`);
              }
              counts.notFound++;
            } else if (r === 18) {
              const ac = new AbortController();
              ac.abort();
              try {
                await client.getMedia(mid, { signal: ac.signal, onStatus: probe() });
                counts.wrong.push("pre-aborted resolved");
              } catch (e) {
                if (!(e instanceof AbortError)) counts.wrong.push(`abort: ${e.name}`);
              }
              counts.preAborted++;
            } else {
              const ac = new AbortController();
              aborts.set(k, ac);
              const jobId = `abort-${k}`;
              try {
                await client.getJob(jobId, { signal: ac.signal, onStatus: probe() });
                counts.wrong.push(`${jobId} resolved`);
              } catch (e) {
                if (!(e instanceof AbortError) || e.code !== "ABORTED" || e.jobId !== jobId) {
                  counts.wrong.push(`${jobId}: ${e.name} ${e.code} ${e.jobId}`);
                }
                counts.aborted++;
              }
              aborts.delete(k);
            }
          } catch (e) {
            counts.wrong.push(`${r}: ${e.name}: ${e.message}`);
          }
        }
        async function mix(n) {
          let next = 0;
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              for (let k = next++; k < n; k = next++) await one(k);
            }),
          );
        }
        async function settle() {
          for (let i = 0; i < 4; i++) {
            gc();
            await sleep(50);
          }
          gc();
        }
        const measure = () => ({
          heap: performance.memory.usedJSHeapSize,
          wasm: memory.buffer.byteLength,
          timers: live.size,
          listeners,
        });
        await mix(warmup);
        await settle();
        const base = measure();
        for (const k of Object.keys(counts)) if (k !== "wrong") counts[k] = 0;
        const held = (0, eval)(`(${censusSource})`)();
        probe = held.probe;
        const t0 = performance.now();
        await mix(calls);
        const wallMs = performance.now() - t0;
        // At once: no FinalizationRegistry callback has run since the last call ended.
        gc();
        const alive = held.alive();
        await sleep(100);
        await settle();
        const end = measure();
        globalThis.setTimeout = realSet;
        globalThis.clearTimeout = realClear;
        return { base, end, wallMs, counts, held: { probes: held.made(), alive } };
      },
      {
        api: emu.api, apiKey: emu.apiKey, calls: CALLS, warmup: WARMUP, concurrency: CONCURRENCY, unknown: UNKNOWN_MID,
        abortUrl: ABORT_URL, abortAfterMs: ABORT_AFTER_MS, abortingFetchSource: String(abortingFetch),
        censusSource: String(census),
      },
    );
    const { base, end, counts, held } = r;
    figures.chromiumLeak = {
      calls: CALLS, wallMs: Math.round(r.wallMs), counts: { ...counts, wrong: counts.wrong.length },
      heapMB: { base: mb(base.heap), end: mb(end.heap), growth: mb(end.heap - base.heap) },
      wasmMB: { base: mb(base.wasm), end: mb(end.wasm), growth: mb(end.wasm - base.wasm) },
      heldByWasm: held,
      timers: { base: base.timers, end: end.timers },
      abortListeners: { base: base.listeners, end: end.listeners },
    };
    assert.deepEqual(counts.wrong.slice(0, 5), [], "every call ended as it should");
    const kinds = { ...counts };
    delete kinds.wrong;
    assert.deepEqual(kinds, mixCounts(CALLS), "every call ended as its kind, in-flight aborts included");
    assert.ok(end.wasm - base.wasm <= WASM_SLACK, `wasm memory grew ${mb(end.wasm - base.wasm)} MB`);
    assert.ok(end.heap - base.heap <= HEAP_SLACK, `JS heap grew ${mb(end.heap - base.heap)} MB`);
    assert.equal(held.probes, CALLS, "every call had its probe");
    assert.ok(held.alive <= HELD_SLACK, `${held.alive} of the calls' onStatus functions still alive after the last call`);
    assert.equal(end.timers, 0, "no timer left behind");
    assert.equal(end.listeners, 0, "no abort listener left on the caller's signal");
  });
});
