// The flow every runtime runs, written once in plain ESM (no Node, no DOM): create → upload →
// poll → result → delete, then `getMedia` of the deleted record must reject with the package's
// own NotFoundError. Throws on any deviation; returns a JSON-able summary for the runner, which
// checks the verdict against the emulator's verdict function.

/** Deterministic bytes (xorshift32), so that the runner knows the verdict in advance. */
export function makeBytes(size, seed) {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function check(ok, message) {
  if (!ok) throw new Error(message);
}

/**
 * sdk: the module namespace of "authenta-wasm" (or "authenta-wasm/inline") as imported there.
 * args: { api, apiKey, browser, size, seed } or { ..., file } (a Blob the runtime received).
 */
export async function runFlow(sdk, args) {
  const { AuthentaClient, AuthentaError, NotFoundError, ConfigurationError } = sdk;
  check(typeof AuthentaClient === "function", "AuthentaClient is not exported");
  check(typeof NotFoundError === "function", "NotFoundError is not exported");

  // In a browser context a string key needs dangerouslyAllowBrowser (checked at the end).
  const options = { apiKey: args.apiKey, baseUrl: args.api };
  if (args.browser) options.dangerouslyAllowBrowser = true;
  const client = new AuthentaClient(options);

  const file = args.file ?? new Blob([makeBytes(args.size, args.seed)], { type: "video/mp4" });
  const progress = [];
  const statuses = [];
  const { media, result } = await client.uploadAndPoll(file, {
    modelType: "DF-1",
    name: "clip.mp4",
    pollIntervalMs: 20,
    maxPollIntervalMs: 50,
    timeoutMs: 30_000,
    onProgress: (p) => progress.push({ loaded: p.loaded, total: p.total, lengthComputable: p.lengthComputable }),
    onStatus: (m) => statuses.push(m.status),
  });
  check(/^[0-9a-f]{24}$/.test(media.mid), `mid ${media.mid}`);
  check(media.status === "PROCESSED", `status ${media.status}`);
  check(media.size === file.size, `size ${media.size}, sent ${file.size}`);
  check(result.resultType === "video", `resultType ${result.resultType}`);
  check(Array.isArray(result.identityPredictions) && result.identityPredictions.length > 0, "no identityPredictions");

  const again = await client.getResult(media.mid);
  check(JSON.stringify(again) === JSON.stringify(result), "getResult(mid) differs from uploadAndPoll's result");

  await client.deleteMedia(media.mid);
  let gone;
  try {
    await client.getMedia(media.mid);
  } catch (e) {
    gone = e;
  }
  check(gone !== undefined, "getMedia after deleteMedia resolved");
  check(gone instanceof NotFoundError, `getMedia after delete rejected with ${gone?.name}: ${gone?.message}, not a NotFoundError`);
  check(gone instanceof AuthentaError && gone instanceof Error, "NotFoundError is not an AuthentaError");
  check(gone.code === "NOT_FOUND" && gone.statusCode === 404, `code ${gone.code}, status ${gone.statusCode}`);

  if (args.browser) {
    // A string key in a browser context is refused unless the page says it knows. Checked after
    // the calls, when the browser entry's wasm has certainly arrived, so that the constructor
    // checks the options itself (a client made before the wasm arrives defers the check to its
    // calls; tests/js/browser-entry.test.mjs covers that).
    let refused;
    try {
      new AuthentaClient({ apiKey: args.apiKey, baseUrl: args.api });
    } catch (e) {
      refused = e;
    }
    check(refused !== undefined, "a string key was accepted in a browser without dangerouslyAllowBrowser");
    if (!(refused instanceof ConfigurationError)) throw refused;
  }

  return {
    // Every entry exports `ready` (a Promise); apps that import names one by one may leave it out.
    ready: sdk.ready === undefined ? "not imported" : sdk.ready instanceof Promise ? "Promise" : typeof sdk.ready,
    mid: media.mid,
    size: file.size,
    faces: media.faces,
    deepFakes: media.deepFakes,
    resultType: result.resultType,
    identities: result.identityPredictions.map((p) => p.isDeepFake),
    statuses,
    progress,
    xhr: typeof globalThis.XMLHttpRequest === "function",
    deleted: { name: gone.name, code: gone.code, statusCode: gone.statusCode, instanceOfNotFoundError: true },
  };
}

/**
 * What a server route answers the runner (tests/runtimes/run.mjs, postFlow): the flow's summary
 * (`more` adds fields to it), or its error, as a web `Response`.
 */
export async function flowResponse(sdk, args, more = (out) => out) {
  try {
    return Response.json({ ok: true, value: more(await runFlow(sdk, args)) });
  } catch (e) {
    return Response.json({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` }, { status: 500 });
  }
}
