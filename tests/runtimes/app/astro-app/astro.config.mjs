// Astro's minimal starter, written by hand (create-astro fetches its templates from GitHub):
// nothing configured. `astro build` writes a static site to dist/.
import { defineConfig } from "astro/config";

export default defineConfig({});
