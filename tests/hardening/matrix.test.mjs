// The fault matrix: each operation × each fault the emulator can script, each cell checked against
// the outcome design/SDK.md prescribes (lib/matrix.mjs, `expectation`): the error class, code,
// statusCode and retryable flag, or success after retries; the number of requests on the route;
// the call finishing within its bound; and the same client working afterwards.
// Writes the observed table to test-output/hardening/fault-matrix.md and prints it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../support/emulator.mjs";
import { checkError, sdk } from "../support/helpers.mjs";
import { ATTEMPT_MS, FAULTS, OPS, TYPES_JOB, applies, cells, expectation, runCell, subjectPath } from "./lib/matrix.mjs";

const OUT_DIR = fileURLToPath(new URL("../../test-output/hardening/", import.meta.url));
const env = {};
/** `${op}|${fault}` → { text, compact, pass } */
const observed = new Map();
const started = Date.now();
let runs = 0;

before(async () => {
  env.emu = await startEmulator({ processingMs: 0 }); // records and jobs are done at once: setups do not wait
  env.client = new sdk.AuthentaClient({ apiKey: env.emu.apiKey, baseUrl: env.emu.api, timeoutMs: ATTEMPT_MS });
});

after(async () => {
  await env.emu?.stop();
  writeTables();
});

const short = (name) => name.replace(/Error$/, "");
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function describeRun(run) {
  if (!run.err) return `ok ×${run.requests}`;
  const e = run.err;
  const status = e.statusCode === undefined ? "" : ` ${e.statusCode}`;
  return `${e.name ?? typeof e} \`${e.code}\`${status}${e.retryable ? " (retryable)" : ""} ×${run.requests}`;
}

function compactRun(run, exp) {
  if (!run.err) return run.requests > 1 ? `ok after ${run.requests - 1}${exp.minMs ? ` (${secs(run.elapsed)})` : ""}` : "ok";
  return `${short(run.err.name ?? "?")} ×${run.requests}`;
}

/** Success values look like what the route returns (`fault`: the cell's, when the run had one). */
function checkValue(op, value, ctx, fault) {
  switch (op.id) {
    case "create":
      assert.match(value.mid, /^[0-9a-f]{24}$/);
      assert.equal(typeof value.uploadUrl, "string");
      break;
    case "get":
      assert.equal(value.mid, ctx.mid);
      break;
    case "list":
      assert.ok(Array.isArray(value.data));
      break;
    case "delete":
    case "upload":
      assert.equal(value, undefined);
      break;
    case "wait":
      assert.equal(value.mid, ctx.mid);
      assert.equal(value.status, "PROCESSED");
      break;
    case "result":
    case "job-result":
      assert.equal(typeof value, "object");
      assert.ok(value !== null);
      break;
    case "job-create":
      assert.match(value.job.id, /^\d+$/);
      assert.equal(typeof value.inputs[0].uploadUrl, "string");
      break;
    case "job-get":
      assert.equal(value.id, ctx.jobId);
      break;
    case "job-list":
      assert.ok(Array.isArray(value.data));
      assert.equal(typeof value.pagination.total, "number");
      break;
    case "job-finalize":
    case "job-cancel":
      if (fault?.id === "types") {
        assert.deepEqual(value, TYPES_JOB(""), "the server's answer, as it wrote it");
      } else {
        assert.equal(op.id === "job-finalize" ? value.job.status : value.status, op.id === "job-finalize" ? "queued" : "cancelled");
      }
      break;
    case "job-delete":
      assert.equal(value, undefined);
      break;
    case "job-upload":
      assert.equal(value.jobId, ctx.jobId);
      assert.equal(value.finalized.job.status, "queued");
      break;
    case "job-wait":
      assert.equal(value.id, ctx.jobId);
      assert.equal(value.status, "completed");
      break;
    default:
      throw new Error(op.id);
  }
}

