// Node: the handler behind node:http through the package's adapter, toNodeListener.
//   node server/node-http.mjs → prints HANDLER_READY <url>
// The key and the API's URL come from the environment (AUTHENTA_API_KEY, AUTHENTA_BASE_URL);
// options.js is tests/server/app/options.js, copied in by run.mjs.
import { createServer } from "node:http";
import { createAuthentaHandler, toNodeListener } from "authenta-wasm/server";
import { handlerOptions } from "./options.js";

const handler = createAuthentaHandler(
  handlerOptions({ apiKey: process.env.AUTHENTA_API_KEY, baseUrl: process.env.AUTHENTA_BASE_URL }),
);
const server = createServer(toNodeListener(handler));
server.listen(0, "127.0.0.1", () => console.log(`HANDLER_READY http://127.0.0.1:${server.address().port}`));
