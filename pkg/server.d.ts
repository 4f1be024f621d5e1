// Types of `authenta-wasm/server`: the handler a page or an extension talks to instead of
// holding Authenta's key (README.md, "Server").

export { AuthentaError, ConfigurationError } from "./errors.js";

/** What `authenticate` returns: the caller's id, an object with an `id`, or nobody. */
export type Caller = string | { id: string | number; [key: string]: unknown } | null | undefined;

/** What one caller may do. Every field is optional; `{}` (or no `policy`) allows everything but `all`. */
export interface Policy {
  /** Task types this caller may run: codes (`"AC-1"`), ids (`1`, `"1"`) or slugs. Default: every task. */
  tasks?: ReadonlyArray<string | number>;
  /** Which APIs: `"jobs"`, `"media"`. Default: both. */
  apis?: ReadonlyArray<"jobs" | "media">;
  /** The largest declared size of one input, in bytes. */
  maxBytes?: number;
  /** The most inputs of one job (a FI-1 similarity check has two). */
  maxInputs?: number;
  /** May list its jobs and records (default true). */
  list?: boolean;
  /** May delete its jobs and records (default true). */
  delete?: boolean;
  /** Sees every job and record, not only its own (an internal dashboard). Default false. */
  all?: boolean;
}

/** What the handler remembers of a job or record it created. */
export interface OwnershipRecord {
  owner: string;
  api: "jobs" | "media";
  id: string;
  /** The task's code (`"AC-1"`) when the SDK knows it, else what was asked for. */
  task: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Whether a `completed` event was reported for it. */
  completed: boolean;
}

/** The store of id → owner. Every function may be async; a throw or rejection fails the request (500). */
export interface OwnershipStore {
  /** `key` is `"job:<id>"` or `"media:<mid>"`. */
  get(key: string): OwnershipRecord | null | undefined | Promise<OwnershipRecord | null | undefined>;
  set(key: string, record: OwnershipRecord): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  /** One page of an owner's ids, newest first, and how many it has in all. */
  list(
    owner: string,
    page: { api: "jobs" | "media"; offset: number; limit: number },
  ): { ids: string[]; total: number } | Promise<{ ids: string[]; total: number }>;
}

/** The SDK's method names, as `rateLimit` is told what is asked. */
export type Operation =
  | "createJob" | "getJob" | "listJobs" | "finalizeJob" | "cancelJob" | "deleteJob"
  | "createMedia" | "getMedia" | "listMedia" | "deleteMedia";

/** What `onEvent` hears. */
export type HandlerEvent =
  | {
      type: "created" | "finalized" | "cancelled" | "deleted" | "completed";
      api: "jobs" | "media";
      id: string;
      task: string | null;
      caller: Caller;
    }
  | { type: "error"; stage: string; error?: unknown; message?: string; caller: Caller };

interface HandlerOptionsBase {
  /** The upstream API (default Authenta's). Fixed here: nothing in a request changes it. */
  baseUrl?: string;
  /** Where the handler is mounted, such as `"/api/authenta"`. Default: the root. */
  basePath?: string;
  /** Required: who is asking. Runs on every request, inside the handler. */
  authenticate: (request: Request) => Caller | Promise<Caller>;
  policy?: (caller: Caller) => Policy | null | undefined | Promise<Policy | null | undefined>;
  /** Default: `memoryStore()`, for one process. */
  ownership?: OwnershipStore;
  /** `undefined` to go on, `{ retryAfter: seconds }` to refuse (429). A throw refuses too. */
  rateLimit?: (
    caller: Caller,
    operation: Operation,
  ) => { retryAfter: number } | undefined | void | Promise<{ retryAfter: number } | undefined | void>;
  /** Exact origins allowed across origins. Absent: same-origin only. */
  cors?: { origins: string[] };
  /** For audit logs and billing; its failures are ignored. */
  onEvent?: (event: HandlerEvent) => void | Promise<void>;
  /** The upstream fetch (tests, instrumentation). */
  fetch?: typeof fetch;
  /** Time-out of each upstream request, in milliseconds (default 30 000). */
  timeoutMs?: number;
}

export type HandlerOptions = HandlerOptionsBase &
  (
    | { apiKey: string; clientId?: never; clientSecret?: never }
    | { clientId: string; clientSecret: string; apiKey?: never }
  );

/** A Fetch-standard handler: `(Request) => Promise<Response>`. */
export type AuthentaHandler = (request: Request) => Promise<Response>;

/** Makes the handler; bad options throw a `ConfigurationError` (code `CONFIGURATION`). */
export function createAuthentaHandler(options: HandlerOptions): AuthentaHandler;

/** The default store: this process's memory, at most `maxJobs` records (default 100 000; the oldest go first). */
export function memoryStore(options?: { maxJobs?: number }): OwnershipStore & { readonly size: number };

/** A minimal view of a Workers KV namespace binding. */
export interface KVNamespaceLike {
  get(key: string, type: "json"): Promise<unknown>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix: string; cursor?: string }): Promise<{
    keys: { name: string }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

/** A store on Cloudflare Workers KV (`env.NAMESPACE`). */
export function workersKvStore(kv: KVNamespaceLike, options?: { prefix?: string }): OwnershipStore;

/** What `toNodeListener` reads of a `node:http` request (an `IncomingMessage`, Express's `req`). */
export interface NodeRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  originalUrl?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  on(event: "data" | "end" | "error", listener: (...args: any[]) => void): unknown;
  destroy(): unknown;
}

/** What `toNodeListener` writes to (a `ServerResponse`, Express's `res`). */
export interface NodeResponseLike {
  statusCode: number;
  readonly writableFinished: boolean;
  setHeader(name: string, value: string): unknown;
  end(body?: Uint8Array): unknown;
  on(event: "close", listener: () => void): unknown;
}

/** A `node:http` / Express listener around the handler: `http.createServer(toNodeListener(handler))`. */
export function toNodeListener(handler: AuthentaHandler): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void>;
