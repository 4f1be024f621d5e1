// expect: TS2345
// A mid is a string. (Options given, so that only the mid is wrong.)
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.getMedia(123, {}); // MISTAKE
