// Cloudflare Workers (workerd): the runtime refuses to compile wasm from bytes, so the .wasm is
// imported as a module (wrangler and miniflare turn it into a WebAssembly.Module).
import module from "./authenta_wasm_bg.wasm";
import { initSync } from "./authenta_wasm.js";
import { AuthentaClient } from "./client.js";

initSync({ module });

export { AuthentaClient };
/** The wasm is compiled at import: nothing to wait for. */
export const ready = Promise.resolve();
export * from "./errors.js";
