// The JS examples of pkg/README.md's "Jobs API" and "Errors" sections, run as written against the
// emulator. The fenced ```js blocks are read from the README at test time, so an example that
// drifts from the package breaks this file. Each block runs as the body of an async function whose
// parameters are the names the README assumes (`authenta`, `photo`, `bar`, …), given by the test;
// its `import … from "authenta-wasm"` becomes a read of the package's exports. What each block must
// have done is checked against the server's own state (results read raw from the result artifact).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FAST_POLL, bytesOf, checkError, image, sdk, video, useEmulator } from "../support/helpers.mjs";
import { bearer } from "../support/raw.mjs";

let emu;
let client;

useEmulator({ processingMs: 150 }, (e, c) => ([emu, client] = [e, c]));

const README = readFileSync(new URL("../../pkg/README.md", import.meta.url), "utf8");

/** The text of the `## title` section, up to the next level-2 heading. */
function section(title) {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `pkg/README.md has a "## ${title}" section`);
  const rest = README.slice(start + 1);
  const end = rest.indexOf("\n## ", 1);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The ```js blocks of a section. */
const jsBlocks = (text) => [...text.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

const AsyncFunction = (async () => {}).constructor;

/**
 * Runs a README block as an async function of `scope` (its names become parameters), with
 * `returns` (an expression over the block's own variables) appended as its return value.
 * `import { … } from "authenta-wasm"` reads the package's exports; any other import is drift.
 */
function runBlock(code, scope, returns) {
  const body = code.replace(/^import\s*\{([^}]*)\}\s*from\s*"authenta-wasm";?$/gm, (_, names) => `const {${names}} = __sdk;`);
  assert.ok(!/^\s*import\b/m.test(body), `an import the test cannot give:\n${code}`);
  const names = ["__sdk", ...Object.keys(scope)];
  const fn = new AsyncFunction(...names, `"use strict";\n${body}\n${returns ? `return (${returns});` : ""}`);
  return fn(sdk, ...Object.values(scope));
}

/** A console that records what a block logs, per level. */
function recordingConsole() {
  const lines = { log: [], warn: [], error: [] };
  return { lines, console: { log: (...a) => lines.log.push(a), warn: (...a) => lines.warn.push(a), error: (...a) => lines.error.push(a) } };
}

/** A progress bar that records the fractions it is set to. */
function recordingBar() {
  const values = [];
  return { values, bar: { set: (v) => values.push(v) } };
}

/** `GET /v1/jobs/{id}` read raw. */
async function serverJob(jobId) {
  const res = await fetch(`${emu.api}/v1/jobs/${encodeURIComponent(jobId)}`, { headers: bearer(emu.apiKey) });
  return { status: res.status, job: res.status === 200 ? await res.json() : undefined };
}

/** The result JSON as the server wrote it, behind the job's result artifact. */
async function serverResult(jobId) {
  const { job } = await serverJob(jobId);
  const artifact = job.artifacts.find((a) => a.kind === "result");
  assert.ok(artifact, `job ${jobId} (${job.status}) has a result artifact`);
  const res = await fetch(artifact.downloadUrl);
  assert.equal(res.status, 200);
  return res.json();
}

/** The ids of the jobs the emulator holds for the test's key (one test's worth, after the reset). */
async function serverJobIds() {
  const res = await fetch(`${emu.api}/v1/jobs?limit=100`, { headers: bearer(emu.apiKey) });
  assert.equal(res.status, 200);
  return (await res.json()).data.map((j) => String(j.id ?? j.jobId ?? j.job?.id));
}

/** The one job this test created. */
async function onlyJobId() {
  const ids = await serverJobIds();
  assert.equal(ids.length, 1, `one job created: ${ids}`);
  return ids[0];
}

/** A minimal in-memory localStorage. */
function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)) };
}

const png = (seed) => image(bytesOf(seed), "image/png");

/**
 * Every ```js block of the "Jobs API" section, found by a line of its own. A block of the README
 * that no entry matches fails the test (a new example needs a check here).
 */
