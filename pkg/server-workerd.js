// authenta-wasm/server for Cloudflare Workers (workerd): the runtime refuses to compile wasm from
// bytes, so the handler's .wasm is imported as a module (as workerd.js does for the client).
import module from "./authenta_server_bg.wasm";
import { initSync, Handler } from "./authenta_server.js";
import { createFactory } from "./server-handler.js";

initSync({ module });

/** A Fetch-standard handler `(Request) => Promise<Response>` that adds the key (README, "Server"). */
export const createAuthentaHandler = createFactory(Handler);
export { memoryStore, workersKvStore, toNodeListener } from "./server-handler.js";
export { AuthentaError, ConfigurationError } from "./errors.js";
