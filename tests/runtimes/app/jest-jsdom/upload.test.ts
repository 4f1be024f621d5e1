// As upload.test.js, in TypeScript through ts-jest (compiled to CommonJS, type-checked).
import { readFileSync, writeFileSync } from "node:fs";
import { Blob as NodeBlob } from "node:buffer";
import { AuthentaClient, type UploadProgress } from "authenta-wasm";

const { api, apiKey, input, out, progress } = JSON.parse(process.env.AUTHENTA_CASE as string);

test("runJob and uploadAndPoll send the File made in the test environment", async () => {
  const file = new File([readFileSync(input)], "x.png", { type: "image/png" });
  const client = new AuthentaClient({ apiKey, baseUrl: api });
  const events: { job: UploadProgress[]; media: UploadProgress[] } = { job: [], media: [] };
  const options = (list: UploadProgress[]) => ({ pollIntervalMs: 50, timeoutMs: 20_000, ...(progress && { onProgress: (e: UploadProgress) => list.push(e) }) });
  const { job } = await client.runJob(file, { taskType: "AC-1", ...options(events.job) });
  const { media } = await client.uploadAndPoll(file, { modelType: "AC-1", ...options(events.media) });
  expect(job.status).toBe("completed");
  expect(media.status).toBe("PROCESSED");
  const seen = { document: typeof document, nodeFile: file instanceof NodeBlob, xhr: typeof XMLHttpRequest };
  writeFileSync(out, JSON.stringify({ jobId: job.id, mid: media.mid, events, seen }));
}, 30_000);
