// Cloudflare Worker (workerd): the key, the API's URL and the KV namespace come from the
// bindings, which a Worker sees only in its handlers, so the handler is made on the first request
// and kept for the isolate's life. Jobs' owners live in Workers KV (env.JOBS).
// Bundled with esbuild --conditions=workerd,worker: server-workerd.js imports the handler's
// .wasm as a module (workerd refuses to compile wasm from bytes).
import { createAuthentaHandler, workersKvStore } from "authenta-wasm/server";
import { handlerOptions } from "./options.js";

let handler;

export default {
  fetch(request, env) {
    handler ??= createAuthentaHandler(
      handlerOptions({ apiKey: env.AUTHENTA_API_KEY, baseUrl: env.AUTHENTA_BASE_URL, ownership: workersKvStore(env.JOBS) }),
    );
    return handler(request);
  },
};
