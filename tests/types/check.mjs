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
//
// Prints one line per check and ends with `N passed, M failed`; exits non-zero if any failed.
// `--pkg DIR` checks another build of the package (default: pkg/ of this repository).
// No dependencies beyond the repository's own TypeScript (node_modules/typescript).

import { spawn } from "node:child_process";
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync,
  symlinkSync, writeFileSync,
} from "node:fs";
import * as os from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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

/** Runs tsc; resolves with its exit code and its diagnostics. */
function tsc(project) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [tscJs, "-p", project, "--pretty", "false"], {
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
    if (basename(d.file) === "consumer.ts" && existsSync(d.file)) {
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

async function mistake(file) {
  const name = `mistakes/${basename(file)}`;
  const lines = readFileSync(file, "utf8").split("\n");
  const expect = /^\/\/ expect: (TS\d+)\b/.exec(lines[0])?.[1];
  const marked = lines.flatMap((l, i) => (/\/\/ MISTAKE\b/.test(l) ? [i + 1] : []));
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
  const { code, diagnostics, out } = await tsc(project);
  const label = `${name} fails with ${expect}`;
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

// --- run ----------------------------------------------------------------------------------

const mistakesDir = join(here, "mistakes");
const mistakeFiles = existsSync(mistakesDir)
  ? readdirSync(mistakesDir).filter((f) => f.endsWith(".ts")).sort().map((f) => join(mistakesDir, f))
  : [];

const jobs = [
  () => consumerThroughPaths(),
  () => consumerThroughExports("nodenext"),
  () => consumerThroughExports("bundler"),
  () => consumerStrictest(),
  ...mistakeFiles.map((f) => () => mistake(f)),
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
