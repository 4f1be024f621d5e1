#!/usr/bin/env node
// Every runtime, from the packed tarball a user would install (issue 5).
//
//   node tests/runtimes/run.mjs     # KEEP=1: keep the temporary project; VERBOSE=1: print each summary;
//                                   # ONLY=regex: the runtimes whose name matches (none: exit 1)
//
// 1. `npm pack` pkg/ into a temporary directory and install the tarball into a fresh project
//    there; the tools the runtimes need (miniflare, deno, esbuild, vite; pinned) live in a cached
//    project under ~/.cache/authenta-wasm/runtimes/ (installed once, re-installed when the pins change).
// 2. One emulator; in each runtime the same flow (app/flow.js): uploadAndPoll → getResult →
//    deleteMedia → getMedia rejects with the package's NotFoundError. The runner then checks the
//    verdict against the emulator's answer for the same bytes sent with plain fetch, without the
//    SDK (probeResult in tests/support/raw.mjs), and the upload's progress events.
// 3. `authenta-wasm/server` (issue 18) in each server runtime (node:http, Express, Deno, Bun,
//    workerd with Workers KV, a Next.js route handler), configured by tests/server/app/options.js:
//    the shared behaviour suite (tests/server/suite.mjs, through server.test.mjs in a `node --test`
//    child) runs the SDK in Node, with no key, against it in front of the same emulator.
// 4. One line per runtime, the tarball's files and size, then `runtimes: N passed, M failed`.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "../support/chromium.mjs";
import { startEmulator } from "../support/emulator.mjs";
import { probeResult } from "../support/raw.mjs";
import { CACHE, run as runProcess } from "../support/tarball.mjs";
import { makeBytes } from "./app/flow.js";
import { BASE_PATH } from "../server/app/options.js";
import { newJob } from "../server/suite.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const here = fileURLToPath(new URL("./", import.meta.url));
const pkgDir = process.env.AUTHENTA_PKG_DIR ?? join(root, "pkg"); // the built package to pack
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RUNTIME_TIMEOUT_MS = 90_000;
// The toolchain cases (issue 19): each module's default export is (ctx, helpers) → [[name, fn,
// { timeoutMs }?], …], added to the runtimes below. A toolchain installs into its own cached
// project (ensureCached), so its first run may need a longer time-out than a runtime.
const TOOLCHAINS = await Promise.all(
  (await readdir(new URL("./toolchains/", import.meta.url)).catch(() => []))
    .filter((f) => f.endsWith(".mjs"))
    .sort()
    .map(async (f) => (await import(new URL(`./toolchains/${f}`, import.meta.url).href)).default),
);
const FILE_SIZE = 100_000;

// The runtimes' tools, pinned. miniflare: newer 4.x need Node 22, webpack-cli 7.3+ Node 22.15
// (shared/TOOLCHAIN.md).
const TOOLS = {
  miniflare: "4.20260426.0", deno: "2.9.6", esbuild: "0.28.2", vite: "7.3.8", webpack: "5.113.0", "webpack-cli": "7.2.3",
  bun: "1.4.5", express: "5.3.0",
};
// The Next.js app's own dependencies: Turbopack resolves only inside the app's folder, so the app,
// next and the package share one project (cached like the tools; the package is reinstalled).
const NEXT = { next: "16.4.6", react: "19.3.1", "react-dom": "19.3.1" };
// What the package must ship for its entries (checked before packing: pkg/ may be mid-build).
const PKG_FILES = ["package.json", "index.js", "node.js", "node.cjs", "workerd.js", "inline.js", "errors.js",
  "methods.js", "authenta_wasm.js", "authenta_wasm_bg.wasm", "authenta_wasm_inline.js", "index.d.ts",
  "server.js", "server.cjs", "server-workerd.js", "server-handler.js", "guard.js",
  "authenta_server.js", "authenta_server_bg.wasm", "authenta_server_inline.js"];
// The one handler configuration every server runtime uses (copied into each app).
const SERVER_OPTIONS = join(root, "tests", "server", "app", "options.js");

const log = (...a) => console.log(...a);

// ---------------------------------------------------------------------------------------------
// Processes, files, the static server

/** tests/support/tarball.mjs's process runner, with this runner's 2-minute default time-out. */
const run = (cmd, args, opts = {}) => runProcess(cmd, args, { timeoutMs: 120_000, ...opts });

