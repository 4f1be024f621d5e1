// The sample page on the Jobs API: every task family through the page, the verdict checked
// against the result JSON the server wrote (read raw from the result artifact), the drawing
// checked in canvas pixels (the heatmap over the picture, boxes inside it per frame), FI-1 with a
// reference, the FE-1 vector, and any other task as its JSON.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  canvasPixel, chooseFile, colourOf, identities, jobResultOfPage, makePng, openPage, pct,
  runTask, screenshot, useEmulatorAndBrowser, waitForJob,
} from "./helpers.mjs";

let emu;
let browser;
useEmulatorAndBrowser({ processingMs: 600 }, (e, b) => ([emu, browser] = [e, b]));

const GREY = [128, 128, 128];
const greyPng = (w, hh, seed) => makePng(w, hh, { seed, pixel: () => GREY });

/**
 * Checks that the heatmap artifact is drawn over the picture: the test loads the job's heatmap
 * (its downloadUrl read raw) in the page, stretches it over the canvas as a reference, and
 * compares the canvas where the heatmap is strongest with grey composited under that pixel; then
 * the toggle hides it and the grey picture is back.
 */
async function assertHeatmapDrawn(page, job) {
  const heatmap = job.artifacts.find((a) => a.kind === "heatmap");
  assert.ok(heatmap?.downloadUrl, "the job has a heatmap artifact");
  assert.equal(await page.getAttribute("#media-canvas", "data-heatmap"), "drawn");
  const probe = await page.evaluate(async (url) => {
    const img = new Image();
    img.crossOrigin = "anonymous";
    img.src = url;
    await img.decode();
    const canvas = document.getElementById("media-canvas");
    const off = new OffscreenCanvas(canvas.width, canvas.height);
    const ctx = off.getContext("2d");
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let best = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > data[best * 4 + 3]) best = (i - 3) / 4;
    const x = best % canvas.width;
    const y = Math.floor(best / canvas.width);
    return { x, y, heat: [...data.slice(best * 4, best * 4 + 4)], natural: [img.naturalWidth, img.naturalHeight] };
  }, heatmap.downloadUrl);
  const a = probe.heat[3] / 255;
  assert.ok(a > 0.1, `the heatmap has a visible spot: ${JSON.stringify(probe)}`);
  const want = [0, 1, 2].map((i) => Math.round(GREY[i] * (1 - a) + probe.heat[i] * a));
  const got = await canvasPixel(page, probe.x, probe.y);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[i] - want[i]) <= 8, `canvas ${got} vs grey under the heatmap ${want} at (${probe.x}, ${probe.y})`);
  await page.uncheck("#heatmap-toggle");
  assert.equal(await page.getAttribute("#media-canvas", "data-heatmap"), "hidden");
  const bare = await canvasPixel(page, probe.x, probe.y);
  assert.deepEqual(bare.slice(0, 3), GREY, "without the heatmap the picture is grey there");
  await page.check("#heatmap-toggle");
}

