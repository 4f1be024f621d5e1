#!/usr/bin/env node
// Type checks of the npm package's .d.ts files, as a TypeScript user meets them.
//
//   node tests/types/check.mjs [--pkg DIR]
//
// 1. consumer.ts compiles with no error: through tests/types/tsconfig.json (`paths` to pkg/);
//    through pkg/package.json `exports` (a node_modules link in a temporary folder) with
//    moduleResolution nodenext and bundler; and with the strictest options users turn on.
// 2. Each mistakes/*.ts fails to compile, with the TS error code its first line declares
//    (`// expect: TS2322`), reported on the line marked `// MISTAKE` and nowhere else.
// 3. The module-system matrix, against the packed tarball installed in a temporary node_modules:
//    TypeScript 5.0 and the repository's × moduleResolution node10, node16 (an ES module .mts and
//    a CommonJS .cts), nodenext and bundler. In each cell consumer.ts (MATRIX_CONSUMERS) compiles
//    with no error and matrix/mistake.ts fails as its first line declares. Then a CommonJS
//    project (`"module": "node16"`, matrix/cjs-main.ts) is compiled and run with node.
//
// Prints one line per check and ends with `N passed, M failed`; exits non-zero if any failed.
// `--pkg DIR` checks another build of the package (default: pkg/ of this repository).
// TypeScript 5.0 is installed once into ~/.cache/authenta-wasm/package-tools/ (tests/support/tarball.mjs).

import { spawn } from "node:child_process";
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync,
  symlinkSync, writeFileSync,
} from "node:fs";
import * as os from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureTools, installInto, pack, run } from "../support/tarball.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const tsconfig = join(here, "tsconfig.json");
const consumer = join(here, "consumer.ts");
const tscJs = join(repo, "node_modules/typescript/bin/tsc");

const args = process.argv.slice(2);
const pkgArg = args.indexOf("--pkg");
const pkg = resolve(pkgArg >= 0 ? args[pkgArg + 1] ?? "" : join(repo, "pkg"));

for (const [what, path] of [
  ["TypeScript", tscJs],
  ["the package's types", join(pkg, "index.d.ts")],
  ["the generated client types (build pkg/ first)", join(pkg, "authenta_wasm.d.ts")],
]) {
  if (!existsSync(path)) {
    console.error(`check: ${what} not found at ${path}`);
    process.exit(2);
  }
}

const tmp = mkdtempSync(join(os.tmpdir(), "authenta-types-"));
const pathsToPkg = {
  "authenta-wasm": [join(pkg, "index.d.ts")],
  "authenta-wasm/inline": [join(pkg, "index.d.ts")],
  "authenta-wasm/api-types": [join(pkg, "api-types.d.ts")],
  "authenta-wasm/server": [join(pkg, "server.d.ts")],
};

/** Runs tsc (the repository's, or the one given); resolves with its exit code and its diagnostics. */
function tsc(project, compiler = tscJs) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [compiler, "-p", project, "--pretty", "false"], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => done({ code, out, diagnostics: parse(out) }));
  });
}

/** `file(line,col): error TS1234: message` lines, with their indented continuations. */
function parse(out) {
  const diagnostics = [];
  for (const line of out.split("\n")) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (m) {
      const file = resolve(repo, m[1]);
      const text = `${file}(${m[2]},${m[3]}): error ${m[4]}: ${m[5]}`;
      diagnostics.push({ file, line: Number(m[2]), code: m[4], message: m[5], text });
    } else if (/^error (TS\d+): /.test(line)) {
      diagnostics.push({ file: "", line: 0, code: line.split(" ")[1].replace(":", ""), text: line });
    } else if (line.trim() && diagnostics.length) {
      diagnostics.at(-1).text += `\n${line}`;
    }
  }
  return diagnostics;
}

function writeConfig(dir, config) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "tsconfig.json");
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

const show = (text) => text.replaceAll(`${tmp}/`, "").replaceAll(`${repo}/`, "");

// --- consumer.ts --------------------------------------------------------------------------

