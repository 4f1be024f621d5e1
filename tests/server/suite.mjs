// The behaviour of `authenta-wasm/server`, one suite for every adapter (node:http, Express, Deno,
// Bun, workerd, Next.js): the SDK in Node, with no key, talks to the handler (configured by
// app/options.js) in front of the emulator. Every refusal is checked in the emulator's log:
// nothing reached the API.
//
//   handlerSuite("node:http", async () => ({ base, emu, stop }))
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { AuthentaClient } from "../../pkg/node.js";
import { bytesOf, expectError, FAST_POLL, image, video } from "../support/helpers.mjs";
import { probeResult } from "../support/raw.mjs";
import { BASE_PATH, ORIGINS } from "./app/options.js";

/** The SDK as a page would use it: no key, the application's session token as a header. */
export function clientFor(base, user, extra = {}) {
  return new AuthentaClient({
    baseUrl: `${base}${BASE_PATH}`,
    headers: user ? { authorization: `Bearer ${user}` } : {},
    maxRetries: 0,
    ...extra,
  });
}

/** A `createJob` body: one AC-1 input of `size` bytes. */
export const newJob = (size) => ({ taskTypeId: "1", inputs: [{ slotName: "original", contentType: "image/png", fileName: "a.png", sizeBytes: size }] });

/** Runs `fn` and returns the API requests the emulator received meanwhile. */
export async function upstreamDuring(emu, fn) {
  const before = (await emu.apiLog()).length;
  await fn();
  return (await emu.apiLog()).slice(before);
}

