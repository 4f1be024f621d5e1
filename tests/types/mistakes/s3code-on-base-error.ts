// expect: TS2551
// s3Code exists on UploadError only: narrow with instanceof UploadError first.
import { AuthentaClient, AuthentaError } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
try {
  await client.upload(file, { modelType: "DF-1" });
} catch (err) {
  if (err instanceof AuthentaError) console.log(err.s3Code); // MISTAKE
}
