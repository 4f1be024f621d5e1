// expect: TS2322
// FI-1 liveness comes as isLiveness or as isSpoof, and is null when not requested.
import type { ApiBoolean, FI1Result } from "authenta-wasm";
declare const result: FI1Result;
const live: ApiBoolean = result.isLiveness; // MISTAKE
console.log(live);
