// The browser entry (pkg/index.js) loads its wasm in the background instead of with a top-level
// await (issue 10). Run here in Node with the wasm download under the test's control (a stub
// `fetch` for the entry's file: URL; every other request goes to the emulator): a client made
// before the wasm arrives, bad options then, a failed download, and `ready`.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sdk as nodeSdk, useEmulator } from "../support/helpers.mjs";

let emu;
useEmulator({ processingMs: 200 }, (e) => (emu = e));

const entry = new URL("../../pkg/index.js", import.meta.url);
const wasmUrl = new URL("../../pkg/authenta_wasm_bg.wasm", import.meta.url).href;
const realFetch = globalThis.fetch;
let instance = 0;

/**
 * A fresh instance of the browser entry whose wasm download waits for `release(answer)`:
 * answer "ok" (the file, as application/wasm), "octet" (the file, as application/octet-stream),
 * "html" (a 200 with an HTML page, as a single-page app's fallback route answers), a status
 * number, or an Error (fetch rejects).
 */
async function loadEntry(from = entry) {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const requested = [];
  globalThis.fetch = async (url, init) => {
    if (String(url).startsWith("file:")) {
      requested.push(String(url));
      const answer = await gate;
      if (answer instanceof Error) throw answer;
      if (answer === "html") return new Response("<!doctype html><title>app</title>", { headers: { "content-type": "text/html" } });
      if (typeof answer === "number") return new Response("not found", { status: answer });
      const type = answer === "octet" ? "application/octet-stream" : "application/wasm";
      return new Response(await readFile(new URL(url)), { headers: { "content-type": type } });
    }
    return realFetch(url, init);
  };
  try {
    instance += 1;
    const sdk = await import(`${from.href}?instance=${instance}`);
    return { sdk, release, requested };
  } finally {
    globalThis.fetch = realFetch; // the entry has already started its download
  }
}

const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

