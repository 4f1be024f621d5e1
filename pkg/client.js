// The wasm client class as the entries that load the wasm at import export it (node.js,
// node.cjs, inline.js, workerd.js): with its own name, which the minified glue lost (stack traces,
// `util.inspect`, loggers show it), shown by `util.inspect` as its redacted `toString()`, and,
// once freed, rejecting calls with a ConfigurationError as the browser entry's client does (the
// glue would throw "null pointer passed to rust" synchronously).
import { AuthentaClient } from "./authenta_wasm.js";
import { ConfigurationError } from "./errors.js";

const proto = AuthentaClient.prototype;
const freed = () => new ConfigurationError("AuthentaClient: used after free()", { code: "CONFIGURATION" });
const afterFree = {
  free() {},
  toString: () => "AuthentaClient(<freed>)",
  toJSON: () => ({}),
};
for (const name of Object.getOwnPropertyNames(proto)) {
  const method = proto[name];
  if (name === "constructor" || name.startsWith("__") || typeof method !== "function") continue;
  const gone =
    afterFree[name] ??
    (name.startsWith("iterate")
      ? () => ({
          [Symbol.asyncIterator]() {
            return this;
          },
          next: () => Promise.reject(freed()),
          return: async (value) => ({ done: true, value }),
        })
      : () => Promise.reject(freed()));
  // Three arguments at most: no rest parameters on the path of every call.
  const guarded = function (a, b, c) {
    return this.__wbg_ptr ? method.call(this, a, b, c) : gone();
  };
  Object.defineProperty(proto, name, { value: guarded, writable: true, configurable: true });
}
Object.defineProperty(AuthentaClient, "name", { value: "AuthentaClient" });
Object.defineProperty(proto, Symbol.for("nodejs.util.inspect.custom"), {
  value() {
    return this.toString();
  },
});
if (Symbol.dispose) Object.defineProperty(proto, Symbol.dispose, { value: proto.free, writable: true, configurable: true });

export { AuthentaClient };
