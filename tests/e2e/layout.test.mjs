// The sample page at phone width (375x740) has no horizontal scroll, in every state.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  analyse, chooseFile, horizontalOverflow, makeFakeVideo, makePng, openPage, runTask, screenshot,
  useEmulatorAndBrowser, waitForJob,
} from "./helpers.mjs";

let emu;
let browser;
useEmulatorAndBrowser({ processingMs: 300 }, (e, b) => ([emu, browser] = [e, b]));

const PHONE = { width: 375, height: 740 };

async function assertNoHorizontalScroll(page, when) {
  const o = await horizontalOverflow(page);
  assert.ok(o.scrollWidth <= o.clientWidth, `${when}: scrollWidth ${o.scrollWidth} > ${o.clientWidth}; too wide: ${o.wide.join(", ")}`);
}

test("phone width: empty, settings open, done and error states fit without horizontal scroll", async () => {
  const page = await openPage(browser, emu, { viewport: PHONE });
  await page.waitForSelector('#recent:not([data-state="loading"])');
  await assertNoHorizontalScroll(page, "empty");
  await screenshot(page, "phone-empty");

  await page.click("#settings-toggle");
  await assertNoHorizontalScroll(page, "settings open");
  await screenshot(page, "phone-settings");
  await page.click("#settings-close");

  // A long name with no spaces, and a DF-1 video with boxes.
  const name = "interview-recording-from-the-conference-room-camera-2025-12-02-final-version.mp4";
  await chooseFile(page, name, "video/mp4", makeFakeVideo(5000, 4));
  await assertNoHorizontalScroll(page, "file chosen");
  await analyse(page, "DF-1");
  await waitForJob(page, "done");
  await page.waitForSelector('#recent[data-state="ready"]');
  await page.click("#raw summary");
  await assertNoHorizontalScroll(page, "done");
  await screenshot(page, "phone-done");

  // FI-1 options and an error (a video is not an FE-1 input).
  await page.selectOption("#model-type", "FI-1");
  await page.check("#fi-similarity");
  await assertNoHorizontalScroll(page, "FI-1 options");
  await page.uncheck("#fi-similarity");
  await analyse(page, "FE-1");
  await waitForJob(page, "error");
  assert.equal(await page.textContent("#error-name"), "BadRequestError");
  assert.equal(await page.textContent("#error-code"), "UNSUPPORTED_MEDIA_TYPE");
  await page.click(".error-details summary");
  await assertNoHorizontalScroll(page, "error");
  await screenshot(page, "phone-error");
  await page.context().close();
});

test("phone width, Jobs API: every view, the code panel, the lists and the settings fit", async () => {
  const page = await openPage(browser, emu, { viewport: PHONE });
  await page.waitForSelector('#recent-jobs:not([data-state="loading"])');
  // AC-1 with its heatmap, the raw JSON open.
  await chooseFile(page, "a-very-long-file-name-without-any-spaces-from-a-phone-camera-roll-0001.png", "image/png", makePng(640, 480, { seed: 3 }));
  await runTask(page, "AC-1");
  await waitForJob(page, "done");
  await page.click("#raw summary");
  await page.click("#raw-job summary");
  await page.click("#code-details summary");
  await assertNoHorizontalScroll(page, "AC-1 done, raw JSON and code open");
  await screenshot(page, "phone-jobs-ac1");
  // FI-1 with a reference beside the photo.
  await page.selectOption("#task-type", "FI-1");
  await page.check("#fi-similarity");
  await page.setInputFiles("#reference-input", { name: "id.png", mimeType: "image/png", buffer: makePng(200, 260, { seed: 4 }) });
  await runTask(page, "FI-1");
  await waitForJob(page, "done");
  await assertNoHorizontalScroll(page, "FI-1 with reference");
  await screenshot(page, "phone-jobs-fi1");
  // DF-1 on a clip the browser cannot decode: boxes on a blank frame, the frame stepper.
  await page.uncheck("#fi-similarity");
  await chooseFile(page, "clip.mp4", "video/mp4", makeFakeVideo(4000, 6));
  await runTask(page, "DF-1");
  await waitForJob(page, "done");
  await page.waitForSelector("#frame-stepper:not([hidden])");
  await assertNoHorizontalScroll(page, "DF-1 with the frame stepper");
  await screenshot(page, "phone-jobs-df1");
  await page.click("#settings-toggle");
  await page.check("#mode-direct"); // the direct mode's risk text and key fields
  await page.check("#remember-key");
  await assertNoHorizontalScroll(page, "settings in direct mode with the remember warning");
  await screenshot(page, "phone-settings-direct");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("desktop width: the two columns fit too", async () => {
  const page = await openPage(browser, emu, { viewport: { width: 1280, height: 900 } });
  await chooseFile(page, "wide.png", "image/png", makePng(1600, 400, { seed: 2 }));
  await analyse(page, "FI-1");
  await waitForJob(page, "done");
  await assertNoHorizontalScroll(page, "desktop done");
  const canvasBox = await page.$eval("#media-canvas", (c) => c.getBoundingClientRect().width);
  const cardBox = await page.$eval("#job", (c) => c.getBoundingClientRect().width);
  assert.ok(canvasBox <= cardBox, "the canvas scales down to its card");
  await page.context().close();
});
