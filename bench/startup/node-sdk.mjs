// Start-up in Node, SDK side: one cold process imports the package, builds a client and sends
// one request. Prints {"processMs", "importMs", "afterImportMs"}: ms from process start
// (performance.timeOrigin), from just before the import, and from the import's end, to the
// moment the SDK calls fetch. BENCH_API, BENCH_KEY, BENCH_NODE_ENTRY.
const importStart = performance.now();
// BENCH_NODE_ENTRY: another package's node.js (the baseline of BENCH_BASELINE_REF).
const { AuthentaClient } = await import(process.env.BENCH_NODE_ENTRY ?? "../../pkg/node.js");
const imported = performance.now();
let sent;
const client = new AuthentaClient({
  apiKey: process.env.BENCH_KEY,
  baseUrl: process.env.BENCH_API,
  fetch: (url, init) => {
    sent ??= performance.now();
    return fetch(url, init);
  },
});
await client.listMedia({ limit: 1 });
console.log(JSON.stringify({ processMs: sent, importMs: sent - importStart, afterImportMs: sent - imported }));
