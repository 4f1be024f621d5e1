// Section 3, polling: how many GET /media/{mid} calls `waitForResult` makes and how long after
// the record turns PROCESSED it resolves, against a fixed 5 s poll.
//   (a) virtual time: examples/poll_schedule.rs runs the core's own schedule (1000 seeds).
//   (b) real time: the built package in Node against the emulator, once per processing time.
import { execFileSync } from "node:child_process";
import { ROOT, fmt, printTable, progress, sleep, startBenchEmulator } from "./lib/common.mjs";

const FIXED_MS = 5000;
/** Processing times of the real runs (ms): 5 s as in (a), and 12 s, which is not a multiple of 5 s. */
const REAL_PROCESSING_MS = [5000, 12000];

function virtualTime() {
  progress("polling: cargo run --release --example poll_schedule");
  const out = execFileSync("cargo", ["run", "-q", "--release", "--example", "poll_schedule", "--", "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const rows = JSON.parse(out);
  const s = (ms) => fmt(ms / 1000, 2);
  printTable(
    "3a. Polling, virtual time: waitForResult's schedule (core::poll, default 1 s x1.5 to 8 s, ±10 % jitter) vs a fixed 5 s poll",
    ["processing", "SDK GETs", "SDK lag s", "max s", "5 s GETs", "5 s lag s", "max s", "GETs SDK/5s", "lag SDK-5s s"],
    rows.map((r) => [
      `${r.processingS} s ${r.kind}`,
      fmt(r.sdkCalls, 2),
      s(r.sdkLagMs),
      s(r.sdkLagMaxMs),
      fmt(r.fixedCalls, 2),
      s(r.fixedLagMs),
      s(r.fixedLagMaxMs),
      `${fmt(r.sdkCalls / r.fixedCalls, 2)}x`,
      (r.sdkLagMs >= r.fixedLagMs ? "+" : "") + s(r.sdkLagMs - r.fixedLagMs),
    ]),
    [
      "examples/poll_schedule.rs; means over 1000 seeds; lag = PROCESSED -> resolve; requests take no time here.",
      "exact: processing takes exactly that long (a fixed 5 s poll lands on the very moment for multiples of 5 s);",
      "±10%: processing time uniform in [0.9 P, 1.1 P], closer to what a real service does.",
    ],
  );
  return rows;
}

async function realTime() {
  const { AuthentaClient } = await import("../pkg/node.js");
  const emu = await startBenchEmulator({ processingMs: REAL_PROCESSING_MS[0] });
  try {
    const client = new AuthentaClient({ apiKey: emu.apiKey, baseUrl: emu.api });
    const blob = new Blob([new Uint8Array(1024).fill(7)], { type: "video/mp4" });
    const auth = { authorization: `Bearer ${emu.apiKey}` };
    // The hand-written baseline: GET, and if not PROCESSED, sleep 5 s and GET again.
    const rawLoop = async (mid) => {
      for (;;) {
        const res = await fetch(`${emu.api}/media/${mid}`, { headers: auth });
        const media = JSON.parse(await res.text());
        if (media.status === "PROCESSED") return media;
        if (media.status === "FAILED" || media.status === "ERROR") throw new Error(`raw loop: ${media.status}`);
        await sleep(FIXED_MS);
      }
    };
    // Uploads first (one record per loop and processing time), then every wait at once.
    const jobs = [];
    for (const processingMs of REAL_PROCESSING_MS) {
      await emu.setConfig({ processingMs });
      for (const kind of ["sdk", "raw"]) {
        const { mid } = await client.upload(blob, { modelType: "DF-1", name: "poll.mp4" });
        jobs.push({ processingMs, kind, mid });
      }
    }
    progress(`polling: real run on the emulator, processing ${REAL_PROCESSING_MS.map((m) => m / 1000 + " s").join(" and ")}`);
    await Promise.all(
      jobs.map(async (j) => {
        await (j.kind === "sdk" ? client.waitForResult(j.mid) : rawLoop(j.mid));
        j.resolvedAt = Date.now();
      }),
    );
    const log = await emu.log();
    for (const j of jobs) {
      // Processing starts when the upload lands: the storage PUT's log time (1 KB: one instant).
      const put = log.find((e) => e.origin === "storage" && e.method === "PUT" && e.path.includes(`/${j.mid}/`));
      j.gets = log.filter((e) => e.origin === "api" && e.method === "GET" && e.path.endsWith(`/media/${j.mid}`)).length;
      j.lagMs = j.resolvedAt - (Date.parse(put.time) + j.processingMs);
    }
    return jobs;
  } finally {
    await emu.stop();
  }
}

export async function run(virtualRows) {
  const rows = virtualRows ?? virtualTime();
  const jobs = await realTime();
  const table = REAL_PROCESSING_MS.map((p) => {
    const sdk = jobs.find((j) => j.processingMs === p && j.kind === "sdk");
    const raw = jobs.find((j) => j.processingMs === p && j.kind === "raw");
    return [`${p / 1000} s`, sdk.gets, fmt(sdk.lagMs / 1000, 2), raw.gets, fmt(raw.lagMs / 1000, 2)];
  });
  const predicted = rows.find((r) => r.processingS === 5 && r.kind === "exact");
  printTable(
    "3b. Polling, real time: the package in Node against the emulator (--processing-ms), both loops at once",
    ["processing", "waitForResult GETs", "lag s", "fixed 5 s GETs", "lag s"],
    table,
    [
      "GETs: GET /media/{mid} in the emulator's request log; lag: resolve time - (upload landing + processing time).",
      `Virtual time predicts, for 5 s: SDK ${fmt(predicted.sdkCalls, 1)} GETs and ${fmt(predicted.sdkLagMs / 1000, 2)} s lag on average, fixed ${fmt(predicted.fixedCalls, 0)} GETs and ${fmt(predicted.fixedLagMs / 1000, 2)} s.`,
    ],
  );
  const at = (s, kind) => rows.find((r) => r.processingS === s && r.kind === kind);
  const r300 = at(300, "±10%");
  const r5 = at(5, "±10%");
  const job = (r) =>
    `${r.processingS} s job ${fmt(r.sdkCalls, 1)} vs ${fmt(r.fixedCalls, 1)} GETs and ${fmt(r.sdkLagMs / 1000, 1)} vs ${fmt(r.fixedLagMs / 1000, 1)} s lag`;
  return `polling (±10%) SDK vs fixed 5 s: ${job(r5)}, ${job(r300)}`;
}
