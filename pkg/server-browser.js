// authenta-wasm/server as a bundler resolves it for a browser: the handler holds Authenta's key,
// so it never runs there. Nothing of the handler (or its wasm) is bundled into a page.
import { ConfigurationError } from "./errors.js";

function refuse() {
  throw new ConfigurationError(
    "createAuthentaHandler runs on your server (Node, Deno, Bun, a Worker), never in a browser: " +
      "the key it holds would be readable by anyone who opens the page",
    { code: "CONFIGURATION" },
  );
}

export const createAuthentaHandler = refuse;
export const memoryStore = refuse;
export const workersKvStore = refuse;
export const toNodeListener = refuse;
export { AuthentaError, ConfigurationError } from "./errors.js";
