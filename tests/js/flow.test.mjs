// The user's happy paths: uploadAndPoll, the step-by-step calls, listing, iterating, deleting,
// and the FI-1 / FE-1 / AC-1 models, each result compared with the JSON the server wrote.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "../support/emulator.mjs";
import { FAST_POLL, bytesOf, expectError, image, sdk, video, useEmulator } from "../support/helpers.mjs";
import { findMedia, serverRecord, serverResult } from "../support/raw.mjs";

const MID = /^[0-9a-f]{24}$/;
let emu;
let client;

useEmulator({ processingMs: 200 }, (e, c) => ([emu, client] = [e, c]));

/** Picks inputs by their result (findMedia), apart from the emulator the SDK talks to. */
let probe;
before(async () => {
  probe = await startEmulator({ processingMs: 0 });
});
after(() => probe?.stop());

/** Creates `n` records (not uploaded), oldest first, and returns their mids. */
async function createRecords(n) {
  const mids = [];
  for (let i = 0; i < n; i++) {
    const m = await client.createMedia({ name: `r${i}.mp4`, contentType: "video/mp4", size: 10, modelType: "DF-1" });
    mids.push(m.mid);
  }
  return mids;
}

describe("uploadAndPoll", () => {
  for (const fake of [true, false]) {
    it(`DF-1 Blob: PROCESSED record and the emulator's verdict (${fake ? "fake" : "real"} clip)`, async () => {
      const clip = { modelType: "DF-1", contentType: "video/mp4" };
      const verdict = (r) => r.identityPredictions[0].isDeepFake === fake;
      const { buf: bytes } = await findMedia(probe, (s) => bytesOf(`verdict-${s}`), clip, verdict);
      const progress = [];
      const statuses = [];
      const out = await client.uploadAndPoll(video(bytes), {
        modelType: "DF-1",
        ...FAST_POLL,
        onProgress: (p) => progress.push({ ...p }),
        onStatus: (m) => statuses.push(m),
      });
      assert.deepEqual(Object.keys(out).sort(), ["media", "result"]);
      const { media, result } = out;

      assert.match(media.mid, MID);
      assert.equal(media.status, "PROCESSED");
      assert.equal(media.modelType, "DF-1");
      assert.equal(media.type, "Video");
      assert.equal(media.contentType, "video/mp4");
      assert.equal(media.size, bytes.length);
      assert.equal(typeof media.resultURL, "string");
      assert.equal(typeof media.srcURL, "string");

      // Node has no XMLHttpRequest: one event at 0 (not computable), one at the total.
      assert.deepEqual(progress, [
        { loaded: 0, total: bytes.length, lengthComputable: false },
        { loaded: bytes.length, total: bytes.length, lengthComputable: true },
      ]);

      const seen = statuses.map((m) => m.status);
      assert.equal(seen[0], "INITED", `statuses: ${seen}`);
      assert.equal(seen.at(-1), "PROCESSED", `statuses: ${seen}`);
      assert.equal(new Set(seen).size, seen.length, `no status reported twice: ${seen}`);
      const order = ["INITED", "UPLOADED", "PROCESSING", "PROCESSED"];
      for (const s of seen) assert.ok(order.includes(s), `known status ${s}`);
      assert.deepEqual([...seen].sort((a, b) => order.indexOf(a) - order.indexOf(b)), seen, "in order");
      for (const m of statuses) assert.equal(m.mid, media.mid, "onStatus gets the whole record");

      // More polls than status changes happened, so onStatus really is "once per change".
      const polls = await emu.apiLog({ method: "GET", path: `/api/media/${media.mid}` });
      assert.ok(polls.length >= seen.length - 1, `${polls.length} polls`);

      const record = await serverRecord(emu, media.mid);
      assert.deepEqual({ faces: media.faces, deepFakes: media.deepFakes }, { faces: record.faces, deepFakes: record.deepFakes });
      assert.deepEqual(result, await serverResult(emu, media.mid));
      // The input was chosen for this verdict: both outcomes pass through.
      assert.equal(result.identityPredictions[0].isDeepFake, fake);
      assert.equal(result.boundingBoxes["0"].class, fake ? "fake" : "real");
    });
  }

  it("takes name from a File, and a larger file still reports exactly two progress events", async () => {
    const bytes = bytesOf("large", 3 * 1024 * 1024 + 17);
    const file = new File([bytes], "holiday clip.mp4", { type: "video/mp4" });
    const progress = [];
    const { media, result } = await client.uploadAndPoll(file, {
      modelType: "DF-1",
      ...FAST_POLL,
      onProgress: (p) => progress.push({ ...p }),
    });
    assert.equal(media.name, "holiday clip.mp4");
    assert.equal(media.size, bytes.length);
    assert.deepEqual(progress, [
      { loaded: 0, total: bytes.length, lengthComputable: false },
      { loaded: bytes.length, total: bytes.length, lengthComputable: true },
    ]);
    const puts = (await emu.log("storage")).filter((e) => e.method === "PUT");
    assert.equal(puts.length, 1);
    assert.equal(puts[0].headers["content-length"], String(bytes.length));
    assert.equal(puts[0].headers["content-type"], "video/mp4");
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });
});

