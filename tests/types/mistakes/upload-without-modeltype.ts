// expect: TS2345
// upload needs a modelType.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
await client.upload(file, { name: "clip.mp4" }); // MISTAKE
