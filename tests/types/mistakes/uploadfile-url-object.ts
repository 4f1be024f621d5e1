// expect: TS2345
// uploadFile takes the uploadUrl string as returned, not a URL object.
import { AuthentaClient } from "authenta-wasm";
declare const file: File;
const client = new AuthentaClient({ apiKey: "k" });
const created = await client.createMedia({ name: "a.mp4", contentType: "video/mp4", size: 1, modelType: "DF-1" }, {});
await client.uploadFile(new URL(created.uploadUrl), file, {}); // MISTAKE
