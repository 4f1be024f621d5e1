// A page script bundled by esbuild (--bundle --format=esm --platform=browser). The browser entry
// loads `new URL("./authenta_wasm_bg.wasm", import.meta.url)`, which esbuild leaves alone: the
// build copies node_modules/authenta-wasm/authenta_wasm_bg.wasm next to the bundle (one case
// leaves it out on purpose).
import * as sdk from "authenta-wasm";
import { runFlow } from "./flow.js";

globalThis.runFlow = (args) => runFlow(sdk, args);
globalThis.sdk = sdk;
