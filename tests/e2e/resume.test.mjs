// Reloading the sample page during polling resumes with waitForResult(mid) (the mid is kept in
// sessionStorage); reloading during the upload says the upload was interrupted.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import {
  analyse, chooseFile, identities, makePng, openPage, resultOfPage, useEmulatorAndBrowser, waitForJob,
} from "./helpers.mjs";

let emu;
let browser;
useEmulatorAndBrowser({ processingMs: 4000 }, (e, b) => ([emu, browser] = [e, b]));
beforeEach(() => emu.reset());

const inFlight = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem("authenta-demo:in-flight") ?? "null"));

test("a reload while processing resumes and shows the verdict", async () => {
  const buf = makePng(640, 480, { seed: 201 });
  const page = await openPage(browser, emu);
  await chooseFile(page, "resume-me.png", "image/png", buf);
  await analyse(page, "FI-1");
  await page.waitForSelector('#timeline li[data-step="UPLOADED"][data-state="done"]');
  const saved = await inFlight(page);
  assert.equal(saved.name, "resume-me.png");
  assert.match(saved.mid, /^[0-9a-f]{24}$/);

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.getAttribute("#job", "data-state"), "busy", "picks up where it was");
  assert.equal(await page.textContent("#job-name"), "resume-me.png");
  assert.equal(await page.getAttribute('#timeline li[data-step="INITED"]', "data-state"), "done", "keeps the steps already seen");
  await waitForJob(page, "done", 20_000);
  assert.equal(await page.getAttribute("#job", "data-mid"), saved.mid);
  assert.equal(await page.getAttribute("#media-canvas", "data-source"), "image", "the image comes back from srcURL");
  assert.equal(await inFlight(page), null, "nothing left in flight");
  const creates = (await emu.log("api")).filter((r) => r.method === "POST");
  assert.equal(creates.length, 1, "the reload did not upload again");
  // The verdict and the box of the record's result, as the server wrote it.
  const result = await resultOfPage(page, emu);
  assert.equal(await page.getAttribute(".headline", "data-verdict"), result.isDeepFake ? "fake" : "real");
  const boxes = JSON.parse(await page.getAttribute("#media-canvas", "data-boxes"));
  assert.deepEqual(boxes.map((b) => [b.cls, b.x, b.y, b.w, b.h]), identities(result).map((p) => [p.cls, ...p.box]));
  await page.context().close();
});

test("a reload during the upload says the upload was interrupted", async () => {
  await emu.fault({ route: "PUT upload", delayMs: 8000 });
  const page = await openPage(browser, emu);
  await chooseFile(page, "cut.png", "image/png", makePng(32, 32, { seed: 9 }));
  await analyse(page, "FE-1");
  await page.waitForSelector('#timeline li[data-step="INITED"][data-state="done"]');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await waitForJob(page, "error", 10_000);
  assert.equal(await page.textContent("#error-title"), "The upload was interrupted");
  assert.equal(await page.textContent("#error-code"), "UPLOAD_INTERRUPTED");
  await page.context().close();
});
