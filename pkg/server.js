// authenta-wasm/server for Node, Deno and Bun: the handler's wasm embedded (base64) and compiled
// at import, like node.js. See server-handler.js for the handler and README.md, "Server".
import { initSync, Handler } from "./authenta_server.js";
import { wasmBytes } from "./authenta_server_inline.js";
import { createFactory } from "./server-handler.js";

initSync({ module: wasmBytes() });

/** A Fetch-standard handler `(Request) => Promise<Response>` that adds the key (README, "Server"). */
export const createAuthentaHandler = createFactory(Handler);
export { memoryStore, workersKvStore, toNodeListener } from "./server-handler.js";
export { AuthentaError, ConfigurationError } from "./errors.js";