export function handlerSuite(name, setup) {
  describe(`handler behaviour: ${name}`, () => {
    let ctx;
    before(async () => {
      ctx = await setup();
    });
    after(async () => {
      await ctx?.stop?.();
    });
    const alice = () => clientFor(ctx.base, "user-alice");
    const bob = () => clientFor(ctx.base, "user-bob");

    it("runJob through the handler: the verdict is the API's, the key only ever upstream", async () => {
      const png = image(bytesOf(`${name}-png`, 7831), "image/png");
      const upstream = await upstreamDuring(ctx.emu, async () => {
        const { job, result } = await alice().runJob(png, { taskType: "AC-1", ...FAST_POLL });
        assert.equal(job.status, "completed");
        // As the server wrote it: a raw GET of the job's result artifact, no SDK.
        const artifact = job.artifacts.find((a) => a.kind === "result");
        assert.deepEqual(result, await (await fetch(artifact.downloadUrl)).json());
      });
      assert.ok(upstream.length >= 4, `create, finalize, polls: ${upstream.length}`);
      for (const e of upstream) {
        assert.equal(e.headers.authorization, `Bearer ${ctx.emu.apiKey}`, `${e.method} ${e.path}`);
        for (const h of ["cookie", "origin", "x-forwarded-for", "forwarded"]) assert.equal(e.headers[h], undefined, h);
      }
      // The bytes went to storage from the client, never with a key.
      const puts = (await ctx.emu.log("storage")).filter((e) => e.method === "PUT");
      assert.ok(puts.length >= 1);
      for (const p of puts) assert.equal(p.headers.authorization, undefined);
    });

    it("uploadAndPoll (the Media API) through the handler", async () => {
      const bytes = bytesOf(`${name}-media`, 5000);
      const { media, result } = await alice().uploadAndPoll(image(bytes, "image/png"), { modelType: "AC-1", ...FAST_POLL });
      assert.equal(media.status, "PROCESSED");
      assert.deepEqual(result, await probeResult(ctx.emu, { bytes, contentType: "image/png", modelType: "AC-1" }));
    });

    it("another caller's job is a NotFoundError, exactly like a missing one, and nothing goes upstream", async () => {
      const job = await alice().createJob(newJob(10));
      const id = job.job?.id ?? job.id;
      const answers = [];
      const upstream = await upstreamDuring(ctx.emu, async () => {
        for (const call of [
          () => bob().getJob(id),
          () => bob().finalizeJob(id),
          () => bob().cancelJob(id),
          () => bob().deleteJob(id),
          () => bob().getJob("99999999"),
        ]) {
          const e = await expectError(call, "NotFoundError", { statusCode: 404, code: "NOT_FOUND" });
          answers.push(e.message);
        }
      });
      assert.deepEqual(upstream, []);
      assert.equal(new Set(answers.map((m) => m.replace(/job id [^ ]+/, ""))).size, 1, answers.join("\n"));
      // The owner still has it.
      assert.equal((await alice().getJob(id)).status, "initiated");
    });

    it("lists hold only the caller's own jobs, with totals that add up", async () => {
      const carol = clientFor(ctx.base, "user-carol");
      const dave = clientFor(ctx.base, "user-dave");
      const ids = [];
      for (let i = 0; i < 3; i++) {
        const j = await carol.createJob(newJob(10 + i));
        ids.push(j.job?.id ?? j.id);
      }
      await dave.createJob(newJob(5));
      const page1 = await carol.listJobs({ page: 1, limit: 2 });
      const page2 = await carol.listJobs({ page: 2, limit: 2 });
      assert.equal(page1.pagination.total, 3);
      assert.deepEqual([...page1.data, ...page2.data].map((j) => j.id), ids.reverse());
      const seen = [];
      for await (const j of carol.iterateJobs({ limit: 2 })) seen.push(j.id);
      assert.deepEqual(seen, ids);
      const daves = await dave.listJobs();
      assert.equal(daves.pagination.total, 1);
      assert.ok(!daves.data.some((j) => ids.includes(j.id)));
      const erin = await clientFor(ctx.base, "user-erin").listJobs();
      assert.deepEqual([erin.data, erin.pagination.total], [[], 0]);
    });

    it("delete through the handler: gone for its owner too", async () => {
      const a = alice();
      const job = await a.createJob(newJob(10));
      const id = job.job?.id ?? job.id;
      await a.deleteJob(id);
      await expectError(() => a.getJob(id), "NotFoundError", { statusCode: 404 });
    });

    it("no caller, a throwing authenticate, a policy and a rate limit: typed errors, nothing upstream", async () => {
      const upstream = await upstreamDuring(ctx.emu, async () => {
        await expectError(() => clientFor(ctx.base, null).listJobs(), "AuthenticationError", { statusCode: 401, code: "UNAUTHENTICATED" });
        await expectError(() => clientFor(ctx.base, "user-explode").listJobs(), "ServerError", { statusCode: 500, code: "HANDLER_ERROR" });
        const limited = clientFor(ctx.base, "user-limited");
        await expectError(() => limited.runJob(image(bytesOf("x", 100), "image/png"), { taskType: "AC-1" }), "PermissionDeniedError", {
          statusCode: 403,
          code: "TASK_NOT_ALLOWED",
        });
        await expectError(() => limited.runJob(video(bytesOf("v", 2000)), { taskType: "DF-1" }), "BadRequestError", {
          statusCode: 413,
          code: "TOO_LARGE",
        });
        await expectError(() => limited.listJobs(), "PermissionDeniedError", { code: "OPERATION_NOT_ALLOWED" });
        await expectError(() => clientFor(ctx.base, "user-media-only").listJobs(), "PermissionDeniedError", { code: "OPERATION_NOT_ALLOWED" });
        await expectError(() => clientFor(ctx.base, "user-bad-policy").listJobs(), "ServerError", { statusCode: 500, code: "HANDLER_ERROR" });
        const throttled = await expectError(
          () => clientFor(ctx.base, "user-throttled").createJob(newJob(1)),
          "RateLimitError",
          { statusCode: 429, code: "RATE_LIMITED" },
        );
        assert.equal(throttled.retryable, true);
        await expectError(() => clientFor(ctx.base, "user-limiter-down").listJobs(), "ServerError", { statusCode: 500 });
      });
      assert.deepEqual(upstream, []);
    });

    // The cases below are about what reaches the handler through each adapter: the request's
    // URL (its origin, against which a same-origin request is recognised), its headers, and the
    // answer's status and headers on the way back. (A body over the limit is node-listener.test.mjs's:
    // a server that answers before reading a body may close the connection while the client still
    // writes, which loses the answer in some runtimes whatever the handler does.)

    it("origins through the adapter: a listed one and the handler's own are served, with their headers", async () => {
      const url = `${ctx.base}${BASE_PATH}/v1/jobs`;
      const auth = { authorization: "Bearer user-alice" };
      const listed = await fetch(url, { headers: { ...auth, origin: ORIGINS[0] } });
      assert.equal(listed.status, 200, await listed.clone().text());
      assert.equal(listed.headers.get("access-control-allow-origin"), ORIGINS[0]);
      assert.match(listed.headers.get("vary") ?? "", /origin/i);
      assert.match(listed.headers.get("access-control-expose-headers") ?? "", /retry-after/i);
      assert.equal(listed.headers.get("access-control-allow-credentials"), null);
      assert.equal(listed.headers.get("cache-control"), "no-store");
      // A page served by the same server sends its own origin with a POST: the handler must see
      // the request's URL as the caller did (scheme, host, port) through the adapter.
      const own = new URL(ctx.base).origin;
      const created = await fetch(url, {
        method: "POST",
        headers: { ...auth, origin: own, "content-type": "application/json" },
        body: JSON.stringify(newJob(10)),
      });
      assert.equal(created.status, 200, await created.clone().text());
      const id = (await created.json()).job.id;
      assert.equal((await alice().getJob(id)).id, id);
    });

    it("origins through the adapter: preflights, an unlisted origin, a wrong method: nothing upstream", async () => {
      const url = `${ctx.base}${BASE_PATH}/v1/jobs`;
      const auth = { authorization: "Bearer user-alice" };
      const upstream = await upstreamDuring(ctx.emu, async () => {
        const preflight = await fetch(url, {
          method: "OPTIONS",
          headers: { origin: ORIGINS[1], "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
        });
        assert.equal(preflight.status, 204, await preflight.clone().text());
        assert.equal(preflight.headers.get("access-control-allow-origin"), ORIGINS[1]);
        assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /\bPOST\b/);
        assert.equal(preflight.headers.get("access-control-allow-credentials"), null);
        const refused = await fetch(url, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
        assert.equal(refused.status, 403);
        assert.equal(refused.headers.get("access-control-allow-origin"), null);
        const post = await fetch(url, {
          method: "POST",
          headers: { ...auth, origin: "https://evil.example", "content-type": "application/json" },
          body: JSON.stringify(newJob(10)),
        });
        assert.equal(post.status, 403);
        assert.equal((await post.json()).code, "ORIGIN_NOT_ALLOWED");
        // A method the SDK sends, on a path that does not take it: the handler's 405 (a method no
        // route takes, such as PUT, may be the framework's to refuse: Next.js does).
        const wrong = await fetch(url, { method: "DELETE", headers: auth });
        assert.equal(wrong.status, 405);
        assert.match(wrong.headers.get("allow") ?? "", /\bPOST\b/);
        assert.equal((await wrong.json()).code, "METHOD_NOT_ALLOWED");
      });
      assert.deepEqual(upstream, []);
    });

    it("an id that is not an id, a path outside the table: 404 with nothing upstream", async () => {
      const upstream = await upstreamDuring(ctx.emu, async () => {
        for (const path of ["/v1/jobs/%2e%2e", "/v1/jobs/a%2Fb", "/v1/jobs/a%5Cb", "/v1/jobs/a.b", "/v1/tasks", "/__emulator/keys"]) {
          const res = await fetch(`${ctx.base}${BASE_PATH}${path}`, { headers: { authorization: "Bearer user-alice" } });
          assert.equal(res.status, 404, path);
          assert.deepEqual(await res.json(), { code: "NOT_FOUND", statusCode: 404, message: "Not found" });
        }
      });
      assert.deepEqual(upstream, []);
    });
  });
}
