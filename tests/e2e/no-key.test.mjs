// The sample page as `make demo` serves it: by default the page holds no key and talks to
// authenta-wasm/server's handler (scripts/demo-server.mjs), which adds the emulator's key and
// knows each browser by its session cookie.
//
// Each test was seen failing against a broken set-up (then put back):
// - the page defaulting to the direct mode with the emulator's key (defaultSettings() in
//   www/js/settings.js returning the direct defaults): the first test fails with "the key in the
//   answer to GET …/__emulator/key.json: body", and, with the answers' checks left out, with "the
//   key in a request the page made: GET …/api/v1/jobs?page=1&limit=10 headers";
// - the handler's authenticate answering one fixed caller for everyone (`() => "demo"` in
//   scripts/demo-server.mjs): the second test fails with "each browser lists only its own job and
//   record", both browsers' jobs and records listed in the first browser.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import {
  analyse, api, chooseFile, makePng, openPage, runTask, serverJob, serverJobResult, useEmulatorAndBrowser,
  waitForJob,
} from "./helpers.mjs";
import { serverResult } from "../support/raw.mjs";

let emu;
let browser;
useEmulatorAndBrowser({ processingMs: 300 }, (e, b) => ([emu, browser] = [e, b]));
beforeEach(() => emu.reset());

/** Runs a Jobs task (AC-1) and a Media upload (FE-1) in the page; their ids once both are done. */
async function runBoth(page, seed) {
  await chooseFile(page, `photo-${seed}.png`, "image/png", makePng(96, 64, { seed }));
  await runTask(page, "AC-1");
  await waitForJob(page, "done");
  const jobId = await page.getAttribute("#job", "data-job-id");
  const jobVerdict = await page.getAttribute(".headline", "data-verdict");
  await chooseFile(page, `face-${seed}.png`, "image/png", makePng(64, 64, { seed: seed + 1 }));
  await analyse(page, "FE-1");
  await waitForJob(page, "done");
  const mid = await page.getAttribute("#job", "data-mid");
  assert.ok(jobId && mid, `a job and a record: ${jobId}, ${mid}`);
  return { jobId, mid, jobVerdict };
}

/** The ids in the page's two recent lists, once both have (re)loaded. */
async function listed(page) {
  await page.click("#jobs-refresh");
  await page.click("#recent-refresh");
  await page.waitForSelector('#recent-jobs:is([data-state="ready"], [data-state="empty"])');
  await page.waitForSelector('#recent:is([data-state="ready"], [data-state="empty"])');
  return {
    jobs: await page.$$eval("#jobs-list li", (lis) => lis.map((li) => li.dataset.jobId)),
    media: await page.$$eval("#recent-list li", (lis) => lis.map((li) => li.dataset.mid)),
  };
}

