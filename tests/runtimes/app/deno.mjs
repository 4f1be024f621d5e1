// Deno: `npm:authenta-wasm` from the project's node_modules (the "deno" condition: node.js,
// which reads the .wasm from disk, hence --allow-read).
import * as sdk from "npm:authenta-wasm";
import { runFlow } from "./flow.js";

const out = await runFlow(sdk, JSON.parse(Deno.args[0]));
console.log("RESULT " + JSON.stringify({ ...out, entry: import.meta.resolve("npm:authenta-wasm") }));
