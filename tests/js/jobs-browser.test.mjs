// The Jobs API in a Chromium page (the package as a page loads it, cross-origin to the API and
// the storage): byte progress over two inputs through XMLHttpRequest, the result as the server
// wrote it, error classes across the realm, and no Authorization at storage.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { bytesOf, useEmulator } from "../support/helpers.mjs";
import { launchChromium } from "../support/chromium.mjs";

let emu;
let browser;
let page;

useEmulator({ processingMs: 150 }, (e) => (emu = e));

before(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
});
after(() => browser?.close());

/** Runs `fn(sdk, client, args)` in a page on the emulator's web origin. */
async function inPage(fn, args) {
  await page.goto(`${emu.web}/pkg/package.json`);
  return page.evaluate(
    async ({ src, api, apiKey, args }) => {
      const sdk = await import("/pkg/index.js");
      const client = new sdk.AuthentaClient({ apiKey, baseUrl: api, dangerouslyAllowBrowser: true });
      // eslint-disable-next-line no-new-func
      return new Function("sdk", "client", "args", `return (${src})(sdk, client, args)`)(sdk, client, args);
    },
    { src: fn.toString(), api: emu.api, apiKey: emu.apiKey, args },
  );
}

describe("Jobs API in Chromium", () => {
  it("FI-1 with a reference: byte progress over both inputs, result as written", async () => {
    const original = Array.from(bytesOf("page-selfie", 600_000));
    const reference = Array.from(bytesOf("page-id", 200_000));
    const out = await inPage(
      async (sdk, client, { original, reference }) => {
        const events = [];
        const { job, result } = await client.runJob(
          {
            original: new File([new Uint8Array(original)], "selfie.jpg", { type: "image/jpeg" }),
            reference: new Blob([new Uint8Array(reference)], { type: "image/png" }),
          },
          {
            taskType: "face-intelligence",
            parameters: { isSimilarityCheck: true },
            pollIntervalMs: 20,
            maxPollIntervalMs: 50,
            onProgress: (p) => events.push(p),
          },
        );
        const artifact = job.artifacts.find((a) => a.kind === "result");
        const raw = await (await fetch(artifact.downloadUrl)).json();
        return { job, result, raw, events };
      },
      { original, reference },
    );
    assert.equal(out.job.status, "completed");
    assert.deepEqual(out.result, out.raw);
    const total = 800_000;
    assert.ok(out.events.every((e) => e.total === total), "total is the sum of both inputs");
    assert.deepEqual(out.events[0], { loaded: 0, total, lengthComputable: true, slotName: "original" });
    assert.deepEqual(out.events.at(-1), { loaded: total, total, lengthComputable: true, slotName: "reference" });
    const loaded = out.events.map((e) => e.loaded);
    assert.deepEqual(loaded, [...loaded].sort((a, b) => a - b), "loaded never goes back");
    const at = (slotName, loaded) => out.events.some((e) => e.slotName === slotName && e.loaded === loaded && e.lengthComputable);
    assert.ok(at("original", 600_000), "the original's end");
    assert.ok(at("reference", 600_000), "the reference starts where the original ended");
    const storage = await emu.log("storage");
    assert.ok(storage.some((e) => e.method === "PUT") && storage.every((e) => !e.headers.authorization), "no Authorization at storage");
  });

  it("a Jobs error keeps its class in the page, with jobId, and advice", async () => {
    const out = await inPage(async (sdk, client) => {
      try {
        await client.submitJob(new Blob([new Uint8Array(10)], { type: "video/mp4" }), { taskType: "AC-1" });
        return { resolved: true };
      } catch (e) {
        return { isBadRequest: e instanceof sdk.BadRequestError, name: e.name, code: e.code, statusCode: e.statusCode, message: e.message };
      }
    });
    assert.deepEqual(
      { isBadRequest: out.isBadRequest, name: out.name, code: out.code, statusCode: out.statusCode },
      { isBadRequest: true, name: "BadRequestError", code: "UNSUPPORTED_MEDIA_TYPE", statusCode: 400 },
    );
    assert.match(out.message, /does not support media type: video\/mp4/);
  });

  it("an upload answer past 64 MiB through XMLHttpRequest (onProgress) is refused while it arrives", async () => {
    await emu.fault({ route: "PUT upload", status: 200, body: " ", bodySize: 64 * 1024 * 1024 + 1 });
    const out = await inPage(async (sdk, client) => {
      const events = [];
      try {
        await client.submitJob(new Blob([new Uint8Array(1000)], { type: "image/jpeg" }), {
          taskType: "AC-1",
          onProgress: (p) => events.push(p),
        });
        return { resolved: true };
      } catch (e) {
        return { isInvalid: e instanceof sdk.InvalidResponseError, code: e.code, statusCode: e.statusCode, message: e.message, progress: events.length };
      }
    });
    assert.deepEqual(
      { isInvalid: out.isInvalid, code: out.code, statusCode: out.statusCode },
      { isInvalid: true, code: "INVALID_RESPONSE", statusCode: 200 },
    );
    assert.match(out.message, /larger than 64 MB/);
    assert.ok(out.progress > 0, "the upload went through XMLHttpRequest (byte progress)");
    assert.deepEqual(await emu.faults(), [], "the fault answered the PUT");
  });
});
