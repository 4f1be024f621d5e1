// expect: TS2345
// Either apiKey or clientId + clientSecret, not both.
import { createAuthentaHandler } from "authenta-wasm/server";

createAuthentaHandler({ apiKey: "k", clientId: "c", clientSecret: "s", authenticate: () => "u" }); // MISTAKE
