// expect: TS2339
// A job's onProgress gives { loaded, total, lengthComputable, slotName }: no percentage.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
declare function setBar(percent: number): void;
const client = new AuthentaClient({ apiKey: "k" });
await client.submitJob(file, {
  taskType: "DF-1",
  onProgress: (p) => setBar(p.percent), // MISTAKE
});
