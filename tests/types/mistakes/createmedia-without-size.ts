// expect: TS2345
// POST /media needs the size in bytes.
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.createMedia({ name: "a.mp4", contentType: "video/mp4", modelType: "DF-1" }, {}); // MISTAKE
