// Express 5: the handler mounted on a sub-path. Express strips the mount path from req.url;
// toNodeListener reads req.originalUrl, so the handler still sees the whole path it matches
// against basePath. Nothing else in the app, and no body parser before it (the handler reads
// the body itself).
//   node server/express.mjs → prints HANDLER_READY <url>
import express from "express";
import { createAuthentaHandler, toNodeListener } from "authenta-wasm/server";
import { BASE_PATH, handlerOptions } from "./options.js";

const handler = createAuthentaHandler(
  handlerOptions({ apiKey: process.env.AUTHENTA_API_KEY, baseUrl: process.env.AUTHENTA_BASE_URL }),
);
const app = express();
app.use(BASE_PATH, toNodeListener(handler));
const server = app.listen(0, "127.0.0.1", () => console.log(`HANDLER_READY http://127.0.0.1:${server.address().port}`));
