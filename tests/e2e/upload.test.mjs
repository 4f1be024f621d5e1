// The sample page, end to end: upload an image and a video, watch progress and status, and check
// the verdict shown and the boxes drawn against the result JSON the server wrote (read raw).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "../support/emulator.mjs";
import { findMedia } from "../support/raw.mjs";
import {
  analyse, canvasPixel, chooseFile, colourOf, identities, makeFakeVideo, makePng, openPage, pct,
  resultOfPage, screenshot, useEmulatorAndBrowser, useMediaApi, waitForJob,
} from "./helpers.mjs";

/** Chromium logs this when the SDK reads a header the storage's CORS rule does not expose. */
const realProblems = (page) => page.problems;

let emu;
let browser;
// Long enough that the 1 s polls see PROCESSING before PROCESSED.
useEmulatorAndBrowser({ processingMs: 1800 }, (e, b) => ([emu, browser] = [e, b]));
/** Picks inputs by their result (findMedia), apart from the emulator the page talks to. */
let probe;
before(async () => {
  probe = await startEmulator({ processingMs: 0 });
});
after(() => probe?.stop());

async function checkFinished(page, size) {
  assert.equal(await page.getAttribute("#progress", "aria-valuenow"), "100");
  const progress = await page.textContent("#progress-text");
  assert.match(progress, /100 %/);
  assert.ok(progress.includes(size < 1024 ? `${size} B` : "KB"), progress);
  const steps = await page.$$eval("#timeline li", (lis) =>
    lis.map((li) => ({ step: li.dataset.step, state: li.dataset.state, time: li.querySelector("time").textContent })));
  assert.deepEqual(steps.map((s) => s.state), ["done", "done", "done", "done"], JSON.stringify(steps));
  const processed = steps.find((s) => s.step === "PROCESSED");
  assert.match(processed.time, /\d{1,2}:\d{2}:\d{2}/, "PROCESSED carries the time it was seen");
  assert.match(steps[0].time, /\d{1,2}:\d{2}:\d{2}/, "INITED carries the time it was seen");
}

/** The boxes the canvas says it drew: `{id, cls, box: [x, y, w, h]}`. */
async function drawnBoxes(page) {
  const boxes = JSON.parse(await page.getAttribute("#media-canvas", "data-boxes"));
  return boxes.map((b) => ({ id: b.id, cls: b.cls, box: [b.x, b.y, b.w, b.h] }));
}

/** Asserts the pixel at (x, y) is drawn in the colour of `cls` (3 px lines: probe the centre). */
async function assertStroke(page, x, y, cls, what) {
  const px = await canvasPixel(page, Math.round(x), Math.round(y));
  assert.equal(colourOf(px), cls, `${what} at (${x}, ${y})`);
}

