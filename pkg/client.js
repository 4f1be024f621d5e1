// The wasm client class as the entries that load the wasm at import export it (node.js,
// node.cjs, inline.js, workerd.js): with its own name, which the minified glue lost (stack traces,
// `util.inspect`, loggers show it), shown by `util.inspect` as its redacted `toString()`, and,
// once freed, rejecting calls with a ConfigurationError as the browser entry's client does (the
// glue would throw "null pointer passed to rust" synchronously). Files that are Blobs of another
// implementation are read into the runtime's own first (below).
import { AuthentaClient } from "./methods.js";
import { ConfigurationError } from "./errors.js";

/** The methods that take files: where their files are (the first argument, `options.reference`). */
const FILE_METHODS = new Set(["upload", "uploadAndPoll", "uploadFile", "submitJob", "runJob"]);

/** Where fetch cannot send another implementation's Blob: Node (and Bun), Deno. */
const serverFetch = typeof globalThis.process?.versions?.node === "string" || typeof globalThis.Deno === "object";

/** A Blob by the SDK's test (its shape) that is not this runtime's own Blob. */
const foreign = (v) =>
  serverFetch && v !== null && typeof v === "object" && typeof Blob === "function" && !(v instanceof Blob) &&
  typeof v.size === "number" && typeof v.slice === "function";

/**
 * A Blob of another implementation (jsdom's, happy-dom's: the test environments of most
 * frontends) as this runtime's own, read through its own API. Node's fetch cannot send such a
 * Blob: it sends the text "[object Blob]" instead of the file. Its bytes pass through memory once;
 * a Blob whose bytes are not its declared size is refused, before anything is created.
 */
async function ownBlob(v, what) {
  const refuse = (why) => new ConfigurationError(`${what} ${why}`, { code: "INVALID_ARGUMENT" });
  const reading = readBuffer(v);
  if (!reading) {
    throw refuse("is a Blob of another implementation with no arrayBuffer() and no FileReader to read it: pass a Blob or File of this runtime");
  }
  const buffer = await reading.catch((e) => {
    throw typeof v.arrayBuffer === "function" ? e : refuse("could not be read by FileReader");
  });
  if (buffer?.byteLength !== v.size) {
    throw refuse(`says it holds ${v.size} bytes but reads as ${buffer?.byteLength ?? "nothing"}: refused rather than upload other bytes`);
  }
  const type = typeof v.type === "string" ? v.type : "";
  return typeof v.name === "string" ? new File([buffer], v.name, { type }) : new Blob([buffer], { type });
}

/**
 * A Blob's bytes through its own API: `arrayBuffer()`, else the environment's FileReader (jsdom's
 * Blob has no `arrayBuffer()`); `undefined` where it has neither.
 */
function readBuffer(v) {
  if (typeof v.arrayBuffer === "function") return Promise.resolve(v.arrayBuffer());
  if (typeof FileReader !== "function") return undefined;
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(v);
  });
}

/** The arguments with every foreign Blob replaced, or `undefined` when there is none. */
function withOwnBlobs(name, args) {
  const [first, second, third] = args;
  const jobs = name === "submitJob" || name === "runJob";
  const fileAt = name === "uploadFile" ? 1 : 0;
  const file = args[fileAt];
  const options = args[fileAt + 1];
  const slots = jobs && file !== null && typeof file === "object" && !foreign(file) && !(file instanceof Blob) ? Object.entries(file) : [];
  const found =
    foreign(file) || foreign(options?.reference) || slots.some(([, s]) => foreign(s) || foreign(s?.file));
  if (!found) return undefined;
  return (async () => {
    const out = [first, second, third];
    if (foreign(file)) out[fileAt] = await ownBlob(file, "the file");
    else if (slots.length) {
      const converted = {};
      for (const [slot, s] of slots) {
        if (foreign(s)) converted[slot] = await ownBlob(s, `input "${slot}"`);
        else if (foreign(s?.file)) converted[slot] = { ...s, file: await ownBlob(s.file, `input "${slot}"`) };
        else converted[slot] = s;
      }
      out[fileAt] = converted;
    }
    if (foreign(options?.reference)) out[fileAt + 1] = { ...options, reference: await ownBlob(options.reference, "reference") };
    return out;
  })();
}

/**
 * Node's own HTTP client, for a Node process whose global scope a simulated DOM replaced (Vitest's
 * and Jest's jsdom and happy-dom environments): there `XMLHttpRequest`, and in happy-dom `fetch`,
 * are the DOM library's, which cannot send another library's Blob (happy-dom's fetch sent Node's
 * as "[object Blob]"), send the test page's Origin and enforce CORS, and send happy-dom's uploads
 * chunked, which storage refuses; Jest's has no fetch at all. A test process is no browser: it
 * talks to the API and storage as Node does. `undefined` where nothing is to be replaced, or
 * `process.getBuiltinModule` (Node 20.16+) is missing.
 */
