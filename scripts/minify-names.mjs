#!/usr/bin/env node
// Short import and export names for the browser's wasm (issue 21): wasm-bindgen names each import
// `__wbg_<name>_<16 hex digits>` and each export after its Rust path, and both the wasm and the
// glue carry every name, the hashes incompressible. scripts/build-pkg.sh runs wasm-opt with
// --minify-imports-and-exports-and-modules, which renames them in the wasm and prints the map;
// this applies that map to the glue (pkg/authenta_wasm.js, before it is minified).
//
//   node scripts/minify-names.mjs MAP.json GLUE.js WASM
//
// Every rename is checked: each old name must be found exactly where the glue defines or uses it,
// and none may be left afterwards; anything unexpected fails the build.
import { readFileSync, writeFileSync } from "node:fs";

const [mapPath, gluePath, wasmPath] = process.argv.slice(2);
if (!wasmPath) {
  console.error("usage: minify-names.mjs MAP.json GLUE.js WASM");
  process.exit(2);
}
const fail = (why) => {
  console.error(`minify-names: ${why}`);
  process.exit(1);
};
const map = JSON.parse(readFileSync(mapPath, "utf8"));
let js = readFileSync(gluePath, "utf8");
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// The one module the minified wasm imports from.
const modules = [...new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module))];
if (modules.length !== 1) fail(`expected one import module after minifying, found ${JSON.stringify(modules)}`);

// The glue's imports: `importN` objects (its own, with `name: function(…)`), and `import * as
// importN from "<snippet>"` namespaces. Its __wbg_get_imports returns { "<module>": importN, … }.
const returned = /\n    return \{\n        __proto__: null,\n((?:        "[^"]+": import\d+,\n)+)    \};\n\}/.exec(js);
if (!returned) fail("__wbg_get_imports's return not found");
const byModule = new Map();
for (const [, module, name] of returned[1].matchAll(/"([^"]+)": (import\d+)/g)) byModule.set(module, name);
const namespaces = new Set([...js.matchAll(/^import \* as (import\d+) from /gm)].map((m) => m[1]));

const entries = [];
const owns = new Set();
for (const [module, name, short] of map.imports) {
  const holder = byModule.get(module);
  if (!holder) fail(`import ${module}.${name}: module not in __wbg_get_imports`);
  if (namespaces.has(holder)) {
    // A snippet's export: referenced from the namespace by its own (short, readable) name.
    entries.push(`${JSON.stringify(short)}: ${holder}[${JSON.stringify(name)}]`);
  } else {
    const key = new RegExp(`^(        )${escape(name)}(: function\\()`, "m");
    if ((js.match(new RegExp(key.source, "gm")) ?? []).length !== 1) fail(`import ${name}: not defined exactly once in the glue`);
    js = js.replace(key, `$1${JSON.stringify(short)}$2`);
    owns.add(holder);
  }
}
// The glue's own import objects, with the snippets' functions added under their short names.
const merged = `Object.assign(${[...owns].join(", ")}, { ${entries.join(", ")} })`;
js = js.replace(returned[0], `\n    return { __proto__: null, ${JSON.stringify(modules[0])}: ${merged} };\n}`);

for (const [name, short] of map.exports) {
  const use = new RegExp(`\\bwasm\\.${escape(name)}\\b`, "g");
  js = js.replace(use, `wasm[${JSON.stringify(short)}]`);
}
for (const [name] of map.exports) {
  if (new RegExp(`\\.${escape(name)}\\b`).test(js)) fail(`export ${name} is still used by its old name`);
}
for (const [, name] of map.imports) {
  if (name.startsWith("__wbg_") && js.includes(name)) fail(`import ${name} is still named in the glue`);
}
writeFileSync(gluePath, js);
console.log(`minify-names: ${map.imports.length} imports and ${map.exports.length} exports renamed`);
