// Jest's jsdom environment has no TextEncoder or TextDecoder, which the wasm glue makes at import
// (`require("authenta-wasm")` failed there with "TextDecoder is not defined"): Node's own, set only
// where they are missing. Imported first by node-cjs.js, so that they exist before the glue runs.
import { TextDecoder, TextEncoder } from "node:util";

globalThis.TextDecoder ??= TextDecoder;
globalThis.TextEncoder ??= TextEncoder;
