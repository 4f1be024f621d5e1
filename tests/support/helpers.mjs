// Shared helpers for the JS test suite (tests/js): the SDK under test, the emulator's verdict
// function re-computed from emulator/README.md ("Verdicts"), error assertions, odds and ends.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { after, before, beforeEach } from "node:test";
import * as sdk from "../../pkg/node.js";
import { startEmulator } from "./emulator.mjs";

export { sdk };

/** Polling options that keep the suite fast. */
export const FAST_POLL = Object.freeze({ pollIntervalMs: 20, maxPollIntervalMs: 50 });

/** The error classes' names (not the base), as the package exports them: one source, runtime.js. */
export const ERROR_CLASSES = Object.keys(sdk).filter((k) => sdk[k]?.prototype instanceof sdk.AuthentaError);

const sha256 = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** README "Verdicts": SHA-256 of the body up to 1 MiB, else of a sample plus the length. */
export function fingerprint(bytes) {
  const b = Buffer.from(bytes.buffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes);
  if (b.length <= 1048576) return sha256(b);
  const len = Buffer.alloc(8);
  len.writeBigUInt64BE(BigInt(b.length));
  return sha256(b.subarray(0, 524288), b.subarray(b.length - 524288), len);
}

/** Rounds half away from zero, as the emulator (Rust `f64::round`) does. */
function round(x, places) {
  const f = 10 ** places;
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
}
const conf = (b) => round(0.5 + b / 510, 4);

/**
 * Width and height of a PNG (from its IHDR), else the emulator's default frame, 1280 x 720.
 * (The emulator reads JPEG, GIF and WebP headers too; these tests upload PNGs or plain bytes.)
 */
export function pictureSize(bytes) {
  const b = Buffer.from(bytes.buffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes);
  if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from("\x89PNG\r\n\x1a\n", "binary"))) {
    return [b.readUInt32BE(16), b.readUInt32BE(20)];
  }
  return [1280, 720];
}

/** README "Verdicts": frames of the face box at byte `a`, inside a `width` x `height` picture. */
function boxes(h, a, frames, [width, height]) {
  const side = Math.min(width, height);
  const w = Math.min(Math.max(Math.floor(side / 8) + (h[a] % Math.max(1, Math.floor((side * 5) / 24))), 1), width);
  const hh = Math.min(w + Math.floor(w / 4), height);
  const x0 = Math.floor((h[a + 1] * Math.max(0, width - 20 - w)) / 255);
  const y0 = Math.floor((h[a + 2] * Math.max(0, height - 20 - hh)) / 255);
  const out = {};
  for (let k = 0; k < frames; k++) {
    out[String(30 * k)] = [Math.min(x0 + 4 * k, width - w), Math.min(y0 + 2 * k, height - hh), w, hh];
  }
  return out;
}

export function similarityScore(original, reference) {
  const h = fingerprint(original);
  const r = fingerprint(reference);
  if (h.equals(r)) return 100;
  return round((sha256(h, r)[0] * 100) / 255, 1);
}

export function faceVector(h) {
  const raw = [];
  for (let c = 0; c < 16; c++) {
    const be = Buffer.alloc(4);
    be.writeUInt32BE(c);
    for (const b of sha256(h, be)) raw.push((b - 127.5) / 127.5);
  }
  const norm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0)) || 1;
  return raw.map((x) => round(x / norm, 6));
}

/**
 * The `result.json` the emulator derives from the uploaded bytes (and the FI-1 reference).
 * `video` is for FI-1 only (five frames instead of one).
 */
export function expectedResult(model, bytes, { reference, video = false } = {}) {
  const h = fingerprint(bytes);
  const fake = (h[0] & 1) === 1;
  const size = pictureSize(bytes);
  switch (model) {
    case "DF-1": {
      const n = 1 + (h[1] % 3);
      const identityPredictions = [];
      const boundingBoxes = {};
      for (let i = 0; i < n; i++) {
        const f = ((h[0] >> i) & 1) === 1;
        identityPredictions.push({ identityId: String(i), isDeepFake: f });
        boundingBoxes[String(i)] = {
          boundingBox: boxes(h, 8 + 4 * i, 5, size),
          class: f ? "fake" : "real",
          confidence: conf(h[2 + i]),
        };
      }
      return { resultType: "video", identityPredictions, boundingBoxes };
    }
    case "FI-1": {
      const score = reference === undefined ? null : similarityScore(bytes, reference);
      return {
        resultType: "face",
        isDeepFake: fake,
        isLiveness: ((h[0] >> 1) & 1) === 0,
        isSimilar: score === null ? null : score >= 70,
        similarityScore: score,
        boundingBoxes: {
          0: { boundingBox: boxes(h, 8, video ? 5 : 1, size), class: fake ? "fake" : "real", confidence: conf(h[2]) },
        },
      };
    }
    case "FE-1":
      return { resultType: "face-embed", faceVector: faceVector(h) };
    case "AC-1": {
      // AI-generated image detection, in percent.
      const c = round(conf(h[1]) * 100, 2);
      const other = round(100 - c, 2);
      return {
        isFake: fake,
        confidencePercent: c,
        fakeConfidencePercent: fake ? c : other,
        realConfidencePercent: fake ? other : c,
      };
    }
    default:
      throw new Error(`no verdict for ${model}`);
  }
}

