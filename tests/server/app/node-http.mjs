// The handler behind node:http, as a separate process (the runtimes suite's Node adapter):
//   node node-http.mjs <package specifier> → prints HANDLER_READY <url>
// Reads AUTHENTA_API_KEY and AUTHENTA_BASE_URL from the environment.
import { createServer } from "node:http";
import { handlerOptions } from "./options.js";

const { createAuthentaHandler, toNodeListener } = await import(process.argv[2] ?? "authenta-wasm/server");
const handler = createAuthentaHandler(
  handlerOptions({ apiKey: process.env.AUTHENTA_API_KEY, baseUrl: process.env.AUTHENTA_BASE_URL }),
);
const server = createServer(toNodeListener(handler));
server.listen(0, "127.0.0.1", () => console.log(`HANDLER_READY http://127.0.0.1:${server.address().port}`));
