// Issue 19: the toolchains that do not follow `new URL("….wasm", import.meta.url)` (esbuild and
// what builds on it: Angular's application builder, `bun build`, `deno bundle`; WXT), Parcel, and
// Angular's development server, each from its own starter with nothing configured for the
// package. Each page runs the shared flow (app/flow.js) in Chromium against the emulator.
import { cp, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

// Pinned, each checked on Node 20 (shared/TOOLCHAIN.md): Angular 22 needs Node 22.22.
// Angular: what `ng new` installs (Vitest and jsdom for `ng test`, toolchains/test-runners.mjs).
export const ANGULAR = {
  "@angular/build": "21.2.30", "@angular/cli": "21.2.30", "@angular/common": "21.2.26", "@angular/compiler": "21.2.26",
  "@angular/core": "21.2.26", "@angular/platform-browser": "21.2.26", rxjs: "7.8.2", tslib: "2.9.1", typescript: "5.9.3",
  vitest: "4.1.12", jsdom: "27.4.0",
};
const PARCEL = { parcel: "2.16.4" };
const WXT = { wxt: "0.20.9" };
const COLD = { timeoutMs: 600_000 }; // a first run installs the toolchain

export default function bundlers(ctx, h) {
  const { tools } = ctx;
  const { mustRun, inPage, serveDir, toolchainProject, freePort, startServer, tail, here, extensionAt, flowInWorker } = h;

  /** `dir` served on its own port while `fn(server)` runs. */
  async function serving(dir, fn) {
    const server = await serveDir(dir);
    try {
      return await fn(server);
    } finally {
      await server.close();
    }
  }

  /**
   * The page at `url` runs the flow; `requests()` lists the paths it fetched. The .wasm was either
   * fetched beside the bundle (`wasm: "beside"`), or missing and the inlined copy taken instead
   * (`wasm: "inlined"`: one .wasm request, answered 404 by the server, then the copy).
   */
  async function flowIn(url, requests, { wasm }) {
    const before = requests().length;
    return inPage(url, "runFlow", () => {
      const seen = requests().slice(before).filter((p) => /\.wasm$|inline/.test(p));
      if (wasm === "beside" && !(seen.length === 1 && seen[0].endsWith(".wasm"))) throw new Error(`wasm requests: ${JSON.stringify(seen)}`);
      if (wasm === "inlined" && !(seen.length >= 1 && seen[0].endsWith("/authenta_wasm_bg.wasm"))) throw new Error(`wasm requests: ${JSON.stringify(seen)}`);
    });
  }

  /** The files of `dir` (recursively) whose name matches `re`. */
  async function filesIn(dir, re) {
    return (await readdir(dir, { recursive: true })).filter((f) => re.test(f));
  }

  /** The shared page script and its flow, built by `build(outdir)` into a fresh folder of the project. */
  async function builtPage(name, build) {
    const outdir = join(ctx.project, "dist", name);
    await rm(outdir, { recursive: true, force: true });
    await build(outdir);
    await cp(join(ctx.project, "bundled.html"), join(outdir, "index.html"));
    return outdir;
  }

  /** The Angular project (cached), with the shared flow beside main.ts. */
  async function angular() {
    const dir = await toolchainProject("angular", ANGULAR, ctx.tarball, "angular");
    await cp(join(here, "app", "flow.js"), join(dir, "src", "flow.js"));
    return { dir, ng: join(dir, "node_modules", "@angular", "cli", "bin", "ng.js"), env: { NG_CLI_ANALYTICS: "false", NG_FORCE_TTY: "false" } };
  }

  return [
    ["chromium page, esbuild --splitting without the .wasm: the inlined copy is a chunk fetched after the 404", async () => {
      const outdir = await builtPage("page-split", (out) =>
        mustRun(tools.esbuild, ["bundled-page.js", "--bundle", "--splitting", "--format=esm", "--platform=browser", `--outdir=${out}`, "--log-level=warning"], { cwd: ctx.project }));
      const chunks = await filesIn(outdir, /\.js$/);
      if (chunks.length < 2) throw new Error(`no lazy chunk: ${chunks.join(", ")}`);
      const main = await readFile(join(outdir, "bundled-page.js"), "utf8");
      if (main.includes("wasmBase64 =")) throw new Error("the inlined copy is in the page's own bundle");
      return serving(outdir, (server) => flowIn(`${server.url}/`, () => server.requests, { wasm: "inlined" }));
    }],

    ["chromium page, bun build (nothing configured)", async () => {
      const outdir = await builtPage("page-bun", (out) =>
        mustRun(tools.bun, ["build", "./bundled-page.js", "--target=browser", `--outdir=${out}`], { cwd: ctx.project }));
      return serving(outdir, (server) => flowIn(`${server.url}/`, () => server.requests, { wasm: "inlined" }));
    }],

    ["chromium page, deno bundle --platform browser (nothing configured)", async () => {
      const outdir = await builtPage("page-deno", (out) =>
        mustRun(tools.deno, ["bundle", "--platform=browser", "--output", join(out, "bundled-page.js"), "bundled-page.js"], {
          cwd: ctx.project,
          env: { DENO_DIR: join(ctx.tmp, "deno-dir"), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" },
        }));
      return serving(outdir, (server) => flowIn(`${server.url}/`, () => server.requests, { wasm: "inlined" }));
    }],

    ["chromium page, Parcel 2.16 parcel build (nothing configured)", async () => {
      const dir = await toolchainProject("parcel", PARCEL, ctx.tarball, "parcel");
      await cp(join(here, "app", "flow.js"), join(dir, "flow.js"));
      await rm(join(dir, "dist"), { recursive: true, force: true });
      await mustRun(join(dir, "node_modules", ".bin", "parcel"), ["build", "index.html", "--no-cache", "--dist-dir", "dist", "--log-level", "warn"], { cwd: dir, timeoutMs: 300_000 });
      return serving(join(dir, "dist"), (server) => flowIn(`${server.url}/`, () => server.requests, { wasm: "beside" }));
    }, COLD],

    ["chromium page, Angular 21 ng build (application builder, nothing configured)", async () => {
      const { dir, ng, env } = await angular();
      await rm(join(dir, "dist"), { recursive: true, force: true });
      await mustRun(process.execPath, [ng, "build"], { cwd: dir, env, timeoutMs: 300_000 });
      return serving(join(dir, "dist", "app", "browser"), (server) => flowIn(`${server.url}/`, () => server.requests, { wasm: "inlined" }));
    }, COLD],

    ["chromium page, Angular 21 ng serve (development server, nothing configured)", async () => {
      const { dir, ng, env } = await angular();
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/`;
      const server = await startServer(process.execPath, [ng, "serve", "--host", "127.0.0.1", "--port", String(port)], { cwd: dir, env, url, name: "ng serve", timeoutMs: 120_000 });
      try {
        return await inPage(url, "runFlow");
      } catch (e) {
        throw new Error(`${e.message}\nng serve:\n${tail(server.output(), 6)}`);
      } finally {
        server.stop();
      }
    }, COLD],

    ["chromium MV3 extension, WXT 0.20 (the CSP line of the package README)", async () => {
      const dir = await toolchainProject("wxt", WXT, ctx.tarball, "wxt", { name: "authenta-wxt-test", version: "1.0.0", type: "module" });
      await cp(join(here, "app", "flow.js"), join(dir, "flow.js"));
      await rm(join(dir, ".output"), { recursive: true, force: true });
      await mustRun(join(dir, "node_modules", ".bin", "wxt"), ["build"], { cwd: dir, timeoutMs: 300_000, env: { WXT_TELEMETRY: "false" } });
      const ext = join(dir, ".output", "chrome-mv3");
      return extensionAt(ext, "wxt", flowInWorker);
    }, COLD],
  ];
}
