// A Vite page: Vite follows `new URL("./authenta_wasm_bg.wasm", import.meta.url)` and emits the
// .wasm as an asset (build); the dev server serves it from node_modules once the package is
// excluded from dependency pre-bundling (vite.config.js).
import * as sdk from "authenta-wasm";
import { runFlow } from "../flow.js";

globalThis.runFlow = (args) => runFlow(sdk, args);
