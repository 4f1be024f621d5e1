// The emulator read the way a server's own client would, with plain `fetch` and no SDK: what the
// tests compare the SDK's answers with. The SDK's contract is "the result as the server wrote
// it", so the expected result is the JSON at the record's `resultURL`, never a re-derivation of
// the emulator's verdicts.
import assert from "node:assert/strict";

/** The Bearer header of `key` (default: the emulator's first key), for `headers` below. */
export const bearer = (key) => ({ authorization: `Bearer ${key}` });

async function getJson(url, headers, what) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  assert.equal(res.status, 200, `raw GET of ${what}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * The record `GET /api/media/{mid}` answers, read with `headers` (default the Bearer header of
 * `emu.apiKey`; the record must belong to the account of those credentials).
 */
export function serverRecord(emu, mid, headers = bearer(emu.apiKey)) {
  return getJson(`${emu.api}/media/${encodeURIComponent(mid)}`, headers, `record ${mid}`);
}

/**
 * The result JSON as the server wrote it: the record read raw, then its `resultURL` fetched.
 * Adds one API and one storage request to the emulator's log, so call it after checks of the log.
 */
export async function serverResult(emu, mid, headers = bearer(emu.apiKey)) {
  const record = await serverRecord(emu, mid, headers);
  assert.equal(typeof record.resultURL, "string", `record ${mid} has a resultURL (status ${record.status})`);
  return getJson(record.resultURL, {}, `the result of ${mid}`);
}

/**
 * Runs `bytes` through `emu` (best started with `processingMs: 0`) without the SDK: create, PUT,
 * poll until PROCESSED, then the result JSON.
 */
export async function probeResult(emu, { bytes, contentType, modelType, name = "probe" }) {
  const headers = { ...bearer(emu.apiKey), "content-type": "application/json" };
  const res = await fetch(`${emu.api}/media`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name, contentType, size: bytes.length, modelType }),
  });
  const created = JSON.parse(await res.text());
  assert.equal(res.status, 200, `probe create: ${JSON.stringify(created)}`);
  const put = await fetch(created.uploadUrl, { method: "PUT", headers: { "content-type": contentType }, body: bytes });
  assert.equal(put.status, 200, `probe upload: ${put.status} ${await put.text()}`);
  for (let i = 0; ; i++) {
    const record = await serverRecord(emu, created.mid);
    if (record.status === "PROCESSED") return serverResult(emu, created.mid);
    assert.ok(i < 200, `probe ${created.mid} still ${record.status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Inputs by their outcome, from the emulator itself rather than a copy of its verdict function:
 * searches seeds until the emulator's own result for `make(seed)` passes `accept`, to pick a case
 * (fake, real, boxes apart, …). `probe` is an emulator for this search alone (`processingMs: 0`),
 * so the emulator under test sees only the test's requests.
 */
export async function findMedia(probe, make, { modelType, contentType }, accept, maxSeed = 200) {
  for (let seed = 1; seed <= maxSeed; seed++) {
    const buf = make(seed);
    if (accept(await probeResult(probe, { bytes: buf, contentType, modelType }))) return { buf, seed };
  }
  throw new Error(`no seed up to ${maxSeed} gives the wanted ${modelType} result`);
}
