// expect: TS2322
// FI-1 metadata flags are booleans.
import { AuthentaClient } from "authenta-wasm";
declare const selfie: File;
const client = new AuthentaClient({ apiKey: "k" });
await client.upload(selfie, { modelType: "FI-1", metadata: { livenessCheck: "yes" } }); // MISTAKE
