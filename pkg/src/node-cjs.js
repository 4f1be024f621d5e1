// Source of pkg/node.cjs, the CommonJS entry: `require("authenta-wasm")` on every Node the
// package supports (require() of ES modules needs 20.19+ / 22.12+). scripts/build-pkg.sh bundles
// it with the glue, the error classes and the embedded wasm into that one file; it works like
// node.js. A process that both imports and requires the package holds two copies of it, each with
// its own error classes: `instanceof` holds within the copy that raised the error.
import { Buffer } from "node:buffer";
import { initSync } from "../authenta_wasm.js";
import { AuthentaClient } from "../client.js";
import { wasmBase64 } from "../authenta_wasm_inline.js";

initSync({ module: Buffer.from(wasmBase64, "base64") });

export { AuthentaClient };
/** The wasm is compiled at import: nothing to wait for. */
export const ready = Promise.resolve();
export * from "../errors.js";
