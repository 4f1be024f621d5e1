// The frameworks a user starts from (issue 19), each as its starter sets it up and with nothing
// configured for authenta-wasm: Rsbuild 2, SvelteKit 2 (a page and a server endpoint), Astro 5.
// Each project is cached under target/runtimes-cache/ (toolchainProject: the pinned dependencies
// installed once, the tarball reinstalled on every run, app/<name>/ and app/flow.js copied in),
// then built for production; the page or endpoint runs app/flow.js against the emulator.
import { spawn } from "node:child_process";
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";

// Pinned. Rsbuild: create-rsbuild 2.2's vanilla starter takes @rsbuild/core 2.3 (needs Node
// ^20.19). SvelteKit: what `sv create` 0.17's minimal starter asks for (^ ranges), at the newest
// matching releases; kit 3 and the adapters that want it are not on Node 20 (shared/TOOLCHAIN.md).
// Astro 5.18 (Astro 6+ need Node 22).
const RSBUILD = { "@rsbuild/core": "2.3.5" };
const SVELTEKIT = {
  "@sveltejs/adapter-auto": "7.0.1",
  "@sveltejs/kit": "2.70.4",
  "@sveltejs/vite-plugin-svelte": "7.3.3",
  svelte: "5.60.1",
  vite: "8.4.1",
};
const ASTRO = { astro: "5.18.2" };

// The first run installs each project (about a minute each from a cold npm cache) before building.
const COLD = { timeoutMs: 480_000 };
const NO_TELEMETRY = { ASTRO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };

export default (ctx, h) => {
  const { emu } = ctx;
  const node = (dir, bin, args, opts = {}) =>
    h.mustRun(process.execPath, [join(dir, "node_modules", ...bin), ...args], { cwd: dir, timeoutMs: 240_000, ...opts });

  /** Builds a project's app once per run (the SvelteKit page and endpoint share one build). */
  const once = new Map();
  const built = (key, make) => {
    if (!once.has(key)) once.set(key, make());
    return once.get(key);
  };

  /**
   * The page's .wasm fetches (resource timing): exactly one, matching `pattern`, the asset the
   * toolchain emitted (not a file a stray copy or a dev path happened to serve).
   */
  const oneWasm = (pattern) => async (page) => {
    const wasm = await page.evaluate(() =>
      performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm")));
    if (wasm.length !== 1 || !pattern.test(wasm[0])) throw new Error(`wasm fetched: ${JSON.stringify(wasm)} (not the build's emitted asset)`);
  };

  /** A statically served build folder: runs the flow in its page, then closes the server. */
  async function staticPage(dir, check) {
    const server = await h.serveDir(dir);
    try {
      return await h.inPage(`${server.url}/`, "runFlow", check, { ready: "not imported" });
    } finally {
      await server.close();
    }
  }

  const sveltekit = () =>
    built("sveltekit", async () => {
      const dir = await h.toolchainProject("sveltekit", SVELTEKIT, ctx.tarball, "sveltekit-app", { type: "module" });
      await cp(join(h.here, "app", "flow.js"), join(dir, "src", "lib", "flow.js"));
      await node(dir, ["vite", "bin", "vite.js"], ["build", "--logLevel", "warn"]);
      return dir;
    });

  /**
   * `vite preview` of the SvelteKit build on a free port (its own process group, stopped by the
   * caller); resolves once it answers.
   */
  async function preview(dir) {
    const port = await h.freePort();
    const child = spawn(process.execPath, [join(dir, "node_modules", "vite", "bin", "vite.js"), "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
      cwd: dir, stdio: ["ignore", "pipe", "pipe"], detached: true,
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
    };
    const url = `http://127.0.0.1:${port}`;
    const until = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`vite preview exited ${child.exitCode}:\n${h.tail(output)}`);
      if (await fetch(url + "/").then((r) => r.ok, () => false)) return { url, stop, output: () => output };
      if (Date.now() > until) {
        stop();
        throw new Error(`vite preview: not ready in 30 s:\n${h.tail(output)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return [
    ["chromium page, Rsbuild 2 (rsbuild build, nothing configured), served statically", async () => {
      const dir = await h.toolchainProject("rsbuild", RSBUILD, ctx.tarball, "rsbuild-app", {
        type: "module", scripts: { dev: "rsbuild dev", build: "rsbuild build", preview: "rsbuild preview" },
      });
      await cp(join(h.here, "app", "flow.js"), join(dir, "src", "flow.js"));
      await node(dir, ["@rsbuild", "core", "bin", "rsbuild.js"], ["build"]);
      return staticPage(join(dir, "dist"), oneWasm(/^\/static\/wasm\/\w+\.module\.wasm$/));
    }, COLD],

    ["chromium page, SvelteKit 2 (sv create minimal, vite build + vite preview)", async () => {
      const server = await preview(await sveltekit());
      try {
        return await h.inPage(`${server.url}/`, "runFlow", oneWasm(/^\/_app\/immutable\/assets\/authenta_wasm_bg\.[\w-]+\.wasm$/), { ready: "not imported" });
      } catch (e) {
        throw new Error(`${e.message}\nvite preview's output:\n${h.tail(server.output(), 6)}`);
      } finally {
        server.stop();
      }
    }, COLD],

    ["SvelteKit 2 server endpoint (+server.js, the Node entry), vite build + vite preview", async () => {
      const server = await preview(await sveltekit());
      try {
        const [args, bytes] = h.flowArgs(false);
        const res = await fetch(`${server.url}/api/flow`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(args) });
        const text = await res.text();
        let answer;
        try {
          answer = JSON.parse(text);
        } catch {
          throw new Error(`/api/flow answered ${res.status}: ${text.slice(0, 300)}`);
        }
        if (!answer.ok) throw new Error(`in the endpoint: ${answer.error}`);
        return await h.verify(emu, answer.value, bytes, { xhr: false, ready: "not imported" });
      } catch (e) {
        throw new Error(`${e.message}\nvite preview's output:\n${h.tail(server.output(), 6)}`);
      } finally {
        server.stop();
      }
    }, COLD],

    ["chromium page, Astro 5 (a page's <script>, astro build), served statically", async () => {
      const dir = await h.toolchainProject("astro", ASTRO, ctx.tarball, "astro-app", {
        type: "module", scripts: { dev: "astro dev", build: "astro build", preview: "astro preview" },
      });
      await cp(join(h.here, "app", "flow.js"), join(dir, "src", "flow.js"));
      await rm(join(dir, "dist"), { recursive: true, force: true });
      await node(dir, ["astro", "astro.js"], ["build", "--silent"], { env: NO_TELEMETRY });
      return staticPage(join(dir, "dist"), oneWasm(/^\/_astro\/authenta_wasm_bg\.[\w-]+\.wasm$/));
    }, COLD],
  ];
};
