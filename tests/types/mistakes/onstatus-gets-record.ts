// expect: TS2322
// onStatus receives the whole record (a Media), not the status string.
import { AuthentaClient } from "authenta-wasm";
import type { MediaStatus } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.waitForResult("692f406f9f68d4b70080bb80", {
  onStatus: (status: MediaStatus) => console.log(status.toLowerCase()), // MISTAKE
});
