// expect: TS18046
// A JobResult's shape depends on the task: narrow (by the task you ran) before reading fields.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
const { result } = await client.runJob(file, { taskType: "AC-1" });
console.log(result.confidencePercent.toFixed(1)); // MISTAKE
