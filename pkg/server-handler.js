// The I/O of `authenta-wasm/server` (design/SERVER.md): reads the Request, calls the
// application's hooks, sends upstream and writes the Response. Every decision (route, ids,
// policy, ownership, CORS, headers, what to answer) is the Rust core's: `Exchange.step` takes
// what happened as JSON and says what to do next. The entries (server.js, server-workerd.js,
// server.cjs) load the wasm and hand its Handler class to `createFactory`.
import { ConfigurationError } from "./errors.js";
import { inBrowser } from "./guard.js";

/** Upstream answers are small JSON documents: anything past this is not the API. */
const UPSTREAM_CAP = 8 * 1024 * 1024;
/** How many item requests a list page sends at once. */
const LIST_CONCURRENCY = 8;

const VALUE_OPTIONS = ["apiKey", "clientId", "clientSecret", "baseUrl", "basePath", "cors", "timeoutMs"];
const HOOKS = ["authenticate", "policy", "rateLimit", "onEvent", "fetch"];
const OPTIONS = new Set([...VALUE_OPTIONS, ...HOOKS, "ownership"]);

function configError(message) {
  return new ConfigurationError(`createAuthentaHandler: ${message}`, { code: "CONFIGURATION" });
}

/** `createAuthentaHandler` over the wasm's `Handler` class. */
export function createFactory(Handler) {
  return function createAuthentaHandler(options) {
    if (options === null || typeof options !== "object") throw configError("options must be an object");
    // A misspelt hook would be a hook that never runs (a rate limit that is not there): refused.
    for (const name of Object.keys(options)) {
      if (!OPTIONS.has(name)) throw configError(`unknown option "${name}"`);
    }
    if (typeof options.authenticate !== "function") {
      throw configError("authenticate is required: a function (request) => the caller's id, or null");
    }
    for (const name of HOOKS) {
      if (options[name] !== undefined && typeof options[name] !== "function") {
        throw configError(`${name} must be a function`);
      }
    }
    const ownership = options.ownership ?? memoryStore();
    for (const name of ["get", "set", "delete", "list"]) {
      if (typeof ownership?.[name] !== "function") {
        throw configError(`ownership must have get, set, delete and list functions (${name} is missing)`);
      }
    }
    const values = { inBrowser: inBrowser() };
    for (const name of VALUE_OPTIONS) if (options[name] !== undefined) values[name] = options[name];
    let core;
    try {
      core = new Handler(JSON.stringify(values));
    } catch (message) {
      throw configError(String(message));
    }
    const hooks = {
      authenticate: options.authenticate,
      policy: options.policy,
      rateLimit: options.rateLimit,
      onEvent: options.onEvent,
      fetch: options.fetch,
      ownership,
    };
    const handler = (request) => handle(core, hooks, request);
    return handler;
  };
}

async function handle(core, hooks, request) {
  const url = new URL(request.url);
  const header = (name) => request.headers.get(name) ?? undefined;
  const exchange = core.begin(
    JSON.stringify({
      method: request.method,
      path: url.pathname,
      query: url.search,
      origin: header("origin"),
      secFetchSite: header("sec-fetch-site"),
      ownOrigin: url.origin,
      preflightMethod: header("access-control-request-method"),
    }),
    Date.now(),
  );
  const state = { caller: undefined };
  try {
    let event = { go: true };
    for (;;) {
      const step = JSON.parse(exchange.step(JSON.stringify(event)));
      if (step.do === "answer") return respond(step);
      event = await perform(step, hooks, request, state);
    }
  } catch (error) {
    // A bug of ours, not a hook's (those are events): fail closed, say nothing.
    report(hooks, { type: "error", stage: "handler", error }, state);
    return respond({ status: 500, headers: [["content-type", "application/json"], ["cache-control", "no-store"]],
      body: JSON.stringify({ code: "HANDLER_ERROR", statusCode: 500, message: "The server could not complete this request" }) });
  } finally {
    exchange.free();
  }
}

function respond({ status, headers, body }) {
  return new Response(body ?? null, { status, headers });
}

