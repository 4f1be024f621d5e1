// expect: TS2345
// getResult takes a media record or its mid.
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.getResult(42, {}); // MISTAKE