describe("step by step", () => {
  it("createMedia → uploadFile → waitForResult → getResult(media) and getResult(mid)", async () => {
    const bytes = bytesOf("step-by-step");
    const created = await client.createMedia({
      name: "step.mp4",
      contentType: "video/mp4",
      size: bytes.length,
      modelType: "DF-1",
    });
    assert.match(created.mid, MID);
    assert.equal(created.status, "INITED");
    assert.equal(created.name, "step.mp4");
    assert.equal(created.modelType, "DF-1");
    assert.equal(typeof created.uploadUrl, "string");
    assert.ok(created.uploadUrl.startsWith(emu.storage), created.uploadUrl);
    assert.equal(created.expiresIn, 3600);
    assert.equal(created.referenceUploadUrl, undefined);

    const progress = [];
    const uploaded = await client.uploadFile(created.uploadUrl, video(bytes), {
      contentType: "video/mp4",
      onProgress: (p) => progress.push({ ...p }),
    });
    assert.equal(uploaded, undefined);
    assert.equal(progress.length, 2);
    const afterUpload = await client.getMedia(created.mid);
    assert.notEqual(afterUpload.status, "INITED", "the bytes landed");
    assert.equal(typeof afterUpload.srcURL, "string");

    const statuses = [];
    const media = await client.waitForResult(created.mid, { ...FAST_POLL, onStatus: (m) => statuses.push(m.status) });
    assert.equal(media.mid, created.mid);
    assert.equal(media.status, "PROCESSED");
    assert.equal(typeof media.resultURL, "string");
    assert.equal(statuses.at(-1), "PROCESSED");
    assert.equal(new Set(statuses).size, statuses.length, `no duplicates: ${statuses}`);
    assert.ok(!statuses.includes("INITED"), `INITED was over before waiting: ${statuses}`);

    const fromMedia = await client.getResult(media);
    const recordGets = async () => (await emu.apiLog({ method: "GET", path: `/api/media/${created.mid}` })).length;
    const before = await recordGets();
    const fromMid = await client.getResult(created.mid);
    assert.equal(await recordGets(), before + 1, "getResult(mid) fetched the record first");
    const expected = await serverResult(emu, created.mid);
    assert.deepEqual(fromMedia, expected);
    assert.deepEqual(fromMid, expected);
  });

  it("waitForResult of an already processed record resolves at once, and is resumable by mid alone", async () => {
    const bytes = bytesOf("resume");
    const created = await client.upload(video(bytes), { modelType: "DF-1", name: "resume.mp4" });
    assert.match(created.mid, MID);
    assert.equal(created.name, "resume.mp4");
    assert.equal(typeof created.uploadUrl, "string", "upload() returns the CreatedMedia");
    const fresh = new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
    const media = await fresh.waitForResult(created.mid, FAST_POLL);
    assert.equal(media.status, "PROCESSED");
    await emu.clearLog();
    const statuses = [];
    const again = await fresh.waitForResult(created.mid, { ...FAST_POLL, onStatus: (m) => statuses.push(m.status) });
    assert.equal(again.status, "PROCESSED");
    assert.deepEqual(statuses, ["PROCESSED"], "the first status seen is reported");
    assert.equal((await emu.apiLog()).length, 1, "one poll was enough");
  });

  it("upload() resolves once the bytes have landed", async () => {
    const bytes = bytesOf("landed");
    await emu.setConfig({ processingMs: 60_000 });
    const created = await client.upload(video(bytes), { modelType: "DF-1" });
    const media = await client.getMedia(created.mid);
    assert.equal(media.status, "UPLOADED");
    assert.equal(media.size, bytes.length);
    assert.equal(typeof media.name, "string");
    assert.ok(media.name.length > 0, "a Blob without a name still gets one");
  });
});

