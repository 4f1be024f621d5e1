// expect: TS2345
// runJob needs a taskType (an id, a slug or a model code).
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
await client.runJob(file, { parameters: { isLivenessCheck: true } }); // MISTAKE
