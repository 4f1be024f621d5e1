// expect: TS2322
// deleteMedia resolves with nothing.
import { AuthentaClient } from "authenta-wasm";
import type { Media } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
const gone: Media = await client.deleteMedia("692f406f9f68d4b70080bb80", {}); // MISTAKE
console.log(gone);
