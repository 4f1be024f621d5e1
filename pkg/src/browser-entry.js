// Source of pkg/index.js, the browser entry (pages, Web Workers, bundlers). scripts/build-pkg.sh
// bundles it with the wasm-bindgen glue and the error classes into that one file: one module to
// fetch, so the wasm download starts as soon as it has arrived (wasm-request.js: before the rest
// of the bundle is evaluated). Never run from here: the wasm's URL is relative to pkg/index.js.
//
// No top-level await: the wasm loads in the background from the moment of import, so importing
// the package never blocks or breaks the importing module graph (service workers refuse
// top-level await; a missing .wasm would have failed every module that imports the package).
// The exported AuthentaClient is the wasm client once the wasm is there, and until then a
// stand-in that keeps the options and forwards every call when the wasm arrives:
// - constructed after the load (any later task, or after `await ready`): bad options throw at
//   construction (SDK.md);
// - constructed before it (at import time): the options are checked when the wasm arrives, and
//   bad ones reject each call with the same ConfigurationError;
// - the load failed: every call rejects with a ConfigurationError (code WASM_LOAD_FAILED) that
//   names the URL it tried and the fixes. The constructor does not throw it: a missing asset
//   must not crash the code that builds a client (a component's render, a module's top level).
// First: its download starts before the modules below are evaluated.
import { fetched, tried } from "./wasm-request.js";
import init from "../authenta_wasm.js";
import { AuthentaClient as WasmClient } from "../methods.js";
import { ConfigurationError } from "../errors.js";

let loaded = false;
let failure;

// Zero configuration where a bundler does not emit the .wasm (esbuild, Angular, bun build, deno
// bundle, WXT) or a development server pre-bundled the package without it (Vite's dependency
// cache): when the .wasm beside index.js cannot be loaded, the inlined copy is imported instead,
// through a dynamic import() that bundlers which split code make a chunk fetched only then (the
// others put it in the bundle). Where both fail, the first call names the fix for what was seen.
function loadError(cause, status, inlined) {
  const why = status !== undefined ? `HTTP ${status}` : String(cause?.message ?? cause);
  return new ConfigurationError(
    `authenta-wasm could not load its WebAssembly module from ${tried} (${why}), nor its inlined copy (${inlined?.message ?? inlined}). ` +
      (inlined instanceof WebAssembly.CompileError
        ? // The bytes are the package's own: the page or extension refuses to compile wasm.
          "Allow WebAssembly in the Content-Security-Policy: script-src 'wasm-unsafe-eval' (in an extension's manifest.json: " +
          `"content_security_policy": { "extension_pages": "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" }).`
        : /vite\/deps\//.test(tried) // node_modules/.vite/deps/, .angular/cache/…/vite/deps/
          ? 'The development server pre-bundled the package without its .wasm: exclude "authenta-wasm" from that (Vite: optimizeDeps.exclude; Angular: prebundle.exclude in the serve options).'
          : "Serve authenta_wasm_bg.wasm beside the package's index.js, as application/wasm (copy it next to the bundle where the bundler does not), " +
            'or import from "authenta-wasm/inline", which embeds the wasm.'),
    { code: "WASM_LOAD_FAILED", retryable: false, cause },
  );
}

/** Loads the inlined copy; rejects with the error of the .wasm (cause, status) and its own. */
const inlined = (cause, status) =>
  import("./authenta_wasm_inline.js")
    .then(({ wasmBytes }) => init({ module_or_path: wasmBytes() }))
    .catch((e) => Promise.reject(loadError(cause, status, e)));

/** Resolves when the wasm is loaded; rejects with the load error (observed here, so never unhandled). */
export const ready = fetched
  .then(
    (response) =>
      response.ok
        ? // Streamed into WebAssembly.instantiateStreaming by the glue (which falls back to the
          // whole file, with a console warning, when the server does not say application/wasm).
          init({ module_or_path: response }).catch((e) => inlined(e))
        : inlined(undefined, response.status),
    (e) => inlined(e),
  )
  .then(
    () => {
      loaded = true;
    },
    (e) => {
      failure = e;
      throw e;
    },
  );
// Reported to whoever uses a client, not as an unhandled rejection at import.
ready.catch(() => {});

/** Per client: { inner } once it is the wasm client, { options } before, { invalid } if bad. */
const state = new WeakMap();

/** The wasm client, made on first use after the load; undefined while loading; throws if it cannot be. */
function inner(client) {
  const s = state.get(client);
  if (failure) throw failure;
  if (s.invalid) throw s.invalid;
  if (s.inner || !loaded) return s.inner;
  if (s.freed) throw new ConfigurationError("AuthentaClient: used after free()", { code: "CONFIGURATION" });
  try {
    s.inner = new WasmClient(s.options);
  } catch (e) {
    s.invalid = e;
    throw e;
  } finally {
    s.options = undefined;
  }
  return s.inner;
}

/** inner(), or undefined where it would throw (the first call then reports it). */
function current(client) {
  try {
    return inner(client);
  } catch {
    return undefined;
  }
}

export class AuthentaClient {
  constructor(options) {
    state.set(this, loaded ? { inner: new WasmClient(options) } : { options });
  }

  free() {
    const s = state.get(this);
    s.inner?.free();
    Object.assign(s, { inner: undefined, options: undefined, freed: true });
  }

  toString() {
    return current(this)?.toString() ?? "AuthentaClient(<loading>)";
  }

  toJSON() {
    return current(this)?.toJSON() ?? {};
  }
}
if (Symbol.dispose) AuthentaClient.prototype[Symbol.dispose] = AuthentaClient.prototype.free;

// Its own name, which minifying loses (stack traces and loggers show it).
Object.defineProperty(AuthentaClient, "name", { value: "AuthentaClient" });
// Every other public method of the wasm client (taken from it, so new methods need nothing
// here; `__…` are the glue's own): `iterate*` return an async iterator, the others a promise;
// none throws synchronously.
for (const name of Object.getOwnPropertyNames(WasmClient.prototype)) {
  if (name.startsWith("__") || name in AuthentaClient.prototype || typeof WasmClient.prototype[name] !== "function") continue;
  const method = name.startsWith("iterate")
    ? function (...args) {
        const c = current(this);
        if (c) return c[name](...args);
        let iterator; // a promise of the wasm client's iterator, made at the first next()
        const started = () => (iterator ??= ready.then(() => inner(this)[name](...args)));
        const end = (value) => ({ done: true, value });
        return {
          [Symbol.asyncIterator]() {
            return this;
          },
          next: () => started().then((it) => it.next()),
          return(value) {
            const was = iterator;
            iterator = Promise.resolve({ next: async () => end(), return: async (v) => end(v) });
            return was ? was.then((it) => it.return(value), () => end(value)) : Promise.resolve(end(value));
          },
        };
      }
    : function (...args) {
        let c;
        try {
          c = inner(this);
        } catch (e) {
          return Promise.reject(e);
        }
        return c ? c[name](...args) : ready.then(() => inner(this)[name](...args));
      };
  Object.defineProperty(AuthentaClient.prototype, name, { value: method, writable: true, configurable: true });
}

export * from "../errors.js";
