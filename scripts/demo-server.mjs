// The demo's web server (`make demo`, and the sample page's end-to-end tests): the sample page
// (www/), the package (pkg/), and `authenta-wasm/server`'s handler at /api/authenta in front of
// the emulator's API. The emulator's key lives in this process (and the emulator) only: the page
// talks to the handler with no key, and each browser is one caller, known by a session cookie
// this server sets on the page load. A real app does the same with its own sign-in.
//
//   node scripts/demo-server.mjs [emulator flags…]     starts the emulator and this server
//   import { startDemoServer } from "./demo-server.mjs" in front of an emulator already running
//
// Ports: DEMO_WEB_PORT (this server, 8080), DEMO_API_PORT (8787), DEMO_STORAGE_PORT (8788).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createAuthentaHandler, memoryStore, toNodeListener } from "../pkg/server.js";

const root = fileURLToPath(new URL("../", import.meta.url));

/** Where the handler is mounted; the page builds its baseUrl from it (www/js/settings.js). */
export const HANDLER_PATH = "/api/authenta";
const SESSION_COOKIE = "authenta_demo_session";
/** Sessions kept at most (the oldest forgotten first): memory stays flat whoever loads the page. */
const MAX_SESSIONS = 10_000;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".ts": "application/typescript; charset=utf-8",
};

/**
 * Serves www/ and pkg/ and mounts the handler at HANDLER_PATH, in front of the emulator's API
 * `api` with its key `apiKey`. Returns `{ url, handlerUrl, close(), forgetJobs() }`;
 * `forgetJobs()` gives the handler an empty ownership store (tests reset the emulator, whose job
 * ids then start again).
 */