const JOBS_EXAMPLES = [
  {
    has: "for (const task of TASK_TYPES) taskSelect.add",
    name: "TASK_TYPES fills a task picker and sets the file input's accept",
    async run(code) {
      const added = [];
      class Option {
        constructor(text, value) {
          Object.assign(this, { text, value });
        }
      }
      const taskSelect = { value: "", add: (o) => added.push(o) };
      const fileInput = { accept: "" };
      await runBlock(code, { taskSelect, fileInput, Option });
      assert.deepEqual(added.map((o) => o.value), sdk.TASK_TYPES.map((t) => t.code));
      assert.equal(added[0].text, `${sdk.TASK_TYPES[0].name} (AC-1)`);
      taskSelect.value = "DI-1";
      taskSelect.onchange();
      assert.equal(fileInput.accept, "image/jpeg,image/png,application/pdf");
    },
  },
  {
    has: 'const { job, result } = await authenta.runJob(photo, { taskType: "AC-1" });',
    name: "AC-1: the verdict in percent, the heatmap on the overlay",
    async run(code) {
      const { lines, console } = recordingConsole();
      const overlay = {};
      const { job, result } = await runBlock(code, { authenta: client, photo: png("readme-ac1"), overlay, console }, "{ job, result }");
      assert.equal(job.status, "completed");
      const raw = await serverResult(job.id);
      assert.deepEqual(result, raw);
      assert.deepEqual(lines.log, [[raw.isFake ? "AI-generated" : "real", `${raw.confidencePercent} %`]]);
      const heatmap = job.artifacts.find((a) => a.kind === "heatmap");
      assert.ok(heatmap, "the emulator's AC-1 job has a heatmap");
      assert.equal(overlay.src, heatmap.downloadUrl);
    },
  },
  {
    has: 'taskType: "faceswap-detection",',
    name: "DF-1 by slug: progress, statuses, a line per identity",
    async run(code) {
      const { lines, console } = recordingConsole();
      const { values, bar } = recordingBar();
      const { result } = await runBlock(code, { authenta: client, video: video(bytesOf("readme-df1")), bar, console }, "{ result }");
      const raw = await serverResult(await onlyJobId());
      assert.deepEqual(result, raw);
      assert.ok(raw.identityPredictions.length > 0, "the emulator's DF-1 result names identities");
      const statuses = lines.log.filter((l) => !String(l[0]).startsWith("face ")).map((l) => l[0]);
      assert.equal(statuses[0], "initiated");
      assert.equal(statuses.at(-1), "completed");
      assert.deepEqual(
        lines.log.filter((l) => String(l[0]).startsWith("face ")).map((l) => l[0]),
        raw.identityPredictions.map((p) => `face ${p.identityId}: ${p.isDeepFake ? "swapped" : "real"}`),
      );
      assert.equal(values.at(-1), 1, "the bar ends full");
    },
  },
  {
    has: "runJob({ original: selfie, reference: idPhoto }",
    name: "FI-1 with a reference: progress per slot, liveness and similarity as the result says",
    async run(code) {
      const { lines, console } = recordingConsole();
      const selfie = new File([bytesOf("readme-selfie")], "selfie.jpg", { type: "image/jpeg" });
      const { result } = await runBlock(code, { authenta: client, selfie, idPhoto: png("readme-id"), console }, "{ result }");
      const raw = await serverResult(await onlyJobId());
      assert.deepEqual(result, raw);
      const progress = lines.log.filter((l) => l.length === 3);
      assert.deepEqual([...new Set(progress.map((l) => l[0]))], ["original", "reference"], "progress names both slots, original first");
      const live = raw.isSpoof === undefined ? raw.isLiveness : raw.isSpoof === null ? null : !raw.isSpoof;
      assert.notEqual(live, null, "liveness was asked");
      assert.deepEqual(lines.log.at(-1), [{ live, similar: raw.isSimilar, score: raw.similarityScore }]);
    },
  },
  {
    has: 'contentType: "application/pdf", fileName: "contract.pdf"',
    name: "DI-1 with a PDF: the heatmap shown when the result says tampered",
    async run(code) {
      const overlay = {};
      const scan = new Blob([bytesOf("readme-di1")]);
      const { job, result } = await runBlock(code, { authenta: client, scan, overlay }, "{ job, result }");
      const raw = await serverResult(job.id);
      assert.deepEqual(result, raw);
      const input = job.artifacts.find((a) => a.kind === "input");
      assert.deepEqual([input.contentType, input.metadata?.fileName], ["application/pdf", "contract.pdf"]);
      const heatmap = job.artifacts.find((a) => a.kind === "heatmap");
      assert.equal(overlay.src, raw.isTampered && heatmap ? heatmap.downloadUrl : undefined);
    },
  },
  {
    has: 'localStorage.setItem("pending-job", jobId);',
    name: "submitJob: the job queued, its id kept",
    async run(code) {
      const localStorage = memoryStorage();
      const { values, bar } = recordingBar();
      await runBlock(code, { authenta: client, video: video(bytesOf("readme-submit")), bar, localStorage });
      const jobId = localStorage.getItem("pending-job");
      assert.equal(jobId, await onlyJobId());
      const { job } = await serverJob(jobId);
      assert.notEqual(job.status, "initiated", "finalized");
      assert.equal(values.at(-1), 1);
    },
  },
  {
    has: 'await authenta.waitForJob(localStorage.getItem("pending-job")',
    name: "waitForJob resumes from the stored id, then the result",
    async run(code) {
      const { jobId } = await client.submitJob(png("readme-wait"), { taskType: "AC-1" });
      const localStorage = memoryStorage();
      localStorage.setItem("pending-job", jobId);
      const { lines, console } = recordingConsole();
      const { job, result } = await runBlock(code, { authenta: client, localStorage, console }, "{ job, result }");
      assert.equal(String(job.id), jobId);
      assert.equal(lines.log.at(-1)[0], "completed");
      assert.deepEqual(result, await serverResult(jobId));
    },
  },
  {
    has: "const result = await authenta.getJobResult(job); // or getJobResult(jobId)",
    name: "getJobResult of a finished job",
    async run(code) {
      const { job } = await client.runJob(png("readme-result"), { taskType: "AC-1", ...FAST_POLL });
      const result = await runBlock(code, { authenta: client, job }, "result");
      assert.deepEqual(result, await serverResult(job.id));
    },
  },
  {
    has: "const created = await authenta.createJob({",
    name: "createJob, uploadFile, finalizeJob one by one: the job queued with its input",
    async run(code) {
      const file = new File([bytesOf("readme-steps")], "steps.png", { type: "image/png" });
      const jobId = await runBlock(code, { authenta: client, file }, "jobId");
      assert.equal(jobId, await onlyJobId());
      const puts = (await emu.log("storage")).filter((e) => e.method === "PUT");
      assert.equal(puts.length, 1, "one PUT to storage");
      const { job } = await serverJob(jobId);
      assert.notEqual(job.status, "initiated", "finalized");
      assert.equal(job.taskTypeId === undefined ? undefined : String(job.taskTypeId), "1");
    },
  },
  {
    has: "for await (const job of authenta.iterateJobs({ status: \"completed\" }))",
    name: "getJob, listJobs with a filter, iterateJobs over completed jobs",
    async run(code) {
      const { job: done } = await client.runJob(png("readme-list"), { taskType: "AC-1", ...FAST_POLL });
      const jobId = String(done.id);
      const { lines, console } = recordingConsole();
      const { job, data, pagination } = await runBlock(code, { authenta: client, jobId, console }, "{ job, data, pagination }");
      assert.equal(String(job.id), jobId);
      assert.equal(job.status, "completed");
      assert.deepEqual(data, [], "no failed job on page 2");
      assert.equal(pagination.page, 2);
      assert.deepEqual(lines.log, [[jobId, "completed"]]);
    },
  },
  {
    has: "await authenta.cancelJob(jobId);",
    name: "cancelJob then deleteJob: the job gone",
    async run(code) {
      await emu.setConfig({ processingMs: 60_000 }); // stays queued: cancellable
      const { jobId } = await client.submitJob(png("readme-cancel"), { taskType: "AC-1" });
      await runBlock(code, { authenta: client, jobId });
      const sent = (await emu.apiLog({ path: new RegExp(`^/api/v1/jobs/${jobId}`) })).map((e) => `${e.method} ${e.path}`);
      assert.deepEqual(sent.filter((s) => !s.startsWith("GET")).slice(-2), [`POST /api/v1/jobs/${jobId}/cancel`, `DELETE /api/v1/jobs/${jobId}`]);
      assert.equal((await serverJob(jobId)).status, 404);
    },
  },
];

