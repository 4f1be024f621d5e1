// Jest's jsdom environment has no TextEncoder or TextDecoder, which the wasm glue makes at import
// (`require("authenta-wasm")` failed there with "TextDecoder is not defined"). scripts/build-pkg.sh
// injects these into node.cjs (esbuild --inject): the glue uses Node's own, whatever the global
// scope holds, and nothing is written to it.
export { TextDecoder, TextEncoder } from "node:util";
