// `authenta-wasm/server` as a TypeScript user writes against it (design/SERVER.md): every option,
// every hook's arguments and answers, the stores and the Node adapter. Type-checked, never run.

import {
  ConfigurationError,
  createAuthentaHandler,
  memoryStore,
  toNodeListener,
  workersKvStore,
  type AuthentaHandler,
  type HandlerEvent,
  type KVNamespaceLike,
  type Operation,
  type OwnershipStore,
  type Policy,
} from "authenta-wasm/server";

declare function getSession(request: Request): Promise<{ userId: string } | null>;
declare const kv: KVNamespaceLike;
declare const redis: { get(k: string): Promise<string | null>; set(k: string, v: string): Promise<unknown> };

const handler: AuthentaHandler = createAuthentaHandler({
  apiKey: "api_…",
  baseUrl: "https://platform.authenta.ai/api",
  basePath: "/api/authenta",
  authenticate: async (request: Request) => (await getSession(request))?.userId ?? null,
  policy: (caller): Policy => ({ tasks: ["AC-1", 4, "faceswap-detection"], apis: ["jobs"], maxBytes: 200_000_000, maxInputs: 2, list: true, delete: false, all: caller === "admin" }),
  rateLimit: async (_caller, operation: Operation) => (operation === "createJob" ? { retryAfter: 30 } : undefined),
  cors: { origins: ["https://app.example", "chrome-extension://abcdefghijklmnopabcdefghijklmnop"] },
  onEvent: (event: HandlerEvent) => {
    if (event.type === "created") console.log(event.id, event.task, event.api);
  },
  ownership: memoryStore({ maxJobs: 10_000 }),
  timeoutMs: 20_000,
  fetch,
});
const response: Promise<Response> = handler(new Request("https://app.example/api/authenta/v1/jobs"));

// The legacy client id and secret instead of a key; authenticate may return an object with an id.
createAuthentaHandler({ clientId: "cid", clientSecret: "secret", authenticate: () => ({ id: 42, role: "user" }) });

// A store of one's own (Redis here), through the four functions.
const redisStore: OwnershipStore = {
  get: async (key) => JSON.parse((await redis.get(key)) ?? "null"),
  set: async (key, record) => void (await redis.set(key, JSON.stringify(record))),
  delete: async () => {},
  list: async (_owner, { offset, limit }) => ({ ids: [String(offset), String(limit)], total: 0 }),
};
createAuthentaHandler({ apiKey: "k", authenticate: () => "u", ownership: redisStore });
createAuthentaHandler({ apiKey: "k", authenticate: () => "u", ownership: workersKvStore(kv, { prefix: "a:" }) });

// The Node adapter takes node:http's request and response (structurally).
declare const req: { method: string; url: string; headers: Record<string, string>; on(e: string, l: () => void): void; destroy(): void };
declare const res: { statusCode: number; writableFinished: boolean; setHeader(n: string, v: string): void; end(b?: Uint8Array): void; on(e: "close", l: () => void): void };
const listener = toNodeListener(handler);
const done: Promise<void> = listener(req, res);

try {
  createAuthentaHandler({ apiKey: "k", authenticate: () => null });
} catch (e) {
  if (e instanceof ConfigurationError) console.log(e.code);
}

export { response, done };