test("by default no request the page makes, nothing it stores and nothing in its DOM carries the key: runJob and uploadAndPoll through the handler", async () => {
  const requests = [];
  const logged = [];
  const page = await openPage(browser, emu, {
    beforeLoad: (context) => context.on("request", (r) => requests.push(r)),
  });
  page.on("console", (m) => logged.push(m.text()));
  const key = emu.apiKey;
  const { jobId, mid, jobVerdict } = await runBoth(page, 61);

  // The verdicts are the server's: the flows really ran, through the handler.
  assert.equal(jobVerdict, (await serverJobResult(emu, jobId)).result.isFake ? "fake" : "real");
  assert.equal(await page.getAttribute("#verdict", "data-view"), "face-vector");
  assert.equal(await page.getAttribute(".vector", "data-length"), String((await serverResult(emu, mid)).faceVector.length));
  assert.deepEqual(await listed(page), { jobs: [jobId], media: [mid] }, "the lists through the handler");

  // Every request: URL, headers (the browser's own, cookies included) and body; and what the
  // page's own server answered (env.json, the handler's JSON).
  for (const r of requests) {
    const what = `${r.method()} ${r.url()}`;
    assert.ok(!r.url().includes(key), `the key in a request the page made: ${what} URL`);
    assert.ok(!JSON.stringify(await r.allHeaders()).includes(key), `the key in a request the page made: ${what} headers`);
    const body = r.postDataBuffer();
    assert.ok(!body || !body.toString("latin1").includes(key), `the key in a request the page made: ${what} body`);
    const response = await r.response();
    if (response && r.url().startsWith(emu.site) && !r.url().includes("/pkg/")) {
      assert.ok(!JSON.stringify(await response.allHeaders()).includes(key), `the key in the answer to ${what}: headers`);
      assert.ok(!(await response.body()).toString("latin1").includes(key), `the key in the answer to ${what}: body`);
    }
  }
  assert.ok(requests.some((r) => r.url() === `${emu.site}/__emulator/env.json`), "the page read its config");

  // Where the page's requests went: its own server (page, package, handler) and the storage's
  // pre-signed URLs; never the API itself.
  const sent = requests.map((r) => `${r.method()} ${r.url()}`);
  assert.ok(sent.some((s) => s === `POST ${emu.handler}/v1/jobs`), sent.join("\n"));
  assert.ok(sent.some((s) => s === `POST ${emu.handler}/media`), sent.join("\n"));
  assert.equal(sent.filter((s) => s.startsWith(`PUT ${emu.storage}/`)).length, 2, "each file straight to storage");
  assert.deepEqual(sent.filter((s) => s.includes(new URL(emu.api).host)), [], "nothing to the API's origin");
  // The key did the work, upstream only: every API request the emulator saw carried it.
  const upstream = await emu.log("api");
  assert.ok(upstream.some((e) => e.method === "POST" && e.path === "/api/v1/jobs") && upstream.some((e) => e.method === "POST" && e.path === "/api/media"));
  for (const e of upstream) assert.equal(e.headers.authorization, `Bearer ${key}`, `${e.method} ${e.path}`);

  // Storage: local, session, cookies (the session cookie is the server's, unreadable by scripts).
  const storage = await page.evaluate(() => ({
    local: Object.entries(localStorage),
    session: Object.entries(sessionStorage),
    cookie: document.cookie,
  }));
  assert.ok(!JSON.stringify(storage).includes(key), `the key in the page's storage: ${JSON.stringify(storage)}`);
  const cookies = await page.context().cookies();
  assert.ok(!JSON.stringify(cookies).includes(key), "the key in a cookie");
  const session = cookies.find((c) => c.name === "authenta_demo_session");
  assert.deepEqual([session?.httpOnly, session?.sameSite], [true, "Strict"], "the caller is a session scripts cannot read");

  // The DOM, with the Settings panel and the code panel open (their fields filled in), and the
  // value of every field (not part of outerHTML).
  await page.click("#settings-toggle");
  await page.click("#code-details summary");
  const dom = await page.evaluate(() => [
    document.documentElement.outerHTML,
    ...[...document.querySelectorAll("input, textarea, select")].map((el) => `${el.id}=${el.value}`),
  ].join("\n"));
  assert.ok(dom.includes(`base-url=${emu.handler}`), "the settings show the handler's URL");
  assert.ok(dom.includes('baseUrl: new URL("/api/authenta", location.href).href'), "the code panel shows the proxy code");
  assert.ok(!dom.includes(key), "the key in the DOM");
  assert.ok(!logged.join("\n").includes(key), "the key in the console");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

/** What the SDK in `page`, through the handler as that browser, gets for these ids. */
function attempts(page, { jobId, mid }) {
  return page.evaluate(async ([jobId, mid]) => {
    const { AuthentaClient } = await import("/pkg/index.js");
    const client = new AuthentaClient({ baseUrl: new URL("/api/authenta", location.href).href, maxRetries: 0 });
    const calls = {
      getJob: () => client.getJob(jobId),
      cancelJob: () => client.cancelJob(jobId),
      deleteJob: () => client.deleteJob(jobId),
      getMedia: () => client.getMedia(mid),
      deleteMedia: () => client.deleteMedia(mid),
    };
    const out = {};
    for (const [name, call] of Object.entries(calls)) {
      try {
        await call();
        out[name] = "ok";
      } catch (e) {
        out[name] = `${e.name} ${e.code} ${e.statusCode}`;
      }
    }
    return out;
  }, [jobId, mid]);
}

test("two browsers are two callers: each lists only its own job and record, and the other's ids answer not found", async () => {
  const alice = await openPage(browser, emu);
  const bob = await openPage(browser, emu);
  const a = await runBoth(alice, 71);
  const b = await runBoth(bob, 81);

  // The account behind the handler has all four: the separation is the handler's.
  assert.deepEqual(new Set((await api(emu, "GET", "/v1/jobs")).body.data.map((x) => String(x.job?.id ?? x.id))), new Set([a.jobId, b.jobId]));
  assert.deepEqual(new Set((await api(emu, "GET", "/media")).body.data.map((m) => m.mid)), new Set([a.mid, b.mid]));

  assert.deepEqual(await listed(alice), { jobs: [a.jobId], media: [a.mid] }, "each browser lists only its own job and record");
  assert.deepEqual(await listed(bob), { jobs: [b.jobId], media: [b.mid] }, "each browser lists only its own job and record");

  // The other's ids answer exactly as ids that do not exist; nothing of theirs is touched.
  const missing = await attempts(alice, { jobId: "987654", mid: "0123456789abcdef01234567" });
  assert.match(missing.getJob, /^NotFoundError /);
  assert.match(missing.getMedia, /^NotFoundError /);
  assert.deepEqual(await attempts(alice, b), missing, "Alice on Bob's ids");
  assert.deepEqual(await attempts(bob, a), missing, "Bob on Alice's ids");
  assert.equal((await serverJob(emu, a.jobId)).status, "completed");
  assert.equal((await serverJob(emu, b.jobId)).status, "completed");
  assert.equal((await api(emu, "GET", `/media/${a.mid}`)).status, 200);
  assert.equal((await api(emu, "GET", `/media/${b.mid}`)).status, 200);
  // One's own ids work through the same client (a finished job is found, and too late to cancel).
  const own = await attempts(alice, a);
  assert.deepEqual({ ...own, cancelJob: undefined }, { getJob: "ok", cancelJob: undefined, deleteJob: "ok", getMedia: "ok", deleteMedia: "ok" });
  assert.match(own.cancelJob, /^BadRequestError JOB_NOT_CANCELLABLE 409$/);
  await alice.context().close();
  await bob.context().close();
});
