// expect: TS18047
// Narrowing the status does not narrow the inline result: it can be null on a completed job
// (the result is in an artifact). Use getJobResult(job).
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
const job = await client.getJob("3140");
if (job.status === "completed") console.log(job.result.isFake); // MISTAKE
