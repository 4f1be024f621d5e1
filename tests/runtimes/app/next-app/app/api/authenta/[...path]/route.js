// The handler as a Next.js route handler on the Node runtime: every method the SDK sends (and
// OPTIONS for CORS) under /api/authenta/…. options.js is tests/server/app/options.js, copied
// into app/ by run.mjs.
import { createAuthentaHandler } from "authenta-wasm/server";
import { handlerOptions } from "../../../options.js";

export const runtime = "nodejs";

// Made on the first request, not at import: `next build` imports this module to collect its
// configuration, where the key is usually not set, and createAuthentaHandler refuses to be made
// without credentials (the build fails with its ConfigurationError).
let handler;
function authenta(request) {
  handler ??= createAuthentaHandler(
    handlerOptions({ apiKey: process.env.AUTHENTA_API_KEY, baseUrl: process.env.AUTHENTA_BASE_URL }),
  );
  return handler(request);
}
export { authenta as GET, authenta as POST, authenta as DELETE, authenta as OPTIONS };
