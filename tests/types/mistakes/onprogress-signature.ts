// expect: TS2322
// onProgress receives one object { loaded, total, lengthComputable }, not two numbers.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
declare function setBar(fraction: number): void;
const client = new AuthentaClient({ apiKey: "k" });
await client.upload(file, {
  modelType: "DF-1",
  onProgress: (loaded: number, total: number) => setBar(loaded / total), // MISTAKE
});
