// expect: TS2322
// headers is a plain object of names to strings (the client refuses a Headers instance).
import { AuthentaClient } from "authenta-wasm";
new AuthentaClient({ apiKey: "k", headers: new Headers({ "x-trace": "1" }) }); // MISTAKE
