// expect: TS2322
// A job's onStatus receives the whole job, not its status string.
import { AuthentaClient } from "authenta-wasm";
import type { JobStatus } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.waitForJob("3140", {
  onStatus: (status: JobStatus) => console.log(status.toLowerCase()), // MISTAKE
});
