// createAuthentaHandler's own surface in Node, against the emulator: its options (checked at
// creation, never echoing a value), the browser refusal, events, the legacy credentials, the
// upstream time-out and the caller leaving, and what it does with upstream answers that are not
// the API's (the emulator's faults).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import { launchChromium } from "../support/chromium.mjs";
import { startEmulator } from "../support/emulator.mjs";
import { bytesOf, expectError, FAST_POLL, image } from "../support/helpers.mjs";
import { ConfigurationError, createAuthentaHandler, toNodeListener } from "../../pkg/server.js";
import { BASE_PATH } from "./app/options.js";
import { clientFor, newJob } from "./suite.mjs";

const KEY = "api_SECRET_handler_surface_k3y";
let emu;
const servers = [];

before(async () => {
  emu = await startEmulator({ processingMs: 40, apiKey: KEY, legacyAuth: true, clientId: "cid_handler", clientSecret: "csec_SECRET_handler" });
});
after(async () => {
  for (const s of servers) {
    s.closeAllConnections?.();
    await new Promise((resolve) => s.close(resolve));
  }
  await emu?.stop();
});

async function serve(options) {
  const handler = createAuthentaHandler({ baseUrl: emu.api, basePath: BASE_PATH, ...options });
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}`;
}

const byHeader = (request) => request.headers.get("authorization")?.replace(/^Bearer /, "") || null;

describe("options", () => {
  const ok = { apiKey: KEY, authenticate: () => "u" };
  const refuses = (options, pattern) => {
    let err;
    try {
      createAuthentaHandler(options);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigurationError, `accepted ${JSON.stringify(Object.keys(options ?? {}))}`);
    assert.equal(err.code, "CONFIGURATION");
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes(KEY), err.message);
  };

  it("are checked at creation, naming the option, never its value", () => {
    refuses(undefined, /options must be an object/);
    refuses({ apiKey: KEY }, /authenticate is required/);
    refuses({ ...ok, authenticate: "yes" }, /authenticate is required/);
    refuses({ ...ok, ratelimit: () => undefined }, /unknown option "ratelimit"/);
    refuses({ ...ok, policy: {} }, /policy must be a function/);
    refuses({ ...ok, onEvent: 1 }, /onEvent must be a function/);
    refuses({ ...ok, ownership: { get() {}, set() {} } }, /ownership must have get, set, delete and list functions \(delete is missing\)/);
    refuses({ authenticate: () => "u" }, /no credentials/);
    refuses({ ...ok, apiKey: `${KEY}\n` }, /apiKey contains white space/);
    refuses({ ...ok, apiKey: 42 }, /apiKey must be a string/);
    refuses({ ...ok, clientId: "c" }, /either apiKey or clientId/);
    refuses({ ...ok, baseUrl: "http://authenta.example/api" }, /baseUrl uses http:/);
    refuses({ ...ok, basePath: "api" }, /basePath must be a path/);
    refuses({ ...ok, cors: { origins: ["*"] } }, /would let any page call the handler/);
    refuses({ ...ok, cors: { origins: ["null"] } }, /would let any page call the handler/);
    refuses({ ...ok, cors: { origins: [] } }, /cors.origins is empty/);
    refuses({ ...ok, cors: ["https://a.example"] }, /cors must be \{ origins/);
    refuses({ ...ok, timeoutMs: -1 }, /timeoutMs must be a positive number/);
    assert.equal(typeof createAuthentaHandler(ok), "function");
  });

  it("refuses to be created in a browser (the client's key guard), entry or stub", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${emu.web}/`);
      const results = await page.evaluate(async (key) => {
        const out = [];
        for (const entry of ["/pkg/server.js", "/pkg/server-browser.js"]) {
          const { createAuthentaHandler, ConfigurationError } = await import(entry);
          try {
            createAuthentaHandler({ apiKey: key, authenticate: () => "u" });
            out.push(`${entry}: created`);
          } catch (e) {
            out.push(`${entry}: ${e instanceof ConfigurationError} ${e.code} ${/never in a browser/.test(e.message)} ${e.message.includes(key)}`);
          }
        }
        return out;
      }, KEY);
      assert.deepEqual(results, ["/pkg/server.js: true CONFIGURATION true false", "/pkg/server-browser.js: true CONFIGURATION true false"]);
    } finally {
      await browser.close();
    }
  });
});

