// Node, ES modules: `import` resolves the package's "node" condition (node.js: sync init).
import * as sdk from "authenta-wasm";
import { runFlow } from "./flow.js";

const out = await runFlow(sdk, JSON.parse(process.argv[2]));
console.log("RESULT " + JSON.stringify({ ...out, entry: import.meta.resolve("authenta-wasm") }));
