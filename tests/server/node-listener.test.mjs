// toNodeListener (node:http, Express) and a request body, against the built package's server
// entry: what the adapter does with the bytes the handler has not read yet.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { connect } from "node:net";
import { createAuthentaHandler, toNodeListener } from "../../pkg/server.js";
import { handlerOptions } from "./app/options.js";

/** A raw connection to `port`: what it received so far (`answer`, `reset()`), `closed`. */
function rawConnection(port) {
  const socket = connect(port, "127.0.0.1");
  const conn = {
    socket,
    answer: "",
    reset: () => (conn.answer = ""),
    closed: new Promise((r) => socket.once("close", r)),
    /** Waits (up to 2 s) until the answer so far contains `text`. */
    async waitFor(text) {
      for (let i = 0; i < 200 && !conn.answer.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    },
  };
  socket.on("data", (d) => (conn.answer += d));
  return conn;
}

/** Keep-alive: the same connection answers the next request (a 404 for an unknown route). */
async function servesNextRequest(conn) {
  conn.reset();
  conn.socket.write("GET /api/authenta/v1/nothing HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer user-alice\r\n\r\n");
  await conn.waitFor("NOT_FOUND");
  assert.match(conn.answer, /^HTTP\/1\.1 404 /);
  conn.socket.end();
  await conn.closed;
}

describe("toNodeListener and the request body", () => {
  let server;
  let port;
  let release;
  let authenticating;
  before(async () => {
    const options = handlerOptions({ apiKey: "api_test_key_0123456789", baseUrl: "http://127.0.0.1:9/api" });
    // authenticate waits until the test lets it go: the body keeps arriving meanwhile.
    const handler = createAuthentaHandler({
      ...options,
      authenticate: async (request) => {
        await new Promise((resolve) => {
          release = resolve;
          authenticating();
        });
        return options.authenticate(request);
      },
    });
    server = createServer(toNodeListener(handler));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = server.address().port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("a create body over the limit, streamed without a length: 413 on a connection that stays open", async () => {
    authenticating = () => release();
    const conn = rawConnection(port);
    const chunk = Buffer.alloc(16_384, 0x20);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    conn.socket.write(`POST /api/authenta/v1/jobs HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer user-alice\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
    for (let i = 0; i < 8; i++) conn.socket.write(frame); // 128 KB, all sent before the answer
    conn.socket.write("0\r\n\r\n");
    await conn.waitFor("TOO_LARGE");
    assert.match(conn.answer, /^HTTP\/1\.1 413 /);
    assert.match(conn.answer, /"code":"TOO_LARGE"/);
    // The rest of the body was read and dropped.
    await servesNextRequest(conn);
  });

  it("a body the handler answered without reading (401): the connection serves the next request", async () => {
    authenticating = () => release();
    const conn = rawConnection(port);
    const body = " ".repeat(200_000);
    conn.socket.write(`POST /api/authenta/v1/jobs/12/finalize HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    await conn.waitFor("UNAUTHENTICATED");
    assert.match(conn.answer, /^HTTP\/1\.1 401 /);
    await servesNextRequest(conn);
  });

  it("a body the handler has not asked for is not queued in memory: the socket waits", async () => {
    const started = new Promise((resolve) => (authenticating = resolve));
    const conn = rawConnection(port);
    const { socket } = conn;
    socket.on("error", () => {});
    // POST to a route whose body the handler never reads (finalize), far more than it reads.
    socket.write(`POST /api/authenta/v1/jobs/12/finalize HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer nobody\r\ntransfer-encoding: chunked\r\n\r\n`);
    await started;
    globalThis.gc?.();
    const base = process.memoryUsage().arrayBuffers;
    const chunk = Buffer.alloc(1 << 20, 0x20);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    // 64 MB offered while the handler is busy; the writes stall once the server stops reading.
    let offered = 0;
    for (let i = 0; i < 64; i++) {
      if (!socket.write(frame)) await Promise.race([new Promise((r) => socket.once("drain", r)), new Promise((r) => setTimeout(r, 200))]);
      offered += chunk.length;
    }
    await new Promise((r) => setTimeout(r, 200));
    const held = process.memoryUsage().arrayBuffers - base;
    release();
    socket.end("0\r\n\r\n");
    await conn.closed;
    assert.ok(held < 24 << 20, `${(held / 2 ** 20).toFixed(1)} MB held of ${offered / 2 ** 20} MB offered`);
    assert.match(conn.answer, /^HTTP\/1\.1 401 /);
  });
});
