// Cancel and failures on the sample page: each shows what happened, what to do, and the error's
// name and code.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { beforeEach, test } from "node:test";
import {
  analyse, api, chooseFile, makePng, openPage, screenshot, useEmulatorAndBrowser, waitForJob,
} from "./helpers.mjs";

let emu;
let browser;
useEmulatorAndBrowser({ processingMs: 1500 }, (e, b) => ([emu, browser] = [e, b]));
beforeEach(() => emu.reset());

const png = (seed) => makePng(48, 48, { seed });

/**
 * Types settings into the Settings panel and saves them. A key is the direct mode's (a key in
 * the page), chosen explicitly: the default holds none.
 */
async function saveSettings(page, { key, baseUrl }) {
  await page.click("#settings-toggle");
  if (key !== undefined) await page.check("#mode-direct");
  if (baseUrl !== undefined) await page.fill("#base-url", baseUrl);
  if (key !== undefined) await page.fill("#api-key", key);
  await page.click('#settings-form button[type="submit"]');
  await page.waitForSelector("#settings", { state: "hidden" });
}

/** The error panel as a person reads it. */
async function errorShown(page) {
  return page.evaluate(() => ({
    state: document.getElementById("job").dataset.state,
    title: document.getElementById("error-title").textContent,
    what: document.getElementById("error-what").textContent,
    todo: document.getElementById("error-todo").textContent,
    name: document.getElementById("error-name").textContent,
    code: document.getElementById("error-code").textContent,
    status: document.getElementById("error-status").hidden ? null : document.getElementById("error-status").textContent,
    visible: !document.getElementById("error-panel").hidden,
  }));
}

/** A port nothing listens on. */
async function closedPort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

test("Cancel during the upload aborts it at once; the record never gets its bytes", async () => {
  // The storage holds the PUT for 10 s: the page is mid-upload when Cancel is pressed.
  await emu.fault({ route: "PUT upload", delayMs: 10_000 });
  const page = await openPage(browser, emu);
  await chooseFile(page, "slow.png", "image/png", png(11));
  await analyse(page, "FE-1");
  await page.waitForSelector('#timeline li[data-step="INITED"][data-state="done"]');
  assert.equal(await page.isVisible("#cancel"), true, "Cancel is offered while working");
  const mid = await page.getAttribute("#job", "data-mid");
  const pressed = Date.now();
  await page.click("#cancel");
  await waitForJob(page, "cancelled", 3000);
  assert.ok(Date.now() - pressed < 2500, "the abort does not wait for the storage");
  const e = await errorShown(page);
  assert.equal(e.title, "Cancelled");
  assert.equal(e.name, "AbortError");
  assert.equal(e.code, "ABORTED");
  assert.match(e.todo, new RegExp(mid), "says which record was left behind");
  assert.equal(await page.getAttribute('#timeline li[data-step="UPLOADED"]', "data-state"), "stopped");
  assert.equal(await page.isVisible("#cancel"), false);
  assert.equal(await page.isEnabled("#analyse"), true, "ready for another go");
  const record = await api(emu, "GET", `/media/${mid}`);
  assert.equal(record.body.status, "INITED");
  await page.context().close();
});

test("Cancel while waiting for processing stops polling", async () => {
  await emu.control("config", { processingMs: 60_000 });
  const page = await openPage(browser, emu);
  await chooseFile(page, "wait.png", "image/png", png(12));
  await analyse(page, "FE-1");
  await page.waitForSelector('#timeline li[data-step="UPLOADED"][data-state="done"]');
  await page.click("#cancel");
  await waitForJob(page, "cancelled", 3000);
  const e = await errorShown(page);
  assert.equal(e.name, "AbortError");
  await emu.control("log", undefined, "DELETE");
  await page.waitForTimeout(2500);
  const polls = (await emu.log("api")).filter((r) => r.method === "GET" && r.path.includes("/media/"));
  assert.deepEqual(polls, [], "no poll after the cancel");
  await page.context().close();
});

test("a read-only key shows the permission error with advice", async () => {
  await emu.control("keys", { key: "api_read_only_key", permissions: ["read"], credits: 1000 });
  const page = await openPage(browser, emu);
  await saveSettings(page, { key: "api_read_only_key" });
  await chooseFile(page, "portrait.png", "image/png", makePng(640, 480, { seed: 21 }));
  await analyse(page, "FI-1");
  await waitForJob(page, "error");
  const e = await errorShown(page);
  assert.equal(e.visible, true);
  assert.equal(e.name, "PermissionDeniedError");
  assert.equal(e.code, "FORBIDDEN");
  assert.equal(e.status, "HTTP 403");
  assert.equal(e.title, "This key is not allowed to do that");
  assert.match(e.what, /read-only/);
  assert.match(e.todo, /write/);
  assert.equal(await page.isVisible("#error-fix"), true, "offers to open Settings");
  assert.equal(await page.textContent("#job-badge"), "Failed");
  await screenshot(page, "error-permission");
  await page.context().close();
});

