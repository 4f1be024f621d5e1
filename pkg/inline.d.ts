// `authenta-wasm/inline` has the same exports as the package's root entry. (Its own file, beside
// inline.js, so that TypeScript's node10 resolution, which ignores `exports`, finds it too.)
export * from "./index.js";
