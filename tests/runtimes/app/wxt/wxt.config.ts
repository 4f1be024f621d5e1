// A WXT 0.20 MV3 extension as its starter makes it, with the one line the package README gives
// for extensions: the CSP that lets the service worker compile WebAssembly.
import { defineConfig } from "wxt";

export default defineConfig({
  manifest: {
    host_permissions: ["http://127.0.0.1/*"],
    content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
  },
});