/** Runs one step; a hook that throws or rejects is `{ failed }` (the core answers 500). */
async function perform(step, hooks, request, state) {
  const failed = async (stage, error) => {
    await report(hooks, { type: "error", stage, error }, state);
    return { failed: true };
  };
  switch (step.do) {
    case "authenticate": {
      try {
        const caller = await hooks.authenticate(request);
        state.caller = caller;
        return { caller: callerId(caller) };
      } catch (e) {
        return failed("authenticate", e);
      }
    }
    case "policy": {
      try {
        const policy = hooks.policy ? await hooks.policy(state.caller) : null;
        return { policy: policy ?? null };
      } catch (e) {
        return failed("policy", e);
      }
    }
    case "body":
      try {
        const text = await readBody(request, step.limit);
        return text === undefined ? { tooLarge: true } : { body: text };
      } catch (e) {
        return failed("body", e);
      }
    case "owner":
      try {
        return { record: (await hooks.ownership.get(step.key)) ?? null };
      } catch (e) {
        return failed("ownership", e);
      }
    case "rateLimit": {
      if (!hooks.rateLimit) return { rateLimit: null };
      try {
        const verdict = await hooks.rateLimit(state.caller, step.operation);
        if (verdict === undefined || verdict === null) return { rateLimit: null };
        // Anything else refuses; a wait that is not a number is the core's to bound.
        return { rateLimit: typeof verdict?.retryAfter === "number" ? verdict.retryAfter : "refused" };
      } catch (e) {
        return failed("rateLimit", e);
      }
    }
    case "list":
      try {
        const page = await hooks.ownership.list(step.owner, { api: step.api, offset: step.offset, limit: step.limit });
        return { listed: page ?? null };
      } catch (e) {
        return failed("ownership", e);
      }
    case "send":
      return { upstream: await sendAll(step.requests, step.timeoutMs, hooks.fetch, request.signal) };
    case "store":
      try {
        await hooks.ownership.set(step.key, step.record);
        return { done: true };
      } catch (e) {
        return failed("ownership", e);
      }
    case "forget":
      try {
        await hooks.ownership.delete(step.key);
        return { done: true };
      } catch (e) {
        return failed("ownership", e);
      }
    case "report":
      await report(hooks, step.event, state);
      return { done: true };
    default:
      return { failed: true };
  }
}

/** `authenticate`'s answer as an id: a string, or an object's string or number `id`. */
function callerId(caller) {
  if (typeof caller === "string") return caller;
  const id = caller !== null && typeof caller === "object" ? caller.id : undefined;
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? String(id) : null;
}

/** `onEvent`, with the caller; its failures are its own (never the request's). */
async function report(hooks, event, state) {
  if (!hooks.onEvent) return;
  try {
    await hooks.onEvent({ ...event, caller: state.caller });
  } catch {}
}

/** The request's body as text, or `undefined` past `limit` bytes (read no further). */
async function readBody(request, limit) {
  const length = request.headers.get("content-length");
  if (length !== null && Number(length) > limit) return undefined;
  if (!request.body) return "";
  const bytes = await readAtMost(request.body, limit);
  return bytes && new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** A stream's bytes, or `undefined` (the stream cancelled) once it passes `cap`. */
async function readAtMost(stream, cap) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/** Sends the requests (a few at a time), each ended by the time-out or the caller leaving. */
async function sendAll(requests, timeoutMs, fetchFn, callerSignal) {
  const answers = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      answers[i] = await sendOne(requests[i], timeoutMs, fetchFn, callerSignal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LIST_CONCURRENCY, requests.length) }, worker));
  return answers;
}

async function sendOne(r, timeoutMs, fetchFn, callerSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  const onLeave = () => controller.abort(callerSignal.reason);
  if (callerSignal?.aborted) onLeave();
  else callerSignal?.addEventListener("abort", onLeave, { once: true });
  try {
    const init = { method: r.method, headers: r.headers, redirect: "manual", signal: controller.signal };
    if (r.body !== null && r.body !== undefined) init.body = r.body;
    const response = await (fetchFn ?? fetch)(r.url, init);
    const bytes = response.body ? await readAtMost(response.body, UPSTREAM_CAP) : new Uint8Array(0);
    if (bytes === undefined) return { failed: "network" };
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after") ?? undefined,
      text: new TextDecoder().decode(bytes),
    };
  } catch {
    return { failed: timedOut ? "timeout" : "network" };
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onLeave);
  }
}

/**
 * The default ownership store: in this process's memory, for one process. Bounded: at most
 * `maxJobs` records (the oldest is forgotten first; its owner then gets 404 for it through the
 * handler, as for any unknown id).
 */
export function memoryStore({ maxJobs = 100_000 } = {}) {
  if (!Number.isSafeInteger(maxJobs) || maxJobs < 1) throw configError("memoryStore: maxJobs must be a whole number ≥ 1");
  const records = new Map(); // key → record, oldest first
  const owners = new Map(); // owner → api → Set of ids, oldest first
  const idsOf = (owner, api, create) => {
    let byApi = owners.get(owner);
    if (!byApi && create) owners.set(owner, (byApi = new Map()));
    let ids = byApi?.get(api);
    if (!ids && create) byApi.set(api, (ids = new Set()));
    return ids;
  };
  const forget = (key) => {
    const record = records.get(key);
    if (!record) return;
    records.delete(key);
    const ids = idsOf(record.owner, record.api, false);
    ids?.delete(record.id);
    if (ids?.size === 0) {
      const byApi = owners.get(record.owner);
      byApi.delete(record.api);
      if (byApi.size === 0) owners.delete(record.owner);
    }
  };
  return {
    get: (key) => records.get(key),
    set(key, record) {
      const was = records.get(key);
      // An update (completed) keeps its place; a key recorded again for another owner (an id
      // reused upstream) belongs to the new owner alone.
      if (was && (was.owner !== record.owner || was.api !== record.api)) forget(key);
      records.set(key, record);
      idsOf(record.owner, record.api, true).add(record.id);
      while (records.size > maxJobs) forget(records.keys().next().value);
    },
    delete: forget,
    list(owner, { api, offset, limit }) {
      const ids = idsOf(owner, api, false);
      if (!ids) return { ids: [], total: 0 };
      const newestFirst = [...ids].reverse();
      return { ids: newestFirst.slice(offset, offset + limit), total: ids.size };
    },
    /** How many records it holds (for tests and metrics). */
    get size() {
      return records.size;
    },
  };
}