async function mustRun(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}:\n${tail(r.stderr || r.stdout)}`);
  return r;
}

const tail = (text, lines = 12) => text.trim().split("\n").slice(-lines).join("\n");

/** The JSON after "RESULT " in a script's output, or an error with what it printed instead. */
function resultOf({ code, stdout, stderr }) {
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (code !== 0 || !line) {
    const text = stderr || stdout;
    const error = text.split("\n").find((l) => /^(Uncaught )?(\w*Error\b|error:)/.test(l.trim()));
    throw new Error(`exit ${code}: ${error ? `${error.trim()}\n` : ""}${tail(text)}`);
  }
  return JSON.parse(line.slice("RESULT ".length));
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/** A static file server for `dir` on a free loopback port; records every request. */
async function serveDir(dir) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = normalize(join(dir, path.endsWith("/") ? path + "index.html" : path));
    requests.push(path);
    const ok = file.startsWith(dir + sep) && (await stat(file).then((s) => s.isFile(), () => false));
    if (!ok) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Set-up: the package, the tools, the fresh project

/** Waits (up to 2 minutes) for pkg/ to hold every file the entries need: it may be mid-build. */
async function waitForPkg() {
  const until = Date.now() + 120_000;
  for (;;) {
    const missing = PKG_FILES.filter((f) => !existsSync(join(pkgDir, f)));
    if (!existsSync(join(pkgDir, "snippets"))) missing.push("snippets/");
    if (missing.length === 0) return;
    if (Date.now() > until) throw new Error(`pkg/ is not built (missing ${missing.join(", ")}): run make pkg`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * A cached project `<prefix>-<hash of the pins>` under ~/.cache/authenta-wasm/runtimes/ with `deps` installed:
 * installed once per set of pins (idempotent; safe to delete); older pins' folders are removed.
 */
async function ensureCached(prefix, deps, fields = {}) {
  const key = createHash("sha256").update(JSON.stringify([deps, fields])).digest("hex").slice(0, 12);
  const cache = process.env.AUTHENTA_RUNTIMES_CACHE ?? join(CACHE, "runtimes");
  const dir = join(cache, `${prefix}-${key}`);
  const marker = join(dir, ".installed");
  if (!existsSync(marker)) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "package.json"), JSON.stringify({ private: true, ...fields, dependencies: deps }, null, 2) + "\n");
    log(`runtimes: installing ${Object.entries(deps).map(([n, v]) => `${n}@${v}`).join(", ")} into ${dir}`);
    await mustRun("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, timeoutMs: 600_000 });
    await writeFile(marker, new Date().toISOString() + "\n");
    for (const old of await readdir(cache)) {
      if (old.startsWith(`${prefix}-`) && join(cache, old) !== dir) await rm(join(cache, old), { recursive: true, force: true });
    }
  }
  return dir;
}

/**
 * A toolchain's project (issue 19): `deps` installed once into a cached folder (ensureCached;
 * `fields`: more of its package.json, such as "type" or "scripts"),
 * then on every run the tarball (re)installed there the way a user adds a package
 * (`npm install --no-save`), and the files of `app` (a folder of app/, or none) copied over it.
 * Resolves with the folder.
 */
async function toolchainProject(prefix, deps, tarball, app, fields) {
  const dir = await ensureCached(prefix, deps, fields);
  await rm(join(dir, "node_modules", "authenta-wasm"), { recursive: true, force: true });
  await mustRun("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--no-save", tarball], { cwd: dir, timeoutMs: 300_000 });
  if (app) await cp(join(here, "app", app), dir, { recursive: true });
  return dir;
}

/** The cached tools project. */
async function ensureTools() {
  const dir = await ensureCached("tools", TOOLS);
  const bin = (name) => join(dir, "node_modules", ".bin", name);
  const require = createRequire(join(dir, "package.json"));
  return {
    dir,
    esbuild: bin("esbuild"),
    webpack: bin("webpack"),
    deno: bin("deno"),
    bun: bin("bun"),
    expressDir: join(dir, "node_modules", "express"),
    miniflarePath: require.resolve("miniflare"),
    vitePath: require.resolve("vite"),
  };
}

/** `npm pack` pkg/, then a fresh project in `tmp` with the tarball installed and app/ copied in. */
async function packAndInstall(tmp) {
  const packed = await mustRun("npm", ["pack", "--json", "--pack-destination", tmp, "--loglevel=error"], { cwd: pkgDir });
  const [info] = JSON.parse(packed.stdout);
  const tarball = join(tmp, info.filename);
  const project = join(tmp, "project");
  await mkdir(project);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "runtimes-app", private: true, type: "module" }, null, 2) + "\n");
  await mustRun("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: project });
  await cp(join(here, "app"), project, { recursive: true });
  await cp(SERVER_OPTIONS, join(project, "server", "options.js"));
  return { info, tarball, project };
}

/**
 * The Next.js app: the cached project with next and react, the tarball (re)installed into it the
 * way a user adds a package, app/next-app/ and flow.js copied in, then `next build`.
 */
async function buildNextApp(tarball) {
  const dir = await ensureCached("next", NEXT);
  await rm(join(dir, "node_modules", "authenta-wasm"), { recursive: true, force: true });
  await mustRun("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--no-save", tarball], { cwd: dir });
  await rm(join(dir, "app"), { recursive: true, force: true });
  await rm(join(dir, ".next"), { recursive: true, force: true });
  await cp(join(here, "app", "next-app"), dir, { recursive: true });
  await cp(join(here, "app", "flow.js"), join(dir, "app", "flow.js"));
  await cp(SERVER_OPTIONS, join(dir, "app", "options.js"));
  const next = join(dir, "node_modules", "next", "dist", "bin", "next");
  await mustRun(process.execPath, [next, "build"], { cwd: dir, timeoutMs: 240_000, env: { NEXT_TELEMETRY_DISABLED: "1" } });
  return { dir, next };
}

/** A free loopback port (for servers that want one named). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * `next start` on a free port; resolves when it is ready, with { url, stop }. The server's
 * environment holds the emulator's key and URL for the handler's route (as a deployment's
 * secrets would), not the build's.
 */
/**
 * A server process (`cmd args` in `cwd`, its own process group); resolves once `url` answers with
 * a success, with { stop, output }. `name` is for messages.
 */
async function startServer(cmd, args, { cwd, env = {}, url, name = cmd, timeoutMs = 30_000 }) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
  };
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}:\n${tail(output)}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return { stop, output: () => output };
    if (Date.now() > until) {
      stop();
      throw new Error(`${name}: not ready in ${timeoutMs / 1000} s:\n${tail(output)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startNext({ dir, next }, emu) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer(process.execPath, [next, "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: dir,
    env: { NEXT_TELEMETRY_DISABLED: "1", AUTHENTA_API_KEY: emu.apiKey, AUTHENTA_BASE_URL: emu.api },
    url: url + "/",
    name: "next start",
  });
  return { url, dir, ...server };
}