describe("listMedia and iterateMedia", () => {
  it("listMedia({limit, offset}) with 3 records", async () => {
    const mids = await createRecords(3);
    const all = await client.listMedia();
    assert.equal(all.total, 3);
    assert.equal(all.offset, 0);
    assert.equal(all.limit, 10, "the server's default limit");
    assert.deepEqual(all.data.map((m) => m.mid).sort(), [...mids].sort());
    for (const m of all.data) assert.equal(m.uploadUrl, undefined);

    const page = await client.listMedia({ limit: 2, offset: 1 });
    assert.equal(page.limit, 2);
    assert.equal(page.offset, 1);
    assert.equal(page.total, 3);
    assert.equal(page.data.length, 2);
    assert.deepEqual(page.data.map((m) => m.mid), all.data.slice(1, 3).map((m) => m.mid));

    const first = await client.listMedia({ limit: 1 });
    assert.deepEqual([first.limit, first.offset, first.total, first.data.length], [1, 0, 3, 1]);

    const past = await client.listMedia({ limit: 5, offset: 7 });
    assert.deepEqual([past.limit, past.offset, past.total, past.data], [5, 7, 3, []]);

    const queries = (await emu.apiLog({ method: "GET", path: "/api/media" })).map((e) => new URLSearchParams(e.query));
    assert.equal(queries[1].get("limit"), "2");
    assert.equal(queries[1].get("offset"), "1");
  });

  it("iterateMedia({pageSize: 2}) yields each of 5 records exactly once", async () => {
    const mids = await createRecords(5);
    await emu.clearLog();
    const seen = [];
    for await (const m of client.iterateMedia({ pageSize: 2 })) {
      assert.match(m.mid, MID);
      assert.equal(m.modelType, "DF-1");
      seen.push(m.mid);
    }
    assert.equal(seen.length, 5);
    assert.deepEqual([...seen].sort(), [...mids].sort());
    const pages = (await emu.apiLog({ method: "GET", path: "/api/media" })).map((e) => new URLSearchParams(e.query));
    assert.ok(pages.length >= 3 && pages.length <= 4, `${pages.length} pages`);
    assert.deepEqual(pages.slice(0, 3).map((q) => [q.get("limit"), q.get("offset") ?? "0"]), [["2", "0"], ["2", "2"], ["2", "4"]]);
  });

  it("iterateMedia stops at an empty page even if total says there is more", async () => {
    const [mid] = await createRecords(1);
    const rec = await client.getMedia(mid);
    await emu.clearLog();
    await emu.fault({ route: "GET /media", count: 1, status: 200, body: { limit: 2, offset: 0, total: 100, data: [rec, { ...rec, mid: "0123456789abcdef01234567" }] } });
    await emu.fault({ route: "GET /media", count: 1, status: 200, body: { limit: 2, offset: 2, total: 100, data: [] } });
    const seen = [];
    for await (const m of client.iterateMedia({ pageSize: 2 })) seen.push(m.mid);
    assert.deepEqual(seen, [mid, "0123456789abcdef01234567"]);
    assert.equal((await emu.apiLog()).length, 2);
  });

  it("iterateMedia: break stops fetching pages; no records yields nothing", async () => {
    await createRecords(5);
    await emu.clearLog();
    const seen = [];
    for await (const m of client.iterateMedia({ pageSize: 2 })) {
      seen.push(m.mid);
      if (seen.length === 3) break;
    }
    assert.equal(seen.length, 3);
    assert.equal(new Set(seen).size, 3);
    const pages = await emu.apiLog({ method: "GET", path: "/api/media" });
    assert.equal(pages.length, 2, "only the pages that were needed");

    // The default page size is 50.
    await emu.clearLog();
    let n = 0;
    for await (const _ of client.iterateMedia()) n++;
    assert.equal(n, 5);
    const q = new URLSearchParams((await emu.apiLog({ method: "GET", path: "/api/media" }))[0].query);
    assert.equal(q.get("limit"), "50");

    await emu.reset();
    const none = [];
    for await (const m of client.iterateMedia({ pageSize: 3 })) none.push(m);
    assert.deepEqual(none, []);
  });
});

