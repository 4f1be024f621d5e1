// Node: read the wasm from disk and compile it synchronously, so no top-level await is needed.
import { readFileSync } from "node:fs";
import { initSync, AuthentaClient } from "./authenta_wasm.js";

initSync({ module: readFileSync(new URL("./authenta_wasm_bg.wasm", import.meta.url)) });

export { AuthentaClient };
export * from "./errors.js";
