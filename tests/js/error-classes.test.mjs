// One source for the error classes: runtime.js defines them; the Rust kinds, the package's
// exports and errors.d.ts must name exactly the same set.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as sdk from "../../pkg/node.js";

const root = new URL("../../", import.meta.url);
const read = (p) => readFileSync(new URL(p, root), "utf8");
const names = (text, re) => [...text.matchAll(re)].map((m) => m[1]).sort();

test("runtime.js, the Rust error kinds, the exports and errors.d.ts agree", () => {
  const runtime = names(read("src/wasm/js/runtime.js"), /^export class (\w+)/gm);
  // The Rust kinds, in order: the wasm names a class by its kind's number.
  const kinds = [...read("src/core/error.rs").match(/pub enum ErrorKind \{([^}]*)\}/)[1].matchAll(/^\s+(\w+),$/gm)].map((m) => `${m[1]}Error`);
  const rust = [...kinds].sort();
  const dts = names(read("pkg/errors.d.ts"), /^export class (\w+)/gm);
  const exported = Object.keys(sdk).filter((k) => k === "AuthentaError" || sdk[k]?.prototype instanceof sdk.AuthentaError).sort();
  assert.ok(runtime.includes("StorageError") && runtime.length >= 16, runtime.join());
  assert.deepEqual(rust, runtime.filter((n) => n !== "AuthentaError"));
  // runtime.js lists them in that order.
  const listed = read("src/wasm/js/runtime.js").match(/const classes = \{([^}]*)\}/)[1].match(/\w+/g);
  assert.deepEqual(listed, ["AuthentaError", ...kinds]);
  assert.deepEqual(dts, runtime);
  assert.deepEqual(exported, runtime);
  assert.ok(new sdk.UploadError("x") instanceof sdk.StorageError, "UploadError is a StorageError");
});

test("every exported class keeps its own name through minifying (stack traces, util.inspect, loggers)", async () => {
  const { inspect } = await import("node:util");
  const { createRequire } = await import("node:module");
  const cjs = createRequire(import.meta.url)("../../pkg/node.cjs");
  for (const entry of [sdk, cjs]) {
    for (const [name, value] of Object.entries(entry)) {
      if (typeof value === "function") assert.equal(value.name, name, `${name}.name`);
    }
    const err = new entry.ConfigurationError("bad option", { code: "CONFIGURATION" });
    assert.match(inspect(err), /^ConfigurationError: bad option\n/);
    const client = new entry.AuthentaClient({ apiKey: "sk_SECRET_inspect", baseUrl: "http://127.0.0.1:9/api" });
    assert.equal(inspect(client), client.toString(), "inspect shows the redacted toString()");
    assert.ok(!inspect(client).includes("sk_SECRET_inspect"));
    client.free();
  }
});

test("the package README's error table lists exactly the SDK's own codes (core::error::codes, and the browser entry's load failure)", () => {
  const rust = names(read("src/core/error.rs"), /pub const \w+: &str = "(\w+)";/g);
  const entry = names(read("pkg/src/browser-entry.js"), /code: "([A-Z_]+)"/g).filter((c) => c !== "CONFIGURATION");
  const table = read("pkg/README.md").split("\n").filter((l) => /^\| `\w+Error`/.test(l));
  assert.ok(table.length >= 15, `${table.length} rows`);
  // The code column, without the server's own codes (named as such, and the quota code AA001).
  const own = table.flatMap((row) => {
    const column = row.split(" | ")[3].replace(/the server's [^|;]*/g, "");
    return [...column.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]).filter((c) => c !== "AA001");
  });
  assert.deepEqual([...new Set(own)].sort(), [...new Set([...rust, ...entry])].sort());
});
