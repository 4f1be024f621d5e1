// The packed tarball as a user installs it, and the pinned tools that judge it (issue 20): shared
// by tests/types/ (the TypeScript matrix) and tests/package/ (files, version, attw, publint).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Where the pinned tools and toolchains are installed, outside the checkout so that they outlive a
 * clean clone (CI): ~/.cache/authenta-wasm (XDG_CACHE_HOME respected; AUTHENTA_TOOLS_CACHE moves
 * it). Each folder is named by a hash of its pins; deleting any of it is safe.
 */
export const CACHE = process.env.AUTHENTA_TOOLS_CACHE ?? join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "authenta-wasm");

// Pinned: the oldest TypeScript the package promises (pkg/README.md, TypeScript) and the linters
// (checked on Node 20, shared/TOOLCHAIN.md). The repository's current TypeScript is its own
// devDependency. The alias keeps TypeScript 5.0 apart from the TypeScript attw brings.
export const TOOLS = {
  "typescript-5.0": "npm:typescript@5.0.4",
  "@arethetypeswrong/cli": "0.18.5",
  publint: "0.3.25",
};

/** Runs a command; resolves with { code, stdout, stderr } (never rejects on a non-zero exit). */
export function run(cmd, args, { cwd, env, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      stderr += `\n(killed after ${timeoutMs} ms)`;
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function mustRun(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}:\n${(r.stderr || r.stdout).trim()}`);
  return r;
}

/**
 * The tools project, cached under CACHE/package-tools/tools-<hash of the pins> (installed once
 * per set of pins, like tests/runtimes/run.mjs's; older pins' folders are removed).
 */
export async function ensureTools() {
  const key = createHash("sha256").update(JSON.stringify(TOOLS)).digest("hex").slice(0, 12);
  const cache = join(CACHE, "package-tools");
  const dir = join(cache, `tools-${key}`);
  if (!existsSync(join(dir, ".installed"))) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "package.json"), JSON.stringify({ private: true, dependencies: TOOLS }, null, 2) + "\n");
    console.log(`installing ${Object.entries(TOOLS).map(([n, v]) => `${n}@${v}`).join(", ")} into ${dir}`);
    await mustRun("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, timeoutMs: 600_000 });
    await writeFile(join(dir, ".installed"), new Date().toISOString() + "\n");
    for (const old of await readdir(cache)) {
      if (old !== `tools-${key}`) await rm(join(cache, old), { recursive: true, force: true });
    }
  }
  return {
    dir,
    tsc50: join(dir, "node_modules", "typescript-5.0", "bin", "tsc"),
    attw: join(dir, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js"),
    publint: join(dir, "node_modules", "publint", "src", "cli.js"),
  };
}

/** `npm pack` of a package folder into `dest`; resolves with the tarball's path and npm's report. */
export async function pack(pkgDir, dest) {
  await mkdir(dest, { recursive: true });
  const { stdout } = await mustRun("npm", ["pack", "--json", "--pack-destination", dest, "--loglevel=error"], { cwd: pkgDir });
  const [info] = JSON.parse(stdout);
  return { tarball: join(dest, info.filename), info };
}

/** A fresh project in `dir` (its package.json `type` as given) with the tarball installed. */
export async function installInto(dir, tarball, { type } = {}) {
  await mkdir(dir, { recursive: true });
  const manifest = { name: "consumer", private: true, ...(type ? { type } : {}) };
  await writeFile(join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  await mustRun("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--no-save", tarball], { cwd: dir });
  return dir;
}
