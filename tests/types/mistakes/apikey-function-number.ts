// expect: TS2322
// An apiKey function returns the key (or a promise of it) as a string.
import { AuthentaClient } from "authenta-wasm";
declare function tokenExpiry(): number;
new AuthentaClient({ apiKey: () => tokenExpiry() }); // MISTAKE