describe("pkg/README.md, Jobs API: every js example runs against the emulator", () => {
  const blocks = jsBlocks(section("Jobs API"));
  it("each block has its check here, and each check its block", () => {
    for (const b of blocks) {
      const matches = JOBS_EXAMPLES.filter((e) => b.includes(e.has));
      assert.equal(matches.length, 1, `a README block with no (or several) checks here:\n${b}`);
    }
    for (const e of JOBS_EXAMPLES) assert.equal(blocks.filter((b) => b.includes(e.has)).length, 1, `no README block has ${e.has}`);
  });
  for (const e of JOBS_EXAMPLES) {
    it(e.name, () => {
      const code = blocks.find((b) => b.includes(e.has));
      assert.ok(code, `no README block has ${e.has}`);
      return e.run(code);
    });
  }
});

/**
 * The Errors section's try/catch, made to reach each branch by the failure the branch is for.
 * `branch` names the test-given function or console level the branch calls.
 */
describe("pkg/README.md, Errors: the try/catch example takes the branch each failure is for", () => {
  const blocks = jsBlocks(section("Errors"));
  it("the section has the one example", () => assert.equal(blocks.length, 1));
  const code = blocks[0];

  /** Runs the block with recording callbacks; returns what each was called with, or the thrown error. */
  async function runCatch(authenta, photo) {
    const calls = { show: [], retryLater: [], resumeLater: [] };
    const { lines, console } = recordingConsole();
    const scope = {
      authenta,
      photo,
      console,
      show: (r) => calls.show.push(r),
      retryLater: (...a) => calls.retryLater.push(a),
      resumeLater: (id) => calls.resumeLater.push(id),
    };
    let thrown;
    try {
      await runBlock(code, scope);
    } catch (e) {
      thrown = e;
    }
    return { calls, lines, thrown };
  }

  /** Asserts that only the `taken` recorders were used (each entry: "show", "error", …). */
  function onlyUsed({ calls, lines }, taken) {
    const used = [...Object.entries(calls), ...Object.entries(lines)].filter(([, v]) => v.length).map(([k]) => k).sort();
    assert.deepEqual(used, [...taken].sort());
  }

  it("no failure: show(result) with the result as the server wrote it", async () => {
    const out = await runCatch(client, png("readme-ok"));
    onlyUsed(out, ["show"]);
    assert.deepEqual(out.calls.show[0], await serverResult(await onlyJobId()));
  });

  it("UploadError: the job and the storage code in the message, nothing charged", async () => {
    await emu.fault({ route: "PUT upload", count: 1, status: 403, contentType: "application/xml", body: "<Error><Code>AccessDenied</Code><Message>denied</Message></Error>" });
    const out = await runCatch(client, png("readme-upload"));
    onlyUsed(out, ["error"]);
    const jobId = await onlyJobId();
    assert.match(out.lines.error[0][0], new RegExp(`^upload to job ${jobId} failed \\(AccessDenied\\): `));
    assert.equal((await serverJob(jobId)).job.status, "initiated", "never finalized");
  });

  it("StorageError: retryLater gets a getJobResult(err.jobId) that works once storage does", async () => {
    await emu.fault({ route: "GET storage", count: 1, status: 404, contentType: "application/xml", body: "<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>" });
    const out = await runCatch(client, png("readme-storage"));
    onlyUsed(out, ["retryLater"]);
    const [[again]] = out.calls.retryLater;
    assert.deepEqual(await again(), await serverResult(await onlyJobId()));
  });

  it("ProcessingError: the failed job's id and code", async () => {
    await emu.setConfig({ processingMs: 1500 });
    const run = runCatch(client, png("readme-failed"));
    const [finalize] = await emu.waitForLog((e) => e.method === "POST" && /^\/api\/v1\/jobs\/[^/]+\/finalize$/.test(e.path));
    const jobId = decodeURIComponent(finalize.path.split("/")[4]);
    await emu.jobOutcome(jobId, { status: "failed", errorMessage: "model crashed" });
    const out = await run;
    onlyUsed(out, ["error"]);
    assert.match(out.lines.error[0][0], new RegExp(`^job ${jobId}: PROCESSING_FAILED: .*model crashed`));
  });

  it("AuthenticationError: its code and message logged", async () => {
    const wrongKey = new sdk.AuthentaClient({ apiKey: "api_wrong_key_0000000000", baseUrl: emu.api });
    const out = await runCatch(wrongKey, png("readme-401"));
    onlyUsed(out, ["error"]);
    assert.equal(out.lines.error[0][0], "INVALID_API_KEY");
  });

  it("RateLimitError (quota used up): its code and message logged", async () => {
    await emu.fault({ route: "POST /v1/jobs", count: 1, status: 429, body: { code: "AA001", message: "quota exceeded" } });
    const out = await runCatch(client, png("readme-429"));
    onlyUsed(out, ["error"]);
    assert.equal(out.lines.error[0][0], "AA001");
  });

  it("another retryable AuthentaError (a 503 with no retries left): retryLater()", async () => {
    await emu.fault({ route: "POST /v1/jobs", count: 1, status: 503, body: { code: "E503", message: "down" } });
    const noRetries = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api, maxRetries: 0 });
    const out = await runCatch(noRetries, png("readme-503"));
    onlyUsed(out, ["retryLater"]);
    assert.deepEqual(out.calls.retryLater, [[]]);
  });

  it("anything else is thrown again: an empty photo's ConfigurationError", async () => {
    const out = await runCatch(client, new Blob([], { type: "image/png" }));
    onlyUsed(out, []);
    checkError(out.thrown, "ConfigurationError", { code: "INVALID_ARGUMENT" });
  });

  // Not run here: the `TimeoutError && err.jobId` branch needs runJob's wait to reach its default
  // deadline (AC-1's time-out + 60 s, 7 minutes), which the block gives no way to shorten.
  it.skip("TimeoutError at the wait's deadline: resumeLater(err.jobId) (a 7-minute default deadline)");
});
