// The same for Jest 29, whose jsdom environment resolves only the `browser` condition (the browser
// build, an ES module that Jest cannot load there): the one line the package README asks for.
module.exports = {
  testEnvironment: "jsdom",
  testEnvironmentOptions: { customExportConditions: ["node"] },
  testMatch: ["**/upload.test.js"],
};
