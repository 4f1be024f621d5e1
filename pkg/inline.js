// The wasm inlined (base64) and compiled synchronously at import: no file to fetch or copy, and
// the client is ready at once. For MV3 extension service workers and for bundlers that do not
// copy `.wasm` assets (esbuild without a loader). It downloads about a third more than the
// default entry, so pages should prefer the default.
import { initSync } from "./authenta_wasm.js";
import { AuthentaClient } from "./client.js";
import { wasmBase64 } from "./authenta_wasm_inline.js";

const raw = atob(wasmBase64);
const bytes = new Uint8Array(raw.length);
for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
initSync({ module: bytes });

export { AuthentaClient };
/** The wasm is compiled at import: nothing to wait for. */
export const ready = Promise.resolve();
export * from "./errors.js";
