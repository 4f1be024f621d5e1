// expect: TS2561
// The option is timeoutMs; an unknown option name is an error, not silently ignored.
import { AuthentaClient } from "authenta-wasm";
new AuthentaClient({ apiKey: "k", timeout: 5_000 }); // MISTAKE
