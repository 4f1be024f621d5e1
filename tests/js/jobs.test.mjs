// The Jobs API (SDK.md, "Jobs API") through the built package in Node, against the emulator:
// every method, the flow per documented task, inputs and progress, finalize and its confirmation,
// waiting rules, results, both wire shapes, and the error classes of the Jobs routes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FAST_POLL, bytesOf, expectError, image, sdk, video, useEmulator } from "../support/helpers.mjs";

let emu;
let client;

useEmulator({ processingMs: 150 }, (e, c) => ([emu, client] = [e, c]));

/** The result as the server wrote it: a raw GET of the job's result artifact, no SDK. */
async function rawResult(job) {
  const artifact = job.artifacts.find((a) => a.kind === "result");
  const res = await fetch(artifact.downloadUrl);
  assert.equal(res.status, 200);
  return res.json();
}

const jobLog = async (re) => (await emu.apiLog({ path: re })).map((e) => `${e.method} ${e.path}`);

describe("runJob per documented task", () => {
  const cases = [
    ["AC-1", image(bytesOf("ac1"), "image/png"), {}],
    ["DF-1", video(bytesOf("df1")), {}],
    ["DI-1", image(bytesOf("di1"), "image/jpeg"), {}],
    ["FE-1", image(bytesOf("fe1"), "image/jpeg"), {}],
    ["face-liveness-detection", image(bytesOf("fl1"), "image/jpeg"), {}],
    [4, video(bytesOf("df1-by-id")), {}],
  ];
  for (const [taskType, file, parameters] of cases) {
    it(`${taskType}: create, PUT, finalize, wait, result as the server wrote it`, async () => {
      const statuses = [];
      const { job, result } = await client.runJob(file, { taskType, parameters, ...FAST_POLL, onStatus: (j) => statuses.push(j.status) });
      assert.equal(job.status, "completed");
      assert.deepEqual(result, await rawResult(job));
      assert.equal(statuses[0], "initiated");
      assert.equal(statuses.at(-1), "completed");
      const created = (await emu.apiLog({ method: "POST", path: "/api/v1/jobs" }))[0];
      assert.ok(created, "POST /v1/jobs was sent");
      const sent = (await jobLog(/^\/api\/v1\/jobs/)).filter((r) => !r.startsWith("GET"));
      assert.deepEqual(sent, ["POST /api/v1/jobs", `POST /api/v1/jobs/${job.id}/finalize`], "create, then one finalize");
      const storage = await emu.log("storage");
      assert.ok(storage.length >= 2 && storage.every((e) => !e.headers.authorization), "no Authorization at storage");
    });
  }

  it("AC-1 has a heatmap artifact and a verdict in percent", async () => {
    const { job, result } = await client.runJob(image(bytesOf("ac1-heat"), "image/jpeg"), { taskType: "ac-1", ...FAST_POLL });
    assert.ok(job.artifacts.some((a) => a.kind === "heatmap" && a.contentType === "image/png"));
    const raw = await rawResult(job);
    assert.deepEqual(result, raw, "the verdict as the server wrote it");
    // The server's AC-1 shape (api-docs): a boolean verdict and a percentage.
    assert.equal(typeof raw.isFake, "boolean");
    assert.ok(raw.confidencePercent >= 0 && raw.confidencePercent <= 100, `confidencePercent ${raw.confidencePercent}`);
  });
});