/** DF-1 record summary: `{faces, deepFakes}`. */
export function expectedCounts(bytes) {
  const h = fingerprint(bytes);
  const faces = 1 + (h[1] % 3);
  let deepFakes = 0;
  for (let i = 0; i < faces; i++) deepFakes += (h[0] >> i) & 1;
  return { faces, deepFakes };
}

/** Deterministic bytes: `n` bytes derived from `seed`. */
export function bytesOf(seed, n = 4096) {
  const out = Buffer.alloc(n);
  let block = sha256(Buffer.from(String(seed)));
  for (let i = 0; i < n; i += 32) {
    block.copy(out, i, 0, Math.min(32, n - i));
    block = sha256(block);
  }
  return new Uint8Array(out);
}

/** Bytes whose verdict is "fake" (h[0] odd) or "real" (h[0] even). */
export function bytesWithVerdict(fake, n = 4096) {
  for (let i = 0; ; i++) {
    const b = bytesOf(`verdict-${fake}-${i}`, n);
    if (((fingerprint(b)[0] & 1) === 1) === fake) return b;
  }
}

export const video = (bytes) => new Blob([bytes], { type: "video/mp4" });
export const image = (bytes, type = "image/jpeg") => new Blob([bytes], { type });

/**
 * Awaits `promise` (or calls `fn` and awaits what it returns), expects it to reject with the SDK
 * error class `name`, checks the common fields and every field of `expected`; returns the error.
 */
export async function expectError(promiseOrFn, name, expected = {}) {
  let err;
  let resolved;
  try {
    resolved = await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `expected ${name}, but it resolved with ${safeJson(resolved)}`);
  checkError(err, name, expected);
  return err;
}

/** The checks of `expectError` on an error already caught. */
export function checkError(err, name, expected = {}) {
  const cls = sdk[name];
  assert.equal(typeof cls, "function", `sdk.${name} is exported`);
  assert.ok(
    err instanceof cls,
    `expected ${name}, got ${err?.name} (${err?.code}): ${err?.message}`,
  );
  assert.ok(err instanceof sdk.AuthentaError, `${name} instanceof AuthentaError`);
  assert.ok(err instanceof Error, `${name} instanceof Error`);
  assert.equal(err.name, name);
  for (const other of ERROR_CLASSES) {
    // A subclass is also its parent (UploadError is a StorageError), and nothing else.
    const parent = sdk[name].prototype instanceof sdk[other];
    if (other !== name) assert.equal(err instanceof sdk[other], parent, `${name} instanceof ${other}`);
  }
  assert.equal(typeof err.message, "string");
  assert.ok(err.message.length > 0, `${name} has a message`);
  assert.equal(typeof err.code, "string");
  assert.ok(err.code.length > 0, `${name} has a code`);
  assert.equal(typeof err.retryable, "boolean", `${name}.retryable is a boolean`);
  assert.equal(typeof err.stack, "string");
  assert.ok(err.stack.startsWith(name), `${name}'s stack starts with its name: ${err.stack.slice(0, 80)}`);
  for (const [k, v] of Object.entries(expected)) {
    assert.deepEqual(err[k], v, `${name}.${k}: expected ${safeJson(v)}, got ${safeJson(err[k])} (${err.message})`);
  }
}

function safeJson(v) {
  try {
    return JSON.stringify(v)?.slice(0, 300);
  } catch {
    return String(v);
  }
}

/** A localhost port with nothing listening on it. */
export async function closedPort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** `X-Amz-Signature` of a pre-signed URL. */
export function signatureOf(url) {
  const sig = new URL(url).searchParams.get("X-Amz-Signature");
  assert.ok(sig && sig.length >= 32, `a signature in ${url}`);
  return sig;
}

/** Every text a user could log for an error. */
export function errorTexts(err) {
  return [err.message, String(err), err.stack, JSON.stringify(err), JSON.stringify(err.toJSON?.() ?? {})];
}

/** Asserts that no text of `err` contains any of `secrets`. */
export function assertNoSecrets(err, secrets) {
  for (const text of errorTexts(err)) {
    for (const s of secrets) {
      assert.ok(!text.includes(s), `an error text contains a secret (${s.slice(0, 6)}…): ${text}`);
    }
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds between two log entries. */
export const gapMs = (a, b) => Date.parse(b.time) - Date.parse(a.time);

/**
 * A test file's emulator: started once with `options`, reset before every test, stopped at the
 * end. `onReady(emu, client)` receives it and a client with its first key.
 */
export function useEmulator(options, onReady) {
  let emu;
  before(async () => {
    emu = await startEmulator(options);
    onReady(emu, new sdk.AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api }));
  });
  after(() => emu?.stop());
  beforeEach(() => emu.reset());
}