describe("through the emulator", () => {
  it("reports created, finalized, completed, cancelled and deleted, with the caller and the task", async () => {
    const events = [];
    const base = await serve({ apiKey: KEY, authenticate: (r) => ({ id: byHeader(r), plan: "pro" }), onEvent: (e) => events.push(e) });
    const client = clientFor(base, "user-ev");
    const { job } = await client.runJob(image(bytesOf("events", 900), "image/png"), { taskType: "AC-1", ...FAST_POLL });
    await client.getJob(job.id); // seen finished again: no second "completed"
    const other = await client.createJob(newJob(10));
    await client.cancelJob(other.job.id);
    await client.deleteJob(job.id);
    const summary = events.map((e) => `${e.type} ${e.api} ${e.id} ${e.task} ${e.caller.id}/${e.caller.plan}`);
    assert.deepEqual(summary, [
      `created jobs ${job.id} AC-1 user-ev/pro`,
      `finalized jobs ${job.id} AC-1 user-ev/pro`,
      `completed jobs ${job.id} AC-1 user-ev/pro`,
      `created jobs ${other.job.id} AC-1 user-ev/pro`,
      `cancelled jobs ${other.job.id} AC-1 user-ev/pro`,
      `deleted jobs ${job.id} AC-1 user-ev/pro`,
    ]);
  });

  it("an onEvent that throws or rejects changes nothing for the caller", async () => {
    for (const onEvent of [() => { throw new Error("audit down"); }, () => Promise.reject(new Error("audit down"))]) {
      const base = await serve({ apiKey: KEY, authenticate: byHeader, onEvent });
      const created = await clientFor(base, "user-x").createJob(newJob(10));
      assert.equal(created.job.status, "initiated");
    }
  });

  it("sends the legacy client id and secret when given them", async () => {
    const base = await serve({ clientId: "cid_handler", clientSecret: "csec_SECRET_handler", authenticate: byHeader });
    const before = (await emu.apiLog()).length;
    await clientFor(base, "user-legacy").createJob(newJob(10));
    const [sent] = (await emu.apiLog()).slice(before);
    assert.equal(sent.headers["x-client-id"], "cid_handler");
    assert.equal(sent.headers["x-client-secret"], "csec_SECRET_handler");
    assert.equal(sent.headers.authorization, undefined);
  });

  it("relays neither Set-Cookie nor Content-Encoding nor any other upstream header", async () => {
    const base = await serve({ apiKey: KEY, authenticate: byHeader });
    const client = clientFor(base, "user-h");
    const { job } = await client.createJob(newJob(10));
    await emu.fault({
      route: "GET /v1/jobs/:id",
      status: 200,
      body: { id: job.id, status: "initiated" },
      headers: { "Set-Cookie": "upstream=1; Path=/", "Content-Encoding": "identity", "X-Powered-By": "emulator", "Access-Control-Allow-Origin": "*" },
    });
    const res = await fetch(`${base}${BASE_PATH}/v1/jobs/${job.id}`, { headers: { authorization: "Bearer user-h" } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: job.id, status: "initiated" });
    const names = [...res.headers.keys()].filter((n) => !["connection", "date", "keep-alive", "transfer-encoding", "content-length"].includes(n));
    assert.deepEqual(names.sort(), ["cache-control", "content-type", "x-content-type-options"]);
  });

  it("answers 502 for an upstream that is not the API, too slow, or refusing the server's key", async () => {
    const base = await serve({ apiKey: KEY, authenticate: byHeader, timeoutMs: 300 });
    const client = clientFor(base, "user-502");
    const { job } = await client.createJob(newJob(10));
    const cases = [
      [{ status: 200, body: "<html>portal</html>", contentType: "text/html" }, "Authenta answered with something that is not its JSON"],
      [{ status: 200, body: '{"id":', contentType: "application/json" }, "Authenta answered with something that is not its JSON"],
      [{ status: 401, body: { code: "INVALID_API_KEY", statusCode: 401, message: "bad key" } }, "Authenta refused this server's credentials"],
      [{ status: 302, headers: { Location: "http://127.0.0.1:9/" } }, "Authenta answered with an unexpected status"],
      [{ delayMs: 1500 }, "Authenta did not answer in time"],
      [{ drop: true }, "Authenta could not be reached"],
    ];
    for (const [fault, message] of cases) {
      await emu.fault({ route: "GET /v1/jobs/:id", ...fault });
      const err = await expectError(() => client.getJob(job.id), "ServerError", { statusCode: 502, code: "UPSTREAM_FAILED" });
      assert.match(err.message, new RegExp(message.replace(/[()]/g, "\\$&")), JSON.stringify(fault));
    }
  });

  it("the caller leaving ends the upstream request", async () => {
    let upstreamSignal;
    const base = await serve({
      apiKey: KEY,
      authenticate: byHeader,
      fetch: (url, init) => {
        upstreamSignal = init.signal;
        return fetch(url, init);
      },
    });
    const { job } = await clientFor(base, "user-leave").createJob(newJob(10));
    await emu.fault({ route: "GET /v1/jobs/:id", delayMs: 5000 });
    const { port } = new URL(base);
    const req = httpRequest({ hostname: "127.0.0.1", port, path: `${BASE_PATH}/v1/jobs/${job.id}`, headers: { authorization: "Bearer user-leave" } });
    req.on("error", () => {});
    req.end();
    const started = Date.now();
    while (!upstreamSignal || upstreamSignal === null) await new Promise((r) => setTimeout(r, 10));
    await emu.waitForLog((e) => e.origin === "api" && e.path.endsWith(`/v1/jobs/${job.id}`) && e.method === "GET");
    req.destroy();
    while (!upstreamSignal.aborted && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 10));
    assert.equal(upstreamSignal.aborted, true, "the upstream request outlived its caller");
    await emu.clearFaults();
  });
});
