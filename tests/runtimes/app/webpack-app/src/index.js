// A page built by webpack 5 with nothing configured: `webpack --mode=production` (default entry
// ./src/index.js, output ./dist/main.js). webpack follows the entry's
// `new URL("./authenta_wasm_bg.wasm", import.meta.url)` and emits the .wasm as an asset.
import * as sdk from "authenta-wasm";
import { runFlow } from "../../flow.js";

globalThis.runFlow = (args) => runFlow(sdk, args);
