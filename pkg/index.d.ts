export { AuthentaClient } from "./authenta_wasm.js";
/**
 * Resolves once the WebAssembly module is loaded. Only the browser entry loads it in the
 * background (the other entries compile it at import, and this is already resolved). Nothing needs
 * it: a client made before the load works, checking its options when the wasm arrives (bad ones
 * reject its calls). Await it to have bad options throw at construction, or to learn early that
 * the .wasm could not be loaded: it rejects with a `ConfigurationError` (code `WASM_LOAD_FAILED`).
 */
export declare const ready: Promise<void>;
export * from "./errors.js";
export type * from "./api-types.js";
export type * from "./options.js";
