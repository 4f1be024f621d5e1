// As app/vitest-dom/upload.test.js, in Jest's jsdom environment (CommonJS, no transform).
const { readFileSync, writeFileSync } = require("node:fs");
const { Blob: NodeBlob } = require("node:buffer");
const { AuthentaClient } = require("authenta-wasm");

const { api, apiKey, input, out, progress } = JSON.parse(process.env.AUTHENTA_CASE);

test("runJob and uploadAndPoll send the File made in the test environment", async () => {
  const file = new File([readFileSync(input)], "x.png", { type: "image/png" });
  const client = new AuthentaClient({ apiKey, baseUrl: api });
  const events = { job: [], media: [] };
  const options = (list) => ({ pollIntervalMs: 50, timeoutMs: 20_000, ...(progress && { onProgress: (e) => list.push(e) }) });
  const { job } = await client.runJob(file, { taskType: "AC-1", ...options(events.job) });
  const { media } = await client.uploadAndPoll(file, { modelType: "AC-1", ...options(events.media) });
  expect(job.status).toBe("completed");
  expect(media.status).toBe("PROCESSED");
  const seen = { document: typeof document, nodeFile: file instanceof NodeBlob, xhr: typeof XMLHttpRequest };
  writeFileSync(out, JSON.stringify({ jobId: job.id, mid: media.mid, events, seen }));
}, 30_000);
