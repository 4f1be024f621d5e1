// Credentials never leave: redirects (the API's, which must not be followed with credentials, and
// storage's, which carry none), and every error path of the fault matrix driven with server
// answers that echo a recognisable key, client secret and signed URL, for a Bearer client and a
// legacy one. tests/js/secrets.test.mjs covers the headers of normal flows and single errors.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startEmulator } from "../support/emulator.mjs";
import { launchChromium } from "../support/chromium.mjs";
import {
  FAST_POLL, assertNoSecrets, bytesOf, checkError, errorTexts, sdk, signatureOf, video,
} from "../support/helpers.mjs";
import { ATTEMPT_MS, cells, expectation, runCell } from "./lib/matrix.mjs";

const KEY = "api_SECRET_k3y_0f_the_h4rdening_suite";
const CLIENT_ID = "legacy_client_hardening";
const CLIENT_SECRET = "legacy_SECRET_s3cr3t_0f_the_suite";
const CREDENTIAL_HEADERS = ["authorization", "x-client-id", "x-client-secret", "cookie"];
const REDIRECTS = [301, 302, 303, 307, 308];
/** The texts of `errorTexts`, in its order. */
const TEXT_NAMES = ["message", "String(err)", "stack", "JSON.stringify(err)", "JSON.stringify(err.toJSON())"];

/** `[name, text]` of every text of an error and of its causes (SDK.md: `cause` is redacted too). */
function allTexts(err) {
  const out = errorTexts(err).map((t, i) => [TEXT_NAMES[i], t]);
  let c = err.cause;
  for (let depth = 1; c !== undefined && c !== null && depth <= 5; depth++, c = c.cause) {
    const at = depth > 1 ? `cause×${depth}` : "cause";
    let json;
    try {
      json = JSON.stringify(c) ?? "";
    } catch {
      json = "";
    }
    out.push([`${at}: String`, String(c)], [`${at}: message`, String(c.message ?? "")], [`${at}: stack`, String(c.stack ?? "")], [`${at}: JSON`, json]);
  }
  return out;
}
const BODY = { name: "r.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" };

let emu;
let bearer;
let legacy;

before(async () => {
  emu = await startEmulator({ processingMs: 60, apiKey: KEY, legacyAuth: true, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  bearer = new sdk.AuthentaClient({ apiKey: KEY, baseUrl: emu.api, timeoutMs: ATTEMPT_MS });
  legacy = new sdk.AuthentaClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: emu.api, timeoutMs: ATTEMPT_MS });
});
after(() => emu?.stop());

