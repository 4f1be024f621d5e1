// The sample page is the reference for using the SDK in a frontend; a TypeScript user copying its
// calls must get no type errors. design/SDK.md: the single-request methods "take a last optional
// RequestOptions", `iterateMedia({ pageSize? })`, `listMedia({ limit?, offset? })`, and
// `uploadFile(uploadUrl, blob, { contentType, onProgress? })` defaults the type to the Blob's.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { root } from "./helpers.mjs";

const run = promisify(execFile);

/** Type-checks `source` against pkg/index.d.ts; returns tsc's diagnostics ("" when clean). */
async function typecheck(source) {
  const dir = mkdtempSync(join(tmpdir(), "authenta-types-"));
  try {
    writeFileSync(join(dir, "check.ts"), source.replaceAll("PKG", `${root}pkg/index.js`));
    const tsc = `${root}node_modules/typescript/bin/tsc`;
    const args = [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext",
      "--moduleResolution", "nodenext", "--lib", "esnext,dom,dom.iterable", join(dir, "check.ts")];
    try {
      await run(process.execPath, args, { cwd: dir });
      return "";
    } catch (e) {
      return String(e.stdout || e.stderr || e.message).replaceAll(dir, "").trim();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the calls the sample page makes type-check against the package's .d.ts", async () => {
  const out = await typecheck(`
    import { AuthentaClient, AuthentaError, AbortError } from "PKG";
    declare const file: File;
    const client = new AuthentaClient({ baseUrl: "http://127.0.0.1:8787/api", apiKey: "k", dangerouslyAllowBrowser: true });
    export async function page(signal: AbortSignal) {
      const { media, result } = await client.uploadAndPoll(file, { modelType: "DF-1", signal,
        onProgress: ({ loaded, total }) => loaded / total, onStatus: (m) => m.status });
      const again = await client.waitForResult(media.mid, { signal, onStatus: (m) => m.status });
      await client.getResult(again, { signal });
      await client.getMedia(media.mid, { signal });
      for await (const m of client.iterateMedia({ pageSize: 10 })) void m.mid;
      await client.deleteMedia(media.mid);
      return [result, AuthentaError, AbortError];
    }
  `);
  assert.equal(out, "", `tsc:\n${out}`);
});

test("SDK.md's optional arguments are optional in the .d.ts", async () => {
  const out = await typecheck(`
    import { AuthentaClient } from "PKG";
    const client = new AuthentaClient({ apiKey: "k" });
    export async function calls() {
      await client.getMedia("mid");
      await client.deleteMedia("mid");
      await client.listMedia();
      await client.getResult("mid");
      await client.waitForResult("mid");
      await client.createMedia({ name: "a.png", contentType: "image/png", size: 1, modelType: "FE-1" });
      await client.uploadFile("https://bucket/url", new Blob(["x"], { type: "image/png" }));
      for await (const m of client.iterateMedia()) void m;
    }
  `);
  assert.equal(out, "", `tsc:\n${out}`);
});