describe("deleteMedia", () => {
  it("deletes; then getMedia and a second delete are NotFoundError", async () => {
    const [mid, other] = await createRecords(2);
    assert.equal(await client.deleteMedia(mid), undefined);
    await expectError(client.getMedia(mid), "NotFoundError", {
      statusCode: 404, code: "NOT_FOUND", mid, retryable: false,
    });
    await expectError(client.deleteMedia(mid), "NotFoundError", {
      statusCode: 404, code: "NOT_FOUND", mid, retryable: false,
    });
    const page = await client.listMedia();
    assert.deepEqual(page.data.map((m) => m.mid), [other]);
    assert.equal(page.total, 1);
    // Not retried: one request per call.
    assert.equal((await emu.apiLog({ method: "DELETE" })).length, 2);
  });

  it("a processed record's result is gone after delete", async () => {
    const { media } = await client.uploadAndPoll(video(bytesOf("to-delete")), { modelType: "DF-1", ...FAST_POLL });
    await client.deleteMedia(media.mid);
    await expectError(client.getResult(media.mid), "NotFoundError", { statusCode: 404, mid: media.mid });
  });
});

describe("details", () => {
  it("getResult with an expired resultURL fetches the record once more for a fresh URL", async () => {
    const bytes = bytesOf("stale-result-url");
    await emu.setConfig({ resultExpiresIn: 0 });
    const { mid } = await client.upload(video(bytes), { modelType: "DF-1" });
    const stale = await client.waitForResult(mid, FAST_POLL);
    assert.equal(new URL(stale.resultURL).searchParams.get("X-Amz-Expires"), "0");
    await emu.setConfig({ resultExpiresIn: 3600 });
    await emu.clearLog();
    const result = await client.getResult(stale);
    const log = await emu.log();
    assert.deepEqual(
      log.map((e) => `${e.origin} ${e.method}`),
      ["storage GET", "api GET", "storage GET"],
      "stale URL refused, record fetched again, fresh URL used",
    );
    assert.deepEqual(result, await serverResult(emu, mid));
  });

  it("getResult gives up when the fresh resultURL is refused too", async () => {
    await emu.setConfig({ resultExpiresIn: 0 });
    const { mid } = await client.upload(video(bytesOf("always-stale")), { modelType: "DF-1" });
    const stale = await client.waitForResult(mid, FAST_POLL);
    await emu.clearLog();
    let err;
    try {
      await client.getResult(stale);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof sdk.AuthentaError, `rejects with an AuthentaError: ${err}`);
    assert.equal(err.mid, mid);
    assert.equal(err.statusCode, 403);
    assert.equal((await emu.log("storage")).length, 2, "one refresh, not a loop");
    assert.equal((await emu.apiLog()).length, 1);
  });

  it("deleteMedia accepts 204 and 200 without a body", async () => {
    const [a, b] = await createRecords(2);
    await emu.fault({ route: "DELETE /media/:mid", count: 1, status: 204, body: "", contentType: "" });
    assert.equal(await client.deleteMedia(a), undefined);
    await emu.fault({ route: "DELETE /media/:mid", count: 1, status: 200, body: "", contentType: "" });
    assert.equal(await client.deleteMedia(b), undefined);
    assert.equal((await emu.apiLog({ method: "DELETE" })).length, 2);
  });

  it("a mid is sent as one encoded path segment", async () => {
    for (const [mid, path] of [["a b", "/api/media/a%20b"], ["x%y", "/api/media/x%25y"], ["é", "/api/media/%C3%A9"]]) {
      await emu.clearLog();
      await expectError(client.getMedia(mid), "NotFoundError", { statusCode: 404, mid });
      const [e] = await emu.apiLog();
      assert.equal(e.path, path);
    }
  });

  it("createMedia passes metadata through and returns referenceUploadUrl for the FI-1 similarity check", async () => {
    const created = await client.createMedia({
      name: "face.jpg", contentType: "image/jpeg", size: 100, modelType: "FI-1",
      metadata: { faceSimilarityCheck: true, livenessCheck: true },
    });
    assert.equal(typeof created.referenceUploadUrl, "string");
    assert.match(created.referenceUploadUrl, /reference\.media\?/);
    assert.deepEqual(created.metadata, { faceSimilarityCheck: true, livenessCheck: true });
  });
});

