// expect: TS2345
// waitForResult takes the mid, not the created record.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
const created = await client.upload(file, { modelType: "DF-1" });
await client.waitForResult(created, {}); // MISTAKE