test("AC-1: the verdict in percent as the result says, and the heatmap over the picture", async () => {
  const page = await openPage(browser, emu);
  assert.equal(await page.isChecked("#api-jobs"), true, "the Jobs API is the default");
  await chooseFile(page, "generated.png", "image/png", greyPng(320, 240, 1));
  await runTask(page, "AC-1");
  await waitForJob(page, "done");
  const { job, result } = await jobResultOfPage(page, emu);
  assert.equal(job.status, "completed");
  assert.equal(await page.getAttribute("#verdict", "data-view"), "ai-image");
  assert.equal(await page.getAttribute(".headline", "data-verdict"), result.isFake ? "fake" : "real");
  assert.equal(await page.textContent(".headline-title"), result.isFake ? "AI-generated" : "Looks real");
  assert.equal(await page.textContent(".headline-sub"), `${pct(result.confidencePercent / 100)} confidence`);
  const rows = await page.$$eval(".check-row", (r) => Object.fromEntries(r.map((x) => [x.dataset.check, x.dataset.value])));
  assert.deepEqual(rows, { ai: `${result.fakeConfidencePercent.toFixed(2)} %`, real: `${result.realConfidencePercent.toFixed(2)} %` });
  assert.equal(await page.getAttribute("#media-canvas", "data-source"), "image");
  assert.equal(await page.$eval("#media-canvas", (c) => `${c.width}x${c.height}`), "320x240");
  await assertHeatmapDrawn(page, job);
  // The raw JSON disclosure holds the result as the server wrote it.
  await page.click("#raw summary");
  assert.deepEqual(JSON.parse(await page.textContent("#raw-json")), result);
  const steps = await page.$$eval("#timeline li", (lis) => lis.map((li) => `${li.dataset.step}:${li.dataset.state}`));
  assert.deepEqual(steps, ["initiated:done", "uploaded:done", "queued:done", "processing:done", "completed:done"]);
  await screenshot(page, "jobs-ac1");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("DI-1: tampered or not as the result says, the heatmap over the document", async () => {
  const page = await openPage(browser, emu);
  await chooseFile(page, "scan.png", "image/png", greyPng(300, 400, 2));
  await runTask(page, "DI-1");
  await waitForJob(page, "done");
  const { job, result } = await jobResultOfPage(page, emu);
  assert.equal(await page.getAttribute("#verdict", "data-view"), "document");
  assert.equal(await page.textContent(".headline-title"), result.isTampered ? "Tampered" : "Not tampered");
  const rows = await page.$$eval(".check-row", (r) => Object.fromEntries(r.map((x) => [x.dataset.check, x.dataset.value])));
  assert.deepEqual(rows, { tampered: result.isTampered ? "Yes" : "No", fake: result.isFake ? "Yes" : "No" });
  await assertHeatmapDrawn(page, job);
  await screenshot(page, "jobs-di1");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("FI-1 with a reference: a row per check asked, the score as the result says, the reference beside", async () => {
  const page = await openPage(browser, emu);
  await chooseFile(page, "selfie.png", "image/png", makePng(640, 480, { seed: 8 }));
  await page.selectOption("#task-type", "FI-1");
  assert.equal(await page.isVisible("#fi-options"), true, "FI-1 shows its options");
  await page.check("#fi-similarity");
  assert.equal(await page.isDisabled("#analyse"), true, "no similarity check without a reference");
  await page.setInputFiles("#reference-input", { name: "id-photo.png", mimeType: "image/png", buffer: makePng(200, 260, { seed: 9 }) });
  await runTask(page, "FI-1");
  await waitForJob(page, "done");
  const { job, result } = await jobResultOfPage(page, emu);
  assert.deepEqual(
    { liveness: job.parameters.isLivenessCheck, similarity: job.parameters.isSimilarityCheck, faceswap: job.parameters.isFaceswapCheck ?? false },
    { liveness: true, similarity: true, faceswap: false },
  );
  assert.equal(result.isDeepFake, null, "face swap not asked");
  const rows = await page.$$eval(".check-row", (r) => r.map((x) => [x.dataset.check, x.dataset.value]));
  assert.deepEqual(rows, [
    ["liveness", result.isLiveness ? "Live person" : "Not live"],
    ["similarity", `${result.isSimilar ? "Match" : "No match"} · ${result.similarityScore.toFixed(1)} / 100`],
  ]);
  assert.equal(await page.isVisible("#reference-figure"), true, "the reference photo beside the photo");
  assert.equal(await page.$eval("#reference-img", (i) => `${i.naturalWidth}x${i.naturalHeight}`), "200x260");
  // The face box, inside the picture, in its class's colour.
  const [want] = identities(result);
  const [x, y, w, hh] = want.box;
  assert.ok(x >= 0 && y >= 0 && x + w <= 640 && y + hh <= 480, `box inside the picture: ${want.box}`);
  assert.equal(colourOf(await canvasPixel(page, x, y + hh / 2)), want.cls);
  await screenshot(page, "jobs-fi1-reference");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("FE-1: the vector drawn as a colour map, its norm and first values from the result", async () => {
  const page = await openPage(browser, emu);
  await chooseFile(page, "face.png", "image/png", makePng(64, 64, { seed: 12 }));
  await runTask(page, "FE-1");
  await waitForJob(page, "done");
  const { result } = await jobResultOfPage(page, emu);
  const v = result.faceVector;
  assert.equal(await page.getAttribute(".vector", "data-length"), String(v.length));
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  assert.ok((await page.textContent(".headline-sub")).startsWith(`Length (L2 norm) ${norm.toFixed(3)}.`));
  // Cell i is drawn at (i % 64 * 4, floor(i / 64) * 4): red for the largest positive value, blue
  // for the most negative one.
  const cell = (i) => page.$eval(".vector-map", (c, i) => [...c.getContext("2d").getImageData((i % 64) * 4 + 1, Math.floor(i / 64) * 4 + 1, 1, 1).data], i);
  const maxI = v.indexOf(Math.max(...v));
  const minI = v.indexOf(Math.min(...v));
  const [r1, , b1] = await cell(maxI);
  const [r2, , b2] = await cell(minI);
  assert.ok(r1 === 255 && b1 < 128, `the largest value is red: ${r1},${b1}`);
  assert.ok(b2 === 255 && r2 < 128, `the most negative value is blue: ${r2},${b2}`);
  await screenshot(page, "jobs-fe1");
  await page.context().close();
});

test("a task without a view of its own (FL-1): its result as formatted JSON", async () => {
  const page = await openPage(browser, emu);
  await chooseFile(page, "spoof.png", "image/png", makePng(64, 64, { seed: 13 }));
  await runTask(page, "FL-1");
  await waitForJob(page, "done");
  const { result } = await jobResultOfPage(page, emu);
  assert.equal(await page.getAttribute("#verdict", "data-view"), "other");
  assert.deepEqual(JSON.parse(await page.textContent("#verdict pre.json")), result);
  assert.equal(await page.getAttribute(".headline", "data-verdict"), result.isFake ? "fake" : "real");
  await page.context().close();
});
