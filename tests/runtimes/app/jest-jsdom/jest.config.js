// A user's Jest 30 config for component tests: the jsdom environment, nothing else. Jest 30
// resolves `require()` with the `node` condition in every environment, so authenta-wasm's Node
// build (node.cjs, the wasm embedded) is the one loaded.
module.exports = {
  testEnvironment: "jsdom",
  testMatch: ["**/upload.test.js"],
};
