// The npm package as the registry and its tools see it (issue 20), from the packed tarball:
//
//   node --test tests/package/      # AUTHENTA_PKG_DIR=DIR: another build of the package
//
// - one version: pkg/package.json's equals Cargo.toml's [package] version;
// - the tarball holds exactly the files below (a stray or a missing file fails), with its sizes;
// - the licence and the registry's metadata;
// - @arethetypeswrong/cli (every entry point, every resolution mode) and publint report nothing.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ensureTools, mustRun, pack, root, run } from "../support/tarball.mjs";

const pkgDir = process.env.AUTHENTA_PKG_DIR ?? join(root, "pkg");
const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

// Everything a user's install needs, and nothing else. A file added to the package (a new entry,
// its `.d.cts`) is added here on purpose.
const EXPECTED = [
  "LICENSE",
  "README.md",
  "package.json",
  // entries (pkg/package.json `exports`)
  "index.js", "node.js", "node.cjs", "workerd.js", "inline.js", "inline.cjs",
  // what the ES-module entries import
  "client.js", "methods.js", "errors.js", "authenta_wasm.js", "authenta_wasm_bg.wasm", "authenta_wasm_inline.js",
  // the wasm-bindgen snippet (the error classes, the transport); its folder name has a hash
  /^snippets\/authenta-wasm-[0-9a-f]+\/src\/wasm\/js\/runtime\.js$/,
  // types: ES-module declarations and their CommonJS copies (scripts/cjs-types.mjs)
  "index.d.ts", "index.d.cts", "inline.d.ts", "inline.d.cts", "errors.d.ts", "errors.d.cts",
  "options.d.ts", "options.d.cts", "api-types.d.ts", "api-types.d.cts", "authenta_wasm.d.ts",
  "authenta_wasm.d.cts",
  // authenta-wasm/server: its entries, the handler, its own wasm and glue, its types
  "server.js", "server.cjs", "server-workerd.js", "server-browser.js", "server-handler.js", "guard.js",
  "authenta_server.js", "authenta_server_bg.wasm", "authenta_server_inline.js", "server.d.ts", "server.d.cts",
];

let tmp;
let packed; // { tarball, info }

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "authenta-package-"));
  packed = await pack(pkgDir, tmp);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** `[package] version = "…"` of Cargo.toml. */
function cargoVersion() {
  const toml = readFileSync(join(root, "Cargo.toml"), "utf8");
  const section = /^\[package\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
  return /^version\s*=\s*"([^"]+)"/m.exec(section)?.[1];
}

test("one version: pkg/package.json's is Cargo.toml's [package] version", () => {
  const cargo = cargoVersion();
  assert.ok(cargo, "no [package] version in Cargo.toml");
  assert.equal(manifest.version, cargo, `pkg/package.json says ${manifest.version}, Cargo.toml says ${cargo}: make them equal`);
  assert.equal(packed.info.version, cargo);
});

test("the tarball holds exactly the expected files", () => {
  const files = packed.info.files.map((f) => f.path).sort();
  const matches = (want, file) => (typeof want === "string" ? want === file : want.test(file));
  const stray = files.filter((f) => !EXPECTED.some((want) => matches(want, f)));
  const missing = EXPECTED.filter((want) => !files.some((f) => matches(want, f)));
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `tarball ${packed.info.filename}: ${files.length} files, packed ${kb(packed.info.size)} (${packed.info.size} bytes), ` +
      `unpacked ${kb(packed.info.unpackedSize)} (${packed.info.unpackedSize} bytes)`,
  );
  for (const f of packed.info.files) console.log(`  ${String(f.size).padStart(8)}  ${f.path}`);
  assert.deepEqual({ stray, missing }, { stray: [], missing: [] });
});

test("the licence and the registry's metadata", async () => {
  const { stdout } = await mustRun("tar", ["-xOzf", packed.tarball, "package/LICENSE"]);
  assert.equal(stdout, readFileSync(join(root, "LICENSE"), "utf8"), "the tarball's LICENSE is not the repository's");
  assert.match(stdout, /^MIT License\b/);
  assert.equal(manifest.license, "MIT");

  const cargoRepository = /^repository\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))?.[1];
  assert.ok(cargoRepository, "no repository in Cargo.toml");
  assert.equal(manifest.repository?.url, `git+${cargoRepository}.git`);
  assert.equal(manifest.repository?.directory, "pkg");
  assert.ok(manifest.homepage?.startsWith(cargoRepository), `homepage ${manifest.homepage}`);
  assert.equal(manifest.bugs?.url, `${cargoRepository}/issues`);
  assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.length > 0, "keywords");
});

test("@arethetypeswrong/cli: no problem for any entry point", async () => {
  const { attw } = await ensureTools();
  const json = await run(process.execPath, [attw, packed.tarball, "--format", "json"]);
  const { analysis } = JSON.parse(json.stdout);
  const shown = await run(process.execPath, [attw, packed.tarball, "--no-color", "--no-emoji"]);
  console.log(shown.stdout.trim());
  // Every entry of `exports` is analysed (attw finds them itself).
  const entries = Object.keys(analysis.entrypoints).sort();
  assert.deepEqual(entries, Object.keys(manifest.exports).sort());
  assert.deepEqual(analysis.problems, []);
  assert.equal(shown.code, 0, shown.stderr);
});

test("publint: no error, warning or suggestion", async () => {
  const { publint } = await ensureTools();
  const r = await run(process.execPath, [publint, "run", packed.tarball, "--level", "suggestion"], { env: { NO_COLOR: "1" } });
  console.log(r.stdout.trim());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /All good!/);
});
