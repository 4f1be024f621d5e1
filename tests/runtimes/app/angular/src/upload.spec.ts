// A unit test as `ng test` runs it (Angular 21's unit-test builder: Vitest, jsdom), with a File
// made in the test environment, uploaded with the package. The runner
// (toolchains/test-runners.mjs) passes the emulator, the fixture and where to write what the test
// saw in AUTHENTA_CASE, and checks the bytes the emulator stored against the fixture itself.
import { AuthentaClient } from "authenta-wasm";

declare const process: { env: Record<string, string>; getBuiltinModule(id: string): any };

describe("authenta-wasm under ng test", () => {
  it("runJob and uploadAndPoll send the File made in the test environment", async () => {
    const { api, apiKey, input, out, progress } = JSON.parse(process.env["AUTHENTA_CASE"]);
    const fs = process.getBuiltinModule("node:fs");
    const file = new File([fs.readFileSync(input)], "x.png", { type: "image/png" });
    const client = new AuthentaClient({ apiKey, baseUrl: api, dangerouslyAllowBrowser: true });
    const events: { job: unknown[]; media: unknown[] } = { job: [], media: [] };
    const options = (list: unknown[]) => ({ pollIntervalMs: 50, timeoutMs: 20_000, ...(progress && { onProgress: (e: unknown) => list.push(e) }) });
    const { job } = await client.runJob(file, { taskType: "AC-1", ...options(events.job) });
    const { media } = await client.uploadAndPoll(file, { modelType: "AC-1", ...options(events.media) });
    expect(job.status).toBe("completed");
    expect(media.status).toBe("PROCESSED");
    const seen = { document: typeof document, nodeFile: file instanceof process.getBuiltinModule("node:buffer").Blob, xhr: typeof XMLHttpRequest };
    fs.writeFileSync(out, JSON.stringify({ jobId: job.id, mid: media.mid, events, seen }));
  }, 30_000);
});
