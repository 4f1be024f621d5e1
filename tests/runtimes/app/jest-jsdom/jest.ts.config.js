// Jest 30 with ts-jest, as its `ts-jest config:init` makes it (the node environment).
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  testMatch: ["**/upload.test.ts"],
};
