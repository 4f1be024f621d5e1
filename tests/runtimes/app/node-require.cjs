// Node, CommonJS: `require` of the ES module entry (Node 20.19+ / 22.12+ load an ES module
// without top-level await synchronously).
const sdk = require("authenta-wasm");
const { runFlow } = require("./flow.js");

runFlow(sdk, JSON.parse(process.argv[2])).then(
  (out) => console.log("RESULT " + JSON.stringify({ ...out, entry: require.resolve("authenta-wasm") })),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
