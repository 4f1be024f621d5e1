// expect: TS2345
// `authenticate` is required: a handler without it would let anyone spend the key.
import { createAuthentaHandler } from "authenta-wasm/server";

createAuthentaHandler({ apiKey: "k" }); // MISTAKE
