// Node and Deno: the wasm embedded (base64, authenta_wasm_inline.js) and compiled synchronously at
// import. No file to read: server bundles (Next.js, webpack, esbuild) rewrite or drop the
// `new URL("….wasm", import.meta.url)` a file read would need, and Deno needs no --allow-read.
// Decoding costs well under a millisecond; the download size does not matter on a server.
import { Buffer } from "node:buffer";
import { initSync } from "./authenta_wasm.js";
import { AuthentaClient } from "./client.js";
import { wasmBase64 } from "./authenta_wasm_inline.js";

initSync({ module: Buffer.from(wasmBase64, "base64") });

export { AuthentaClient };
/** The wasm is compiled at import: nothing to wait for. */
export const ready = Promise.resolve();
export * from "./errors.js";
