// Bun: Bun.serve with the handler as its fetch.
//   bun run server/bun.mjs → prints HANDLER_READY <url>
import { createAuthentaHandler } from "authenta-wasm/server";
import { handlerOptions } from "./options.js";

const handler = createAuthentaHandler(
  handlerOptions({ apiKey: process.env.AUTHENTA_API_KEY, baseUrl: process.env.AUTHENTA_BASE_URL }),
);
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
console.log(`HANDLER_READY http://127.0.0.1:${server.port}`);
