// A component test as users write one (issue 19): a File made in the test environment (jsdom's or
// happy-dom's), uploaded with the package. The runner (toolchains/test-runners.mjs) passes the
// emulator, the fixture and where to write what the test saw in AUTHENTA_CASE, and checks the
// bytes the emulator stored against the fixture itself.
import { readFileSync, writeFileSync } from "node:fs";
import { Blob as NodeBlob } from "node:buffer";
import { expect, test } from "vitest";
import { AuthentaClient } from "authenta-wasm";

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
});