describe("inputs", () => {
  it("FI-1 with a reference: both slots, original first, progress over both with slot names", async () => {
    const original = new File([bytesOf("selfie", 3000)], "selfie.jpg", { type: "image/jpeg" });
    const reference = image(bytesOf("id-photo", 1000), "image/png");
    const progress = [];
    const bodies = [];
    const recording = new sdk.AuthentaClient({
      apiKey: emu.apiKey,
      baseUrl: emu.api,
      fetch: (url, init) => {
        if (init.method === "POST" && url.endsWith("/v1/jobs")) bodies.push(JSON.parse(init.body));
        return fetch(url, init);
      },
    });
    const { job, result } = await recording.runJob(
      { reference, original },
      { taskType: "FI-1", parameters: { isSimilarityCheck: true, isLivenessCheck: true }, onProgress: (p) => progress.push(p), ...FAST_POLL },
    );
    assert.deepEqual(result, await rawResult(job));
    assert.equal(bodies.length, 1);
    const [body] = bodies;
    assert.deepEqual(body.inputs.map((i) => [i.slotName, i.contentType, i.fileName, i.sizeBytes]), [
      ["original", "image/jpeg", "selfie.jpg", 3000],
      ["reference", "image/png", "reference", 1000],
    ]);
    assert.deepEqual(body.parameters, { version: "v1", isSimilarityCheck: true, isLivenessCheck: true });
    assert.equal(body.taskTypeId, "8");
    // No XMLHttpRequest in Node: an event at the start and one at the end of each input.
    assert.deepEqual(progress, [
      { loaded: 0, total: 4000, lengthComputable: false, slotName: "original" },
      { loaded: 3000, total: 4000, lengthComputable: true, slotName: "original" },
      { loaded: 3000, total: 4000, lengthComputable: false, slotName: "reference" },
      { loaded: 4000, total: 4000, lengthComputable: true, slotName: "reference" },
    ]);
    const puts = (await emu.log("storage")).filter((e) => e.method === "PUT").map((e) => e.path.split("/").at(-1).split("?")[0]);
    assert.deepEqual(puts, ["original", "reference"]);
  });

  it("{ file, contentType, fileName } inputs and the parameters' own version", async () => {
    const blob = new Blob([bytesOf("typed")]);
    const { jobId } = await client.submitJob({ original: { file: blob, contentType: "image/png", fileName: "scan" } }, { taskType: "DI-1", parameters: { version: "v1", x: 1 } });
    const job = await client.getJob(jobId);
    assert.equal(job.status === "queued" || job.status === "processing" || job.status === "completed", true, job.status);
  });

  for (const [what, inputs, options, says] of [
    ["an unknown slug", video(bytesOf("x")), { taskType: "no-such-task" }, "taskType"],
    ["no taskType", video(bytesOf("x")), {}, "taskType"],
    ["an empty blob", new Blob([], { type: "video/mp4" }), { taskType: "DF-1" }, "empty"],
    ["a blob without a type", new Blob([bytesOf("x")]), { taskType: "DF-1" }, "type"],
    ["no original", { reference: image(bytesOf("r")) }, { taskType: "FI-1" }, "original"],
    ["FI-1 reference without isSimilarityCheck", { original: image(bytesOf("o")), reference: image(bytesOf("r")) }, { taskType: "FI-1" }, "isSimilarityCheck"],
    ["FI-1 similarity without a reference", image(bytesOf("o")), { taskType: "FI-1", parameters: { isSimilarityCheck: true } }, "reference"],
    ["FI-1 face swap on an image", image(bytesOf("o")), { taskType: "FI-1", parameters: { isFaceswapCheck: true } }, "video"],
    ["FI-1 similarity on a video", { original: video(bytesOf("o")), reference: image(bytesOf("r")) }, { taskType: "FI-1", parameters: { isSimilarityCheck: true } }, "image"],
    ["FI-1 face swap and similarity", { original: video(bytesOf("o")), reference: image(bytesOf("r")) }, { taskType: "FI-1", parameters: { isSimilarityCheck: true, isFaceswapCheck: true } }, "together"],
  ]) {
    it(`${what}: ConfigurationError before any request`, async () => {
      await emu.clearLog();
      const err = await expectError(client.submitJob(inputs, options), "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false });
      assert.match(err.message, new RegExp(says));
      assert.equal((await emu.log()).length, 0, "nothing was sent");
    });
  }
});

describe("finalize", () => {
  it("a failed PUT leaves the job unfinalized, and the error carries jobId", async () => {
    await emu.fault({ route: "PUT upload", count: 1, status: 403, contentType: "application/xml", body: "<Error><Code>AccessDenied</Code><Message>denied</Message></Error>" });
    const err = await expectError(client.submitJob(video(bytesOf("put-fails")), { taskType: "DF-1" }), "UploadError", { code: "UPLOAD_FAILED", s3Code: "AccessDenied" });
    assert.match(err.jobId, /^\d+$/);
    assert.deepEqual(await emu.apiLog({ path: /finalize/ }), [], "no finalize");
    assert.equal((await client.getJob(err.jobId)).status, "initiated");
  });

  it("a finalize retried after a lost answer and then refused is confirmed by one GET", async () => {
    // The first finalize lands, but its answer is lost on the way back (the connection drops).
    let lost = 0;
    const flaky = new sdk.AuthentaClient({
      apiKey: emu.apiKey,
      baseUrl: emu.api,
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        if (url.endsWith("/finalize") && lost++ === 0) throw new TypeError("connection reset after the request landed");
        return res;
      },
    });
    const { jobId, finalized } = await flaky.submitJob(video(bytesOf("lost-answer")), { taskType: "DF-1" });
    assert.equal((await emu.apiLog({ path: `/api/v1/jobs/${jobId}/finalize` })).length, 2, "the finalize was sent again (and refused)");
    assert.equal((await emu.apiLog({ method: "GET", path: `/api/v1/jobs/${jobId}` })).length, 1, "one GET confirms it");
    assert.notEqual(finalized.status, "initiated");
  });

  it("a finalize refused without an earlier ambiguous failure is not confirmed: it rejects", async () => {
    await emu.fault({ route: "POST /v1/jobs/:id/finalize", count: 1, status: 400, body: { code: "BAD_REQUEST", message: "Input \"original\" has not been uploaded" } });
    const err = await expectError(client.submitJob(video(bytesOf("refused")), { taskType: "DF-1" }), "BadRequestError", { statusCode: 400 });
    assert.equal((await emu.apiLog({ method: "GET", path: `/api/v1/jobs/${err.jobId}` })).length, 0);
  });

  it("finalizeJob retried after a 503 and answered 400 is confirmed with one GET: still initiated, it rejects", async () => {
    const c = await client.createJob({ taskTypeId: "4", inputs: [{ slotName: "original", contentType: "video/mp4", fileName: "a", sizeBytes: 10 }] });
    await client.uploadFile(c.inputs[0].uploadUrl, video(bytesOf("confirm-direct", 10)));
    await emu.clearLog();
    await emu.fault({ route: "POST /v1/jobs/:id/finalize", count: 1, status: 503, retryAfter: "0", body: { code: "E503", message: "x" } });
    await emu.fault({ route: "POST /v1/jobs/:id/finalize", count: 1, status: 400, body: { code: "E400", message: "x" } });
    await expectError(client.finalizeJob(c.job.id, { maxRetries: 2 }), "BadRequestError", { statusCode: 400, jobId: c.job.id });
    assert.equal((await emu.apiLog({ method: "GET", path: `/api/v1/jobs/${c.job.id}` })).length, 1, "one GET confirms it");
  });

  it("a second finalize of a finished job is a BadRequestError", async () => {
    const { jobId } = await client.submitJob(video(bytesOf("twice")), { taskType: "DF-1" });
    await expectError(client.finalizeJob(jobId), "BadRequestError", { statusCode: 400, jobId });
  });

  it("402 at finalize: InsufficientBalanceError, nothing charged", async () => {
    await emu.addKey({ key: "api_poor", credits: 0 });
    const poor = new sdk.AuthentaClient({ apiKey: "api_poor", baseUrl: emu.api });
    const err = await expectError(poor.submitJob(video(bytesOf("poor")), { taskType: "DF-1" }), "InsufficientBalanceError", { statusCode: 402 });
    assert.match(err.jobId, /^\d+$/);
  });
});

