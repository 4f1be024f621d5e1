// Hostile values: mids and job ids that try to leave their path segment, names that try to break
// the JSON, and URLs from the server (or the caller) that are not http(s), for both APIs. Each is
// encoded exactly, or refused before any request; nothing is ever fetched from a non-http(s) URL.
import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "../support/emulator.mjs";
import { FAST_POLL, bytesOf, checkError, image, sdk, video } from "../support/helpers.mjs";

let emu;
let client;
/** Every URL the client asked fetch for, in order (its `fetch` option records them). */
const fetched = [];
/** Bodies of the POST /media requests, as sent. */
const posted = [];

before(async () => {
  emu = await startEmulator({ processingMs: 60 });
  client = new sdk.AuthentaClient({
    apiKey: emu.apiKey,
    baseUrl: emu.api,
    fetch: (input, init) => {
      fetched.push(String(input));
      if (init?.method === "POST" && typeof init.body === "string") posted.push(init.body);
      return fetch(input, init);
    },
  });
});
after(() => emu?.stop());
beforeEach(async () => {
  await emu.reset();
  fetched.length = 0;
  posted.length = 0;
});

/** A path segment of RFC 3986 `pchar`s, with every `%` starting a two-digit escape. */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;

/** No fetch of anything but the API and the storage origin's http URLs, and none of `url`. */
function assertNotFetched(url) {
  for (const f of fetched) {
    assert.ok(f.startsWith("http://127.0.0.1:"), `fetched ${f}`);
    if (url) assert.notEqual(f, url);
  }
}

async function settle(p) {
  try {
    return { value: await p };
  } catch (err) {
    return { err };
  }
}

describe("hostile mids", () => {
  // SDK.md: empty, containing `/`, `?` or `#`, or `.`/`..` → refused before any request.
  const mustRefuse = ["", ".", "..", "../x", "../../api/media", "a/../b", "/", "a?b", "?", "x#y", "#", "..?", "a/b#c"];
  // Anything else is opaque: encoded as one segment, or refused (INVALID_ARGUMENT) before any request.
  const encodedOrRefused = [
    "%2e%2e", ".%2e", "%2e%2e%2f%2e%2e%2fadmin", "..%2fx", "%2F", "%", "%zz", "...", "a\\b", "..\\x",
    "\u0000", "a\nb", "a\rb", "\t", "a\u007fb", "\u0085", "a b", " ", "é", "\u2028\u2029", "\ufeff",
    "\ud83e\udd80".repeat(100), "\ud83e\udd80".repeat(10_000), "x".repeat(5000),
  ];
  const methods = {
    getMedia: (mid) => client.getMedia(mid),
    deleteMedia: (mid) => client.deleteMedia(mid),
    waitForResult: (mid) => client.waitForResult(mid, { ...FAST_POLL, timeoutMs: 5000 }),
    getResult: (mid) => client.getResult(mid),
  };
  const escape = (t) => t.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\\"]/g, (c) => (c === "\\" || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  const show = (mid) => (mid.length > 24 ? `"${escape(mid.slice(0, 12))}…" (${mid.length} UTF-16 units)` : `"${escape(mid)}"`);
  const outcomes = [];

  for (const mid of mustRefuse) {
    it(`mid ${show(mid)}: refused by every method, no request`, async () => {
      for (const [name, call] of Object.entries(methods)) {
        const { err } = await settle(call(mid));
        assert.ok(err, `${name} resolved`);
        checkError(err, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false });
      }
      assert.deepEqual(fetched, [], "nothing fetched");
      assert.deepEqual(await emu.log(), [], "nothing reached the emulator");
    });
  }

  for (const mid of encodedOrRefused) {
    it(`mid ${show(mid)}: one percent-encoded segment, or refused before any request`, async () => {
      const seen = new Set();
      for (const [name, call] of Object.entries(methods)) {
        fetched.length = 0;
        await emu.clearLog();
        const { err, value } = await settle(call(mid));
        assert.ok(err, `${name} resolved with ${JSON.stringify(value)?.slice(0, 100)}`);
        if (err.code === "INVALID_ARGUMENT") {
          checkError(err, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false });
          assert.deepEqual(fetched, [], `${name}: refused, yet fetched`);
          assert.deepEqual(await emu.log(), [], `${name}: refused, yet a request was made`);
          seen.add("refused");
          continue;
        }
        // Sent: exactly one request, whose path is /api/media/ plus one segment that decodes to the mid.
        assert.equal(fetched.length, 1, `${name}: ${fetched.length} fetches`);
        const url = fetched[0];
        const prefix = `${emu.api}/media/`;
        assert.ok(url.startsWith(prefix), url.slice(0, 200));
        const segment = url.slice(prefix.length);
        assert.match(segment, SEGMENT, `${name}: not one percent-encoded segment`);
        assert.equal(decodeURIComponent(segment), mid, `${name}: the segment decodes to the mid`);
        const log = await emu.log();
        assert.equal(log.length, 1, `${name}: ${log.length} requests logged`);
        assert.equal(log[0].path, `/api/media/${segment}`, `${name}: the path the emulator received`);
        assert.equal(log[0].query, "");
        checkError(err, "NotFoundError", { statusCode: 404, mid });
        seen.add("encoded");
      }
      assert.equal(seen.size, 1, "every method treats the mid alike");
      outcomes.push(`${show(mid)}: ${[...seen][0]}`);
    });
  }

  it("the outcomes", () => {
    console.log(`hostile mids:\n  ${outcomes.join("\n  ")}`);
    assert.equal(outcomes.length, encodedOrRefused.length);
  });
});

