// Shared by the end-to-end tests of the sample page (www/): a headless Chromium, generated media,
// and the result the page shows read raw from the server (what the page is checked against).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { startDemoServer } from "../../scripts/demo-server.mjs";
import { startEmulator } from "../support/emulator.mjs";
import { bearer, serverResult } from "../support/raw.mjs";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const outDir = `${root}test-output/e2e/`;
mkdirSync(outDir, { recursive: true });

/** The flags of ../shared/TOOLCHAIN.md. */
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run",
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A file's emulator (started with `options`), the demo server in front of it (as `make demo`
 * runs them: the page, and the handler holding the emulator's key) and headless Chromium, for
 * all of its tests: handed to `onReady` once up (`emu.site` is the demo server's URL,
 * `emu.handler` its handler's), all stopped after the last test. `emu.reset()` also empties the
 * handler's ownership store, as the emulator's job ids start again.
 */
export function useEmulatorAndBrowser(options, onReady) {
  let emu;
  let demo;
  let browser;
  before(async () => {
    emu = await startEmulator(options);
    demo = await startDemoServer({ api: emu.api, storage: emu.storage, apiKey: emu.apiKey });
    const resetEmulator = emu.reset;
    Object.assign(emu, {
      site: demo.url,
      handler: demo.handlerUrl,
      async reset() {
        await resetEmulator();
        demo.forgetJobs();
      },
    });
    browser = await launchBrowser();
    onReady(emu, browser);
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    await emu?.stop();
  });
}

/**
 * Opens the sample page served by the demo server (`emu.site`) in a fresh context (fresh
 * cookies, so a new caller of the handler; fresh localStorage/sessionStorage). Collects console
 * errors and page errors in `page.problems`.
 */
export async function openPage(browser, emu, { viewport = { width: 1280, height: 900 }, path = "/", beforeLoad } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await beforeLoad?.(context); // e.g. listeners that must see the page's first request
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") page.problems.push(`console: ${m.text()}`);
  });
  await page.goto(emu.site + path);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return page;
}

/* ---------- generated media ---------- */

/** A PNG chunk: length, type, data, and the CRC-32 of type and data. */
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A real RGB PNG, `width`×`height`, filled by `pixel(x, y) → [r, g, b]` (default a soft grey-blue
 * gradient with a little noise from `seed`, so that different seeds give different fingerprints).
 */
export function makePng(width, height, { seed = 1, pixel } = {}) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 7;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel ? pixel(x, y) : [150 + rnd(), 165 + ((y * 20) / height) + rnd(), 190 + rnd()];
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A few KB of bytes labelled video/mp4: the emulator does not decode media, the browser cannot. */
export function makeFakeVideo(size = 6 * 1024, seed = 7) {
  const buf = Buffer.alloc(size);
  // An ftyp box at the start, as an MP4 has; the rest is noise.
  Buffer.from("\0\0\0\x18ftypisom\0\0\x02\0isomiso2", "binary").copy(buf);
  let s = seed >>> 0 || 1;
  for (let i = 24; i < size; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    buf[i] = s >>> 24;
  }
  return buf;
}

/** The result JSON of the page's current record (`#job[data-mid]`), as the server wrote it. */
export async function resultOfPage(page, emu) {
  const mid = await page.getAttribute("#job", "data-mid");
  if (!mid) throw new Error("the page shows no record");
  return serverResult(emu, mid);
}

