// expect: TS2488
// iterateMedia is async: `for await`, not `for`.
import { AuthentaClient } from "authenta-wasm";
const client = new AuthentaClient({ apiKey: "k" });
for (const media of client.iterateMedia({})) console.log(media); // MISTAKE
