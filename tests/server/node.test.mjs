// The handler behaviour suite (suite.mjs) against the built package's server entry behind
// node:http (toNodeListener), in this process, in front of the emulator. The same suite runs
// against every other adapter from the packed tarball (tests/runtimes/run.mjs).
import { createServer } from "node:http";
import { startEmulator } from "../support/emulator.mjs";
import { createAuthentaHandler, toNodeListener } from "../../pkg/server.js";
import { handlerOptions } from "./app/options.js";
import { handlerSuite } from "./suite.mjs";

handlerSuite("node:http (in process)", async () => {
  const emu = await startEmulator({ processingMs: 100 });
  const handler = createAuthentaHandler(handlerOptions({ apiKey: emu.apiKey, baseUrl: emu.api }));
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    emu,
    base: `http://127.0.0.1:${server.address().port}`,
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await emu.stop();
    },
  };
});
