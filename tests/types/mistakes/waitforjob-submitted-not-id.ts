// expect: TS2345
// waitForJob takes the job id, not what submitJob resolved with: use `submitted.jobId`.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
const submitted = await client.submitJob(file, { taskType: "AC-1" });
await client.waitForJob(submitted); // MISTAKE