test("an image with FI-1: progress to 100 %, timeline to PROCESSED, the checks and the box over the image", async () => {
  // A fake face, so the box is red; the box lies inside the 640x480 picture.
  const image = { modelType: "FI-1", contentType: "image/png" };
  const { buf } = await findMedia(probe, (s) => makePng(640, 480, { seed: s }), image, (r) => r.isDeepFake === true);
  const page = await openPage(browser, emu);
  await useMediaApi(page);
  assert.equal(await page.inputValue("#model-type"), "DF-1");
  assert.equal(await page.isVisible("#fi-options"), false, "FI-1 options hidden while DF-1 is picked");
  assert.equal(await page.isDisabled("#analyse"), true, "nothing to analyse before a file is chosen");
  await chooseFile(page, "portrait.png", "image/png", buf);
  assert.equal(await page.inputValue("#model-type"), "FI-1", "an image moves off the video-only DF-1");
  assert.equal(await page.isVisible("#fi-options"), true, "FI-1 shows its check options");
  await page.check("#fi-similarity");
  assert.equal(await page.isVisible("#reference-row"), true, "the similarity check shows the reference picker");
  assert.equal(await page.isDisabled("#analyse"), true, "no analysis before a reference image is chosen");
  await page.uncheck("#fi-similarity");
  await analyse(page, "FI-1");
  await waitForJob(page, "done");

  await checkFinished(page, buf.length);
  const result = await resultOfPage(page, emu);
  assert.equal(result.isDeepFake, true, "the picture chosen as fake is fake here too");
  const [want] = identities(result);
  assert.equal(await page.getAttribute(".headline", "data-verdict"), "fake");
  assert.match(await page.textContent(".headline"), /Deepfake detected/);
  assert.equal(await page.textContent(".headline-sub"), `${pct(want.confidence)} confidence`);
  const checks = await page.$$eval(".check-row", (rows) => Object.fromEntries(rows.map((r) => [r.dataset.check, r.dataset.value])));
  assert.deepEqual(checks, {
    deepfake: "Fake",
    liveness: result.isLiveness ? "Live person" : "Not live",
  }, "one row per check asked for: no similarity row without the check");

  // The box, drawn over the decoded image in the class's colour.
  assert.equal(await page.getAttribute("#media-canvas", "data-source"), "image");
  assert.deepEqual(await drawnBoxes(page), [{ id: "0", cls: "fake", box: want.box }]);
  const [x, y, w, hh] = want.box;
  await assertStroke(page, x, y + hh / 2, want.cls, "left edge");
  await assertStroke(page, x + w, y + hh / 2, want.cls, "right edge");
  await assertStroke(page, x + w / 2, y + hh, want.cls, "bottom edge");
  const inside = await canvasPixel(page, x + w / 2, y + hh / 2);
  assert.ok(Math.abs(inside[0] - 150) < 12 && Math.abs(inside[2] - 190) < 12, `the image shows inside the box: ${inside}`);
  const outside = await canvasPixel(page, x + w + 12 < 640 ? x + w + 12 : x - 12, y + hh / 2);
  assert.notEqual(colourOf(outside), want.cls, "only the outline is coloured");
  await screenshot(page, "done-image");
  assert.deepEqual(realProblems(page), []);
  await page.context().close();
});

test("a video with DF-1: per-identity verdicts and boxes on a placeholder frame (the bytes are not a real video)", async () => {
  // Two identities, one fake and one real, with boxes apart from each other (and their labels).
  const apart = (result) => {
    const people = identities(result);
    if (people.length !== 2 || people[0].cls === people[1].cls) return false;
    const [a, b] = people.map((p) => p.box);
    const m = 40;
    return a[0] + a[2] + m < b[0] || b[0] + b[2] + m < a[0] || a[1] + a[3] + m < b[1] || b[1] + b[3] + m < a[1];
  };
  const clip = { modelType: "DF-1", contentType: "video/mp4" };
  const { buf } = await findMedia(probe, (s) => makeFakeVideo(6 * 1024, s), clip, apart);
  const page = await openPage(browser, emu);
  await chooseFile(page, "interview.mp4", "video/mp4", buf);
  await analyse(page, "DF-1");
  await waitForJob(page, "done");

  await checkFinished(page, buf.length);
  const result = await resultOfPage(page, emu);
  assert.ok(apart(result), "the clip chosen for two faces apart gives them here too");
  const want = identities(result);
  for (const p of want) {
    const predicted = result.identityPredictions.find((x) => x.identityId === p.id);
    assert.equal(predicted.isDeepFake, p.cls === "fake", `identity ${p.id}: prediction and box agree`);
  }
  assert.equal(await page.getAttribute(".headline", "data-verdict"), "fake");
  assert.match(await page.textContent(".headline"), /1 of 2 faces are fake/);
  const rows = await page.$$eval(".identity", (lis) =>
    lis.map((li) => ({ id: li.dataset.identity, cls: li.dataset.class, confidence: Number(li.dataset.confidence), text: li.textContent })));
  assert.equal(rows.length, want.length);
  for (const [i, p] of want.entries()) {
    assert.equal(rows[i].id, p.id);
    assert.equal(rows[i].cls, p.cls, `identity ${p.id}`);
    assert.equal(rows[i].confidence, p.confidence);
    assert.ok(rows[i].text.includes(pct(p.confidence)), rows[i].text);
    assert.ok(rows[i].text.includes(p.cls === "fake" ? "Fake" : "Real"), rows[i].text);
  }

  // The browser cannot decode the bytes: a placeholder frame, boxes at their positions, each in
  // its class's colour, and a caption that says so.
  assert.equal(await page.getAttribute("#media-canvas", "data-source"), "placeholder");
  assert.equal(await page.getAttribute("#media-canvas", "data-frame"), "0");
  assert.match(await page.textContent("#media-caption"), /No preview: the browser could not decode the video/);
  assert.deepEqual(await drawnBoxes(page), want.map(({ id, cls, box }) => ({ id, cls, box })));
  for (const p of want) {
    const [x, y, w, hh] = p.box;
    await assertStroke(page, x, y + hh / 2, p.cls, `identity ${p.id} left edge`);
    // One pixel in: the placeholder ends where the rightmost box does, and a stroke centred on
    // the canvas edge has only its inner half drawn.
    await assertStroke(page, x + w - 1, y + hh / 2, p.cls, `identity ${p.id} right edge`);
  }
  await screenshot(page, "done-video");
  assert.deepEqual(realProblems(page), []);
  await page.context().close();
});