describe("browser entry: the wasm loads after the import", () => {
  it("its AuthentaClient has the wasm client's public methods, and only those", async () => {
    const { sdk, release } = await loadEntry();
    release("ok");
    // Along the prototype chain: node.js exports a subclass of the wasm-bindgen class (client.js).
    const methods = (cls) => {
      const names = new Set();
      for (let p = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
        for (const n of Object.getOwnPropertyNames(p)) if (!n.startsWith("__")) names.add(n);
      }
      return [...names].sort();
    };
    assert.deepEqual(methods(sdk.AuthentaClient), methods(nodeSdk.AuthentaClient));
    // The bundle is minified: every class keeps its name all the same.
    for (const [name, value] of Object.entries(sdk)) {
      if (typeof value === "function") assert.equal(value.name, name, `${name}.name`);
    }
  });

  it("starts the download at import; a client made before it arrives works once it has", async () => {
    const { sdk, release, requested } = await loadEntry();
    assert.deepEqual(requested, [wasmUrl], "the entry requests its wasm at import, before any client");
    const client = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
    assert.equal(String(client), "AuthentaClient(<loading>)");
    assert.deepEqual(JSON.parse(JSON.stringify(client)), {}, "no settings (and no credentials) before the wasm");
    const page = client.listMedia({ pageSize: 5 });
    const pages = client.iterateMedia();
    release("ok");
    await sdk.ready;
    assert.equal((await page).total, 0);
    assert.deepEqual(await pages.next(), { done: true, value: undefined });
    assert.equal(String(client), `AuthentaClient(${emu.api})`);
    assert.equal(JSON.parse(JSON.stringify(client)).auth, "bearer");
  });

  it("bad options given before the wasm arrives: the constructor cannot check them; every call rejects with the ConfigurationError", async () => {
    const { sdk, release } = await loadEntry();
    const client = new sdk.AuthentaClient({ apiKey: "", baseUrl: emu.api });
    const call = settle(client.getMedia("0123456789abcdef01234567"));
    const next = settle(client.iterateMedia().next());
    release("ok");
    for (const { error } of [await call, await next, await settle(client.listMedia())]) {
      assert.ok(error instanceof sdk.ConfigurationError, `got ${error}`);
      assert.equal(error.code, "CONFIGURATION");
      assert.match(error.message, /apiKey/);
    }
  });

  it("after `await ready`, bad options throw at construction (SDK.md)", async () => {
    const { sdk, release } = await loadEntry();
    release("ok");
    await sdk.ready;
    assert.throws(() => new sdk.AuthentaClient({ apiKey: "", baseUrl: emu.api }), (e) => e instanceof sdk.ConfigurationError && e.code === "CONFIGURATION");
  });

  it("an iterator made before the wasm arrives and closed before its first next() yields nothing", async () => {
    const { sdk, release } = await loadEntry();
    const client = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
    const pages = client.iterateMedia();
    assert.deepEqual(await pages.return(), { done: true, value: undefined });
    release("ok");
    assert.deepEqual(await pages.next(), { done: true, value: undefined });
  });

  it("a .wasm served without application/wasm still loads (compiled from the whole file), with one warning that says so", async () => {
    const warnings = [];
    const warn = console.warn;
    console.warn = (...args) => warnings.push(args.map(String).join(" "));
    try {
      const { sdk, release } = await loadEntry();
      const client = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
      const page = client.listMedia({ pageSize: 5 });
      release("octet");
      await sdk.ready;
      assert.equal((await page).total, 0);
      assert.equal(warnings.length, 1, warnings.join("\n"));
      assert.ok(warnings[0].includes("application/wasm"), warnings[0]);
    } finally {
      console.warn = warn;
    }
  });

  for (const [what, answer] of [
    ["answered 404", 404],
    ["unreachable", new TypeError("fetch failed")],
    ["answered with an HTML page (a single-page app's fallback route)", "html"],
  ]) {
    it(`the .wasm ${what}: the inlined copy loads instead (zero configuration where a bundler did not emit the .wasm)`, async () => {
      const { sdk, release, requested } = await loadEntry();
      const early = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
      const call = early.listMedia({ pageSize: 5 });
      release(answer);
      await sdk.ready;
      assert.deepEqual(requested, [wasmUrl], "the .wasm was tried first, once");
      assert.equal((await call).total, 0, "a call made before the load works");
      assert.equal(String(new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api })), `AuthentaClient(${emu.api})`);
    });
  }

  /** pkg/index.js copied alone into a new folder (with `inline` as its authenta_wasm_inline.js). */
  function entryAlone(inline) {
    const dir = mkdtempSync(join(tmpdir(), "authenta-entry-"));
    copyFileSync(fileURLToPath(entry), join(dir, "index.js"));
    if (inline !== undefined) writeFileSync(join(dir, "authenta_wasm_inline.js"), inline);
    return pathToFileURL(join(dir, "index.js"));
  }

  for (const [what, answer, why] of [
    ["answered 404", 404, "HTTP 404"],
    ["unreachable", new TypeError("fetch failed"), "fetch failed"],
    ["answered with an HTML page", "html", "expected magic word"],
  ]) {
    it(`the .wasm ${what} and the inlined copy missing: the import succeeds, the constructor does not throw, calls and ready reject with WASM_LOAD_FAILED naming the fix`, async () => {
      const from = entryAlone();
      const { sdk, release } = await loadEntry(from);
      const early = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
      const call = settle(early.listMedia());
      release(answer);
      const { error } = await settle(sdk.ready);
      assert.ok(error instanceof sdk.ConfigurationError, `ready rejected with ${error}`);
      assert.equal(error.code, "WASM_LOAD_FAILED");
      assert.equal(error.retryable, false);
      const tried = new URL("authenta_wasm_bg.wasm", from).href;
      for (const part of [tried, why, "nor its inlined copy", "copy it next to the bundle", '"authenta-wasm/inline"']) assert.ok(error.message.includes(part), `${part} in: ${error.message}`);
      // No advice that changes nothing (a bundler loader runs only for a file some code imports).
      assert.ok(!/loader|optimizeDeps|wasm-unsafe-eval/.test(error.message), error.message);
      assert.equal((await call).error, error, "a call made before the failure rejects with it");
      const late = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
      assert.equal((await settle(late.getMedia("0123456789abcdef01234567"))).error, error);
      assert.equal((await settle(late.iterateMedia().next())).error, error);
      assert.equal(String(late), "AuthentaClient(<loading>)");
    });
  }

  it("the inlined copy refused by the compiler (a CSP without 'wasm-unsafe-eval'): the error names the CSP line", async () => {
    // Bytes that are not wasm stand for the refusal: both are a WebAssembly.CompileError.
    const { sdk, release } = await loadEntry(entryAlone('export const wasmBytes = () => new TextEncoder().encode("not wasm");\n'));
    release(404);
    const { error } = await settle(sdk.ready);
    assert.equal(error.code, "WASM_LOAD_FAILED");
    for (const part of ["HTTP 404", "nor its inlined copy", "script-src 'wasm-unsafe-eval'", `"extension_pages": "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"`]) {
      assert.ok(error.message.includes(part), `${part} in: ${error.message}`);
    }
    assert.ok(!error.message.includes("copy it next to the bundle"), error.message);
  });

  for (const [server, cache] of [
    ["Vite", ["node_modules", ".vite", "deps"]],
    ["Angular's ng serve", [".angular", "cache", "21.2.0", "app", "vite", "deps"]],
  ]) {
    it(`a 404 under ${server}'s dependency cache, the inlined copy missing too: the error names the pre-bundling fix`, async () => {
      // The entry as such a server serves it: from its dependency cache, where its .wasm is not
      // (nor, here, the inlined copy, which a pre-bundling that splits code would have kept).
      const deps = join(mkdtempSync(join(tmpdir(), "authenta-vite-")), ...cache);
      mkdirSync(deps, { recursive: true });
      copyFileSync(fileURLToPath(entry), join(deps, "index.js"));
      const { sdk, release } = await loadEntry(pathToFileURL(join(deps, "index.js")));
      release(404);
      const { error } = await settle(sdk.ready);
      assert.equal(error.code, "WASM_LOAD_FAILED");
      for (const part of [pathToFileURL(join(deps, "authenta_wasm_bg.wasm")).href, "HTTP 404", "optimizeDeps.exclude", "prebundle.exclude"]) {
        assert.ok(error.message.includes(part), `${part} in: ${error.message}`);
      }
      assert.ok(!error.message.includes("copy it next to the bundle"), error.message);
    });
  }
});
