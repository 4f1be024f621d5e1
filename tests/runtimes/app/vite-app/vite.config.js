// Needed for `vite` (dev) only: pre-bundling copies the package's JS into node_modules/.vite and
// leaves the .wasm behind (the page then gets index.html instead of the wasm). `vite build` needs
// nothing.
export default {
  optimizeDeps: { exclude: ["authenta-wasm"] },
};
