// Jest 30's default environment (node), nothing configured.
module.exports = {
  testEnvironment: "node",
  testMatch: ["**/upload.test.js"],
};
