// The handler behaviour suite (tests/server/suite.mjs) against a handler that run.mjs started in
// some runtime from the packed tarball. run.mjs runs this file once per runtime with
//   AUTHENTA_HANDLER_NAME  the runtime's name (in the test names)
//   AUTHENTA_HANDLER_BASE  the handler's origin ("http://127.0.0.1:PORT"; BASE_PATH is added)
//   AUTHENTA_EMULATOR      the emulator's EMULATOR_READY JSON ({ api, storage, web, apiKey })
// The handler and the emulator belong to run.mjs: nothing is stopped here.
import { emulatorControls } from "../support/emulator.mjs";
import { handlerSuite } from "../server/suite.mjs";

const { AUTHENTA_HANDLER_NAME: name, AUTHENTA_HANDLER_BASE: base, AUTHENTA_EMULATOR: ready } = process.env;
if (!name || !base || !ready) {
  throw new Error("run by tests/runtimes/run.mjs (AUTHENTA_HANDLER_NAME, AUTHENTA_HANDLER_BASE and AUTHENTA_EMULATOR unset)");
}

handlerSuite(name, async () => ({ base, emu: emulatorControls(JSON.parse(ready)) }));
