// The benchmarks: one table per section, each figure side by side with a baseline measured in
// the same run, then one summary line. `make bench` builds first (scripts/bench.sh); this runs
// on whatever is in pkg/ and target/.
//   node bench/run.mjs                      every section
//   node bench/run.mjs upload calls         some of them (size, upload, poll, startup, calls)
// Progress goes to stderr, tables to stdout. See bench/README.md.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import os from "node:os";
import { ROOT } from "./lib/common.mjs";

const SECTIONS = {
  size: () => import("./size.mjs"),
  upload: () => import("./upload.mjs"),
  poll: () => import("./poll.mjs"),
  startup: () => import("./startup.mjs"),
  calls: () => import("./calls.mjs"),
};

const wanted = process.argv.slice(2);
for (const s of wanted) {
  if (!(s in SECTIONS)) {
    console.error(`bench: unknown section ${s}; sections: ${Object.keys(SECTIONS).join(", ")}`);
    process.exit(2);
  }
}
const sections = wanted.length ? wanted : Object.keys(SECTIONS);

// The release emulator unless told otherwise (tests/support/emulator.mjs prefers the debug one).
const releaseEmulator = `${ROOT}target/release/authenta-emulator`;
if (!process.env.AUTHENTA_EMULATOR_BIN && existsSync(releaseEmulator)) process.env.AUTHENTA_EMULATOR_BIN = releaseEmulator;

const version = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
};
const cpus = os.cpus();
const wasm = `${ROOT}pkg/authenta_wasm_bg.wasm`;
console.log(`authenta-wasm benchmarks, ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`);
console.log(
  `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GB, ` +
    `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at start`,
);
console.log(
  `node ${process.version}, ${version(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", ["--version"])}, ` +
    `emulator ${process.env.AUTHENTA_EMULATOR_BIN ?? "(debug build)"}`,
);
console.log(`pkg/ built ${existsSync(wasm) ? statSync(wasm).mtime.toISOString().replace(/\.\d+Z$/, "Z") : "(missing)"}`);

const t0 = performance.now();
const summary = [];
let failed = 0;
for (const name of sections) {
  const started = performance.now();
  try {
    const mod = await SECTIONS[name]();
    summary.push(await mod.run());
  } catch (e) {
    failed++;
    console.log(`\n${name}: FAILED: ${e?.stack ?? e}`);
    summary.push(`${name} FAILED`);
  }
  process.stderr.write(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}
console.log(`\nbench: ${summary.join("; ")} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