describe("hostile names", () => {
  const names = [
    "../../etc/passwd", "%2e%2e%2fx", "a?b#c&d=e", `quote " apostrophe ' backslash \\ slash /`, "line\nbreak\r\ttab",
    "nul \u0000 del \u007f esc \u001b", "</script><script>alert(1)</script>", '{"name":"inner","size":1}',
    '","modelType":"FE-1","x":"', "vidéo 東京 🎬", "\u2028\u2029\ufeff", "\ud83e\udd80".repeat(250),
  ];
  for (const name of names) {
    it(`name ${JSON.stringify(name.length > 30 ? `${name.slice(0, 10)}…` : name)} reaches the API as that string`, async () => {
      const created = await client.createMedia({ name, contentType: "video/mp4", size: 10, modelType: "DF-1" });
      assert.equal(created.name, name);
      assert.equal(created.modelType, "DF-1", "the name did not inject a field");
      assert.equal(posted.length, 1);
      const sent = JSON.parse(posted[0]);
      assert.equal(sent.name, name, "the JSON sent carries the name exactly");
      assert.deepEqual(Object.keys(sent).sort(), ["contentType", "modelType", "name", "size"]);
      assert.equal((await client.getMedia(created.mid)).name, name, "stored as sent");
      // And through upload(), from a File's name.
      const file = new File([bytesOf(`name-${name.length}`, 64)], name, { type: "video/mp4" });
      const up = await client.upload(file, { modelType: "DF-1" });
      assert.equal((await client.getMedia(up.mid)).name, name);
    });
  }

  it("a name of 10 000 emoji is sent as valid JSON; the server's 400 is a BadRequestError", async () => {
    const name = "\ud83e\udd80".repeat(10_000);
    const { err } = await settle(client.createMedia({ name, contentType: "video/mp4", size: 10, modelType: "DF-1" }));
    assert.equal(posted.length, 1);
    assert.equal(JSON.parse(posted[0]).name, name);
    checkError(err, "BadRequestError", { statusCode: 400, code: "BAD_REQUEST" });
  });
});

