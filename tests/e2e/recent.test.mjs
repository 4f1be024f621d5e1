// Recent media on the sample page: iterateMedia with status, view a result, delete. The records
// are the visitor's own, made through the handler with its session (the default: no key in the
// page); the permission test is about a key, so it chooses the direct mode.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { api, asPage, makePng, openPage, useDirectKey, useEmulatorAndBrowser, waitForJob } from "./helpers.mjs";
import { serverResult } from "../support/raw.mjs";

let emu;
let browser;
useEmulatorAndBrowser({ processingMs: 200 }, (e, b) => ([emu, browser] = [e, b]));
beforeEach(() => emu.reset());

/**
 * Creates a record as the page's visitor (`as` a page: through the handler with its session) or
 * with a key (`as` a string, straight to the API); with `upload`, PUTs the bytes too.
 */
async function createMedia(as, name, buf, { upload = false } = {}) {
  const body = { name, contentType: "image/png", size: buf.length, modelType: "FE-1" };
  const created = typeof as === "string" ? await api(emu, "POST", "/media", body, as) : await asPage(as, "POST", "/media", body);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  if (upload) {
    const res = await fetch(created.body.uploadUrl, { method: "PUT", headers: { "content-type": "image/png" }, body: buf });
    assert.equal(res.status, 200);
  }
  return created.body;
}

async function waitProcessed(mid) {
  for (let i = 0; i < 50; i++) {
    if ((await api(emu, "GET", `/media/${mid}`)).body.status === "PROCESSED") return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${mid} not processed`);
}

const listed = (page) => page.$$eval("#recent-list li", (lis) =>
  lis.map((li) => ({ mid: li.dataset.mid, status: li.dataset.status, name: li.querySelector(".ri-name").textContent })));

test("lists records newest first with their status; delete asks to confirm and removes the record", async () => {
  const page = await openPage(browser, emu);
  const photo = makePng(320, 240, { seed: 31 });
  const a = await createMedia(page, "first.png", photo, { upload: true });
  const b = await createMedia(page, "second.png", makePng(32, 32, { seed: 32 }));
  const c = await createMedia(page, "third.png", makePng(32, 32, { seed: 33 }), { upload: true });
  await waitProcessed(a.mid);
  await waitProcessed(c.mid);
  await page.click("#recent-refresh");
  await page.waitForSelector('#recent[data-state="ready"]');
  assert.deepEqual(await listed(page), [
    { mid: c.mid, status: "PROCESSED", name: "third.png" },
    { mid: b.mid, status: "INITED", name: "second.png" },
    { mid: a.mid, status: "PROCESSED", name: "first.png" },
  ]);
  assert.match(await page.textContent("#recent-status"), /3 records/);
  assert.equal(await page.isVisible(`#recent-list li[data-mid="${b.mid}"] >> text=View`), false, "no View before a result exists");

  // Delete the unfinished record: the first click only arms the button.
  const del = `#recent-list li[data-mid="${b.mid}"] button[aria-label^="Delete"]`;
  await page.click(del);
  assert.equal(await page.textContent(del), "Confirm");
  assert.equal((await api(emu, "GET", `/media/${b.mid}`)).status, 200, "nothing deleted yet");
  await page.click(del);
  await page.waitForSelector(`#recent-list li[data-mid="${b.mid}"]`, { state: "detached" });
  assert.equal((await api(emu, "GET", `/media/${b.mid}`)).status, 404);
  assert.deepEqual((await listed(page)).map((x) => x.mid), [c.mid, a.mid]);
  const deletes = (await emu.log("api")).filter((r) => r.method === "DELETE");
  assert.equal(deletes.length, 1);

  // View a processed record: its result, and its image (from srcURL) drawn on the canvas.
  await page.click(`#recent-list li[data-mid="${a.mid}"] >> text=View`);
  await waitForJob(page, "done");
  assert.equal(await page.textContent("#job-name"), "first.png");
  const vector = (await serverResult(emu, a.mid)).faceVector;
  assert.equal(await page.getAttribute(".vector", "data-length"), String(vector.length));
  const preview = await page.textContent(".vector-preview");
  assert.ok(preview.startsWith(`[${vector.slice(0, 6).map((x) => x.toFixed(4)).join(", ")}, …]`), preview);
  assert.equal(await page.getAttribute("#media-canvas", "data-source"), "image");
  assert.equal(await page.$eval("#media-canvas", (c) => `${c.width}x${c.height}`), "320x240");
  await page.context().close();
});

test("an empty account says so; the list pages through iterateMedia", async () => {
  const page = await openPage(browser, emu);
  await page.waitForSelector('#recent[data-state="empty"]');
  assert.match(await page.textContent("#recent-status"), /No media yet/);

  for (let i = 0; i < 25; i++) await createMedia(page, `n${i}.png`, makePng(8, 8, { seed: 100 + i }));
  // The list pages the page asks its server for (the handler answers them from its own store).
  const pages = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (r.method() === "GET" && url.pathname === "/api/authenta/media") pages.push(url.search);
  });
  await page.click("#recent-refresh");
  await page.waitForSelector('#recent[data-state="ready"]');
  const items = await listed(page);
  assert.equal(items.length, 20, "shows the latest 20");
  assert.equal(items[0].name, "n24.png");
  assert.match(await page.textContent("#recent-status"), /latest 20/);
  assert.ok(pages.length >= 2, `more than one page requested: ${pages.join(" | ")}`);
  await page.context().close();
});

test("a key that may not delete shows the permission error next to the record", async () => {
  await emu.control("keys", { key: "api_no_delete_key", permissions: ["read", "write"] });
  const m = await createMedia("api_no_delete_key", "keep.png", makePng(8, 8, { seed: 40 }));
  const page = await openPage(browser, emu);
  await useDirectKey(page, "api_no_delete_key");
  await page.waitForSelector(`#recent-list li[data-mid="${m.mid}"]`);
  const del = `#recent-list li[data-mid="${m.mid}"] button[aria-label^="Delete"]`;
  await page.click(del);
  await page.click(del);
  const error = `#recent-list li[data-mid="${m.mid}"] .ri-error`;
  await page.waitForSelector(error);
  const text = await page.textContent(error);
  assert.match(text, /PermissionDeniedError · FORBIDDEN/);
  assert.match(text, /delete/);
  assert.equal((await api(emu, "GET", `/media/${m.mid}`, undefined, "api_no_delete_key")).status, 200);
  await page.context().close();
});