describe("waiting", () => {
  it("a job never finalized is rejected at once, not polled to the deadline", async () => {
    const created = await client.createJob({ taskTypeId: "4", inputs: [{ slotName: "original", contentType: "video/mp4", fileName: "a", sizeBytes: 10 }] });
    await emu.clearLog();
    const err = await expectError(client.waitForJob(created.job.id, { ...FAST_POLL, timeoutMs: 60_000 }), "ProcessingError", { code: "JOB_NOT_FINALIZED", retryable: false, jobId: created.job.id });
    assert.match(err.message, /finalize/);
    assert.equal((await emu.apiLog({ method: "GET" })).length, 1);
  });

  it("a cancelled job ends the wait at once with JOB_CANCELLED", async () => {
    await emu.setConfig({ processingMs: 5000 });
    const { jobId } = await client.submitJob(video(bytesOf("cancel-wait")), { taskType: "DF-1" });
    const waiting = client.waitForJob(jobId, FAST_POLL);
    await client.cancelJob(jobId);
    await expectError(waiting, "ProcessingError", { code: "JOB_CANCELLED", jobId });
  });

  it("a failed job is a ProcessingError with the server's errorMessage", async () => {
    await emu.setConfig({ processingMs: 300 });
    const { jobId } = await client.submitJob(video(bytesOf("fails")), { taskType: "DF-1" });
    await emu.jobOutcome(jobId, { status: "failed", errorMessage: "model crashed" });
    const err = await expectError(client.waitForJob(jobId, FAST_POLL), "ProcessingError", { code: "PROCESSING_FAILED", jobId });
    assert.match(err.message, /model crashed/);
  });

  it("numeric ids are accepted and sent as their decimal text", async () => {
    const { jobId } = await client.submitJob(image(bytesOf("numeric"), "image/png"), { taskType: 1 });
    const job = await client.waitForJob(Number(jobId), FAST_POLL);
    assert.equal(job.id, jobId);
  });
});