export async function startDemoServer({
  api, storage, apiKey, port = 0, host = "127.0.0.1", www = join(root, "www"), pkg = join(root, "pkg"),
  onEvent,
}) {
  const sessions = new Set(); // in insertion order: the oldest first
  const sessionOf = (request) => {
    const cookie = request.headers.get("cookie") ?? "";
    for (const part of cookie.split(";")) {
      const [name, value] = part.trim().split("=");
      if (name === SESSION_COOKIE && sessions.has(value)) return value;
    }
    return null;
  };
  const newHandler = () =>
    createAuthentaHandler({
      apiKey,
      baseUrl: api,
      basePath: HANDLER_PATH,
      // Only a session this server issued is a caller; anything else is 401.
      authenticate: (request) => sessionOf(request),
      ownership: memoryStore(),
      onEvent,
    });
  let listener = toNodeListener(newHandler());

  // No key here: the page reads this on every load. `keyUrl` is for Settings' direct mode only.
  const envJson = JSON.stringify({ handler: HANDLER_PATH, api, storage, keyUrl: "/__emulator/key.json" });

  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === HANDLER_PATH || path.startsWith(`${HANDLER_PATH}/`)) return listener(req, res);
    res.setHeader("cache-control", "no-store"); // the page and the package change on every rebuild
    res.setHeader("x-content-type-options", "nosniff");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      return res.end("Method not allowed\n");
    }
    if (path === "/__emulator/env.json") return send(res, req, 200, "application/json", envJson);
    if (path === "/__emulator/key.json") {
      // Settings' direct mode, when someone chooses it: the emulator's development key. Never
      // for another site (no CORS headers, and a cross-site fetch is refused outright).
      if ((req.headers["sec-fetch-site"] ?? "same-origin") !== "same-origin") return send(res, req, 403, "text/plain", "Forbidden\n");
      return send(res, req, 200, "application/json", JSON.stringify({ apiKey }));
    }
    let decoded;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return send(res, req, 404, "text/plain; charset=utf-8", "Not found\n");
    }
    const [dir, rel] = decoded.startsWith("/pkg/") ? [pkg, decoded.slice(5)] : [www, decoded];
    const file = await fileUnder(dir, rel);
    if (!file) return send(res, req, 404, "text/plain; charset=utf-8", "Not found\n");
    const type = file.endsWith(".d.ts") ? TYPES[".ts"] : (TYPES[extname(file).toLowerCase()] ?? "application/octet-stream");
    if (type.startsWith("text/html")) {
      // Each browser is one caller: a random session on its first page load, which the script
      // cannot read (HttpOnly) and no other site's request carries (SameSite=Strict).
      const headers = new Headers({ cookie: req.headers.cookie ?? "" });
      if (!sessionOf({ headers })) {
        const id = randomBytes(18).toString("base64url");
        sessions.add(id);
        if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.values().next().value);
        res.setHeader("set-cookie", `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`);
      }
    }
    send(res, req, 200, type, await readFile(file));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}`;
  return {
    url,
    handlerUrl: url + HANDLER_PATH,
    forgetJobs() {
      listener = toNodeListener(newHandler());
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

function send(res, req, status, type, body) {
  res.writeHead(status, { "content-type": type });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The file for a URL path under `dir` (a directory's index.html), or null; never outside `dir`. */
async function fileUnder(dir, rel) {
  const segments = rel.split("/").filter(Boolean);
  if (segments.some((s) => s === "." || s === ".." || s.includes("\\") || s.includes("\0"))) return null;
  let file = join(dir, ...segments);
  if (!(file + sep).startsWith(join(dir) + sep) && file !== join(dir)) return null;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

/* ---------- `make demo`: the emulator, then this server in front of it ---------- */

async function main(extraArgs) {
  const env = process.env;
  const ports = { web: env.DEMO_WEB_PORT ?? "8080", api: env.DEMO_API_PORT ?? "8787", storage: env.DEMO_STORAGE_PORT ?? "8788" };
  const bin = env.AUTHENTA_EMULATOR_BIN ?? join(root, "target/release/authenta-emulator");
  // The emulator's own web origin is not used: a free port keeps it out of the way.
  const emulator = spawn(bin, [
    "--api-port", ports.api, "--storage-port", ports.storage, "--web-port", "0",
    "--www", join(root, "www"), "--pkg", join(root, "pkg"), "--test-controls", ...extraArgs,
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let key = null;
  // The emulator's own lines, with its key left out (it is this process's secret) and without its
  // web origin's address (a copy of the page that holds the key; the demo's page is ours).
  let errLines = "";
  emulator.stderr.on("data", (d) => {
    errLines += d;
    const lines = errLines.split("\n");
    errLines = lines.pop();
    for (const line of lines) if (!/^\s*web:/.test(line)) process.stderr.write(`${key ? line.replaceAll(key, "[held by the demo server]") : line.replace(/api_\w+/g, "[key]")}\n`);
  });
  const ready = await new Promise((resolve) => {
    let out = "";
    emulator.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/^EMULATOR_READY (\{.*\})$/m);
      if (m) resolve(JSON.parse(m[1]));
    });
    emulator.on("exit", () => resolve(null));
  });
  if (!ready) {
    console.error(`demo: the emulator did not start (is port ${ports.api} or ${ports.storage} in use? set DEMO_API_PORT=… / DEMO_STORAGE_PORT=… to move)`);
    process.exit(1);
  }
  key = ready.apiKey;
  let demo;
  try {
    demo = await startDemoServer({
      api: ready.api,
      storage: ready.storage,
      apiKey: key,
      port: Number(ports.web),
      // What the handler did, without the caller's session id or any URL.
      onEvent: (e) => console.log(e.type === "error" ? `handler: ${e.stage} failed` : `handler: ${e.type} ${e.api === "jobs" ? "job" : "record"} ${e.id}${e.task ? ` (${e.task})` : ""}`),
    });
  } catch (e) {
    console.error(`demo: ${e.code === "EADDRINUSE" ? `port ${ports.web} is in use (set DEMO_WEB_PORT=… to move)` : e.message}`);
    emulator.kill("SIGTERM");
    process.exit(1);
  }
  const stop = async (code) => {
    emulator.kill("SIGTERM");
    await demo.close();
    process.exit(code);
  };
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
  emulator.on("exit", (code) => {
    console.error(`demo: the emulator stopped (${code})`);
    stop(1);
  });
  console.log(`DEMO_READY ${JSON.stringify({ web: demo.url, handler: demo.handlerUrl, api: ready.api, storage: ready.storage })}`);
  console.log();
  console.log(`  Open ${demo.url}/ in a browser: the sample page, with no key in it.`);
  console.log(`  Its requests go to ${demo.handlerUrl} (authenta-wasm/server), which adds the emulator's key;`);
  console.log("  each browser (profile, private window) sees only its own jobs. Settings › “In this page”");
  console.log("  switches to the direct mode, a key in the page, to compare.");
  console.log("  (Everything runs on this machine; nothing reaches the Authenta platform. Ctrl-C stops it.)");
  console.log();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`demo: ${e.message}`);
    process.exit(1);
  });
}
