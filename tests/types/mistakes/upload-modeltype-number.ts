// expect: TS2322
// modelType is a string ("DF-1", …), not a number.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
await client.upload(file, { modelType: 42 }); // MISTAKE
