// A hand-written key-adding proxy with the bugs of design/SERVER.md's anchors, for the server
// hardening suite to prove that each of its attacks catches the bug it is about: every attack
// must fail against this proxy (and pass against createAuthentaHandler).
//
// Its bugs, on purpose: a catch-all path forward with the key; no authentication, policy or
// ownership; every request header passed on (Cookie, Authorization overwritten only, Forwarded,
// X-Forwarded-*, Origin); every answer header passed back (Set-Cookie, Content-Encoding); any
// origin reflected with credentials; a rate limiter that fails open; upstream bodies relayed as
// they are (an echoed key included).
export function naiveProxy({ apiKey, baseUrl, basePath, rateLimit, fetch: fetchFn = fetch }) {
  return async (request) => {
    try {
      await rateLimit?.(request);
    } catch {
      // "the limiter is down, let it through"
    }
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set("authorization", `Bearer ${apiKey}`);
    // Hop-by-hop headers go (fetch refuses them): the one thing this proxy gets right.
    for (const h of ["host", "content-length", "transfer-encoding", "connection", "keep-alive"]) headers.delete(h);
    const init = { method: request.method, headers };
    if (request.method !== "GET" && request.method !== "HEAD") init.body = await request.arrayBuffer();
    const res = await fetchFn(`${baseUrl}${url.pathname.replace(basePath, "")}${url.search}`, init);
    const out = new Headers(res.headers);
    for (const h of ["content-length", "transfer-encoding", "connection", "keep-alive"]) out.delete(h);
    out.set("access-control-allow-origin", request.headers.get("origin") ?? "*");
    out.set("access-control-allow-credentials", "true");
    const body = res.status === 204 ? null : await res.arrayBuffer();
    return new Response(body, { status: res.status, headers: out });
  };
}
