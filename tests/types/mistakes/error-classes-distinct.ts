// expect: TS2322
// The error classes are distinct types: a ServerError is not a NotFoundError.
import { NotFoundError, ServerError } from "authenta-wasm";
declare const err: ServerError;
const notFound: NotFoundError = err; // MISTAKE
console.log(notFound);