test("FE-1: the vector's length, its norm and a preview of its first values", async () => {
  const buf = makePng(64, 64, { seed: 99 });
  const page = await openPage(browser, emu);
  await chooseFile(page, "face.png", "image/png", buf);
  await analyse(page, "FE-1");
  await waitForJob(page, "done");
  const vector = (await resultOfPage(page, emu)).faceVector;
  assert.equal(vector.length, 512);
  assert.equal(await page.getAttribute(".vector", "data-length"), "512");
  assert.match(await page.textContent(".headline"), /512 numbers/);
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  assert.ok((await page.textContent(".headline-sub")).startsWith(`Length (L2 norm) ${norm.toFixed(3)}.`));
  const preview = await page.textContent(".vector-preview");
  assert.ok(preview.startsWith(`[${vector.slice(0, 6).map((x) => x.toFixed(4)).join(", ")}, …]`), preview);
  await page.context().close();
});

test("AC-1 (AI-generated image) on a PNG: the verdict and confidence, no face boxes", async () => {
  const buf = makePng(64, 64, { seed: 77 });
  const page = await openPage(browser, emu);
  await chooseFile(page, "generated.png", "image/png", buf);
  await analyse(page, "AC-1");
  await waitForJob(page, "done");
  // The result is in percent: { isFake, confidencePercent, … } (emulator/README.md, Verdicts).
  const { isFake, confidencePercent } = await resultOfPage(page, emu);
  assert.equal(await page.getAttribute(".headline", "data-verdict"), isFake ? "fake" : "real");
  assert.equal(await page.textContent(".headline-sub"), `${pct(confidencePercent / 100)} confidence`);
  // The picture is shown, without face boxes (AC-1 has none).
  await page.waitForSelector("#media-figure:not([hidden])");
  assert.equal(await page.getAttribute("#media-canvas", "data-source"), "image");
  assert.equal(await page.getAttribute("#media-canvas", "data-boxes"), "[]");
  await page.context().close();
});

test("FI-1 similarity with a reference image, chosen by drag and drop", async () => {
  const buf = makePng(640, 480, { seed: 5 });
  const page = await openPage(browser, emu);
  // Drop the file on the drop zone, as a person would drag it from their desktop.
  await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], "selfie.png", { type: "image/png" }));
    const zone = document.getElementById("dropzone");
    zone.dispatchEvent(new DragEvent("dragenter", { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, buf.toString("base64"));
  assert.equal(await page.textContent("#file-name"), "selfie.png");
  await useMediaApi(page);
  await page.selectOption("#model-type", "FI-1");
  await page.check("#fi-similarity");
  // The same picture as reference: the emulator scores 100.
  await page.setInputFiles("#reference-input", { name: "id-photo.png", mimeType: "image/png", buffer: buf });
  await page.click("#analyse");
  await waitForJob(page, "done");
  const value = await page.getAttribute('.check-row[data-check="similarity"]', "data-value");
  assert.equal(value, "Match · 100.0 / 100");
  await page.context().close();
});

// The XHR upload once read Retry-After, which the storage's CORS rule does not expose, and
// Chromium logged "Refused to get unsafe header" on every upload.
test("an upload logs no console error", async () => {
  const page = await openPage(browser, emu);
  await chooseFile(page, "p.png", "image/png", makePng(32, 32, { seed: 3 }));
  await analyse(page, "FE-1");
  await waitForJob(page, "done");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
