// Part of pkg/index.js (see browser-entry.js), and the first of its modules to run: it starts
// the wasm download, and its compile as the bytes arrive, before the glue and the error classes
// are even evaluated. It throws nothing and imports nothing; browser-entry.js turns a failure
// into the ConfigurationError that names `tried`.

/** The URL of the wasm, once it could be made. */
export let tried = "./authenta_wasm_bg.wasm";

/**
 * The compiled WebAssembly.Module; rejects with { cause } (no URL, fetch or compile failed) or
 * { status } (an HTTP error).
 */
export const compiled = request().then(compile, (cause) => Promise.reject({ cause }));
compiled.catch(() => {}); // reported by browser-entry.js's `ready`, not here

function request() {
  try {
    // Without import.meta (a bundle that is not an ES module) this throws: that must reach the
    // first call, not break the import. `new URL("…", import.meta.url)` is also the form that
    // bundlers recognise to copy the file.
    const url = new URL("./authenta_wasm_bg.wasm", import.meta.url);
    tried = url.href;
    return fetch(url);
  } catch (e) {
    return Promise.reject(e);
  }
}

async function compile(response) {
  if (!response.ok) throw { status: response.status };
  try {
    // Streaming: compiled while the bytes arrive (and at once from a <link rel="preload">).
    return await WebAssembly.compileStreaming(response);
  } catch (cause) {
    // As wasm-bindgen's own loader: a server that does not say application/wasm still works,
    // compiled from the whole file (slower; said once in the console).
    const wrongType =
      ["basic", "cors", "default"].includes(response.type) &&
      response.headers.get("Content-Type") !== "application/wasm";
    if (!wrongType) throw { cause };
    console.warn(
      `authenta-wasm: ${tried} is not served as application/wasm, so it is compiled after it has ` +
        "downloaded instead of while it downloads. Serve .wasm files as application/wasm.",
      cause,
    );
    try {
      return await WebAssembly.compile(await response.arrayBuffer());
    } catch (e) {
      throw { cause: e };
    }
  }
}
