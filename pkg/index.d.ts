export { AuthentaClient } from "./authenta_wasm.js";
export * from "./errors.js";
export type * from "./api-types.js";
export type * from "./options.js";