async function consumerThroughPaths() {
  const name = "consumer.ts (tests/types/tsconfig.json: paths to pkg/, nodenext)";
  const project =
    pkg === join(repo, "pkg")
      ? tsconfig
      : writeConfig(join(tmp, "paths"), {
          extends: tsconfig,
          compilerOptions: { paths: pathsToPkg },
          files: [consumer],
        });
  return compiles(name, await tsc(project));
}

/** The strictest options users turn on: the .d.ts files must not break under them. */
async function consumerStrictest() {
  const name = "consumer.ts with exactOptionalPropertyTypes, noUncheckedIndexedAccess, verbatimModuleSyntax, …";
  const compilerOptions = {
    paths: pathsToPkg,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noPropertyAccessFromIndexSignature: true,
    noImplicitOverride: true,
    noImplicitReturns: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
  };
  const project = writeConfig(join(tmp, "strictest"), { extends: tsconfig, compilerOptions, files: [consumer] });
  return compiles(name, await tsc(project));
}

async function consumerThroughExports(mode) {
  const name = `consumer.ts through pkg/package.json exports (${mode})`;
  const dir = join(tmp, `exports-${mode}`);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(pkg, join(dir, "node_modules/authenta-wasm"), "dir");
  writeFileSync(join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  copyFileSync(consumer, join(dir, "consumer.ts"));
  const compilerOptions =
    mode === "bundler"
      ? { paths: {}, module: "preserve", moduleResolution: "bundler" }
      : { paths: {}, module: "nodenext", moduleResolution: "nodenext" };
  const project = writeConfig(dir, { extends: tsconfig, compilerOptions, files: ["consumer.ts"] });
  return compiles(name, await tsc(project));
}

/** Each diagnostic, with the source line it points at when that is a consumer.ts line. */
function compiles(name, { code, diagnostics, out }) {
  if (code === 0 && diagnostics.length === 0) return { ok: true, name };
  if (!diagnostics.length) return { ok: false, name, details: [out.trim()] };
  const details = diagnostics.map((d) => {
    let text = show(d.text);
    if (/^consumer\.[cm]?ts$/.test(basename(d.file)) && existsSync(d.file)) {
      const source = readFileSync(d.file, "utf8").split("\n")[d.line - 1]?.trim();
      if (source) text += `\n    > ${source}`;
    }
    return text;
  });
  // The same errors from another resolution mode are said once.
  const key = diagnostics.map((d) => `${basename(d.file)}:${d.line}:${d.code}`).sort().join();
  return { ok: false, name, details, key };
}

// --- mistakes/*.ts ------------------------------------------------------------------------

/** A mistake file's declared error code and marked lines. */
function mistakeSpec(file) {
  const lines = readFileSync(file, "utf8").split("\n");
  const expect = /^\/\/ expect: (TS\d+)\b/.exec(lines[0])?.[1];
  const marked = lines.flatMap((l, i) => (/\/\/ MISTAKE\b/.test(l) ? [i + 1] : []));
  return { expect, marked };
}

async function mistake(file) {
  const name = `mistakes/${basename(file)}`;
  const { expect, marked } = mistakeSpec(file);
  if (!expect || marked.length === 0) {
    return {
      ok: false,
      name,
      details: ["needs `// expect: TSnnnn` on its first line and a line marked `// MISTAKE`"],
    };
  }
  const project = writeConfig(join(tmp, "mistakes", basename(file, ".ts")), {
    extends: tsconfig,
    // The package's own .d.ts files are the consumer checks' business.
    compilerOptions: { paths: pathsToPkg, skipLibCheck: true },
    files: [file],
  });
  return fails(`${name} fails with ${expect}`, file, expect, marked, await tsc(project));
}

/** Whether a compile failed with exactly `expect`, on the marked lines of `file` only. */
function fails(label, file, expect, marked, { code, diagnostics, out }) {
  if (code !== 0 && diagnostics.length === 0) {
    return { ok: false, name: label, details: ["tsc failed without a diagnostic:", out.trim()] };
  }
  if (code === 0 || diagnostics.length === 0) {
    return {
      ok: false,
      name: label,
      details: ["compiled without error: the types accept the mistake (an `any`, or an option too loose?)"],
    };
  }
  const stray = diagnostics.filter(
    (d) => d.file !== file || d.code !== expect || !marked.includes(d.line),
  );
  if (stray.length) {
    return {
      ok: false,
      name: label,
      details: [
        `expected only ${expect} on line ${marked.join(", ")}; got:`,
        ...diagnostics.map((d) => show(d.text)),
      ],
    };
  }
  return { ok: true, name: `${label} (line ${marked.join(", ")})` };
}

// --- the module-system matrix, from the packed tarball --------------------------------------

// What each cell compiles: files that use every export of an entry (the server entry's consumer
// joins this list with it), copied with the cell's extension.
const MATRIX_CONSUMERS = ["consumer.ts", "server-consumer.ts"];

const MODES = [
  // `type`: the cell's package.json "type" (how a .ts file is read under node16/nodenext).
  { name: "node10", module: "commonjs", moduleResolution: "node10", ext: ".ts" },
  { name: "node16, ES module (.mts)", module: "node16", moduleResolution: "node16", ext: ".mts" },
  { name: "node16, CommonJS (.cts)", module: "node16", moduleResolution: "node16", ext: ".cts" },
  { name: "nodenext", module: "nodenext", moduleResolution: "nodenext", ext: ".ts", type: "module" },
  // `module: "preserve"` needs TypeScript 5.4; esnext is what 5.0 users pair with bundler.
  { name: "bundler", module: "esnext", moduleResolution: "bundler", ext: ".ts", type: "module" },
];

/** Packs the package, installs the tarball into a temporary project, gets TypeScript 5.0. */
async function matrixSetup() {
  const tools = await ensureTools();
  const { tarball } = await pack(pkg, join(tmp, "tarball"));
  const project = await installInto(join(tmp, "matrix"), tarball);
  const version = (path) => JSON.parse(readFileSync(join(dirname(path), "../package.json"), "utf8")).version;
  const compilers = [tools.tsc50, tscJs].map((path) => ({ path, version: version(path) }));
  return { project, compilers };
}

const cellOptions = (mode) => ({
  strict: true,
  noEmit: true,
  target: "ES2022",
  module: mode.module,
  moduleResolution: mode.moduleResolution,
  lib: ["ES2022", "DOM"],
  types: [],
});

/** A cell's folder inside the project (whose node_modules has the tarball), with its "type". */
function cellDir(project, compiler, mode) {
  const dir = join(project, `ts${compiler.version}-${mode.name.replace(/\W+/g, "-")}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, ...(mode.type ? { type: mode.type } : {}) }) + "\n");
  return dir;
}

/** One cell: the consumer files compile with no error (the package's declarations checked too). */
async function cellConsumer({ project, fail }, compiler, mode) {
  fail?.();
  const dir = cellDir(project, compiler, mode);
  const files = MATRIX_CONSUMERS.map((source) => {
    const file = join(dir, basename(source, ".ts") + mode.ext);
    copyFileSync(join(here, source), file);
    return file;
  });
  const config = writeConfig(join(dir, "consumer"), {
    compilerOptions: { ...cellOptions(mode), skipLibCheck: false },
    files,
  });
  const names = files.map((f) => basename(f)).join(", ");
  const name = `tarball, TypeScript ${compiler.version}, ${mode.name}: ${names} compile${files.length > 1 ? "" : "s"}`;
  return compiles(name, await tsc(config, compiler.path));
}

/** The same cell: matrix/mistake.ts fails with its declared error, and only with it. */
async function cellMistake({ project, fail }, compiler, mode) {
  fail?.();
  const dir = cellDir(project, compiler, mode);
  const source = join(here, "matrix", "mistake.ts");
  const file = join(dir, `mistake${mode.ext}`);
  copyFileSync(source, file);
  const { expect, marked } = mistakeSpec(source);
  const config = writeConfig(join(dir, "mistake"), {
    compilerOptions: { ...cellOptions(mode), skipLibCheck: true },
    files: [file],
  });
  const label = `tarball, TypeScript ${compiler.version}, ${mode.name}: mistake${mode.ext} fails with ${expect}`;
  return fails(label, file, expect, marked, await tsc(config, compiler.path));
}

/** A CommonJS TypeScript project (`"module": "node16"`) compiles, require()s the package, runs. */
async function cjsProject({ project, fail }) {
  fail?.();
  const name = 'tarball: a CommonJS project ("module": "node16") compiles and runs with node';
  const dir = join(project, "cjs-project");
  mkdirSync(join(dir, "src"), { recursive: true });
  // No "type": the project's .ts files are CommonJS.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true }) + "\n");
  copyFileSync(join(here, "matrix", "cjs-main.ts"), join(dir, "src", "main.ts"));
  const config = writeConfig(dir, {
    compilerOptions: {
      ...cellOptions({ module: "node16", moduleResolution: "node16" }),
      noEmit: false,
      skipLibCheck: false,
      rootDir: "src",
      outDir: "dist",
    },
    files: ["src/main.ts"],
  });
  const built = compiles(name, await tsc(config));
  if (!built.ok) return built;
  const emitted = readFileSync(join(dir, "dist", "main.js"), "utf8");
  if (!/require\("authenta-wasm"\)/.test(emitted) || /^\s*import\s/m.test(emitted)) {
    return { ok: false, name, details: ["the output does not require() the package:", emitted.slice(0, 400)] };
  }
  const ran = await run(process.execPath, [join(dir, "dist", "main.js")], { cwd: dir, timeoutMs: 60_000 });
  const line = ran.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  const got = line ? JSON.parse(line.slice("RESULT ".length)) : null;
  const want = { configuration: "CONFIGURATION", connection: "CONNECTION_ERROR", inline: true };
  const ok =
    ran.code === 0 && got && got.taskTypes > 0 && Object.entries(want).every(([k, v]) => got[k] === v);
  if (ok) return { ok: true, name };
  return {
    ok: false,
    name,
    details: [`exit ${ran.code}; wanted ${JSON.stringify(want)} and TASK_TYPES, got ${line ?? "no RESULT line"}`, (ran.stderr || ran.stdout).trim()],
  };
}

// --- run ----------------------------------------------------------------------------------

const mistakesDir = join(here, "mistakes");
const mistakeFiles = existsSync(mistakesDir)
  ? readdirSync(mistakesDir).filter((f) => f.endsWith(".ts")).sort().map((f) => join(mistakesDir, f))
  : [];

let matrix; // set before the jobs run
const jobs = [
  () => consumerThroughPaths(),
  () => consumerThroughExports("nodenext"),
  () => consumerThroughExports("bundler"),
  () => consumerStrictest(),
  ...mistakeFiles.map((f) => () => mistake(f)),
  ...[0, 1].flatMap((c) =>
    MODES.flatMap((mode) => [
      () => cellConsumer(matrix, matrix.compilers[c], mode),
      () => cellMistake(matrix, matrix.compilers[c], mode),
    ]),
  ),
  () => cjsProject(matrix),
];

/** Runs the jobs a few at a time (each is a tsc process); results in job order. */
async function runAll(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]().catch((e) => ({ ok: false, name: `job ${i}`, details: [String(e)] }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

let results;
try {
  if (pkg !== join(repo, "pkg")) console.log(`checking the package at ${pkg}`);
  matrix = await matrixSetup().catch((e) => {
    // Every matrix check then fails with this.
    const fail = () => { throw new Error(`the matrix's set-up failed: ${e.message}`); };
    return { project: tmp, compilers: [0, 1].map(() => ({ path: "", version: "?" })), fail };
  });
  results = await runAll(jobs, Math.max(2, os.availableParallelism?.() ?? os.cpus().length));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const said = new Map();
for (const r of results) {
  console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name}`);
  const same = r.key && said.get(r.key);
  if (same) console.log(`       the same ${r.details.length === 1 ? "error" : `${r.details.length} errors`} as "${same}"`);
  else for (const d of r.details ?? []) console.log(d.replace(/^/gm, "       "));
  if (r.key && !same) said.set(r.key, r.name);
}
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
