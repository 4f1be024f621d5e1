// The wasm inlined (base64) and compiled synchronously at import: no file to fetch or copy, and
// the client is ready at once. For MV3 extension service workers, the Next.js Edge runtime, and
// bundlers that do not copy `.wasm` assets (esbuild). It downloads about a third more than the
// default entry, so pages should prefer the default.
import { initSync } from "./authenta_wasm.js";
import { AuthentaClient as WasmClient, failing } from "./client.js";
import { wasmBytes } from "./authenta_wasm_inline.js";
import { ConfigurationError } from "./errors.js";

// A runtime that refuses to compile wasm (an extension whose CSP lacks 'wasm-unsafe-eval') must
// not kill the importing worker at import: every call rejects with the fix instead.
let failure;
try {
  initSync({ module: wasmBytes() });
} catch (cause) {
  failure = new ConfigurationError(
    `authenta-wasm could not compile its WebAssembly module here (${cause?.message ?? cause}). ` +
      "In a browser extension, allow it in manifest.json: " +
      `"content_security_policy": { "extension_pages": "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" }.`,
    { code: "WASM_LOAD_FAILED", retryable: false, cause },
  );
}

export const AuthentaClient = failure ? failing(failure) : WasmClient;
/** The wasm is compiled at import: nothing to wait for (rejects with the failure if it could not be). */
export const ready = failure ? Promise.reject(failure) : Promise.resolve();
ready.catch(() => {}); // reported by the calls, not as an unhandled rejection at import
export * from "./errors.js";
