// Cloudflare Worker (workerd): receives a file as the raw request body and runs the flow.
// Bundled with esbuild --conditions=workerd,worker: the "workerd" entry imports the .wasm as a
// module (workerd refuses to compile wasm from bytes).
import * as sdk from "authenta-wasm";
import { flowResponse } from "./flow.js";

export default {
  async fetch(request, env) {
    if (request.method !== "POST") return new Response("POST a file", { status: 405 });
    const file = new Blob([await request.arrayBuffer()], { type: request.headers.get("content-type") ?? "" });
    const args = { api: env.AUTHENTA_API_URL, apiKey: env.AUTHENTA_API_KEY, file };
    return flowResponse(sdk, args, (out) => ({ ...out, userAgent: navigator.userAgent }));
  },
};