/** A loopback server on another port that records what reaches it and answers `reply`. */
async function target(reply = { status: 200, body: '{"resultType":"redirected"}' }) {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, bytes: Buffer.concat(chunks).length });
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(reply.body);
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { seen, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

function assertNoCredentials(entries, where) {
  for (const e of entries) {
    for (const h of CREDENTIAL_HEADERS) assert.equal(e.headers[h], undefined, `${where}: ${e.method} ${e.url ?? e.path} carried ${h}`);
    for (const v of Object.values(e.headers)) {
      const s = String(v);
      assert.ok(!s.includes(KEY) && !s.includes(CLIENT_SECRET), `${where}: a header carries a secret: ${s}`);
    }
  }
}

describe("API redirects are not followed", () => {
  const calls = {
    createMedia: (c) => c.createMedia(BODY, { maxRetries: 2 }),
    getMedia: (c, mid) => c.getMedia(mid, { maxRetries: 2 }),
    listMedia: (c) => c.listMedia({}, { maxRetries: 2 }),
    deleteMedia: (c, mid) => c.deleteMedia(mid, { maxRetries: 2 }),
    waitForResult: (c, mid) => c.waitForResult(mid, { ...FAST_POLL, maxRetries: 2 }),
  };
  const routes = {
    createMedia: "POST /media", getMedia: "GET /media/:mid", listMedia: "GET /media",
    deleteMedia: "DELETE /media/:mid", waitForResult: "GET /media/:mid",
  };
  for (const [who, client] of [["Bearer", () => bearer], ["legacy", () => legacy]]) {
    it(`${who}: ${REDIRECTS.join("/")} from every API route to the storage origin: InvalidResponseError, nothing sent there`, async () => {
      const elsewhere = await target();
      try {
        for (const [name, call] of Object.entries(calls)) {
          for (const status of REDIRECTS) {
            for (const location of [`${emu.storage}/authenta-storage/steal?from=${name}`, `${elsewhere.url}/steal`]) {
              await emu.reset();
              const { mid, uploadUrl } = await client().createMedia(BODY);
              await emu.clearLog();
              await emu.fault({ route: routes[name], count: 3, status, body: "", headers: { Location: location } });
              const err = await call(client(), mid).then(
                (v) => assert.fail(`${name} ${status} resolved: ${JSON.stringify(v)}`),
                (e) => e,
              );
              checkError(err, "InvalidResponseError", { statusCode: status, retryable: false });
              assertNoSecrets(err, [KEY, CLIENT_SECRET, signatureOf(uploadUrl)]);
              const log = await emu.log();
              assert.equal(log.filter((e) => e.origin === "api").length, 1, `${name} ${status}: one request, not retried`);
              assert.deepEqual(log.filter((e) => e.origin !== "api"), [], `${name} ${status}: the redirect was followed`);
            }
          }
        }
        assert.deepEqual(elsewhere.seen, [], "nothing reached the other loopback server");
      } finally {
        await elsewhere.close();
      }
    });
  }

  it("in Chromium too (fetch with redirect: manual): nothing reaches the storage origin", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${emu.web}/pkg/package.json`);
      await emu.reset();
      for (const status of REDIRECTS) {
        // no-store: a browser caches a 301/308 and would answer the next call without a request.
        await emu.fault({
          route: "GET /media", count: 3, status, body: "",
          headers: { Location: `${emu.storage}/authenta-storage/steal`, "Cache-Control": "no-store" },
        });
        const got = await page.evaluate(async ({ api, key }) => {
          const { AuthentaClient } = await import("/pkg/index.js");
          const c = new AuthentaClient({ apiKey: key, baseUrl: api, dangerouslyAllowBrowser: true });
          try {
            return { value: await c.listMedia({}, { maxRetries: 2 }) };
          } catch (e) {
            return { name: e.name, code: e.code, statusCode: e.statusCode, retryable: e.retryable, texts: [e.message, String(e), e.stack, JSON.stringify(e)] };
          }
        }, { api: emu.api, key: KEY });
        assert.equal(got.name, "InvalidResponseError", `${status}: ${JSON.stringify(got)}`);
        assert.equal(got.retryable, false);
        for (const t of got.texts) assert.ok(!t.includes(KEY), t);
        await emu.clearFaults();
      }
      const log = await emu.log();
      assert.deepEqual(log.filter((e) => e.origin === "storage"), [], "no request reached storage");
      assert.equal(log.filter((e) => e.origin === "api" && e.method === "GET").length, REDIRECTS.length, "one GET per call");
    } finally {
      await browser.close();
    }
  });
});

describe("storage redirects carry no credentials", () => {
  for (const [who, client] of [["Bearer", () => bearer], ["legacy", () => legacy]]) {
    it(`${who}: uploadUrl and resultURL answering 307 to another loopback origin`, async () => {
      const elsewhere = await target();
      try {
        await emu.reset();
        const bytes = bytesOf("redirected-upload");
        const created = await client().createMedia({ ...BODY, size: bytes.length });
        await emu.fault({ route: "PUT upload", count: 1, status: 307, body: "", contentType: "", headers: { Location: `${elsewhere.url}/put-here` } });
        const put = await client().uploadFile(created.uploadUrl, video(bytes)).then(() => "resolved", (e) => e);
        // Following is allowed (the PUT is signed by its URL, not by credentials) and so is refusing;
        // what the other origin receives must carry no credentials.
        if (put !== "resolved") assert.ok(put instanceof sdk.AuthentaError, String(put));

        await client().uploadFile(created.uploadUrl, video(bytes));
        const media = await client().waitForResult(created.mid, { ...FAST_POLL, timeoutMs: 10_000 });
        await emu.fault({ route: "GET storage", count: 1, status: 307, body: "", contentType: "", headers: { Location: `${elsewhere.url}/result-here` } });
        const result = await client().getResult(media).then((v) => v, (e) => e);
        if (result instanceof Error) assert.ok(result instanceof sdk.AuthentaError, String(result));
        else assert.deepEqual(result, { resultType: "redirected" }, "followed to the other origin");

        assertNoCredentials(elsewhere.seen, "the redirect target");
        assertNoCredentials((await emu.log()).filter((e) => e.origin !== "api"), "storage");
        console.log(`${who}: storage redirects: PUT ${put === "resolved" ? "followed" : `refused (${put.name})`}, ` +
          `result ${result instanceof Error ? `refused (${result.name})` : "followed"}; ` +
          `${elsewhere.seen.length} request(s) reached the other origin, none with credentials`);
      } finally {
        await elsewhere.close();
      }
    });
  }
});


describe("no secret in any error of the fault matrix", () => {
  // S3's <Message> is only read up to 200 characters, so the storage echo is the short form; the
  // API's bodies also get the whole signed URL.
  const echo = (creds) => (ctx, { storage }) => {
    const short = `${creds} X-Amz-Signature=${signatureOf(ctx.signedUrl)}`;
    return storage ? short : `${short} ${ctx.signedUrl}`;
  };
  const runs = [
    ["Bearer key", () => bearer, [KEY], echo(`Bearer ${KEY} key ${KEY}`)],
    ["legacy pair", () => legacy, [CLIENT_SECRET], echo(`x-client-secret: ${CLIENT_SECRET} secret ${CLIENT_SECRET}`)],
  ];
  for (const [who, client, secrets, say] of runs) {
    it(`${who}: every cell's error, echoing the credentials and the signed URL`, async () => {
      const env = { emu, client: client() };
      const leaks = [];
      let errors = 0;
      let redacted = 0;
      let jobErrors = 0;
      let jobRedacted = 0;
      let causes = 0;
      for (const { op, fault } of cells()) {
        if (!expectation(op, fault).error) continue; // cells that end in success have no error text
        const run = await runCell(env, op, fault, "fail", { echo: say });
        if (!run.err) continue;
        errors++;
        const quoted = run.err.message.includes("[REDACTED]");
        if (quoted) redacted++;
        if (op.api === "jobs") {
          jobErrors++;
          if (quoted) jobRedacted++;
        }
        if (run.err.cause !== undefined) causes++;
        // The echoed URL's signature and those of every URL the run used (submitJob's own upload URL).
        const hidden = [...secrets, signatureOf(run.ctx.signedUrl), ...run.ctx.signatures];
        const texts = allTexts(run.err);
        for (const s of hidden) {
          const where = texts.filter(([, t]) => t.includes(s)).map(([name]) => name);
          if (where.length) {
            leaks.push(`${op.label} × ${fault.label}: ${run.err.name}'s ${where.join(", ")} show ${s.slice(0, 14)}…: ${JSON.stringify(run.err.message)}`);
          }
        }
      }
      for (const text of [JSON.stringify(env.client), String(env.client)]) {
        for (const s of secrets) if (text.includes(s)) leaks.push(`the client's text: ${text}`);
      }
      console.log(`${who}: ${errors} errors checked (${redacted} messages quoted the echo, redacted; ` +
        `Jobs API: ${jobErrors} errors, ${jobRedacted} redacted; ${causes} with a cause), ${leaks.length} leaks`);
      assert.ok(errors > 250, `${errors} errors`);
      assert.ok(redacted > 100, `the echo reached ${redacted} messages: the test would not see a leak`);
      assert.ok(jobErrors > 130, `${jobErrors} errors of the Jobs API`);
      assert.ok(jobRedacted > 50, `the echo reached ${jobRedacted} messages of the Jobs API: the test would not see a leak`);
      assert.deepEqual(leaks, []);
    });
  }
});

