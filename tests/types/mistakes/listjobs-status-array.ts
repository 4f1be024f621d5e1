// expect: TS2322
// The status filter takes one status; list each status on its own.
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.listJobs({ status: ["failed", "cancelled"] }); // MISTAKE
