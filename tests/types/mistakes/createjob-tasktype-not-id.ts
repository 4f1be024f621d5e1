// expect: TS2345
// createJob sends the API's own body: `taskTypeId` ("1"), not the SDK's `taskType` ("AC-1"),
// which submitJob and runJob take.
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
await client.createJob({ // MISTAKE
  taskType: "AC-1",
  inputs: [{ slotName: "original", contentType: "image/png", fileName: "a.png", sizeBytes: 10 }],
});
