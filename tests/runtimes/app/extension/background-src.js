// The extension's service worker, bundled by esbuild into background.js. Service workers refuse
// top-level await and dynamic import(), so it imports "authenta-wasm/inline" (the wasm inlined,
// compiled synchronously at import).
import * as sdk from "authenta-wasm/inline";
import { runFlow } from "../flow.js";

self.runFlow = (args) => runFlow(sdk, args);