/**
 * An ownership store on Cloudflare Workers KV: one key per id, one per owner's id (named so
 * that KV's sorted listing is newest first). Lists read the owner's keys: a few KV list calls
 * per thousand jobs. KV is eventually consistent across locations (a job just created elsewhere
 * may take up to a minute to appear in a list there).
 */
export function workersKvStore(kv, { prefix = "authenta:" } = {}) {
  for (const name of ["get", "put", "delete", "list"]) {
    if (typeof kv?.[name] !== "function") throw configError("workersKvStore(kv): kv must be a Workers KV namespace binding");
  }
  const recordKey = (key) => `${prefix}id:${key}`;
  // Newest first in KV's ascending order: the time counted down from the largest safe integer.
  const ownerKey = (r) =>
    `${prefix}owner:${encodeURIComponent(r.owner)}:${r.api}:${String(Number.MAX_SAFE_INTEGER - Math.floor(r.createdAt)).padStart(16, "0")}:${r.id}`;
  return {
    get: (key) => kv.get(recordKey(key), "json"),
    async set(key, record) {
      // A key recorded again for another owner (an id reused upstream) leaves the old owner's list.
      const was = await kv.get(recordKey(key), "json");
      if (was && ownerKey(was) !== ownerKey(record)) await kv.delete(ownerKey(was));
      await kv.put(recordKey(key), JSON.stringify(record));
      await kv.put(ownerKey(record), "");
    },
    async delete(key) {
      const record = await kv.get(recordKey(key), "json");
      await kv.delete(recordKey(key));
      if (record) await kv.delete(ownerKey(record));
    },
    async list(owner, { api, offset, limit }) {
      const names = [];
      let cursor;
      do {
        const page = await kv.list({ prefix: `${prefix}owner:${encodeURIComponent(owner)}:${api}:`, cursor });
        for (const k of page.keys) names.push(k.name);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      const ids = names.slice(offset, offset + limit).map((n) => n.slice(n.lastIndexOf(":") + 1));
      return { ids, total: names.length };
    },
  };
}

/**
 * A `node:http` (and Express, Connect, Fastify's raw) listener around the handler:
 * `http.createServer(toNodeListener(handler))`, `app.use(toNodeListener(handler))`. The
 * request's body streams into the handler, and the handler hears it when the client leaves.
 */
export function toNodeListener(handler) {
  return async (req, res) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort(new DOMException("the client went away", "AbortError"));
    });
    const scheme = req.socket?.encrypted ? "https" : "http";
    // Express strips the mount path from req.url; the handler matches the whole path. An
    // absolute-form target ("GET http://other/…") stays a path, which matches no route.
    const target = req.originalUrl ?? req.url ?? "/";
    const url = `${scheme}://${req.headers.host ?? "localhost"}${target.startsWith("/") ? "" : "/"}${target}`;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const init = { method: req.method, headers, signal: controller.signal };
    // The body streams in as the handler reads it (the socket paused past 64 KB queued). Once the
    // handler has done with it (read enough for a 413, or answered without reading it), the rest
    // is read and dropped, as node:http does for a body nobody reads: destroying the request would
    // take the socket, and the answer, with it.
    let feeding = false;
    const drop = () => {
      feeding = false;
      req.resume();
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      feeding = true;
      init.body = new ReadableStream(
        {
          start(c) {
            req.on("data", (chunk) => {
              if (!feeding) return;
              c.enqueue(new Uint8Array(chunk));
              if (c.desiredSize <= 0) req.pause();
            });
            req.on("end", () => feeding && c.close());
            req.on("error", (e) => feeding && c.error(e));
          },
          pull() {
            req.resume();
          },
          cancel: drop,
        },
        { highWaterMark: 65_536, size: (chunk) => chunk.byteLength },
      );
      init.duplex = "half";
    }
    let response;
    try {
      response = await handler(new Request(url, init));
    } catch {
      response = new Response(null, { status: 500 });
    } finally {
      if (feeding) drop();
    }
    res.statusCode = response.status;
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.end(response.body ? new Uint8Array(await response.arrayBuffer()) : undefined);
  };
}
