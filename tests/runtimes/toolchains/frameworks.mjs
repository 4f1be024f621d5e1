// The frameworks a user starts from (issue 19), each as its starter sets it up and with nothing
// configured for authenta-wasm: Rsbuild 2 (build and dev server), SvelteKit 2 (a page and a server
// endpoint from one build, and the dev server), Astro 5 (build; dev server with the one line it
// needs). Each project is cached under
// ~/.cache/authenta-wasm/runtimes/ (toolchainProject: the pinned dependencies installed once, the tarball
// reinstalled on every run, app/<name>/ and app/flow.js copied in); the page or endpoint runs
// app/flow.js against the emulator.
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";

// Pinned. Rsbuild: create-rsbuild 2.2's vanilla starter takes @rsbuild/core 2.3 (needs Node
// ^20.19). SvelteKit: what `sv create` 0.17's minimal starter asks for (^ ranges), at the newest
// matching releases (kit 3 needs Node 22.17). Astro 5.18 (6+ need Node 22.12).
const RSBUILD = { "@rsbuild/core": "2.3.5" };
const SVELTEKIT = {
  "@sveltejs/adapter-auto": "7.0.1",
  "@sveltejs/kit": "2.70.4",
  "@sveltejs/vite-plugin-svelte": "7.3.3",
  svelte: "5.60.1",
  vite: "8.4.1",
};
const ASTRO = { astro: "5.18.2" };

// The first run installs each project before building (10-25 s here; longer from a cold npm cache).
const COLD = { timeoutMs: 480_000 };
const NO_TELEMETRY = { ASTRO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };

export default (ctx, h) => {
  const VITE = ["vite", "bin", "vite.js"];
  const RSBUILD_BIN = ["@rsbuild", "core", "bin", "rsbuild.js"];
  const ASTRO_BIN = ["astro", "astro.js"];
  const node = (dir, bin, args, opts = {}) =>
    h.mustRun(process.execPath, [join(dir, "node_modules", ...bin), ...args], { cwd: dir, timeoutMs: 240_000, ...opts });

  /** Each project set up, and each build made, once per run (cases share them). */
  const done = new Map();
  const once = (key, make) => {
    if (!done.has(key)) done.set(key, make());
    return done.get(key);
  };

  /** A toolchain's cached project with the tarball, its app and app/flow.js (at `flowAt`). */
  const project = (prefix, deps, app, fields, flowAt) =>
    once(`${prefix} project`, async () => {
      const dir = await h.toolchainProject(prefix, deps, ctx.tarball, app, fields);
      await cp(join(h.here, "app", "flow.js"), join(dir, ...flowAt));
      return dir;
    });
  const rsbuild = () => project("rsbuild", RSBUILD, "rsbuild-app", {
    type: "module", scripts: { dev: "rsbuild dev", build: "rsbuild build", preview: "rsbuild preview" },
  }, ["src", "flow.js"]);
  const sveltekit = () => project("sveltekit", SVELTEKIT, "sveltekit-app", {
    type: "module", scripts: { dev: "vite dev", build: "vite build", preview: "vite preview" },
  }, ["src", "lib", "flow.js"]);
  const astro = () => project("astro", ASTRO, "astro-app", {
    type: "module", scripts: { dev: "astro dev", build: "astro build", preview: "astro preview" },
  }, ["src", "flow.js"]);

  /** The SvelteKit app built once for its page and its endpoint. */
  const sveltekitBuild = () =>
    once("sveltekit build", async () => {
      const dir = await sveltekit();
      await node(dir, VITE, ["build", "--logLevel", "warn"]);
      return dir;
    });

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

  /**
   * A project's server (`vite preview`, a dev server) on a free port, in its own process group
   * (stopped by the caller); resolves once it answers `/`.
   */
  async function startServer(dir, bin, args, env = {}) {
    const port = await h.freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await h.startServer(process.execPath, [join(dir, "node_modules", ...bin), ...args, "--host", "127.0.0.1", "--port", String(port)], {
      cwd: dir, env, url: url + "/", name: `${bin[0]} ${args[0]}`,
    });
    return { url, ...server };
  }

  /** Runs `fn(server)` against a server startServer started, then stops it. */
  async function withServer(server, fn) {
    try {
      return await fn(server);
    } catch (e) {
      throw new Error(`${e.message}\nthe server's output:\n${h.tail(server.output(), 6)}`);
    } finally {
      server.stop();
    }
  }
  const servedPage = (server, check) =>
    withServer(server, () => h.inPage(`${server.url}/`, "runFlow", check, { ready: "not imported" }));

  const RSBUILD_WASM = /^\/static\/wasm\/\w+\.module\.wasm$/;

  return [
    ["chromium page, Rsbuild 2 (rsbuild build, nothing configured), served statically", async () => {
      const dir = await rsbuild();
      await node(dir, RSBUILD_BIN, ["build"]);
      return staticPage(join(dir, "dist"), oneWasm(RSBUILD_WASM));
    }, COLD],

    ["chromium page, Rsbuild 2 dev server (rsbuild dev)", async () =>
      servedPage(await startServer(await rsbuild(), RSBUILD_BIN, ["dev"]), oneWasm(RSBUILD_WASM)), COLD],

    ["chromium page, SvelteKit 2 (sv create minimal, vite build + vite preview)", async () =>
      servedPage(await startServer(await sveltekitBuild(), VITE, ["preview", "--strictPort"]),
        oneWasm(/^\/_app\/immutable\/assets\/authenta_wasm_bg\.[\w-]+\.wasm$/)), COLD],

    ["SvelteKit 2 server endpoint (+server.js, the Node entry), vite build + vite preview", async () =>
      withServer(await startServer(await sveltekitBuild(), VITE, ["preview", "--strictPort"]), (server) =>
        h.postFlow(server.url, "/api/flow", server.output)), COLD],

    // What `npm run dev` gives: Vite 8 pre-bundles the package (node_modules/.vite/deps) and
    // points its `new URL("./authenta_wasm_bg.wasm", import.meta.url)` at the file in
    // node_modules (Vite 7 left it pointing into .vite/deps: see the Vite 7 dev case, and Astro 5,
    // on Vite 6, in the README). --force: pre-bundle afresh on every run, so that no run can see
    // an earlier tarball's pre-bundle in the cached project.
    ["chromium page, SvelteKit 2 dev server (vite dev)", async () =>
      servedPage(await startServer(await sveltekit(), VITE, ["dev", "--strictPort", "--force"]),
        oneWasm(/^\/node_modules\/authenta-wasm\/authenta_wasm_bg\.wasm$/)), COLD],

    ["chromium page, Astro 5 (a page's <script>, astro build), served statically", async () => {
      const dir = await astro();
      await rm(join(dir, "dist"), { recursive: true, force: true });
      await node(dir, ASTRO_BIN, ["build", "--silent"], { env: NO_TELEMETRY });
      return staticPage(join(dir, "dist"), oneWasm(/^\/_astro\/authenta_wasm_bg\.[\w-]+\.wasm$/));
    }, COLD],

    // With nothing configured the page fetches /node_modules/.vite/deps/authenta_wasm_bg.wasm
    // (HTTP 404), as with Vite 7's dev server, and the entry takes its inlined copy (issue 19);
    // the package README's optional line makes the dev server serve the .wasm itself.
    ["chromium page, Astro 5 dev server (astro dev, nothing configured)", async () => {
      const dir = await astro();
      return servedPage(await startServer(dir, ASTRO_BIN, ["dev", "--force"], NO_TELEMETRY), async (page) => {
        await oneWasm(/^\/node_modules\/\.vite\/deps\/authenta_wasm_bg\.wasm$/)(page);
        const inlined = await page.evaluate(() =>
          performance.getEntriesByType("resource").filter((e) => e.name.includes("authenta_wasm_inline")).length);
        if (inlined !== 1) throw new Error(`the inlined copy was fetched ${inlined} times`);
      });
    }, COLD],

    ["chromium page, Astro 5 dev server (astro dev, optimizeDeps.exclude)", async () => {
      const dir = await astro();
      return servedPage(await startServer(dir, ASTRO_BIN, ["dev", "--config", "astro.dev.config.mjs"], NO_TELEMETRY),
        oneWasm(/^\/node_modules\/authenta-wasm\/authenta_wasm_bg\.wasm$/));
    }, COLD],
  ];
};