test("an expired upload URL shows the upload error", async () => {
  await emu.control("config", { uploadExpiresIn: 0 });
  const page = await openPage(browser, emu);
  await chooseFile(page, "late.png", "image/png", png(13));
  await analyse(page, "FE-1");
  await waitForJob(page, "error");
  const e = await errorShown(page);
  assert.equal(e.name, "UploadError");
  assert.equal(e.code, "UPLOAD_FAILED");
  assert.equal(e.status, "HTTP 403");
  assert.equal(e.title, "The upload link expired");
  assert.match(e.what, /AccessDenied/);
  assert.match(e.todo, /Try again/);
  await screenshot(page, "error-expired");
  // Try again once the URLs are valid again: the same file goes through.
  await emu.control("config", { uploadExpiresIn: 3600 });
  await page.click("#error-retry");
  await waitForJob(page, "done");
  await page.context().close();
});

test("a key without credits shows the balance error", async () => {
  await emu.control("keys", { key: "api_no_credits_key", permissions: ["read", "write", "delete"], credits: 0 });
  const page = await openPage(browser, emu);
  await saveSettings(page, { key: "api_no_credits_key" });
  await chooseFile(page, "p.png", "image/png", png(14));
  await analyse(page, "FE-1");
  await waitForJob(page, "error");
  const e = await errorShown(page);
  assert.equal(e.name, "InsufficientBalanceError");
  assert.equal(e.code, "INSUFFICIENT_BALANCE");
  assert.equal(e.title, "No credits left");
  assert.match(e.todo, /[Tt]op up/);
  await page.context().close();
});

test("a wrong key shows the authentication error, and the fix puts the emulator's key back", async () => {
  const page = await openPage(browser, emu);
  await saveSettings(page, { key: "api_not_a_real_key" });
  await chooseFile(page, "p.png", "image/png", png(15));
  await analyse(page, "FE-1");
  await waitForJob(page, "error");
  const e = await errorShown(page);
  assert.equal(e.name, "AuthenticationError");
  assert.equal(e.code, "INVALID_API_KEY");
  assert.equal(await page.textContent("#error-fix"), "Use the emulator's key");
  await page.click("#error-fix");
  await page.click("#error-retry");
  await waitForJob(page, "done");
  await page.context().close();
});

test("the server down shows the connection error", async () => {
  const page = await openPage(browser, emu);
  await saveSettings(page, { baseUrl: `http://127.0.0.1:${await closedPort()}/api` });
  await chooseFile(page, "p.png", "image/png", png(16));
  await analyse(page, "FE-1");
  await waitForJob(page, "error", 30_000);
  const e = await errorShown(page);
  assert.equal(e.name, "ConnectionError");
  assert.equal(e.code, "CONNECTION_ERROR");
  assert.equal(e.title, "Cannot reach the server");
  assert.match(e.todo, /running/);
  // The recent list says the same, briefly.
  await page.waitForSelector('#recent[data-state="error"]', { timeout: 15_000 });
  assert.match(await page.textContent("#recent-status"), /Cannot reach the server/);
  await page.context().close();
});

test("processing that ends FAILED shows the processing error with the mid", async () => {
  const page = await openPage(browser, emu);
  await chooseFile(page, "broken.png", "image/png", png(17));
  await analyse(page, "FE-1");
  await page.waitForSelector("#job[data-mid]");
  const mid = await page.getAttribute("#job", "data-mid");
  await emu.control(`media/${mid}/outcome`, { status: "FAILED" });
  await waitForJob(page, "error");
  const e = await errorShown(page);
  assert.equal(e.name, "ProcessingError");
  assert.equal(e.code, "PROCESSING_FAILED");
  assert.equal(e.title, "Authenta could not process this file");
  assert.equal(await page.textContent("#error-mid"), `mid ${mid}`);
  assert.equal(await page.getAttribute('#timeline li[data-step="PROCESSED"]', "data-state"), "failed");
  await page.context().close();
});

test("settings refuse a base URL the SDK refuses, with its error", async () => {
  const page = await openPage(browser, emu);
  await page.click("#settings-toggle");
  await page.fill("#base-url", "http://example.com/api");
  await page.click('#settings-form button[type="submit"]');
  await page.waitForSelector("#settings-error:not([hidden])");
  assert.match(await page.textContent("#settings-error"), /ConfigurationError · CONFIGURATION/);
  assert.equal(await page.isVisible("#settings"), true, "the panel stays open");
  await page.context().close();
});