describe("URLs that are not http(s)", () => {
  const bad = [
    "javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "file:///etc/passwd", "data:application/json,{}",
    "ftp://127.0.0.1/x", "blob:http://127.0.0.1/0b6e6a1e", "about:blank", "//127.0.0.1/x", "/relative/path",
    "ws://127.0.0.1/x", "",
  ];

  for (const url of bad) {
    it(`uploadUrl ${JSON.stringify(url)} from the server: InvalidResponseError, nothing uploaded`, async () => {
      const record = { mid: "0123456789abcdef01234567", status: "INITED", name: "a.mp4", uploadUrl: url, expiresIn: 3600 };
      await emu.fault({ route: "POST /media", count: 2, status: 200, body: record });
      const a = await settle(client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" }));
      checkError(a.err, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200, retryable: false });
      const b = await settle(client.upload(video(bytesOf("bad-upload-url", 10)), { modelType: "DF-1" }));
      checkError(b.err, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200 });
      assertNotFetched(url);
      assert.deepEqual((await emu.log()).filter((e) => e.origin !== "api"), [], "no upload");
    });

    it(`referenceUploadUrl ${JSON.stringify(url)} from the server: InvalidResponseError, nothing uploaded`, async () => {
      // A real record and its real upload URL, with a hostile reference URL beside it.
      const real = await client.createMedia({
        name: "f.jpg", contentType: "image/jpeg", size: 64, modelType: "FI-1", metadata: { faceSimilarityCheck: true },
      });
      await emu.clearLog();
      fetched.length = 0;
      await emu.fault({ route: "POST /media", count: 1, status: 200, body: { ...real, referenceUploadUrl: url } });
      const { err } = await settle(client.upload(image(bytesOf("face", 64)), {
        modelType: "FI-1", metadata: { faceSimilarityCheck: true }, reference: image(bytesOf("ref", 64)),
      }));
      checkError(err, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200 });
      assertNotFetched(url);
      assert.deepEqual((await emu.log()).filter((e) => e.origin !== "api"), [], "neither file uploaded");
    });

    it(`resultURL ${JSON.stringify(url)} from the server: InvalidResponseError, never fetched`, async () => {
      const { mid } = await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 10, modelType: "DF-1" });
      const record = { mid, status: "PROCESSED", name: "a.mp4", modelType: "DF-1", resultURL: url };
      for (const call of [() => client.getMedia(mid), () => client.waitForResult(mid, FAST_POLL), () => client.getResult(mid)]) {
        await emu.fault({ route: "GET /media/:mid", count: 1, status: 200, body: record });
        const { err } = await settle(call());
        checkError(err, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200, mid });
      }
      // A record the caller holds (say, from listMedia) with such a URL: the caller's bad argument,
      // refused before any request (src/core/ops/result.rs). "" is no URL at all: the record is
      // fetched once for one, and the emulator's (never uploaded, INITED) has none yet.
      fetched.length = 0;
      const { err } = await settle(client.getResult(record));
      if (url === "") {
        checkError(err, "ProcessingError", { code: "RESULT_NOT_READY", retryable: true, mid });
        assert.deepEqual(fetched, [`${emu.api}/media/${mid}`], "the record fetched once for its resultURL");
      } else {
        checkError(err, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false, mid });
        assert.deepEqual(fetched, [], "nothing fetched");
      }
      assertNotFetched(url);
      assert.deepEqual((await emu.log()).filter((e) => e.origin !== "api"), [], "nothing fetched from storage");
    });

    it(`uploadFile(${JSON.stringify(url)}, blob): INVALID_ARGUMENT before any request`, async () => {
      const { err } = await settle(client.uploadFile(url, video(bytesOf("u", 10))));
      checkError(err, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false });
      assert.deepEqual(fetched, []);
      assert.deepEqual(await emu.log(), []);
    });
  }

  it("the client keeps working", async () => {
    const { media, result } = await client.uploadAndPoll(video(bytesOf("hostile-still-works")), { modelType: "DF-1", ...FAST_POLL });
    assert.equal(media.status, "PROCESSED");
    assert.equal(result.resultType, "video");
  });
});

