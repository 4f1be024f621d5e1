// A user's Vitest config; the environment (jsdom or happy-dom) comes from `--environment`.
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["upload.test.js"], testTimeout: 30_000 } });
