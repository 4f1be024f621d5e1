// Deno: `npm:authenta-wasm` from the project's node_modules (the "deno" condition: node.js,
// which embeds the wasm: the runner gives no --allow-read).
import * as sdk from "npm:authenta-wasm";
import { runFlow } from "./flow.js";

const out = await runFlow(sdk, JSON.parse(Deno.args[0]));
console.log("RESULT " + JSON.stringify({ ...out, entry: import.meta.resolve("npm:authenta-wasm") }));