describe("everyday use", () => {
  it("concurrent uploadAndPoll calls on one client each get their own verdict", async () => {
    const inputs = [0, 1, 2, 3].map((i) => bytesOf(`concurrent-${i}`, 2048 + i * 1000));
    const outs = await Promise.all(
      inputs.map((b, i) => client.uploadAndPoll(video(b), { modelType: "DF-1", name: `c${i}.mp4`, ...FAST_POLL })),
    );
    for (const [i, { media, result }] of outs.entries()) {
      assert.equal(media.name, `c${i}.mp4`);
      assert.equal(media.size, inputs[i].length);
      assert.deepEqual(result, await serverResult(emu, media.mid), `c${i}.mp4`);
    }
    assert.equal(new Set(outs.map((o) => o.media.mid)).size, 4);
    const [page, first] = await Promise.all([client.listMedia({ limit: 10 }), client.getMedia(outs[0].media.mid)]);
    assert.equal(page.total, 4);
    assert.equal(first.status, "PROCESSED");
  });

  it("non-ASCII names survive the round trip", async () => {
    const name = "vidéo d'été 🎬 — 東京.mp4";
    const file = new File([bytesOf("unicode")], name, { type: "video/mp4" });
    const created = await client.upload(file, { modelType: "DF-1" });
    assert.equal(created.name, name);
    assert.equal((await client.getMedia(created.mid)).name, name);
    const { data } = await client.listMedia();
    assert.equal(data[0].name, name);
  });

  it("contentType in the options serves a Blob that has no type", async () => {
    const bytes = bytesOf("typeless");
    const { media, result } = await client.uploadAndPoll(new Blob([bytes]), { modelType: "DF-1", contentType: "video/webm", ...FAST_POLL });
    assert.equal(media.contentType, "video/webm");
    const put = (await emu.log("storage")).find((e) => e.method === "PUT");
    assert.equal(put.headers["content-type"], "video/webm");
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });

  it("a custom fetch is used for every request, API and storage", async () => {
    const seen = [];
    const c = new sdk.AuthentaClient({
      apiKey: emu.apiKey,
      baseUrl: emu.api,
      fetch: (input, init) => {
        seen.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
        return fetch(input, init);
      },
    });
    const bytes = bytesOf("custom-fetch");
    const { media, result } = await c.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
    const log = await emu.log();
    assert.equal(seen.length, log.length, `${seen.join("\n")}`);
    assert.deepEqual(seen, log.map((e) => `${e.method} ${e.path}`));
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });

  it("a custom fetch that throws is a ConnectionError, never a crash", async () => {
    let calls = 0;
    const c = new sdk.AuthentaClient({
      apiKey: emu.apiKey,
      baseUrl: emu.api,
      maxRetries: 1,
      fetch: () => {
        calls++;
        throw new TypeError("fetch failed");
      },
    });
    await expectError(c.listMedia(), "ConnectionError", { code: "CONNECTION_ERROR", retryable: true });
    assert.equal(calls, 2, "retried once");
  });
});

