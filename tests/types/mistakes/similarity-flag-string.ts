// expect: TS2322
// FI-1 parameters are booleans.
import { AuthentaClient } from "authenta-wasm";
declare const selfie: File;
declare const idPhoto: File;
const client = new AuthentaClient({ apiKey: "k" });
await client.runJob({ original: selfie, reference: idPhoto }, {
  taskType: "FI-1",
  parameters: { isSimilarityCheck: "true" }, // MISTAKE
});
