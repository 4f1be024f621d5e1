// expect: TS2740
// signal takes the AbortSignal (controller.signal), not the AbortController.
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
const controller = new AbortController();
await client.listMedia({}, { signal: controller }); // MISTAKE
