// Forward compatibility: unknown fields reach the caller, unknown statuses keep polling, statuses
// compare case-insensitively, unknown result types and string-typed values pass through.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FAST_POLL, bytesOf, expectError, sdk, video, useEmulator } from "../support/helpers.mjs";
import { serverResult } from "../support/raw.mjs";

let emu;
let client;

useEmulator({ processingMs: 200 }, (e, c) => ([emu, client] = [e, c]));

/** A processed DF-1 record (as the API returns it). */
async function processed(seed) {
  const { media } = await client.uploadAndPoll(video(bytesOf(seed)), { modelType: "DF-1", ...FAST_POLL });
  return { record: await client.getMedia(media.mid) };
}

describe("unknown fields", () => {
  it("getMedia keeps a field it does not know", async () => {
    const { record } = await processed("future-get");
    const future = { ...record, futureField: { x: 1 }, tags: ["a", "b"], version: 7 };
    await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body: future });
    const got = await client.getMedia(record.mid);
    assert.deepEqual(got.futureField, { x: 1 });
    assert.deepEqual(got.tags, ["a", "b"]);
    assert.deepEqual(got, future, "every field, known or not, as sent");
  });

  it("waitForResult, listMedia, iterateMedia and createMedia keep unknown fields", async () => {
    const { record } = await processed("future-all");
    await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body: { ...record, futureField: { x: 1 } } });
    const waited = await client.waitForResult(record.mid, FAST_POLL);
    assert.deepEqual(waited.futureField, { x: 1 });

    const page = { limit: 10, offset: 0, total: 1, data: [{ ...record, futureField: { y: 2 } }], cursor: "next-abc" };
    await emu.fault({ route: "GET /media", count: 1, status: 200, body: page });
    const gotPage = await client.listMedia();
    assert.equal(gotPage.cursor, "next-abc");
    assert.deepEqual(gotPage.data[0].futureField, { y: 2 });

    await emu.fault({ route: "GET /media", count: 1, status: 200, body: page });
    const items = [];
    for await (const m of client.iterateMedia({ pageSize: 10 })) items.push(m);
    assert.equal(items.length, 1);
    assert.deepEqual(items[0].futureField, { y: 2 });

    const created = await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
    await emu.fault({ route: "POST /media", count: 1, status: 200, body: { ...created, billing: { credits: 1 } } });
    const again = await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1", futureOption: true });
    assert.deepEqual(again.billing, { credits: 1 });
    assert.equal(again.uploadUrl, created.uploadUrl);
  });

  it("unknown model types, media types and result types are values, not errors", async () => {
    const { record } = await processed("future-model");
    const odd = { ...record, modelType: "XY-9", type: "Hologram", status: "PROCESSED" };
    await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body: odd });
    const got = await client.getMedia(record.mid);
    assert.equal(got.modelType, "XY-9");
    assert.equal(got.type, "Hologram");

    const result = { resultType: "hologram-v2", isDeepFake: "true", score: "97.5", RealConfidencePercent: "2.5", nested: { a: [1, { b: null }] } };
    await emu.fault({ route: "GET storage", count: 1, status: 200, body: result });
    assert.deepEqual(await client.getResult(record), result, "strings stay strings, unknown shapes untouched");
  });
});

describe("statuses", () => {
  it("unknown statuses keep polling; lower-case 'processed' is terminal; onStatus per change, case-insensitive", async () => {
    const { record } = await processed("future-status");
    const as = (status, extra = {}) => {
      const r = { ...record, status, ...extra };
      if (status.toUpperCase() !== "PROCESSED") delete r.resultURL;
      return r;
    };
    const sequence = [
      as("queued"),
      as("QUEUED"),
      as("warming_up"),
      as("pending"),
      as("PROCESSING"),
      as("processing"),
      as("processed", { futureField: { x: 1 } }),
    ];
    for (const body of sequence) await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body });
    await emu.clearLog();
    const statuses = [];
    const media = await client.waitForResult(record.mid, { ...FAST_POLL, onStatus: (m) => statuses.push(m.status) });
    assert.equal(media.status, "processed");
    assert.deepEqual(media.futureField, { x: 1 });
    assert.deepEqual(statuses, ["queued", "warming_up", "pending", "PROCESSING", "processed"]);
    assert.equal((await emu.apiLog()).length, sequence.length, "one poll per scripted answer, none after the end");
    assert.deepEqual(await client.getResult(media), await serverResult(emu, record.mid));
  });

  it("lower-case 'failed' and 'error' end polling with ProcessingError", async () => {
    const { record } = await processed("future-failed");
    for (const status of ["failed", "Error"]) {
      const { resultURL, ...rest } = record;
      assert.ok(resultURL);
      await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body: { ...rest, status: "queued" } });
      await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body: { ...rest, status } });
      await expectError(client.waitForResult(record.mid, FAST_POLL), "ProcessingError", {
        code: "PROCESSING_FAILED", mid: record.mid, retryable: false,
      });
    }
  });

  it("the client keeps working", async () => {
    await emu.clearFaults();
    const bytes = bytesOf("compat-still-works");
    const { media, result } = await client.uploadAndPoll(video(bytes), { modelType: "DF-1", ...FAST_POLL });
    assert.deepEqual(result, await serverResult(emu, media.mid));
  });
});
