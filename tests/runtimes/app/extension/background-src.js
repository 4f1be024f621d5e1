// The extension's service worker, bundled by esbuild into background.js. It imports
// "authenta-wasm/inline" (the wasm inlined, compiled synchronously at import): nothing to copy
// into the extension, and a client works in the worker's first event.
import * as sdk from "authenta-wasm/inline";
import { runFlow } from "../flow.js";

self.runFlow = (args) => runFlow(sdk, args);
self.sdk = sdk;
