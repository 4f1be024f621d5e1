// expect: TS2322
// limit is a number (1..100).
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.listMedia({ limit: "10" }, {}); // MISTAKE
