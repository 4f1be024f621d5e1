// expect: TS2345
// Several inputs go by slot name ({ original, reference }), not as an array.
import { AuthentaClient } from "authenta-wasm";
declare const selfie: File;
declare const idPhoto: File;
const client = new AuthentaClient({ apiKey: "k" });
await client.submitJob([selfie, idPhoto], { taskType: "FI-1", parameters: { isSimilarityCheck: true } }); // MISTAKE
