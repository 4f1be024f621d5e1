// Shared helpers for the JS test suite (tests/js): the SDK under test, inputs, error assertions,
// odds and ends. Results are compared with the server's own JSON (raw.mjs), not re-derived here.
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