/**
 * A server runtime's process that prints `HANDLER_READY <url>` once it listens; resolves then,
 * with { url, stop, output }. Its own process group, so that `stop` ends whatever it started.
 */
async function startHandler(cmd, args, { cwd, env }) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
  };
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no HANDLER_READY in 30 s:\n${tail(output)}`)), 30_000);
      const seen = (d) => {
        output += d;
        const m = /^HANDLER_READY (\S+)$/m.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on("data", seen);
      child.stderr.on("data", (d) => (output += d));
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited ${code} before listening:\n${tail(output)}`));
      });
    });
    return { url, stop, output: () => output };
  } catch (e) {
    stop();
    throw e;
  }
}

/**
 * The shared behaviour suite (tests/server/suite.mjs, through server.test.mjs) against the handler
 * at `base`, in a `node --test` child. Resolves with the number of tests passed; rejects naming
 * each failed test and its error.
 */
async function runSuite(name, base, emu) {
  const ready = { api: emu.api, storage: emu.storage, web: emu.web, apiKey: emu.apiKey };
  const r = await run(process.execPath, ["--test", "--test-reporter=tap", join(here, "server.test.mjs")], {
    cwd: root,
    timeoutMs: 75_000,
    env: { AUTHENTA_HANDLER_NAME: name, AUTHENTA_HANDLER_BASE: base, AUTHENTA_EMULATOR: JSON.stringify(ready) },
  });
  const count = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, "m").exec(r.stdout)?.[1] ?? NaN);
  const [pass, fail] = [count("pass"), count("fail")];
  if (r.code === 0 && pass > 0 && fail === 0) return pass;
  // Each failed test's line and the first line of its error (TAP's YAML block).
  const lines = r.stdout.split("\n");
  const failures = [];
  lines.forEach((l, i) => {
    if (!/^\s+not ok \d+ - /.test(l)) return;
    const error = lines.slice(i + 1, i + 40).find((x) => /^\s+(error|message):/.test(x) || /^\s+(\w*Error|AssertionError)\b/.test(x));
    const next = error && lines[lines.indexOf(error, i) + 1];
    failures.push(`${l.trim()}${error ? `\n      ${error.trim()}${/[|>]-?$/.test(error.trim()) && next ? ` ${next.trim()}` : ""}` : ""}`);
  });
  throw new Error(`suite: ${pass} passed, ${fail} failed (exit ${r.code})\n${failures.join("\n") || tail(r.stderr || r.stdout)}`);
}

// ---------------------------------------------------------------------------------------------
// What each runtime must have returned

/**
 * The DF-1 verdict the emulator gives `bytes`, as the server writes it: the same bytes run
 * through the emulator with plain fetch (tests/support/raw.mjs), never a copy of its verdict code.
 */
async function expectedIdentities(emu, bytes) {
  const result = await probeResult(emu, { bytes, contentType: "video/mp4", modelType: "DF-1", name: "expected" });
  return result.identityPredictions.map((p) => p.isDeepFake);
}

function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

/**
 * Checks a runtime's summary. `xhr`: whether the runtime has XMLHttpRequest (then the upload
 * reports byte progress through it), else the two honest fetch events. `ready`: what the flow saw
 * of the `ready` export ("not imported" where the app imports names and leaves it out).
 */
async function verify(emu, out, bytes, { xhr, ready = "Promise" }) {
  if (!out || typeof out !== "object") throw new Error(`no summary: ${JSON.stringify(out)}`);
  assertEqual(out.ready, ready, "the ready export");
  const identities = await expectedIdentities(emu, bytes);
  assertEqual(out.size, bytes.length, "uploaded size");
  assertEqual(out.resultType, "video", "resultType");
  assertEqual(out.identities, identities, "identityPredictions[].isDeepFake");
  // The record's counts agree with its result.
  const want = { faces: identities.length, deepFakes: identities.filter(Boolean).length };
  assertEqual({ faces: out.faces, deepFakes: out.deepFakes }, want, "faces/deepFakes");
  assertEqual(out.deleted, { name: "NotFoundError", code: "NOT_FOUND", statusCode: 404, instanceOfNotFoundError: true }, "getMedia after delete");
  assertEqual([out.statuses[0], out.statuses.at(-1)], ["INITED", "PROCESSED"], "first and last status");
  assertEqual(out.xhr, xhr, "XMLHttpRequest present");
  const total = bytes.length;
  const p = out.progress;
  if (xhr) {
    assertEqual(p[0], { loaded: 0, total, lengthComputable: true }, "first progress event (XHR)");
    assertEqual(p.at(-1), { loaded: total, total, lengthComputable: true }, "last progress event (XHR)");
    for (let i = 1; i < p.length; i++) {
      if (p[i].loaded < p[i - 1].loaded || p[i].total !== total || !p[i].lengthComputable) {
        throw new Error(`XHR progress events not monotone/computable: ${JSON.stringify(p)}`);
      }
    }
  } else {
    assertEqual(p, [{ loaded: 0, total, lengthComputable: false }, { loaded: total, total, lengthComputable: true }], "progress events (fetch)");
  }
  return out;
}

