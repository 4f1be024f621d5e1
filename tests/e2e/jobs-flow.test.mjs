// The sample page's Jobs flow around the verdict: the sample button (a clip recorded in the page,
// DF-1 boxes per identity stepped frame by frame), the code panel, cancelling a queued job, viewing
// a finished one from Recent jobs, a reload while processing (waitForJob resumes), a Jobs error
// with what to do, and where the key is kept.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import {
  api, asPage, canvasColour, chooseFile, identities, jobResultOfPage, makeFakeVideo, makePng, openPage,
  pct, runTask, screenshot, serverJob, serverJobResult, useEmulatorAndBrowser, waitForJob,
} from "./helpers.mjs";

let emu;
let browser;
useEmulatorAndBrowser({ processingMs: 600 }, (e, b) => ([emu, browser] = [e, b]));
beforeEach(async () => {
  await emu.reset();
  await emu.control("config", { processingMs: 600 });
});

/** The boxes the canvas says it drew: `{id, cls, box: [x, y, w, h]}`. */
async function drawnBoxes(page) {
  const boxes = JSON.parse(await page.getAttribute("#media-canvas", "data-boxes"));
  return boxes.map((b) => ({ id: b.id, cls: b.cls, box: [b.x, b.y, b.w, b.h] }));
}

/** Each box lies inside the canvas and its left and top edges are in the class's colour. */
async function assertBoxesDrawn(page, want, size) {
  assert.deepEqual(await drawnBoxes(page), want);
  for (const p of want) {
    const [x, y, w, hh] = p.box;
    assert.ok(x >= 0 && y >= 0 && x + w <= size[0] && y + hh <= size[1], `box ${p.id} inside ${size}: ${p.box}`);
    assert.equal(await canvasColour(page, x, Math.round(y + hh / 2), p.cls), p.cls, `identity ${p.id} left edge`);
    assert.equal(await canvasColour(page, x + w, Math.round(y + hh / 2), p.cls), p.cls, `identity ${p.id} right edge`);
  }
}

