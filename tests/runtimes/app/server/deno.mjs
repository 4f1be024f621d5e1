// Deno: Deno.serve with the handler as it is.
//   deno run --allow-net --allow-env server/deno.mjs → prints HANDLER_READY <url>
// No --allow-read: the "deno" condition (server.js) embeds the handler's wasm.
import { createAuthentaHandler } from "npm:authenta-wasm/server";
import { handlerOptions } from "./options.js";

const handler = createAuthentaHandler(
  handlerOptions({ apiKey: Deno.env.get("AUTHENTA_API_KEY"), baseUrl: Deno.env.get("AUTHENTA_BASE_URL") }),
);
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ hostname, port }) => console.log(`HANDLER_READY http://${hostname}:${port}`),
}, handler);
