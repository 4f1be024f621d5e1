// The handler every test serves, in every runtime: one configuration, so that one behaviour suite
// (tests/server/suite.mjs) holds for each adapter. Plain JS with no imports (Node, Deno, Bun and
// workerd load it as it is).
//
// Callers authenticate with `Authorization: Bearer user-<name>` (the application's own session
// token: the handler never sends it upstream). Some names have their own policy or limits.
export const BASE_PATH = "/api/authenta";
export const ORIGINS = ["http://localhost:5173", "chrome-extension://abcdefghijklmnopabcdefghijklmnop"];

export function handlerOptions({ apiKey, baseUrl, ownership, onEvent }) {
  return {
    apiKey,
    baseUrl,
    basePath: BASE_PATH,
    authenticate(request) {
      const token = request.headers.get("authorization") ?? "";
      if (token === "Bearer user-explode") throw new Error("session store down");
      const m = /^Bearer (user-[a-z0-9-]+)$/.exec(token);
      return m ? { id: m[1] } : null;
    },
    policy(caller) {
      if (caller.id === "user-limited") return { tasks: ["DF-1"], maxBytes: 1000, maxInputs: 1, list: false, delete: false };
      if (caller.id === "user-media-only") return { apis: ["media"] };
      if (caller.id === "user-bad-policy") return { tasks: ["no-such-task"] };
      if (caller.id === "user-admin") return { all: true };
      return {};
    },
    rateLimit(caller, operation) {
      if (caller.id === "user-throttled" && operation === "createJob") return { retryAfter: 7 };
      if (caller.id === "user-limiter-down") return Promise.reject(new Error("limiter down"));
      return undefined;
    },
    cors: { origins: ORIGINS },
    ownership,
    onEvent,
  };
}
