// Unit-test runners with a simulated DOM (issue 19): Vitest with its jsdom and happy-dom
// environments, Jest with jest-environment-jsdom. Each runs a real test file (app/vitest-dom/,
// app/jest-jsdom/) from the packed tarball: a File made with the environment's own File class,
// runJob and uploadAndPoll against the emulator. The runner then checks, from outside the test:
// - the bytes the emulator stored for the job's input and the record are exactly the fixture's (MD5);
// - no request of the test reached the emulator with an Origin header or as a CORS preflight: the
//   package sent through Node's own transport, never the DOM library's XMLHttpRequest or fetch;
// - with onProgress, the events are the fetch transport's two (no XHR byte progress in Node).
import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ANGULAR } from "./bundlers.mjs";

const VITEST = { vitest: "4.1.12", jsdom: "27.4.0", "happy-dom": "20.14.6" };
const JEST = {
  jest: "30.5.2", "jest-environment-jsdom": "30.5.2",
  "ts-jest": "29.4.15", typescript: "5.9.3", "@types/jest": "30.0.0", "@types/node": "20.19.25",
};
const JEST29 = { jest: "29.7.0", "jest-environment-jsdom": "29.7.0" };

const SIZE = 50_000;
// A cold run installs the runner (npm, about 10-20 s each from a warm npm cache, longer cold).
const TIMEOUT = { timeoutMs: 300_000 };

const md5 = (bytes) => createHash("md5").update(bytes).digest("hex");

