// Source of pkg/server.cjs: `require("authenta-wasm/server")` on every Node the package supports.
// scripts/build-pkg.sh bundles it with the handler, its glue and its embedded wasm into one file.
import { Buffer } from "node:buffer";
import { initSync, Handler } from "../authenta_server.js";
import { wasmBase64 } from "../authenta_server_inline.js";
import { createFactory } from "../server-handler.js";

initSync({ module: Buffer.from(wasmBase64, "base64") });

export const createAuthentaHandler = createFactory(Handler);
export { memoryStore, workersKvStore, toNodeListener } from "../server-handler.js";
export { AuthentaError, ConfigurationError } from "../errors.js";
