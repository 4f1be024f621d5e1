// What `astro dev` needs (astro dev --config astro.dev.config.mjs here; in an app, this line in
// its astro.config.mjs): Astro 5's Vite 6 pre-bundles the package into node_modules/.vite/deps
// and leaves the wasm behind, so the page fetches .vite/deps/authenta_wasm_bg.wasm (HTTP 404)
// unless the package is excluded from pre-bundling. `astro build` needs nothing.
import { defineConfig } from "astro/config";

export default defineConfig({
  vite: { optimizeDeps: { exclude: ["authenta-wasm"] } },
});
