// The extension's service worker: the bare import, nothing else configured.
import * as sdk from "authenta-wasm";
// @ts-ignore: the runtimes' shared flow is plain JavaScript.
import { runFlow } from "../flow.js";

export default defineBackground(() => {
  (self as any).runFlow = (args: unknown) => runFlow(sdk, args);
  (self as any).sdk = sdk;
});
