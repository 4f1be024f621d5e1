// A page built by `parcel build index.html`, nothing configured (Parcel's defaults: scope
// hoisting, the .wasm emitted from the entry's `new URL(…, import.meta.url)`).
import * as sdk from "authenta-wasm";
import { runFlow } from "./flow.js";

window.runFlow = (args) => runFlow(sdk, args);