describe("hostile job ids", () => {
  // SDK.md, Jobs API: a job id is "checked and encoded like a mid" (pkg/README.md: empty, `/`, `\`,
  // `?`, `#`, control characters, `.`, `..`, or longer than 1024 bytes → refused before any
  // request), and a number is sent as its decimal text (a whole number; anything else is refused).
  const refused = [
    "", ".", "..", "../", "../x", "../../api/v1/jobs", "a/b", "..\\x", "?", "a?b", "#", "x#y", "\u0000", "a\nb",
    "x".repeat(10_000), "\ud83e\udd80".repeat(257), 1.5, -1, NaN, Infinity, 2 ** 60,
  ];
  // Everything else is opaque: one percent-encoded segment.
  const encoded = [
    "%2e%2e", ".%2e", "%2e%2e%2f%2e%2e%2fadmin", "..%2f", "%2F", "%", "%zz", "...", "a b", "é", "\u2028", "+", "1e3",
    "x".repeat(1024), "\ud83e\udd80".repeat(256), 12, 0,
  ];
  /** name → [call, method, path suffix, the emulator's answer for an unknown job]. */
  const methods = {
    getJob: [(id) => client.getJob(id), "GET", "", ["NotFoundError", 404, "JOB_NOT_FOUND"]],
    finalizeJob: [(id) => client.finalizeJob(id), "POST", "/finalize", ["BadRequestError", 400, "BAD_REQUEST"]],
    cancelJob: [(id) => client.cancelJob(id), "POST", "/cancel", ["NotFoundError", 404, "JOB_NOT_FOUND"]],
    deleteJob: [(id) => client.deleteJob(id), "DELETE", "", ["NotFoundError", 404, "JOB_NOT_FOUND"]],
    waitForJob: [(id) => client.waitForJob(id, { ...FAST_POLL, timeoutMs: 5000 }), "GET", "", ["NotFoundError", 404, "JOB_NOT_FOUND"]],
    getJobResult: [(id) => client.getJobResult(id), "GET", "", ["NotFoundError", 404, "JOB_NOT_FOUND"]],
  };
  const show = (id) => {
    if (typeof id === "number") return `${id} (a number)`;
    const s = JSON.stringify(id.length > 24 ? id.slice(0, 12) : id);
    return id.length > 24 ? `${s}… (${id.length} UTF-16 units)` : s;
  };

  for (const id of refused) {
    it(`job id ${show(id)}: INVALID_ARGUMENT from every method, no request`, async () => {
      for (const [name, [call]] of Object.entries(methods)) {
        const { err, value } = await settle(call(id));
        assert.ok(err, `${name} resolved with ${JSON.stringify(value)?.slice(0, 100)}`);
        checkError(err, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false });
      }
      assert.deepEqual(fetched, [], "nothing fetched");
      assert.deepEqual(await emu.log(), [], "nothing reached the emulator");
    });
  }

  for (const id of encoded) {
    it(`job id ${show(id)}: one percent-encoded segment that decodes to ${typeof id === "number" ? "its decimal text" : "the id"}`, async () => {
      const text = String(id);
      for (const [name, [call, method, suffix, [cls, statusCode, code]]] of Object.entries(methods)) {
        fetched.length = 0;
        await emu.clearLog();
        const { err, value } = await settle(call(id));
        assert.ok(err, `${name} resolved with ${JSON.stringify(value)?.slice(0, 100)}`);
        assert.equal(fetched.length, 1, `${name}: ${fetched.length} fetches`);
        const prefix = `${emu.api}/v1/jobs/`;
        assert.ok(fetched[0].startsWith(prefix) && fetched[0].endsWith(suffix), `${name}: ${fetched[0].slice(0, 200)}`);
        const segment = fetched[0].slice(prefix.length, fetched[0].length - suffix.length);
        assert.match(segment, SEGMENT, `${name}: not one percent-encoded segment`);
        assert.equal(decodeURIComponent(segment), text, `${name}: the segment decodes to the id`);
        const log = await emu.log();
        assert.equal(log.length, 1, `${name}: ${log.length} requests logged`);
        assert.equal(log[0].method, method, name);
        assert.equal(log[0].path, `/api/v1/jobs/${segment}${suffix}`, `${name}: the path the emulator received`);
        assert.equal(log[0].query, "");
        checkError(err, cls, { statusCode, code, jobId: text });
      }
    });
  }

  it("a numeric id addresses the job whose id is its decimal text, in every method", async () => {
    const blob = image(bytesOf("numeric-id", 64), "image/png");
    const { jobId } = await client.submitJob(blob, { taskType: "AC-1" });
    const n = Number(jobId);
    assert.equal(String(n), jobId);
    assert.equal((await client.waitForJob(n, FAST_POLL)).id, jobId);
    assert.equal((await client.getJob(n)).id, jobId);
    assert.equal(typeof (await client.getJobResult(n)).isFake, "boolean");
    const created = await client.createJob({ taskTypeId: "1", inputs: [{ slotName: "original", contentType: "image/png", fileName: "a", sizeBytes: 64 }] });
    const m = Number(created.job.id);
    await client.uploadFile(created.inputs[0].uploadUrl, blob);
    assert.equal((await client.finalizeJob(m)).job.status, "queued");
    const late = await client.createJob({ taskTypeId: "1", inputs: [{ slotName: "original", contentType: "image/png", fileName: "b", sizeBytes: 64 }] });
    assert.equal((await client.cancelJob(Number(late.job.id))).status, "cancelled"); // initiated: cancellable
    assert.equal(await client.deleteJob(Number(late.job.id)), undefined);
    const paths = (await emu.log("api")).map((e) => e.path).filter((p) => p.startsWith("/api/v1/jobs/"));
    assert.ok(paths.length >= 7);
    for (const p of paths) assert.match(p, /^\/api\/v1\/jobs\/\d+(\/finalize|\/cancel)?$/, p);
  });
});