describe("cancel, delete, list, iterate", () => {
  it("cancel before processing; after, a BadRequestError (409)", async () => {
    await emu.setConfig({ processingMs: 100 });
    const { jobId } = await client.submitJob(video(bytesOf("late-cancel")), { taskType: "DF-1" });
    await client.waitForJob(jobId, FAST_POLL);
    await expectError(client.cancelJob(jobId), "BadRequestError", { statusCode: 409, jobId });
    const early = await client.createJob({ taskTypeId: "1", inputs: [{ slotName: "original", contentType: "image/png", fileName: "a", sizeBytes: 10 }] });
    const answer = await client.cancelJob(early.job.id);
    assert.equal(answer.status, "cancelled");
  });

  it("delete, then the job is a NotFoundError with jobId", async () => {
    const { jobId } = await client.submitJob(image(bytesOf("del"), "image/png"), { taskType: "AC-1" });
    await client.waitForJob(jobId, FAST_POLL);
    assert.equal(await client.deleteJob(jobId), undefined);
    await expectError(client.getJob(jobId), "NotFoundError", { statusCode: 404, code: "JOB_NOT_FOUND", jobId });
  });

  it("listJobs and iterateJobs with a status filter, each page once", async () => {
    for (let i = 0; i < 3; i++) {
      await client.createJob({ taskTypeId: "1", inputs: [{ slotName: "original", contentType: "image/png", fileName: `a${i}`, sizeBytes: 10 }] });
    }
    const { jobId } = await client.submitJob(image(bytesOf("listed"), "image/png"), { taskType: "AC-1" });
    await client.waitForJob(jobId, FAST_POLL);
    const page = await client.listJobs({ status: "initiated", limit: 2 });
    assert.equal(page.pagination.total, 3);
    assert.equal(page.data.length, 2);
    await emu.clearLog();
    const seen = [];
    for await (const job of client.iterateJobs({ pageSize: 2, status: "initiated" })) seen.push(job);
    assert.equal(seen.length, 3);
    assert.ok(seen.every((j) => j.status === "initiated"));
    const queries = (await emu.apiLog({ method: "GET", path: "/api/v1/jobs" })).map((e) => e.query);
    assert.deepEqual(queries, ["page=1&limit=2&status=initiated", "page=2&limit=2&status=initiated"]);
  });
});

