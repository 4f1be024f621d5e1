// expect: TS2322
// `cors` lists exact origins; a bare string (or "*") is not that.
import { createAuthentaHandler } from "authenta-wasm/server";

createAuthentaHandler({ apiKey: "k", authenticate: () => "u", cors: "https://app.example" }); // MISTAKE
