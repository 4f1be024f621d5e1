// Part of pkg/index.js (see browser-entry.js), and the first of its modules to run: it starts
// the wasm download before the glue and the error classes are even evaluated. It throws nothing
// and imports nothing; browser-entry.js hands the response to the glue (which compiles it while
// it streams in) and turns a failure into the ConfigurationError that names `tried`.

/** The URL of the wasm, once it could be made. */
export let tried = "./authenta_wasm_bg.wasm";

/** The wasm's Response; rejects with why it could not be requested. */
export const fetched = request();
fetched.catch(() => {}); // reported by browser-entry.js's `ready`, not here

function request(again) {
  try {
    // Without import.meta (a bundle that is not an ES module) this throws: that must reach the
    // first call, not break the import. `new URL("…", import.meta.url)` is also the form that
    // bundlers recognise to copy the file.
    const url = new URL("./authenta_wasm_bg.wasm", import.meta.url);
    tried = url.href;
    return fetch(url);
  } catch (e) {
    // Once more after this module has run: Parcel's scope hoisting assigns the URL it
    // substitutes after this module's first statement, which calls this.
    return again ? Promise.reject(e) : Promise.resolve(true).then(request);
  }
}