describe("errors of the Jobs routes", () => {
  it("each to its class", async () => {
    await expectError(client.submitJob(video(bytesOf("x")), { taskType: 99 }), "BadRequestError", { code: "INVALID_TASK_TYPE", statusCode: 400 });
    await expectError(client.submitJob(video(bytesOf("x")), { taskType: "AC-1" }), "BadRequestError", { code: "UNSUPPORTED_MEDIA_TYPE", statusCode: 400 });
    await expectError(client.getJob("999999"), "NotFoundError", { code: "JOB_NOT_FOUND", jobId: "999999" });
    const wrong = new sdk.AuthentaClient({ apiKey: "api_wrong", baseUrl: emu.api });
    await expectError(wrong.listJobs(), "AuthenticationError", { statusCode: 401 });
    await emu.addKey({ key: "api_ro", permissions: ["read"] });
    const ro = new sdk.AuthentaClient({ apiKey: "api_ro", baseUrl: emu.api });
    await expectError(ro.submitJob(video(bytesOf("x")), { taskType: "DF-1" }), "PermissionDeniedError", { statusCode: 403 });
  });

  it("hostile ids are refused before any request or encoded as one segment", async () => {
    await emu.clearLog();
    for (const bad of ["../x", "a/b", "?", "#", ".", "..", "", "x".repeat(10_000)]) {
      await expectError(client.getJob(bad), "ConfigurationError", { code: "INVALID_ARGUMENT" });
    }
    assert.equal((await emu.log()).length, 0);
    await expectError(client.getJob("%2e%2e"), "NotFoundError");
    assert.deepEqual((await emu.apiLog()).map((e) => e.path), ["/api/v1/jobs/%252e%252e"]);
  });

  it("a 2xx without a job id is an InvalidResponseError", async () => {
    await emu.fault({ route: "POST /v1/jobs", count: 1, status: 200, body: { ok: true } });
    await expectError(client.submitJob(video(bytesOf("x")), { taskType: "DF-1" }), "InvalidResponseError", { statusCode: 200 });
  });
});

describe("the reference page's flat variant", () => {
  it("runJob end to end: numeric jobId, waiting_for_finalize, inline result", async () => {
    await emu.setConfig({ jobsVariant: "flat" });
    const statuses = [];
    const { job, result } = await client.runJob(image(bytesOf("flat"), "image/png"), { taskType: "AC-1", ...FAST_POLL, onStatus: (j) => statuses.push(j.status) });
    assert.equal(typeof job.jobId, "number");
    assert.equal(statuses[0], "waiting_for_finalize");
    assert.deepEqual(result, job.result, "the inline result, as written");
    assert.equal(typeof result.isFake, "boolean");
    const got = await client.getJobResult(job);
    assert.deepEqual(got, job.result);
    let n = 0;
    for await (const j of client.iterateJobs()) n += j.jobId === job.jobId ? 1 : 0;
    assert.equal(n, 1, "list items unwrapped from { job }");
  });
});

describe("getJobResult", () => {
  it("by id or by job; an expired result URL is refreshed once", async () => {
    const { job } = await client.runJob(image(bytesOf("res"), "image/png"), { taskType: "AC-1", ...FAST_POLL });
    const raw = await rawResult(job);
    assert.deepEqual(await client.getJobResult(job.id), raw);
    await emu.fault({ route: "GET storage", count: 1, status: 403, contentType: "application/xml", body: "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>" });
    assert.deepEqual(await client.getJobResult(job), raw);
  });

  it("a job not finished: RESULT_NOT_READY, retryable", async () => {
    const created = await client.createJob({ taskTypeId: "1", inputs: [{ slotName: "original", contentType: "image/png", fileName: "a", sizeBytes: 10 }] });
    await expectError(client.getJobResult(created.job.id), "ProcessingError", { code: "RESULT_NOT_READY" });
  });
});

describe("TASK_TYPES", () => {
  it("the exported table agrees with the core's (src/core/tasks.rs)", () => {
    const rust = readFileSync(new URL("../../src/core/tasks.rs", import.meta.url), "utf8");
    const rows = [...rust.matchAll(/task\("(\d+)", "([A-Z]+-\d)", "([a-z-]+)", (\d+)\)/g)].map((m) => [m[1], m[2], m[3], Number(m[4])]);
    assert.equal(rows.length, 11);
    assert.deepEqual(sdk.TASK_TYPES.map((t) => [t.id, t.code, t.slug, t.timeoutS]), rows);
    for (const t of sdk.TASK_TYPES) assert.ok(t.name && t.accepts.length > 0, t.code);
    assert.equal(sdk.TASK_TYPES.find((t) => t.code === "AC-1").accepts[0], "image/jpeg", "AC-1 is AI image detection");
  });
});