/** `GET /v1/jobs/{id}` read raw, as the server wrote it (artifacts with fresh download URLs). */
export async function serverJob(emu, jobId) {
  const res = await fetch(`${emu.api}/v1/jobs/${encodeURIComponent(jobId)}`, { headers: bearer(emu.apiKey) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`raw GET of job ${jobId}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** The result JSON behind the job's `result` artifact, fetched raw; with the job and its artifacts. */
export async function serverJobResult(emu, jobId) {
  const job = await serverJob(emu, jobId);
  const artifact = job.artifacts.find((a) => a.kind === "result");
  if (!artifact) throw new Error(`job ${jobId} (${job.status}) has no result artifact`);
  const res = await fetch(artifact.downloadUrl);
  if (res.status !== 200) throw new Error(`raw GET of the result of job ${jobId}: ${res.status}`);
  return { job, result: await res.json() };
}

/** The result JSON of the page's current job (`#job[data-job-id]`), as the server wrote it. */
export async function jobResultOfPage(page, emu) {
  const jobId = await page.getAttribute("#job", "data-job-id");
  if (!jobId) throw new Error("the page shows no job");
  return { jobId, ...(await serverJobResult(emu, jobId)) };
}

/**
 * The identities of a DF-1 / FI-1 result JSON: id, class, confidence and the box `[x, y, w, h]` on
 * `frame` (a frame key of boundingBoxes[id].boundingBox).
 */
export function identities(result, frame = "0") {
  return Object.entries(result.boundingBoxes).map(([id, b]) => ({
    id, cls: b.class, confidence: b.confidence, box: b.boundingBox[frame],
  }));
}

/** "87.3 %", as the page writes a 0..1 confidence. */
export const pct = (c) => `${(c * 100).toFixed(1)} %`;

/* ---------- page actions ---------- */

/** Chooses a file in the page's picker. */
export async function chooseFile(page, name, mimeType, buffer) {
  await page.setInputFiles("#file-input", { name, mimeType, buffer });
}

/** Switches the form to the legacy Media API (`/api/media`). */
export async function useMediaApi(page) {
  await page.check("#api-media");
}

/** The legacy flow: picks the Media API and the model, and presses Analyse. */
export async function analyse(page, modelType) {
  await useMediaApi(page);
  await page.selectOption("#model-type", modelType);
  await page.click("#analyse");
}

/** The Jobs flow: picks the Jobs API and the task (its code), and presses Analyse. */
export async function runTask(page, code) {
  await page.check("#api-jobs");
  await page.selectOption("#task-type", code);
  await page.click("#analyse");
}

/** Waits for the job card to reach `state` (done, error, cancelled, busy). */
export function waitForJob(page, state, timeout = 20_000) {
  return page.waitForSelector(`#job[data-state="${state}"]`, { timeout });
}

/** The RGBA of the result canvas at (x, y), in canvas pixels. */
export function canvasPixel(page, x, y) {
  return page.evaluate(([px, py]) => {
    const c = document.getElementById("media-canvas");
    return [...c.getContext("2d").getImageData(px, py, 1, 1).data];
  }, [x, y]);
}

/**
 * The colour (colourOf) at (x, y) once it is `want`, or the last one seen after `ms`: a video
 * frame is painted and then its boxes over it, so a read between the two sees the frame.
 */
export async function canvasColour(page, x, y, want, ms = 2000) {
  const until = Date.now() + ms;
  for (;;) {
    const got = colourOf(await canvasPixel(page, x, y));
    if (got === want || Date.now() > until) return got;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether an RGBA pixel is the page's fake red (#dc2626) or real green (#16a34a). */
export function colourOf([r, g, b]) {
  const near = (c, t) => Math.abs(c[0] - t[0]) + Math.abs(c[1] - t[1]) + Math.abs(c[2] - t[2]) < 60;
  if (near([r, g, b], [0xdc, 0x26, 0x26])) return "fake";
  if (near([r, g, b], [0x16, 0xa3, 0x4a])) return "real";
  return `rgb(${r},${g},${b})`;
}

/**
 * Talks to the handler as the page's own caller (its context's session cookie), as the same
 * visitor would from another tab: for set-up the page then lists as its own.
 */
export async function asPage(page, method, path, body) {
  const res = await page.context().request.fetch(new URL(`/api/authenta${path}`, page.url()).href, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    data: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status(), body: text ? JSON.parse(text) : undefined };
}

/**
 * Direct mode, chosen in Settings: the key in the page (`key`, or empty for the emulator's own),
 * for the tests about a key.
 */
export async function useDirectKey(page, key = "") {
  await page.click("#settings-toggle");
  await page.check("#mode-direct");
  await page.fill("#api-key", key);
  await page.click('#settings-form button[type="submit"]');
  await page.waitForSelector("#settings", { state: "hidden" });
}

/** Talks to the emulator's API with a key, as a server would (for set-up and checks). */
export async function api(emu, method, path, body, key = emu.apiKey) {
  const res = await fetch(emu.api + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** No horizontal scroll: the document is not wider than the viewport. */
export function horizontalOverflow(page) {
  return page.evaluate(() => {
    const d = document.documentElement;
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > d.clientWidth + 0.5 && el.offsetParent !== null)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}`);
    return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, wide };
  });
}

/** A full-page screenshot under test-output/e2e/, once transitions have settled. */
export async function screenshot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0)); // a sticky header would show mid-page otherwise
  await page.mouse.move(0, 0); // no hover colours in the picture
  await page.waitForTimeout(400);
  const path = `${outDir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
