// A dedicated module worker. Import maps do not reach workers: the package is named by its path.
import * as sdk from "/node_modules/authenta-wasm/index.js";
import { runFlow } from "/flow.js";

self.onmessage = async ({ data }) => {
  try {
    self.postMessage({ ok: true, value: await runFlow(sdk, data) });
  } catch (e) {
    self.postMessage({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` });
  }
};
self.postMessage({ ready: true });
