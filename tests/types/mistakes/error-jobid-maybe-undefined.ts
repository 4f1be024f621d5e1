// expect: TS2345
// jobId is on errors where a job is involved, absent otherwise (a failed create has none).
import { AuthentaClient, TimeoutError } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
try {
  await client.runJob(file, { taskType: "DF-1" });
} catch (err) {
  if (err instanceof TimeoutError) await client.waitForJob(err.jobId); // MISTAKE
}