describe("other models", () => {
  it("FI-1 with faceSimilarityCheck and a reference image", async () => {
    const bytes = bytesOf("face-original");
    const ref = bytesOf("face-reference", 2048);
    const { media, result } = await client.uploadAndPoll(image(bytes, "image/jpeg"), {
      modelType: "FI-1",
      metadata: { faceSimilarityCheck: true, isSingleFace: true },
      reference: image(ref, "image/png"),
      ...FAST_POLL,
    });
    assert.equal(media.status, "PROCESSED");
    assert.equal(media.modelType, "FI-1");
    assert.equal(media.type, "Image");
    assert.equal(typeof result.similarityScore, "number");
    assert.equal(typeof result.isSimilar, "boolean");

    const puts = (await emu.log("storage")).filter((e) => e.method === "PUT");
    assert.equal(puts.length, 2);
    const original = puts.find((e) => e.path.endsWith("/original.media"));
    const reference = puts.find((e) => e.path.endsWith("/reference.media"));
    assert.ok(original && reference, puts.map((e) => e.path).join());
    assert.equal(original.headers["content-type"], "image/jpeg");
    assert.equal(reference.headers["content-type"], "image/png", "the reference's own type");
    assert.equal(reference.headers["content-length"], String(ref.length));
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });

  it("FI-1 similarity of identical images is 100; a reference without a type goes as image/jpeg", async () => {
    const bytes = bytesOf("same-face");
    const { media, result } = await client.uploadAndPoll(image(bytes, "image/webp"), {
      modelType: "FI-1",
      metadata: { faceSimilarityCheck: true },
      reference: new Blob([bytes]),
      ...FAST_POLL,
    });
    assert.equal(result.similarityScore, 100);
    assert.equal(result.isSimilar, true);
    const reference = (await emu.log("storage")).find((e) => e.method === "PUT" && e.path.endsWith("/reference.media"));
    assert.equal(reference.headers["content-type"], "image/jpeg");
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });

  it("FI-1 without similarity check: isSimilar and similarityScore are null", async () => {
    const bytes = bytesOf("face-only");
    const { media, result } = await client.uploadAndPoll(image(bytes), { modelType: "FI-1", ...FAST_POLL });
    assert.deepEqual(result, await serverResult(emu, media.mid));
    assert.equal(result.isSimilar, null);
    assert.equal(result.similarityScore, null);
  });

  it("FE-1: a 512-number unit face vector", async () => {
    const bytes = bytesOf("embedding");
    const { media, result } = await client.uploadAndPoll(image(bytes, "image/png"), { modelType: "FE-1", ...FAST_POLL });
    assert.equal(media.modelType, "FE-1");
    assert.equal(result.resultType, "face-embed");
    assert.ok(Array.isArray(result.faceVector));
    assert.equal(result.faceVector.length, 512);
    // Every number exactly as written: the body is parsed once, by JSON.parse.
    assert.deepEqual(result, await serverResult(emu, media.mid));
    const norm = Math.sqrt(result.faceVector.reduce((s, x) => s + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-3, `unit length: ${norm}`);
  });

  it("AC-1 (AI-generated image) on a JPEG", async () => {
    const bytes = bytesOf("ai-image");
    const { media, result } = await client.uploadAndPoll(image(bytes, "image/jpeg"), { modelType: "AC-1", ...FAST_POLL });
    assert.equal(media.type, "Image");
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });
});
