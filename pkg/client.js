// The wasm client class as the entries that load the wasm at import export it (node.js,
// node.cjs, inline.js, workerd.js): with its own name, which the minified glue lost (stack traces,
// `util.inspect`, loggers show it), and shown by `util.inspect` as its redacted `toString()`.
import { AuthentaClient } from "./authenta_wasm.js";

Object.defineProperty(AuthentaClient, "name", { value: "AuthentaClient" });
Object.defineProperty(AuthentaClient.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value() {
    return this.toString();
  },
});

export { AuthentaClient };