describe("Jobs API URLs that are not http(s)", () => {
  const bad = [
    "javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "file:///etc/passwd", "data:application/json,{}",
    "ftp://127.0.0.1/x", "blob:http://127.0.0.1/0b6e6a1e", "about:blank", "//127.0.0.1/x", "/relative/path",
    "ws://127.0.0.1/x", "",
  ];
  const JOB_BODY = { taskTypeId: "4", inputs: [{ slotName: "original", contentType: "video/mp4", fileName: "a.mp4", sizeBytes: 10 }] };
  const storageRequests = async () => (await emu.log()).filter((e) => e.origin !== "api");
  /** A completed AC-1 job as the emulator wrote it. */
  async function completedJob() {
    const { job } = await client.runJob(image(bytesOf("hostile-download", 64), "image/png"), { taskType: "AC-1", ...FAST_POLL });
    assert.notEqual(job.result, null, "the emulator's job has an inline result");
    await emu.clearLog();
    fetched.length = 0;
    return job;
  }
  const withDownloadUrl = (job, url) => ({
    ...job, artifacts: job.artifacts.map((a) => (a.kind === "result" ? { ...a, downloadUrl: url } : a)),
  });

  for (const url of bad) {
    it(`inputs[].uploadUrl ${JSON.stringify(url)} from the server: InvalidResponseError, nothing uploaded or finalized`, async () => {
      const created = { job: { id: "77", status: "initiated" }, inputs: [{ slotName: "original", uploadUrl: url }] };
      await emu.fault({ route: "POST /v1/jobs", count: 2, status: 200, body: created });
      const a = await settle(client.createJob(JOB_BODY));
      checkError(a.err, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200, retryable: false });
      const b = await settle(client.submitJob(video(bytesOf("bad-job-upload-url", 10)), { taskType: "DF-1" }));
      checkError(b.err, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200, retryable: false });
      assertNotFetched(url);
      assert.deepEqual(await storageRequests(), [], "no upload");
      assert.deepEqual((await emu.apiLog()).map((e) => `${e.method} ${e.path}`), ["POST /api/v1/jobs", "POST /api/v1/jobs"], "no finalize");
    });

    it(`the reference slot's uploadUrl ${JSON.stringify(url)} beside a real one: InvalidResponseError, neither uploaded`, async () => {
      const real = await client.createJob({
        taskTypeId: "8",
        inputs: [
          { slotName: "original", contentType: "image/jpeg", fileName: "o", sizeBytes: 64 },
          { slotName: "reference", contentType: "image/jpeg", fileName: "r", sizeBytes: 64 },
        ],
        parameters: { isSimilarityCheck: true },
      });
      await emu.clearLog();
      fetched.length = 0;
      const hostile = { ...real, inputs: [real.inputs[0], { ...real.inputs[1], uploadUrl: url }] };
      await emu.fault({ route: "POST /v1/jobs", count: 1, status: 200, body: hostile });
      const { err } = await settle(client.submitJob(
        { original: image(bytesOf("o", 64)), reference: image(bytesOf("r", 64)) },
        { taskType: "FI-1", parameters: { isSimilarityCheck: true } },
      ));
      checkError(err, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200 });
      assertNotFetched(url);
      assert.deepEqual(await storageRequests(), [], "neither input uploaded");
    });

    if (url === "") {
      // An empty downloadUrl is no URL: the Result rule falls back to the job's inline result.
      it(`a result artifact's downloadUrl "" from the server: getJobResult gives the inline result, nothing fetched from storage`, async () => {
        const job = await completedJob();
        const hostile = withDownloadUrl(job, "");
        await emu.fault({ route: "GET /v1/jobs/:id", count: 1, status: 200, body: hostile });
        assert.deepEqual(await client.getJobResult(job.id), job.result, "by id");
        assert.deepEqual(await client.getJobResult(hostile), job.result, "a job in hand");
        assert.deepEqual(await storageRequests(), [], "nothing fetched from storage");
      });
      continue;
    }

    it(`a result artifact's downloadUrl ${JSON.stringify(url)} from the server: never fetched`, async () => {
      const job = await completedJob();
      const hostile = withDownloadUrl(job, url);
      // getJob and waitForJob read no URL: the job is handed back as the server wrote it.
      for (const call of [() => client.getJob(job.id), () => client.waitForJob(job.id, FAST_POLL)]) {
        await emu.fault({ route: "GET /v1/jobs/:id", count: 1, status: 200, body: hostile });
        assert.deepEqual(await call(), hostile);
      }
      // A job the caller holds (say, from listJobs) with such a URL is an argument: refused before any request.
      fetched.length = 0;
      const held = await settle(client.getJobResult(hostile));
      checkError(held.err, "ConfigurationError", { code: "INVALID_ARGUMENT", retryable: false, jobId: job.id });
      assert.deepEqual(fetched, [], "a job in hand: no request at all");
      // By id, the URL comes from the API's answer: the API's mistake, an InvalidResponseError.
      await emu.fault({ route: "GET /v1/jobs/:id", count: 1, status: 200, body: hostile });
      const byId = await settle(client.getJobResult(job.id));
      checkError(byId.err, "InvalidResponseError", { code: "INVALID_RESPONSE", statusCode: 200, jobId: job.id });
      assertNotFetched(url);
      assert.deepEqual(await storageRequests(), [], "nothing fetched from storage");
    });
  }

  it("the client keeps working", async () => {
    const { job, result } = await client.runJob(video(bytesOf("jobs-hostile-still-works")), { taskType: "DF-1", ...FAST_POLL });
    assert.equal(job.status, "completed");
    assert.equal(typeof result, "object");
    assert.notEqual(result, null);
  });
});
