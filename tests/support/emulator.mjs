// Starts the Authenta emulator for a JS test and drives its test controls.
//   const emu = await startEmulator({ processingMs: 300 });
//   await emu.control("faults", { route: "GET /media/:mid", count: 2, status: 503 });
//   ...; await emu.stop();
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The emulator binary: $AUTHENTA_EMULATOR_BIN, else the debug build, else the release build. */
export function emulatorBin() {
  const candidates = [
    process.env.AUTHENTA_EMULATOR_BIN,
    `${root}target/debug/authenta-emulator`,
    `${root}target/release/authenta-emulator`,
  ].filter(Boolean);
  const bin = candidates.find((p) => existsSync(p));
  if (!bin) throw new Error("no emulator binary: run `cargo build -p authenta-emulator` first");
  return bin;
}

/**
 * Starts an emulator on free ports with test controls on.
 * Options: processingMs, apiKey (or apiKeys), legacyAuth (with optional clientId, clientSecret),
 * uploadExpires, extraArgs.
 */
export async function startEmulator(opts = {}) {
  const args = ["--api-port", "0", "--storage-port", "0", "--web-port", "0", "--test-controls"];
  args.push("--processing-ms", String(opts.processingMs ?? 300));
  for (const k of opts.apiKeys ?? [opts.apiKey ?? "api_test_key_0123456789"]) args.push("--api-key", k);
  if (opts.legacyAuth) args.push("--legacy-auth");
  if (opts.clientId !== undefined) args.push("--client-id", opts.clientId);
  if (opts.clientSecret !== undefined) args.push("--client-secret", opts.clientSecret);
  if (opts.uploadExpires !== undefined) args.push("--upload-expires", String(opts.uploadExpires));
  args.push("--www", `${root}www`, "--pkg", `${root}pkg`, ...(opts.extraArgs ?? []));
  const child = spawn(emulatorBin(), args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const ready = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`emulator not ready in 20 s:\n${stderr}`)), 20_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/EMULATOR_READY (\{.*\})\n/);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code}):\n${stderr}`));
    });
  });
  return {
    ...emulatorControls(ready),
    child,
    stop() {
      if (child.exitCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      });
    },
  };
}

/**
 * The test controls of a running emulator from its EMULATOR_READY answer (`{ api, storage, web,
 * apiKey }`): for a test process driving an emulator that another process started
 * (tests/runtimes/server.test.mjs).
 */
export function emulatorControls(ready) {
  const controlBase = ready.api.replace(/\/api$/, "/__emulator/");
  /** POST (or `method`) JSON to /__emulator/<path>; returns the parsed answer. */
  async function control(path, body, method = body === undefined ? "GET" : "POST") {
    const res = await fetch(controlBase + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  return {
    ...ready,
    control,
    /** Every request the emulator received, optionally only one origin's. */
    async log(origin) {
      const all = await control("log");
      return origin ? all.filter((e) => e.origin === origin) : all;
    },
    /** Only the API requests (path without the `/api` prefix kept as sent), optionally filtered. */
    async apiLog({ method, path } = {}) {
      const all = await control("log");
      return all.filter(
        (e) =>
          e.origin === "api" &&
          (method === undefined || e.method === method) &&
          (path === undefined || (path instanceof RegExp ? path.test(e.path) : e.path === path)),
      );
    },
    /** Resolves once at least `count` logged requests match `pred` (for timing-free tests). */
    async waitForLog(pred = () => true, count = 1, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const hits = (await control("log")).filter(pred);
        if (hits.length >= count) return hits;
        if (Date.now() > until) throw new Error(`waitForLog: ${hits.length}/${count} matching requests after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 15));
      }
    },
    clearLog: () => control("log", undefined, "DELETE"),
    reset: () => control("reset", {}),
    fault: (f) => control("faults", f),
    faults: () => control("faults"),
    clearFaults: () => control("faults", undefined, "DELETE"),
    /** Adds or replaces a Bearer key (`{key, permissions?, credits?}`) or a legacy pair. */
    addKey: (k) => control("keys", k),
    removeKey: (k) => control(`keys/${encodeURIComponent(k)}`, undefined, "DELETE"),
    /** Changes processingMs / uploadExpiresIn / resultExpiresIn at run time. */
    setConfig: (c) => control("config", c),
    /** Forces the processing outcome of a record: "FAILED", "ERROR" or "PROCESSED". */
    outcome: (mid, status) => control(`media/${encodeURIComponent(mid)}/outcome`, { status }),
    /** Forces the outcome of a job: `{ status: "failed", errorMessage? }` or `{ status: "completed" }`. */
    jobOutcome: (id, body) => control(`jobs/${encodeURIComponent(id)}/outcome`, body),
  };
}
