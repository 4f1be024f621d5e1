// A TypeScript project that compiles to CommonJS (`"module": "node16"`, no `"type": "module"`:
// NestJS, most TypeScript back ends): tests/types/matrix.mjs compiles it against the packed
// tarball, checks that the output require()s the package, and runs it with node.
import { AuthentaClient, AuthentaError, ConfigurationError, ConnectionError, TASK_TYPES, ready } from "authenta-wasm";
import type { Media } from "authenta-wasm";
import type { ApiRoutes } from "authenta-wasm/api-types";
import * as inline from "authenta-wasm/inline";

type MediaRecord = ApiRoutes["GET /media/{mid}"]["response"];

async function main(): Promise<void> {
  await ready;
  await inline.ready;
  const result: Record<string, unknown> = { taskTypes: Object.keys(TASK_TYPES).length };

  // Options are checked at construction: the package's own error class, from require().
  try {
    new AuthentaClient({ apiKey: "k", timeoutMs: -1 });
  } catch (err) {
    result.configuration = err instanceof ConfigurationError && err instanceof AuthentaError ? err.code : String(err);
  }

  // Nothing listens on port 9: the call goes through the wasm and the transport, and rejects
  // with a typed ConnectionError.
  const client = new AuthentaClient({ apiKey: "k", baseUrl: "http://127.0.0.1:9/api", maxRetries: 0 });
  try {
    const media: Media | MediaRecord = await client.getMedia("m-1");
    result.connection = `resolved ${media.mid}`;
  } catch (err) {
    result.connection = err instanceof ConnectionError ? err.code : String(err);
  }
  client.free();

  // The inline entry, through require() as well.
  const other = new inline.AuthentaClient({ apiKey: "k" });
  result.inline = typeof other.getMedia === "function";
  other.free();

  console.log(`RESULT ${JSON.stringify(result)}`);
}

// (No @types/node here: an unhandled rejection is what makes node exit non-zero.)
void main();