/** Every key (and its value) of a Workers KV namespace under `prefix`. */
async function kvEntries(kv, prefix) {
  const entries = new Map();
  let cursor;
  do {
    const page = await kv.list({ prefix, cursor });
    for (const k of page.keys) entries.set(k.name, await kv.get(k.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return entries;
}

/**
 * After the suite on workerd: what the handler keeps in Workers KV, read with miniflare's own KV
 * API (not through the handler). A caller of its own creates two jobs through the handler and
 * deletes one: the kept job's record names that caller as owner and is listed under it, the
 * deleted one left no key. Across the namespace, every record has its owner's listing key and
 * every listing key its record, and the suite's creating callers all own records there.
 */
async function checkWorkersKv(kv, base) {
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${BASE_PATH}${path}`, {
      method,
      headers: { authorization: "Bearer user-kv-check", ...(body ? { "content-type": "application/json" } : {}) },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : undefined;
  };
  const idOf = (created) => created.job?.id ?? created.id;
  const kept = idOf(await call("POST", "/v1/jobs", newJob(10)));
  const gone = idOf(await call("POST", "/v1/jobs", newJob(11)));
  await call("DELETE", `/v1/jobs/${gone}`);

  const PREFIX = "authenta:";
  const entries = await kvEntries(kv, PREFIX);
  const records = new Map(); // "job:<id>" → record
  const listed = new Map(); // "job:<id>" → owner, from the listing keys
  for (const [name, value] of entries) {
    const rest = name.slice(PREFIX.length);
    if (rest.startsWith("id:")) records.set(rest.slice(3), JSON.parse(value));
    else if (rest.startsWith("owner:")) {
      const [, owner, api, , id] = rest.split(":");
      listed.set(`${api === "jobs" ? "job" : "media"}:${id}`, decodeURIComponent(owner));
    } else throw new Error(`an unknown key in KV: ${name}`);
  }
  const record = records.get(`job:${kept}`);
  assertEqual([record?.owner, record?.api, record?.id], ["user-kv-check", "jobs", kept], `KV record of job ${kept}`);
  assertEqual(listed.get(`job:${kept}`), "user-kv-check", `KV listing key of job ${kept}`);
  const left = [...entries.keys()].filter((k) => k === `${PREFIX}id:job:${gone}` || (k.startsWith(`${PREFIX}owner:`) && k.endsWith(`:${gone}`)));
  assertEqual(left, [], `KV keys of the deleted job ${gone}`);
  for (const [key, r] of records) assertEqual(listed.get(key), r.owner, `the listing key of ${key}`);
  for (const [key, owner] of listed) assertEqual(records.get(key)?.owner, owner, `the record of ${key}`);
  const owners = new Set([...records.values()].map((r) => r.owner));
  for (const owner of ["user-alice", "user-carol", "user-dave"]) {
    if (!owners.has(owner)) throw new Error(`no KV record owned by ${owner} (owners: ${[...owners].join(", ")})`);
  }
  return { records: records.size, listed: listed.size };
}

// ---------------------------------------------------------------------------------------------
// The runtimes

function runtimes(ctx) {
  const { emu, project, tools } = ctx;
  let seed = 1000;
  /** Flow arguments with a file of its own for each runtime; returns [args, bytes]. */
  const flowArgs = (browser) => {
    seed += 1;
    return [{ api: emu.api, apiKey: emu.apiKey, browser, size: FILE_SIZE, seed }, makeBytes(FILE_SIZE, seed)];
  };

  async function nodeScript(script, entryName, nodeFlags = []) {
    const [args, bytes] = flowArgs(false);
    const out = resultOf(await run(process.execPath, [...nodeFlags, script, JSON.stringify(args)], { cwd: project, timeoutMs: 60_000 }));
    if (!out.entry.endsWith(`/node_modules/authenta-wasm/${entryName}`)) throw new Error(`resolved ${out.entry}`);
    return verify(emu, out, bytes, { xhr: false });
  }

  async function esbuild(entry, outdir, extra) {
    await mustRun(tools.esbuild, [entry, "--bundle", "--format=esm", `--outdir=${outdir}`, "--log-level=warning", ...extra], { cwd: project });
  }

  /**
   * The extension of app/extension/ (its service worker bundled by esbuild) with `edit(manifest)`
   * as its manifest, in a fresh Chromium profile (extensionAt); runs `fn(worker)`.
   */
  async function inExtension(name, edit, fn) {
    const ext = join(project, "dist", name);
    await esbuild("extension/background-src.js", ext, ["--platform=browser", "--entry-names=background"]);
    const manifest = JSON.parse(await readFile(join(project, "extension", "manifest.json"), "utf8"));
    await writeFile(join(ext, "manifest.json"), JSON.stringify(edit(manifest), null, 2));
    const bundle = await readFile(join(ext, "background.js"), "utf8");
    if (/\bimport\s*\(|^import\s/m.test(bundle)) throw new Error("the service worker bundle still imports something");
    return extensionAt(ext, name, fn);
  }

  /**
   * The extension built in `ext`, in a fresh Chromium profile: runs `fn(worker)` with its service
   * worker. Chromium's log shows a worker that died (Playwright only says that the target closed).
   */
  async function extensionAt(ext, name, fn) {
    const logFile = join(ctx.tmp, `chromium-${name}.log`);
    const context = await chromium.launchPersistentContext(join(ctx.tmp, `chromium-profile-${name}`), {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${ext}`, `--load-extension=${ext}`, "--enable-logging", `--log-file=${logFile}`],
    });
    try {
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker", { timeout: 20_000 }));
      if (!worker.url().startsWith("chrome-extension://")) throw new Error(`service worker ${worker.url()}`);
      return await fn(worker);
    } catch (e) {
      const seen = existsSync(logFile) ? (await readFile(logFile, "utf8")).split("\n").filter((l) => /CONSOLE|extension/i.test(l)) : [];
      throw new Error(`${e.message.split("\n")[0]}${seen.length ? `\n  ${seen.slice(-8).join("\n  ")}` : ""}`);
    } finally {
      await context.close();
    }
  }

  /** The flow in an extension's service worker (its background script sets self.runFlow). */
  async function flowInWorker(worker) {
    const [args, bytes] = flowArgs(true);
    const out = await worker.evaluate(async (a) => {
      if (typeof self.runFlow !== "function") throw new Error("background.js did not set self.runFlow");
      return self.runFlow(a);
    }, args);
    return verify(emu, out, bytes, { xhr: false });
  }

  /**
   * POSTs the flow's arguments to a server route at `base + path` (its answer: app/flow.js's
   * flowAnswer) and checks its summary; `output()` is the server's, for the failure message.
   */
  async function postFlow(base, path, output) {
    const [args, bytes] = flowArgs(false);
    const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(args) });
    const text = await res.text();
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}\n${tail(output())}`);
    }
    if (!answer.ok) throw new Error(`in the server route ${path}: ${answer.error}`);
    return verify(emu, answer.value, bytes, { xhr: false, ready: "not imported" });
  }

  /** The flow through a route handler of the Next.js app. */
  async function nextRoute(path) {
    const server = await nextServer();
    return postFlow(server.url, path, server.output);
  }

  /** A new page on the static server; its errors are kept for the failure message. */
  async function openPage(path) {
    const url = path.startsWith("http") ? path : ctx.server.url + path;
    const browser = await ctx.browser();
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
    const explain = (e) => new Error(`${e.message.split("\n")[0]}${errors.length ? `\n  ${errors.join("\n  ")}` : ""}`);
    try {
      const res = await page.goto(url);
      if (!res.ok()) throw new Error(`GET ${path}: ${res.status()}`);
    } catch (e) {
      throw explain(e);
    }
    return { page, explain };
  }

  async function inPage(path, fn, check, expect = {}) {
    const { page, explain } = await openPage(path);
    try {
      await page.waitForFunction(`typeof window[${JSON.stringify(fn)}] === "function"`, null, { timeout: 15_000 });
      const [args, bytes] = flowArgs(true);
      const out = await page.evaluate(([f, a]) => window[f](a), [fn, args]);
      await check?.(page);
      return verify(emu, out, bytes, { xhr: true, ...expect });
    } catch (e) {
      throw explain(e);
    } finally {
      await page.close();
    }
  }

  const wasmFetches = () => ctx.server.requests.filter((p) => p.endsWith(".wasm"));

  /** The Next.js app, built once and served by `next start` for both Next.js cases. */
  const nextServer = () => (ctx.next ??= buildNextApp(ctx.tarball).then((built) => startNext(built, emu)));

  /** A server runtime's case: its name is the suite's too. */
  const serverCase = (name, fn) => [name, () => fn(name)];

  /** The suite against a handler in its own process (it reads the key and URL from its env). */
  async function handlerProcess(name, cmd, args, env = {}) {
    const handler = await startHandler(cmd, args, { cwd: project, env: { AUTHENTA_API_KEY: emu.apiKey, AUTHENTA_BASE_URL: emu.api, ...env } });
    try {
      return { tests: await runSuite(name, handler.url, emu) };
    } catch (e) {
      const output = handler.output().trim();
      throw new Error(`${e.message}${output ? `\nhandler's output:\n${tail(output, 6)}` : ""}`);
    } finally {
      handler.stop();
    }
  }

  // What the toolchain cases (toolchains/*.mjs, issue 19) share with the runtimes above.
  const helpers = {
    flowArgs, verify, resultOf, assertEqual, run, mustRun, tail, ensureCached, toolchainProject, serveDir, freePort,
    openPage, inPage, inExtension, extensionAt, flowInWorker, postFlow, startServer, startHandler, withTimeout, esbuild, here, root, FILE_SIZE,
  };
  const toolchainCases = TOOLCHAINS.flatMap((add) => add(ctx, helpers));

  return [
    ...toolchainCases,
    ["node, ESM import", () => nodeScript("node-esm.mjs", "node.js")],

    // As on Node 18 and 20 before 20.19, where require() cannot load an ES module.
    ["node, require() (without require of ES modules)", () => nodeScript("node-require.cjs", "node.cjs", ["--no-experimental-require-module"])],

    ["deno", async () => {
      const [args, bytes] = flowArgs(false);
      const out = resultOf(await run(
        tools.deno,
        ["run", "--cached-only", "--allow-net", "deno.mjs", JSON.stringify(args)],
        { cwd: project, timeoutMs: 60_000, env: { DENO_DIR: join(ctx.tmp, "deno-dir"), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" } },
      ));
      if (!out.entry.endsWith("/node_modules/authenta-wasm/node.js")) throw new Error(`resolved ${out.entry}`);
      return verify(emu, out, bytes, { xhr: false });
    }],

    ["workerd (miniflare), esbuild bundle", async () => {
      const outdir = join(project, "dist", "cf");
      await esbuild("cf-worker.js", outdir, ["--platform=browser", "--conditions=workerd,worker", "--loader:.wasm=copy"]);
      const bundle = await readFile(join(outdir, "cf-worker.js"), "utf8");
      if (!/^import \w+ from "\.\/authenta_wasm_bg-\w+\.wasm";$/m.test(bundle)) throw new Error("the bundle does not import the .wasm as a module (workerd.js not picked?)");
      const { Miniflare } = await import(pathToFileURL(tools.miniflarePath).href);
      const mf = new Miniflare({
        modules: true,
        scriptPath: join(outdir, "cf-worker.js"),
        modulesRoot: outdir, // module names are paths relative to it (else to the cwd)
        modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
        compatibilityDate: "2025-09-01",
        bindings: { AUTHENTA_API_URL: emu.api, AUTHENTA_API_KEY: emu.apiKey },
      });
      try {
        const [, bytes] = flowArgs(false);
        const res = await mf.dispatchFetch("http://worker.test/analyse", {
          method: "POST",
          headers: { "content-type": "video/mp4" },
          body: bytes,
        });
        const text = await res.text();
        let answer;
        try {
          answer = JSON.parse(text);
        } catch {
          throw new Error(`worker answered ${res.status}: ${text.slice(0, 300)}`);
        }
        if (!answer.ok) throw new Error(`in the worker: ${answer.error}`);
        assertEqual(answer.value.userAgent, "Cloudflare-Workers", "navigator.userAgent");
        return verify(emu, answer.value, bytes, { xhr: false });
      } finally {
        await mf.dispose();
      }
    }],

    ["chromium page, <script type=module> + import map, no bundler", () => {
      const before = wasmFetches().length;
      return inPage("/plain.html", "runFlow", () => {
        const fetched = wasmFetches().slice(before);
        assertEqual(fetched, ["/node_modules/authenta-wasm/authenta_wasm_bg.wasm"], "wasm fetched");
      });
    }],

    ["chromium page, esbuild bundle (+ the .wasm copied next to it)", async () => {
      const outdir = join(project, "dist", "page");
      await esbuild("bundled-page.js", outdir, ["--platform=browser"]);
      await cp(join(project, "node_modules", "authenta-wasm", "authenta_wasm_bg.wasm"), join(outdir, "authenta_wasm_bg.wasm"));
      await cp(join(project, "bundled.html"), join(outdir, "index.html"));
      const before = wasmFetches().length;
      return inPage("/dist/page/", "runFlow", () => {
        assertEqual(wasmFetches().slice(before), ["/dist/page/authenta_wasm_bg.wasm"], "wasm fetched");
      });
    }],

    ["chromium page, esbuild bundle without the .wasm: zero configuration (the inlined copy is in the bundle)", async () => {
      // What a user gets who did not copy the .wasm (issue 19): the entry tries the .wasm beside
      // it once (404 here), then the inlined copy, which esbuild without --splitting put into
      // the bundle (toolchains/bundlers.mjs has the --splitting build, where it is a chunk).
      const outdir = join(project, "dist", "page-no-wasm");
      await esbuild("bundled-page.js", outdir, ["--platform=browser"]);
      await cp(join(project, "bundled.html"), join(outdir, "index.html"));
      if (!(await readFile(join(outdir, "bundled-page.js"), "utf8")).includes("wasmBase64")) throw new Error("the inlined copy is not in the bundle");
      const before = wasmFetches().length;
      return inPage("/dist/page-no-wasm/", "runFlow", () => {
        assertEqual(wasmFetches().slice(before), ["/dist/page-no-wasm/authenta_wasm_bg.wasm"], "wasm fetched (404)");
      });
    }],

    ["chromium page, webpack 5 (mode production, nothing configured)", async () => {
      const app = join(project, "webpack-app");
      const built = await mustRun(tools.webpack, ["--mode=production"], { cwd: app });
      if (/WARNING|ERROR/.test(built.stdout + built.stderr)) throw new Error(`webpack warned:\n${tail(built.stdout + built.stderr)}`);
      const before = wasmFetches().length;
      return inPage("/webpack-app/", "runFlow", () => {
        const fetched = wasmFetches().slice(before);
        if (fetched.length !== 1 || !/^\/webpack-app\/dist\/\w+\.wasm$/.test(fetched[0])) {
          throw new Error(`wasm fetched: ${JSON.stringify(fetched)} (not webpack's emitted asset)`);
        }
      }, { ready: "not imported" });
    }],

    ["Next.js 16 (Turbopack) route handler on the Node runtime, next build + next start", () => nextRoute("/api/flow")],

    ["Next.js 16 (Turbopack) route handler on the Edge runtime (edge-light), next build + next start", async () => {
      const out = await nextRoute("/api/edge-flow");
      // edge-light picks inline.js (the wasm embedded). The browser entry would work there too
      // now, through its inlined copy after a failed fetch of the .wasm the build emitted for it
      // (issue 19): no such asset is the proof that the condition was resolved.
      const assets = join((await nextServer()).dir, ".next", "server", "edge", "assets");
      const wasm = existsSync(assets) ? (await readdir(assets)).filter((f) => f.endsWith(".wasm")) : [];
      assertEqual(wasm, [], "wasm assets of the Edge bundle (the browser entry's)");
      return out;
    }],

    ["Next.js 16 (Turbopack) client component page, next build + next start", async () => {
      const server = await nextServer();
      return inPage(`${server.url}/`, "runFlow", async (page) => {
        const wasm = await page.evaluate(() =>
          performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm")));
        if (wasm.length !== 1 || !wasm[0].startsWith("/_next/static/media/")) throw new Error(`wasm fetched: ${JSON.stringify(wasm)} (not Next's emitted asset)`);
      }, { ready: "not imported" });
    }],

    ["chromium page, Vite 7 build", async () => {
      const { build } = await import(pathToFileURL(tools.vitePath).href);
      const app = join(project, "vite-app");
      await build({
        root: app,
        configFile: join(app, "vite.config.js"),
        base: "./",
        logLevel: "warn",
        build: { outDir: join(project, "dist", "vite"), emptyOutDir: true },
      });
      const before = wasmFetches().length;
      return inPage("/dist/vite/", "runFlow", () => {
        const fetched = wasmFetches().slice(before);
        if (fetched.length !== 1 || !/^\/dist\/vite\/assets\/authenta_wasm_bg-[\w-]+\.wasm$/.test(fetched[0])) {
          throw new Error(`wasm fetched: ${JSON.stringify(fetched)} (not Vite's emitted asset)`);
        }
      });
    }],

    // With optimizeDeps.exclude (the package README's line: the .wasm itself, no 404), and with
    // nothing configured (issue 19: pre-bundling leaves the .wasm behind; the inlined copy loads).
    ...[["optimizeDeps.exclude", "vite.config.js"], ["nothing configured", false]].map(([how, configFile]) => [`chromium page, Vite 7 dev server (${how})`, async () => {
      const { createServer } = await import(pathToFileURL(tools.vitePath).href);
      const app = join(project, "vite-app");
      const wasm = [];
      const server = await createServer({
        root: app,
        configFile: configFile && join(app, configFile),
        cacheDir: join(ctx.tmp, `vite-${configFile ? "exclude" : "none"}`, ".vite"), // as node_modules/.vite, one per case
        logLevel: "warn",
        server: { host: "127.0.0.1", port: 0, hmr: false, watch: null },
        // Records the requests for the wasm, before Vite's own middlewares answer them.
        plugins: [{
          name: "record-wasm",
          configureServer: (s) => void s.middlewares.use((req, _res, next) => {
            if (/\.wasm(\?|$)|authenta_wasm_inline/.test(req.url)) wasm.push(req.url.replace(/\?.*/, ""));
            next();
          }),
        }],
      });
      try {
        await server.listen();
        const address = server.httpServer.address();
        return await inPage(`http://127.0.0.1:${address.port}/`, "runFlow", () => {
          // Excluded: the .wasm from the package itself. Pre-bundled: the .wasm tried beside the
          // pre-bundled entry (the dev server answers it with index.html), then the inlined copy.
          const ok = configFile
            ? wasm.length === 1 && wasm[0].endsWith("/node_modules/authenta-wasm/authenta_wasm_bg.wasm")
            : wasm.length === 2 && /\/\.vite\/deps\/authenta_wasm_bg\.wasm$/.test(wasm[0]) && /authenta_wasm_inline/.test(wasm[1]);
          if (!ok) throw new Error(`wasm requests: ${JSON.stringify(wasm)}`);
        });
      } finally {
        await server.close();
      }
    }]),

    ["chromium dedicated module worker", () => {
      // The .wasm itself (a failed fetch would pass through the inlined copy: issue 19).
      const before = ctx.server.requests.length;
      return inPage("/dedicated.html", "runFlowInWorker", () => {
        const fetched = ctx.server.requests.slice(before).filter((p) => /\.wasm$|authenta_wasm_inline/.test(p));
        assertEqual(fetched, ["/node_modules/authenta-wasm/authenta_wasm_bg.wasm"], "wasm fetched");
      });
    }],

    ["chromium MV3 extension service worker, esbuild bundle of authenta-wasm/inline", () =>
      inExtension("extension", (manifest) => manifest, flowInWorker)],

    ["chromium MV3 extension without 'wasm-unsafe-eval': the worker lives, the first call names the CSP line", () =>
      inExtension("extension-no-csp", ({ content_security_policy: _csp, ...manifest }) => manifest, async (worker) => {
        const got = await worker.evaluate(async (api) => {
          if (typeof self.sdk !== "object") throw new Error("the import failed: background.js did not run to its end");
          const { AuthentaClient, ConfigurationError, ready } = self.sdk;
          const client = new AuthentaClient({ baseUrl: api });
          const call = await client.listMedia().then(() => "resolved", (e) => e);
          const early = await ready.then(() => "resolved", (e) => e);
          if (!(call instanceof ConfigurationError)) return { call: String(call) };
          return { name: call.name, code: call.code, message: call.message, readySame: early === call };
        }, emu.api);
        assertEqual([got.name, got.code, got.readySame], ["ConfigurationError", "WASM_LOAD_FAILED", true], "first call's error (and ready's)");
        if (!got.message.includes(`"extension_pages": "script-src 'self' 'wasm-unsafe-eval'`)) throw new Error(`the message does not name the CSP line: ${got.message}`);
        return got;
      })],

    // authenta-wasm/server (issue 18): the shared behaviour suite against each server runtime.
    serverCase("server: node:http + toNodeListener", (name) => handlerProcess(name, process.execPath, ["server/node-http.mjs"])),

    serverCase("server: Express 5, mounted on a sub-path (toNodeListener)", async (name) => {
      // Express from the tools project, linked in as if installed (its own dependencies resolve
      // from where it really lives).
      await symlink(tools.expressDir, join(project, "node_modules", "express"), "dir").catch((e) => {
        if (e.code !== "EEXIST") throw e;
      });
      return handlerProcess(name, process.execPath, ["server/express.mjs"]);
    }),

    serverCase("server: Deno.serve (--allow-net --allow-env, no --allow-read)", (name) =>
      handlerProcess(name, tools.deno, ["run", "--cached-only", "--allow-net", "--allow-env", "server/deno.mjs"], {
        DENO_DIR: join(ctx.tmp, "deno-dir"), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1",
      })),

    serverCase("server: Bun.serve", (name) => handlerProcess(name, tools.bun, ["run", "server/bun.mjs"], { DO_NOT_TRACK: "1" })),

    serverCase("server: workerd (miniflare) with Workers KV, esbuild bundle", async (name) => {
      const outdir = join(project, "dist", "cf-server");
      await esbuild("server/cf-worker.js", outdir, ["--platform=browser", "--conditions=workerd,worker", "--loader:.wasm=copy"]);
      const bundle = await readFile(join(outdir, "cf-worker.js"), "utf8");
      if (!/^import \w+ from "\.\/authenta_server_bg-\w+\.wasm";$/m.test(bundle)) {
        throw new Error("the bundle does not import the handler's .wasm as a module (server-workerd.js not picked?)");
      }
      const { Miniflare } = await import(pathToFileURL(tools.miniflarePath).href);
      const mf = new Miniflare({
        modules: true,
        scriptPath: join(outdir, "cf-worker.js"),
        modulesRoot: outdir,
        modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
        compatibilityDate: "2025-09-01",
        host: "127.0.0.1",
        port: await freePort(),
        kvNamespaces: ["JOBS"], // in memory: a fresh namespace on every run
        bindings: { AUTHENTA_API_KEY: emu.apiKey, AUTHENTA_BASE_URL: emu.api },
      });
      try {
        const url = await mf.ready;
        const tests = await runSuite(name, url.origin, emu);
        const kv = await checkWorkersKv(await mf.getKVNamespace("JOBS"), url.origin);
        return { tests, kv };
      } finally {
        await mf.dispose();
      }
    }),

    serverCase("server: Next.js 16 route handler app/api/authenta/[...path] (Node runtime)", async (name) => {
      const server = await nextServer();
      try {
        // Next.js gives a route handler a request.url on "localhost" for a loopback address
        // (NextURL rewrites 127.0.0.1 and [::1]): the suite calls it by that name, so that its
        // same-origin request carries the origin the handler sees as its own.
        return { tests: await runSuite(name, server.url.replace("//127.0.0.1:", "//localhost:"), emu) };
      } catch (e) {
        throw new Error(`${e.message}\nnext's output:\n${tail(server.output(), 6)}`);
      }
    }),
  ];
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const t0 = Date.now();
  // A pattern that selects nothing would end "0 passed, 0 failed": a failure, before any set-up.
  const only = process.env.ONLY ? new RegExp(process.env.ONLY, "i") : undefined;
  const select = (list) => list.filter(([name]) => !only || only.test(name));
  if (select(runtimes({})).length === 0) {
    log(`runtimes: ONLY=${process.env.ONLY} matches none of:\n  ${runtimes({}).map(([name]) => name).join("\n  ")}`);
    process.exit(1);
  }
  const tmp = await mkdtemp(join(tmpdir(), "authenta-runtimes-"));
  const ctx = { tmp };
  let results = [];
  let info;
  try {
    await waitForPkg();
    const [tools, installed] = await Promise.all([ensureTools(), packAndInstall(tmp)]);
    info = installed.info;
    ctx.tools = tools;
    ctx.project = installed.project;
    ctx.tarball = installed.tarball;
    ctx.emu = await startEmulator({ processingMs: 200 });
    ctx.server = await serveDir(installed.project);
    let browser;
    ctx.browser = async () =>
      (browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }));
    log(`runtimes: ${info.filename} installed into ${installed.project} (set-up ${Date.now() - t0} ms; node ${process.version})`);

    for (const [name, test, { timeoutMs = RUNTIME_TIMEOUT_MS } = {}] of select(runtimes(ctx))) {
      const start = Date.now();
      try {
        const out = await withTimeout(test(), timeoutMs, name);
        results.push({ name, ok: true });
        log(`runtime: ${name}: ok (${Date.now() - start} ms${out?.tests ? `, suite: ${out.tests} tests passed` : ""})`);
        if (process.env.VERBOSE) log(`    ${JSON.stringify(out)}`);
      } catch (e) {
        const reason = String(e?.message ?? e).trim().split("\n").slice(0, 12).join("\n    ");
        results.push({ name, ok: false });
        log(`runtime: ${name}: FAILED: ${reason}`);
      }
    }
    await browser?.close();
  } catch (e) {
    log(`runtimes: set-up FAILED: ${e?.stack ?? e}`);
    results.push({ name: "set-up", ok: false });
  } finally {
    await ctx.next?.then((s) => s.stop(), () => {});
    await ctx.server?.close();
    await ctx.emu?.stop();
    if (process.env.KEEP) log(`runtimes: kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }

  if (info) {
    log(`package: ${info.filename} (${info.id}), ${info.files.length} files, packed ${info.size} bytes, unpacked ${info.unpackedSize} bytes`);
    for (const f of info.files) log(`  ${String(f.size).padStart(8)}  ${f.path}`);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log(`runtimes took ${Date.now() - t0} ms`);
  log(`runtimes: ${passed} passed, ${failed} failed`);
  // Exit even if a runtime that timed out left something running.
  process.exit(failed === 0 ? 0 : 1);
}

await main();
