// A page built by webpack 5 with nothing configured: `webpack --mode=production` (default entry
// ./src/index.js, output ./dist/main.js). webpack follows the entry's
// `new URL("./authenta_wasm_bg.wasm", import.meta.url)` and emits the .wasm as an asset.
// Named imports, as users write them: with them webpack skips modules that package.json declares
// free of side effects (the way a wrong "sideEffects": false once dropped the wasm's loading).
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from "authenta-wasm";
import { runFlow } from "../../flow.js";

globalThis.runFlow = (args) => runFlow({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, args);
