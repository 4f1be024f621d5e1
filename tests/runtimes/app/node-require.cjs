// Node, CommonJS: `require` resolves the package's "node" + "require" condition (node.cjs), so it
// works on every Node, including those that cannot require() an ES module (before 20.19 / 22.12;
// the runner passes --no-experimental-require-module to be one of them).
const sdk = require("authenta-wasm");

// flow.js is an ES module: import() loads it on every Node (the package itself is require()d).
import("./flow.js").then(({ runFlow }) => runFlow(sdk, JSON.parse(process.argv[2]))).then(
  (out) => console.log("RESULT " + JSON.stringify({ ...out, entry: require.resolve("authenta-wasm") })),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