describe("a failure the server describes, echoing secrets", () => {
  it("a failed job's errorMessage echoing the key and a signed URL: not in the ProcessingError's texts", async () => {
    await emu.reset();
    const { jobId } = await bearer.submitJob(video(bytesOf("echo-job")), { taskType: "DF-1" });
    const job = await bearer.waitForJob(jobId, FAST_POLL);
    const url = job.artifacts.find((a) => a.kind === "result").downloadUrl;
    await emu.jobOutcome(jobId, { status: "failed", errorMessage: `Bearer ${KEY} ${url}` });
    const err = await bearer.waitForJob(jobId, FAST_POLL).catch((e) => e);
    checkError(err, "ProcessingError", { code: "PROCESSING_FAILED" });
    assert.match(err.message, /\[REDACTED\]/, "the server's message is quoted, redacted");
    assertNoSecrets(err, [KEY, signatureOf(url)]);
  });

  it("a FAILED media record's message echoing the key: not in the ProcessingError's texts", async () => {
    await emu.reset();
    const m = await bearer.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
    await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body: { mid: m.mid, status: "FAILED", message: `Bearer ${KEY} key ${KEY}` } });
    const err = await bearer.waitForResult(m.mid, FAST_POLL).catch((e) => e);
    checkError(err, "ProcessingError", { code: "PROCESSING_FAILED" });
    assertNoSecrets(err, [KEY]);
  });
});
