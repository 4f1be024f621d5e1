// Browsers, workers and bundlers: the wasm file sits next to this module (bundlers follow
// `new URL(…, import.meta.url)`), compiled once at import.
import init, { AuthentaClient } from "./authenta_wasm.js";

await init({ module_or_path: new URL("./authenta_wasm_bg.wasm", import.meta.url) });

export { AuthentaClient };
export * from "./errors.js";
