// expect: TS18048
// statusCode is absent when there was no HTTP status (network failure, abort, time-out).
import { AuthentaError } from "authenta-wasm";
declare const err: AuthentaError;
console.log(err.statusCode.toFixed(0)); // MISTAKE
