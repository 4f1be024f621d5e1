// Start-up in Node, baseline: node-sdk.mjs without the SDK, sending the same request with fetch.
const importStart = performance.now();
let sent;
const send = (url, init) => {
  sent ??= performance.now();
  return fetch(url, init);
};
const res = await send(`${process.env.BENCH_API}/media?limit=1`, {
  headers: { authorization: `Bearer ${process.env.BENCH_KEY}` },
});
JSON.parse(await res.text());
console.log(JSON.stringify({ processMs: sent, importMs: sent - importStart, afterImportMs: sent - importStart }));