test("the sample button on DF-1: a clip made in the page, boxes per identity on its frames, stepped through", async () => {
  const page = await openPage(browser, emu);
  await page.selectOption("#task-type", "DF-1");
  await page.click("#sample");
  await waitForJob(page, "done", 40_000);
  assert.match(await page.textContent("#sample-status"), /Sample: sample-two-faces\.(mp4|webm)/);
  const { job, result } = await jobResultOfPage(page, emu);
  const input = job.artifacts.find((a) => a.kind === "input");
  assert.match(input.contentType, /^video\/(mp4|webm)$/);
  // The verdict as the result says: one row per identity.
  const want = identities(result);
  const fakes = want.filter((p) => p.cls === "fake").length;
  assert.equal(await page.getAttribute(".headline", "data-verdict"), fakes ? "fake" : "real");
  const rows = await page.$$eval(".identity", (lis) => lis.map((li) => ({ id: li.dataset.identity, cls: li.dataset.class, confidence: Number(li.dataset.confidence) })));
  assert.deepEqual(rows, want.map((p) => ({ id: p.id, cls: p.cls, confidence: p.confidence })));
  // The clip decodes: the boxes are drawn over its frames, inside its 1280 x 720 pixels.
  assert.equal(await page.getAttribute("#media-canvas", "data-source"), "video");
  assert.equal(await page.$eval("#media-canvas", (c) => `${c.width}x${c.height}`), "1280x720");
  const frames = Object.keys(result.boundingBoxes["0"].boundingBox).map(Number).sort((a, b) => a - b);
  assert.ok(frames.length > 1, "a video has boxes on several frames");
  assert.equal(await page.getAttribute("#media-canvas", "data-frame"), String(frames[0]));
  await assertBoxesDrawn(page, identities(result, String(frames[0])).map(({ id, cls, box }) => ({ id, cls, box })), [1280, 720]);
  await screenshot(page, "jobs-df1-sample-frame0");
  assert.equal(await page.isDisabled("#frame-prev"), true);
  await page.click("#frame-next");
  await page.waitForSelector(`#media-canvas[data-frame="${frames[1]}"]`);
  await assertBoxesDrawn(page, identities(result, String(frames[1])).map(({ id, cls, box }) => ({ id, cls, box })), [1280, 720]);
  assert.match(await page.textContent("#frame-label"), new RegExp(`Frame ${frames[1]} · 2 of ${frames.length}`));
  // The keyboard steps too: the canvas takes focus, the arrows move.
  await page.focus("#media-canvas");
  for (let i = 2; i < frames.length; i++) await page.keyboard.press("ArrowRight");
  await page.waitForSelector(`#media-canvas[data-frame="${frames.at(-1)}"]`);
  assert.equal(await page.isDisabled("#frame-next"), true);
  await screenshot(page, "jobs-df1-sample-last-frame");

  // The code panel shows the call that did it.
  await page.click("#code-details summary");
  const code = await page.textContent("#code-sample");
  assert.match(code, /await authenta\.runJob\(file, \{\n  taskType: "DF-1",/);
  assert.ok(!code.includes(emu.apiKey), "the key itself is never shown");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("the code panel follows the choices: FI-1 parameters as the job stored them, and the legacy call", async () => {
  const page = await openPage(browser, emu);
  await page.selectOption("#task-type", "FI-1");
  await page.click("#sample");
  await waitForJob(page, "done", 20_000);
  const { job } = await jobResultOfPage(page, emu);
  await page.click("#code-details summary");
  const code = await page.textContent("#code-sample");
  const params = code.match(/parameters: (\{[^}]*\})/);
  assert.ok(params, code);
  // The parameters shown, as JSON, are the ones the server stored (plus the version the SDK adds).
  const shown = JSON.parse(params[1].replace(/(\w+):/g, '"$1":'));
  assert.deepEqual({ ...shown, version: "v1" }, job.parameters);
  await page.check("#api-media");
  await page.selectOption("#model-type", "FE-1");
  assert.match(await page.textContent("#code-sample"), /authenta\.uploadAndPoll\(file, \{\n  modelType: "FE-1",/);
  await page.context().close();
});

test("a queued job is cancelled from Recent jobs (cancelJob); the status filter lists it", async () => {
  await emu.control("config", { processingMs: 60_000 }); // queued for 20 s
  // The jobs are this visitor's, made through the handler with its session (as from another tab).
  const page = await openPage(browser, emu);
  const created = await asPage(page, "POST", "/v1/jobs", {
    taskTypeId: "1", inputs: [{ slotName: "original", contentType: "image/png", fileName: "waiting.png", sizeBytes: 4 }],
  });
  const jobId = created.body.job.id;
  const put = await fetch(created.body.inputs[0].uploadUrl, { method: "PUT", headers: { "content-type": "image/png" }, body: Buffer.from("abcd") });
  assert.equal(put.status, 200);
  assert.equal((await asPage(page, "POST", `/v1/jobs/${jobId}/finalize`)).status, 200);
  const other = await asPage(page, "POST", "/v1/jobs", {
    taskTypeId: "1", inputs: [{ slotName: "original", contentType: "image/png", fileName: "never-sent.png", sizeBytes: 4 }],
  });

  await page.click("#jobs-refresh");
  const item = `#jobs-list li[data-job-id="${jobId}"]`;
  await page.waitForSelector(item);
  assert.equal(await page.getAttribute(item, "data-status"), "queued");
  await page.selectOption("#jobs-filter", "queued");
  await page.waitForSelector(`#jobs-list li[data-job-id="${other.body.job.id}"]`, { state: "detached" });
  assert.deepEqual(await page.$$eval("#jobs-list li", (lis) => lis.map((li) => li.dataset.jobId)), [jobId], "only the queued job");
  await page.click(`${item} button[aria-label="Cancel job ${jobId}"]`);
  await page.waitForSelector(item, { state: "detached" });
  assert.equal((await serverJob(emu, jobId)).status, "cancelled");
  await page.selectOption("#jobs-filter", "cancelled");
  await page.waitForSelector(`${item}[data-status="cancelled"]`);
  assert.equal(await page.isVisible(`${item} button[aria-label="Cancel job ${jobId}"]`), false, "no Cancel once cancelled");
  await screenshot(page, "jobs-list-cancelled");
  // Delete asks for a second click, then the job is gone.
  const del = `${item} button[aria-label="Delete job ${jobId}"]`;
  await page.click(del);
  await page.click(del);
  await page.waitForSelector(item, { state: "detached" });
  assert.equal((await api(emu, "GET", `/v1/jobs/${jobId}`)).status, 404);
  await page.context().close();
});

/**
 * A job created, uploaded and finalized with raw requests (no SDK) through the handler, as the
 * page's visitor; its id.
 */
async function rawJob(page, taskTypeId, fileName, bytes) {
  const created = await asPage(page, "POST", "/v1/jobs", {
    taskTypeId, inputs: [{ slotName: "original", contentType: "image/png", fileName, sizeBytes: bytes.length }],
  });
  assert.equal(created.status, 200);
  const put = await fetch(created.body.inputs[0].uploadUrl, { method: "PUT", headers: { "content-type": "image/png" }, body: bytes });
  assert.equal(put.status, 200);
  assert.equal((await asPage(page, "POST", `/v1/jobs/${created.body.job.id}/finalize`)).status, 200);
  return created.body.job.id;
}

/** Resolves once the server says the job is completed. */
async function completed(jobId) {
  for (let i = 0; (await serverJob(emu, jobId)).status !== "completed"; i++) {
    assert.ok(i < 200, `job ${jobId} did not complete`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("View in Recent jobs shows that job's verdict and result, one job then another", async () => {
  const page = await openPage(browser, emu);
  const ai = await rawJob(page, "1", "listed-photo.png", makePng(200, 150, { seed: 41 }));
  const doc = await rawJob(page, "6", "listed-scan.png", makePng(150, 200, { seed: 42 }));
  await completed(ai);
  await completed(doc);
  await page.click("#jobs-refresh");
  const view = async (jobId) => {
    const item = `#jobs-list li[data-job-id="${jobId}"]`;
    await page.waitForSelector(`${item}[data-status="completed"]`);
    await page.click(`${item} button[aria-label="View the result of job ${jobId}"]`);
    await page.waitForSelector(`#job[data-job-id="${jobId}"][data-state="done"]`);
    await page.click("#raw summary");
    return (await serverJobResult(emu, jobId)).result;
  };

  const aiResult = await view(ai);
  assert.equal(await page.textContent("#job-name"), "listed-photo.png");
  assert.equal(await page.getAttribute("#verdict", "data-view"), "ai-image");
  assert.equal(await page.getAttribute(".headline", "data-verdict"), aiResult.isFake ? "fake" : "real");
  assert.equal(await page.textContent(".headline-title"), aiResult.isFake ? "AI-generated" : "Looks real");
  assert.equal(await page.textContent(".headline-sub"), `${pct(aiResult.confidencePercent / 100)} confidence`);
  assert.deepEqual(JSON.parse(await page.textContent("#raw-json")), aiResult);
  assert.equal(await page.$eval("#media-canvas", (c) => `${c.width}x${c.height}`), "200x150", "the job's own input is drawn");

  const docResult = await view(doc);
  assert.equal(await page.textContent("#job-name"), "listed-scan.png");
  assert.equal(await page.getAttribute("#verdict", "data-view"), "document");
  assert.equal(await page.textContent(".headline-title"), docResult.isTampered ? "Tampered" : "Not tampered");
  assert.deepEqual(JSON.parse(await page.textContent("#raw-json")), docResult);
  assert.equal(await page.$eval("#media-canvas", (c) => `${c.width}x${c.height}`), "150x200");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a reload while the job is processing resumes with waitForJob and ends on the job's verdict", async () => {
  await emu.control("config", { processingMs: 9000 }); // processing from 3 s to 9 s after finalize
  const page = await openPage(browser, emu);
  await chooseFile(page, "resume-job.png", "image/png", makePng(320, 240, { seed: 43 }));
  await runTask(page, "AC-1");
  await page.waitForSelector('#timeline li[data-step="processing"][data-state="done"]', { timeout: 15_000 });
  const inFlight = () => page.evaluate(() => JSON.parse(sessionStorage.getItem("authenta-demo:in-flight") ?? "null"));
  const saved = await inFlight();
  assert.deepEqual([saved.api, saved.status, saved.name], ["jobs", "processing", "resume-job.png"]);
  const jobId = saved.id;
  assert.equal((await serverJob(emu, jobId)).status, "processing", "still processing on the server at the reload");

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.getAttribute("#job", "data-state"), "busy", "picks up where it was");
  assert.equal(await page.getAttribute("#job", "data-job-id"), jobId);
  assert.equal(await page.textContent("#job-name"), "resume-job.png");
  await waitForJob(page, "done", 20_000);
  assert.equal(await page.getAttribute("#job", "data-job-id"), jobId);
  assert.equal(await inFlight(), null, "nothing left in flight");
  const sent = (await emu.apiLog({ method: "POST" })).map((e) => e.path);
  assert.deepEqual(sent, ["/api/v1/jobs", `/api/v1/jobs/${jobId}/finalize`], "the reload created, uploaded and finalized nothing more");
  assert.equal((await emu.log("storage")).filter((e) => e.method === "PUT").length, 1);
  // The verdict of the job's result artifact, read raw.
  const { result } = await serverJobResult(emu, jobId);
  assert.equal(await page.getAttribute(".headline", "data-verdict"), result.isFake ? "fake" : "real");
  assert.equal(await page.textContent(".headline-title"), result.isFake ? "AI-generated" : "Looks real");
  assert.equal(await page.textContent(".headline-sub"), `${pct(result.confidencePercent / 100)} confidence`);
  await page.click("#raw summary");
  assert.deepEqual(JSON.parse(await page.textContent("#raw-json")), result);
  assert.equal(await page.$eval("#media-canvas", (c) => `${c.width}x${c.height}`), "320x240", "the input comes back from its artifact");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("Cancel while the job is queued cancels it on the server", async () => {
  await emu.control("config", { processingMs: 60_000 });
  const page = await openPage(browser, emu);
  await chooseFile(page, "clip.mp4", "video/mp4", makeFakeVideo(4000, 3));
  await runTask(page, "DF-1");
  await page.waitForSelector('#timeline li[data-step="queued"][data-state="done"]');
  const jobId = await page.getAttribute("#job", "data-job-id");
  await page.click("#cancel");
  await waitForJob(page, "cancelled", 5000);
  assert.equal((await serverJob(emu, jobId)).status, "cancelled");
  await page.context().close();
});

test("a Jobs error: a video for AC-1 is refused by the server, and the page says what AC-1 takes", async () => {
  const page = await openPage(browser, emu);
  await page.selectOption("#task-type", "AC-1");
  assert.equal(await page.getAttribute("#file-input", "accept"), "image/jpeg,image/png", "the picker offers what AC-1 takes");
  await chooseFile(page, "clip.mp4", "video/mp4", makeFakeVideo(3000, 5));
  // The page moved to a task that takes videos; put AC-1 back to send it anyway.
  await page.selectOption("#task-type", "AC-1");
  assert.match(await page.textContent("#form-warning"), /AC-1 takes JPEG, PNG; this file is video\/mp4/);
  await page.click("#analyse");
  await waitForJob(page, "error");
  assert.equal(await page.textContent("#error-name"), "BadRequestError");
  assert.equal(await page.textContent("#error-code"), "UNSUPPORTED_MEDIA_TYPE");
  assert.equal(await page.textContent("#error-status"), "HTTP 400");
  assert.equal(await page.textContent("#error-title"), "This task cannot read this file");
  assert.match(await page.textContent("#error-what"), /does not support media type: video\/mp4/);
  assert.match(await page.textContent("#error-todo"), /AC-1 takes JPEG, PNG/);
  await screenshot(page, "jobs-error-unsupported");
  await page.context().close();
});

test("a key in the page is a choice under Settings: the emulator's in memory only, a typed one for the tab, on the device only when asked", async () => {
  const page = await openPage(browser, emu);
  const stored = () => page.evaluate(() => ({
    session: sessionStorage.getItem("authenta-demo:settings"), local: localStorage.getItem("authenta-demo:settings"),
  }));
  assert.deepEqual(await stored(), { session: null, local: null }, "the default stores nothing");
  assert.equal(await page.textContent("#connection-text"), "This site's server · no key in the page");
  // Direct mode with the emulator's key: the risk is spelt out; the choice is kept, the key is not.
  await page.click("#settings-toggle");
  assert.equal(await page.isChecked("#mode-proxy"), true);
  assert.equal(await page.isVisible("#api-key"), false, "no key field while the server holds the key");
  await page.check("#mode-direct");
  assert.match(await page.textContent("#direct-warning"), /readable by anyone who can\s+open it/);
  assert.equal(await page.inputValue("#base-url"), emu.api, "the direct mode talks to the API itself");
  await page.click('#settings-form button[type="submit"]');
  await page.waitForSelector("#settings", { state: "hidden" });
  let s = await stored();
  assert.equal(s.local, null);
  assert.deepEqual(JSON.parse(s.session), { mode: "direct", baseUrl: emu.api, apiKey: "", allowBrowserKey: false });
  assert.equal(await page.textContent("#connection-text"), "Local emulator · key in the page");
  await emu.control("keys", { key: "api_typed_key_1" });
  await page.click("#settings-toggle");
  assert.equal(await page.inputValue("#api-key"), "", "the emulator's key never enters the form");
  await page.fill("#api-key", "api_typed_key_1");
  await page.click('#settings-form button[type="submit"]');
  s = await stored();
  assert.equal(s.local, null);
  assert.equal(JSON.parse(s.session).apiKey, "api_typed_key_1");
  await page.click("#settings-toggle");
  assert.equal(await page.isVisible("#remember-warning"), false);
  await page.check("#remember-key");
  assert.match(await page.textContent("#remember-warning"), /readable by any\s+script/);
  await page.click('#settings-form button[type="submit"]');
  s = await stored();
  assert.equal(s.session, null);
  assert.equal(JSON.parse(s.local).apiKey, "api_typed_key_1");
  await page.click("#settings-toggle");
  await page.click("#settings-reset");
  assert.deepEqual(await stored(), { session: null, local: null }, "Use defaults forgets it");
  assert.equal(await page.isChecked("#mode-proxy"), true, "and goes back to the server holding the key");
  assert.equal(await page.textContent("#connection-text"), "This site's server · no key in the page");
  await page.context().close();
});