function checkRun(op, fault, run, exp, { requests, boundMs, error, minMs }) {
  if (error) {
    assert.ok(run.err !== undefined, `expected ${error.name}, but it resolved with ${JSON.stringify(run.value)?.slice(0, 200)}`);
    const fields = { ...error.fields };
    if (fields.mid) fields.mid = run.ctx.mid;
    if (fields.jobId) {
      assert.match(run.ctx.jobId ?? "", /^\d+$/, "the cell's job id");
      fields.jobId = run.ctx.jobId;
    }
    checkError(run.err, error.name, fields);
  } else {
    assert.equal(run.err, undefined, `expected success, got ${run.err?.name} ${run.err?.code}: ${run.err?.message}`);
    checkValue(op, run.value, run.ctx, fault);
  }
  assert.equal(run.requests, requests, `requests logged on ${op.route}`);
  if (fault?.client && run.err) {
    // Nothing landed and nothing was finalized: the record or job is as it was created.
    assert.equal(run.log.filter((e) => e.origin === "api" && /\/finalize$/.test(e.path)).length, 0, "finalize requests");
    assert.equal(run.ctx.after, op.api === "jobs" ? "initiated" : "INITED", "the emulator's status afterwards");
  }
  if (exp.refresh) {
    const refetches = run.log.filter((e) => e.origin === "api" && e.path === subjectPath(op, run.ctx)).length;
    assert.equal(refetches, exp.refresh, "the record or job fetched afresh once");
  }
  assert.ok(run.elapsed <= boundMs, `took ${Math.round(run.elapsed)} ms, bound ${boundMs} ms`);
  if (minMs !== undefined) assert.ok(run.elapsed >= minMs, `took ${Math.round(run.elapsed)} ms: Retry-After not honoured (≥ ${minMs} ms)`);
}

describe("fault matrix", () => {
  for (const { op, fault } of cells()) {
    it(`${op.label} × ${fault.label}`, async () => {
      const exp = expectation(op, fault);
      const key = `${op.id}|${fault.id}`;
      const texts = [];
      const compact = [];
      let pass = false;
      let want = "";
      try {
        const run = await runCell(env, op, fault, "fail");
        runs++;
        texts.push(describeRun(run));
        compact.push(compactRun(run, exp));
        checkRun(op, fault, run, exp, exp);
        if (exp.recover) {
          const again = await runCell(env, op, fault, "recover");
          runs++;
          texts.push(`then ${describeRun(again)}`);
          compact.push(compactRun(again, exp));
          checkRun(op, fault, again, exp, { requests: exp.recover.requests, boundMs: exp.recover.boundMs, error: null });
        }
        const ok = await runCell(env, op, fault, "ok");
        runs++;
        assert.equal(ok.err, undefined, `the client does not work afterwards: ${ok.err?.name}: ${ok.err?.message}`);
        checkValue(op, ok.value, ok.ctx);
        pass = true;
      } catch (e) {
        const name = exp.error ? exp.error.name : "ok";
        texts.push(`**expected ${name}${exp.error?.fields.code ? ` \`${exp.error.fields.code}\`` : ""} ×${exp.requests}**`);
        want = `${short(name)} ×${exp.requests}`;
        throw e;
      } finally {
        observed.set(key, { text: texts.join("; "), compact: compact.join(" · "), pass, want });
      }
    });
  }
});

function writeTables() {
  const n = cells().length;
  const failed = [...observed.values()].filter((o) => !o.pass).length;
  // One table per API (a row only where a fault applies to one of its operations).
  const apiTable = (api, pick, withWant) => {
    const ops = OPS.filter((o) => o.api === api);
    const head = `| fault | ${ops.map((o) => o.label).join(" | ")} |\n|---|${ops.map(() => "---").join("|")}|\n`;
    return head +
      FAULTS.filter((f) => ops.some((o) => applies(o, f))).map((f) => `| ${f.label} | ${ops.map((o) => {
        if (!applies(o, f)) return "—";
        const got = observed.get(`${o.id}|${f.id}`);
        if (!got) return "(not run)";
        return `${pick(got)}${got.pass ? "" : withWant ? ` ✗ (SDK.md: ${got.want})` : " ✗"}`;
      }).join(" | ")} |`).join("\n") + "\n";
  };
  const table = (pick, withWant) =>
    `## Media API\n\n${apiTable("media", pick, withWant)}\n## Jobs API\n\n${apiTable("jobs", pick, withWant)}`;
  const full =
    `# Fault matrix\n\n${n} cells (${OPS.length} operations of the Media and Jobs APIs × ${FAULTS.length} faults, where they apply), ` +
    `${runs} runs, ${failed} failing, ${secs(Date.now() - started)}.\n` +
    `Each cell: what the call ended with, and ×N the requests logged on the operation's route; ` +
    `retryable faults also run transiently (\"then …\": success after retries). ✗ marks a cell ` +
    `that differs from design/SDK.md.\n\n` +
    table((o) => o.text);
  const compact =
    `${n} cells, ${failed} failing. ×N = requests on the route; \"ok after N\" = success after N retries ` +
    `(the transient variant of a retryable fault); ✗ = differs from SDK.md.\n\n` +
    table((o) => o.compact, true);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}fault-matrix.md`, full);
  writeFileSync(`${OUT_DIR}fault-matrix-compact.md`, compact);
  console.log(full);
}
