// expect: TS2322
// timeoutMs is a number of milliseconds.
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.getMedia("692f406f9f68d4b70080bb80", { timeoutMs: "30s" }); // MISTAKE