function nodeTransport() {
  const g = globalThis;
  const builtin = g.process?.getBuiltinModule;
  if (!serverFetch || typeof builtin !== "function") return undefined;
  if (typeof g.document !== "object" && typeof g.fetch === "function") return undefined;
  return async (url, { method, headers, body, signal }) => {
    const { Buffer } = builtin("node:buffer");
    const bytes = typeof body === "string" ? Buffer.from(body) : body && (await blobBytes(body));
    const { request } = builtin(url.startsWith("https:") ? "node:https" : "node:http");
    if (bytes) headers = { ...headers, "content-length": String(bytes.byteLength) };
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const req = request(url, { method, headers }, (res) => {
        const chunks = res[Symbol.asyncIterator]();
        const cancel = async () => void res.destroy();
        resolve({
          status: res.statusCode,
          type: "basic",
          headers: {
            get: (name) => {
              const v = res.headers[name.toLowerCase()];
              return v === undefined ? null : String(v);
            },
          },
          // Read by runtime.js's send with its cap, chunk by chunk (no ReadableStream: Jest's
          // jsdom environment has none).
          body: { cancel, getReader: () => ({ cancel, read: () => chunks.next() }) },
          text: async () => {
            const parts = [];
            for (let c; !(c = await chunks.next()).done; ) parts.push(c.value);
            return Buffer.concat(parts).toString();
          },
        });
      });
      const abort = () => req.destroy(signal.reason);
      signal.addEventListener("abort", abort, { once: true });
      req.on("error", reject);
      req.on("close", () => signal.removeEventListener("abort", abort));
      req.end(bytes);
    });
  };
}

/** A Blob's bytes, for Node's transport (readBuffer), checked against its size. */
async function blobBytes(blob) {
  const buffer = await (readBuffer(blob) ?? Promise.reject(new Error("the file has no arrayBuffer() and there is no FileReader to read it")));
  if (buffer.byteLength !== blob.size) throw new Error(`the file read as ${buffer.byteLength} bytes, not its ${blob.size}`);
  return new Uint8Array(buffer);
}

const proto = AuthentaClient.prototype;
const freed = () => new ConfigurationError("AuthentaClient: used after free()", { code: "CONFIGURATION" });
const afterFree = {
  free() {},
  toString: () => "AuthentaClient(<freed>)",
  toJSON: () => ({}),
};
/** The public methods of the wasm client (`__…` are the glue's own). */
const methods = Object.getOwnPropertyNames(proto).filter(
  (name) => name !== "constructor" && !name.startsWith("__") && typeof proto[name] === "function",
);
/** What a method does when it cannot run: `iterate*` an iterator that rejects, the rest a rejection. */
const rejecting = (name, error) =>
  name.startsWith("iterate")
    ? () => ({
        [Symbol.asyncIterator]() {
          return this;
        },
        next: () => Promise.reject(error()),
        return: async (value) => ({ done: true, value }),
      })
    : () => Promise.reject(error());

/**
 * The client of an entry whose wasm could not be compiled (an extension without
 * 'wasm-unsafe-eval'): made as usual, every call rejects with `error` (the import never throws).
 */
export function failing(error) {
  class Unloaded {
    constructor(_options) {}
    free() {}
    toString() {
      return "AuthentaClient(<not loaded>)";
    }
    toJSON() {
      return {};
    }
  }
  for (const name of methods) {
    if (!(name in Unloaded.prototype)) Object.defineProperty(Unloaded.prototype, name, { value: rejecting(name, () => error), writable: true, configurable: true });
  }
  Object.defineProperty(Unloaded, "name", { value: "AuthentaClient" });
  return Unloaded;
}

for (const name of methods) {
  const method = proto[name];
  const gone = afterFree[name] ?? rejecting(name, freed);
  // Three arguments at most: no rest parameters on the path of every call.
  const guarded = FILE_METHODS.has(name)
    ? function (a, b, c) {
        if (!this.__wbg_ptr) return gone();
        const converting = withOwnBlobs(name, [a, b, c]);
        return converting ? converting.then((args) => guarded.call(this, ...args)) : method.call(this, a, b, c);
      }
    : function (a, b, c) {
        return this.__wbg_ptr ? method.call(this, a, b, c) : gone();
      };
  Object.defineProperty(proto, name, { value: guarded, writable: true, configurable: true });
}
/** The wasm client, given Node's own transport where a simulated DOM holds the globals. */
class Client extends AuthentaClient {
  constructor(options) {
    const fetch = options !== null && typeof options === "object" && !Array.isArray(options) && options.fetch == null && nodeTransport();
    // The caller's options stay as they are, seen through an object that adds the transport.
    super(fetch ? Object.create(options, { fetch: { value: fetch } }) : options);
  }
}
Object.defineProperty(Client, "name", { value: "AuthentaClient" });
Object.defineProperty(proto, Symbol.for("nodejs.util.inspect.custom"), {
  value() {
    return this.toString();
  },
});
if (Symbol.dispose) Object.defineProperty(proto, Symbol.dispose, { value: proto.free, writable: true, configurable: true });

export { Client as AuthentaClient };
