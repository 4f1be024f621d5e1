// expect: TS2345
// A job id is a string or a number, not the job object: pass `job.id`.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
const { job } = await client.runJob(file, { taskType: "AC-1" });
await client.deleteJob(job, {}); // MISTAKE
