// expect: TS2345
// deleteMedia takes the record's mid, not the record.
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
const media = await client.getMedia("692f406f9f68d4b70080bb80", {});
await client.deleteMedia(media, {}); // MISTAKE
