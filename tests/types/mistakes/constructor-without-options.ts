// expect: TS2554
// The constructor needs its options (at least a key, or a baseUrl for proxy mode).
import { AuthentaClient } from "authenta-wasm";
new AuthentaClient(); // MISTAKE