export default (ctx, h) => {
  let seed = 7000;
  let vitest;
  /** The Vitest project, installed and given the tarball once per run (three cases share it). */
  const vitestProject = () => (vitest ??= h.toolchainProject("vitest", VITEST, ctx.tarball, "vitest-dom", { type: "module" }));

  /** The bytes the emulator stored: the job's input artifact and the record's source. */
  async function stored(jobId, mid) {
    const { emu } = ctx;
    const auth = { authorization: `Bearer ${emu.apiKey}` };
    const job = await (await fetch(`${emu.api}/v1/jobs/${jobId}`, { headers: auth })).json();
    const input = job.artifacts?.find((a) => a.kind === "input" && a.slotName === "original");
    const record = await (await fetch(`${emu.api}/media/${mid}`, { headers: auth })).json();
    const read = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
    return { job: await read(input.downloadUrl), media: await read(record.srcURL) };
  }

  /**
   * Runs `cmd args` in `dir` with the case's file; `expectSeen`: the environment the test must
   * have run in. Resolves with a summary once every check passed.
   */
  async function runCase(dir, cmd, args, { progress, expectSeen, env = {} }) {
    seed += 1;
    const bytes = new Uint8Array(SIZE).map((_, i) => (i * 31 + seed * 7 + ((i * i) >> 5)) % 256);
    const input = join(dir, `input-${seed}.bin`);
    const out = join(dir, `result-${seed}.json`);
    await writeFile(input, bytes);
    await rm(out, { force: true });
    const logBefore = (await ctx.emu.log()).length;
    const r = await h.run(cmd, args, {
      cwd: dir,
      timeoutMs: 120_000,
      env: { AUTHENTA_CASE: JSON.stringify({ api: ctx.emu.api, apiKey: ctx.emu.apiKey, input, out, progress }), NO_COLOR: "1", FORCE_COLOR: "0", CI: "1", ...env },
    });
    const text = await readFile(out, "utf8").catch(() => undefined);
    if (r.code !== 0 || !text) {
      const lines = (r.stdout + "\n" + r.stderr).split("\n");
      const error = lines.find((l) => /\b\w*Error\b/.test(l));
      throw new Error(`the test failed (exit ${r.code})${error ? `: ${error.trim()}` : ""}\n${h.tail(r.stdout + "\n" + r.stderr, 8)}`);
    }
    const seen = JSON.parse(text);
    h.assertEqual(seen.seen, expectSeen, "the test's environment");
    const got = await stored(seen.jobId, seen.mid);
    h.assertEqual({ job: md5(got.job), media: md5(got.media) }, { job: md5(bytes), media: md5(bytes) }, "MD5 of the bytes the emulator stored");

    // Node's transport: a DOM library's XHR or fetch sends the test page's Origin (and preflights).
    const requests = (await ctx.emu.log()).slice(logBefore);
    const dom = requests.filter((e) => e.method === "OPTIONS" || e.headers?.origin !== undefined);
    if (dom.length) {
      const e = dom[0];
      throw new Error(`${dom.length} of ${requests.length} requests came from a DOM library's transport (CORS), e.g. ${e.method} ${e.origin} ${e.path} origin=${e.headers?.origin}`);
    }
    const want = progress ? [{ loaded: 0, total: SIZE, lengthComputable: false }, { loaded: SIZE, total: SIZE, lengthComputable: true }] : [];
    const strip = (list) => list.map(({ loaded, total, lengthComputable }) => ({ loaded, total, lengthComputable }));
    h.assertEqual(strip(seen.events.job), want, "runJob's progress events");
    h.assertEqual(strip(seen.events.media), want, "uploadAndPoll's progress events");
    return { jobId: seen.jobId, mid: seen.mid, requests: requests.length, md5: md5(bytes) };
  }

  const vitestRun = (environment, progress) => async () => {
    const dir = await vitestProject();
    const bin = join(dir, "node_modules", "vitest", "vitest.mjs");
    return runCase(dir, process.execPath, [bin, "run", "--environment", environment], {
      progress,
      expectSeen: { document: "object", nodeFile: false, xhr: "function" },
    });
  };

  /** Jest (CommonJS, no transform) with the app's config `config`. */
  const jestRun = (prefix, deps, config, dom = true) => async () => {
    const dir = await h.toolchainProject(prefix, deps, ctx.tarball, "jest-jsdom");
    const bin = join(dir, "node_modules", "jest", "bin", "jest.js");
    return runCase(dir, process.execPath, [bin, "--ci", "--config", config], {
      progress: true,
      expectSeen: dom ? { document: "object", nodeFile: false, xhr: "function" } : { document: "undefined", nodeFile: true, xhr: "undefined" },
    });
  };

  /** Angular's `ng test` (the unit-test builder: Vitest and jsdom) in the Angular project of bundlers.mjs. */
  const ngTest = (progress) => async () => {
    const dir = await h.toolchainProject("angular", ANGULAR, ctx.tarball, "angular");
    const ng = join(dir, "node_modules", "@angular", "cli", "bin", "ng.js");
    return runCase(dir, process.execPath, [ng, "test", "--watch=false"], {
      progress,
      expectSeen: { document: "object", nodeFile: false, xhr: "function" },
      env: { NG_CLI_ANALYTICS: "false" },
    });
  };

  return [
    ["test runner: Angular 21 ng test (Vitest + jsdom), nothing configured", ngTest(false), TIMEOUT],
    ["test runner: Angular 21 ng test, with onProgress", ngTest(true), TIMEOUT],
    ["test runner: Vitest 4.1 + jsdom 27 environment, a jsdom File through runJob and uploadAndPoll", vitestRun("jsdom", false), TIMEOUT],
    ["test runner: Vitest 4.1 + jsdom 27 environment, with onProgress (Node's transport, not jsdom's XMLHttpRequest)", vitestRun("jsdom", true), TIMEOUT],
    ["test runner: Vitest 4.1 + happy-dom 20 environment, with onProgress (Node's transport, not happy-dom's)", vitestRun("happy-dom", true), TIMEOUT],
    ["test runner: Jest 30 + jest-environment-jsdom 30, nothing configured", jestRun("jest", JEST, "jest.config.js"), TIMEOUT],
    ["test runner: Jest 30, node environment, nothing configured", jestRun("jest", JEST, "jest.node.config.js", false), TIMEOUT],
    ["test runner: Jest 30 + ts-jest 29.4 (TypeScript, node environment), nothing configured", jestRun("jest", JEST, "jest.ts.config.js", false), TIMEOUT],
    ["test runner: Jest 29 + jest-environment-jsdom 29, customExportConditions: [\"node\"]", jestRun("jest29", JEST29, "jest29.config.js"), TIMEOUT],
  ];
};
