// A page built by Rsbuild 2 with nothing configured (create-rsbuild's vanilla starter without its
// empty rsbuild.config.mjs): `rsbuild build` (default entry ./src/index.js, its own index.html,
// output ./dist/). Rspack follows the entry's `new URL("./authenta_wasm_bg.wasm",
// import.meta.url)` and emits the .wasm under dist/static/. flow.js is app/flow.js, copied in by
// the runner. Named imports, as users write them (see webpack-app).
import { AuthentaClient, AuthentaError, ConfigurationError, NotFoundError } from "authenta-wasm";
import { runFlow } from "./flow.js";

globalThis.runFlow = (args) => runFlow({ AuthentaClient, AuthentaError, ConfigurationError, NotFoundError }, args);
