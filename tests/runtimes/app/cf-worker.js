// Cloudflare Worker (workerd): receives a file as the raw request body and runs the flow.
// Bundled with esbuild --conditions=workerd,worker: the "workerd" entry imports the .wasm as a
// module (workerd refuses to compile wasm from bytes).
import * as sdk from "authenta-wasm";
import { runFlow } from "./flow.js";

export default {
  async fetch(request, env) {
    if (request.method !== "POST") return new Response("POST a file", { status: 405 });
    const file = new Blob([await request.arrayBuffer()], { type: request.headers.get("content-type") ?? "" });
    try {
      const out = await runFlow(sdk, { api: env.AUTHENTA_API_URL, apiKey: env.AUTHENTA_API_KEY, file });
      return Response.json({ ok: true, value: { ...out, userAgent: navigator.userAgent } });
    } catch (e) {
      return Response.json({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` }, { status: 500 });
    }
  },
};
