// expect: TS2322
// The FI-1 reference image is a Blob/File, not a URL.
import { AuthentaClient } from "authenta-wasm";
declare const selfie: File;
const client = new AuthentaClient({ apiKey: "k" });
await client.upload(selfie, {
  modelType: "FI-1",
  metadata: { faceSimilarityCheck: true },
  reference: "https://example.com/id-photo.jpg", // MISTAKE
});
