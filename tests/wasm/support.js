// Test-side helpers for tests/wasm_client.rs: the emulator's controls and a few JS values that
// are awkward to build from Rust.

export async function control(api, path, body) {
  const base = api.replace(/\/api$/, "/__emulator/");
  const res = await fetch(base + path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Requests the emulator logged for one origin ("api" or "storage"), optionally one method. */
export async function logged(api, origin, method) {
  const all = await control(api, "log");
  return all.filter((e) => e.origin === origin && (!method || e.method === method));
}

export function blob(size, type) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return new Blob([bytes], { type });
}

export function abortAfter(ms) {
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  return c.signal;
}

export function timeoutSignal(ms) {
  return AbortSignal.timeout(ms);
}

export function isError(e) {
  return e instanceof Error;
}

export function now() {
  return Date.now();
}

/** Records every call: returns [fn, calls] where calls is an array of the arguments. */
export function recorder() {
  const calls = [];
  return [(arg) => void calls.push(JSON.parse(JSON.stringify(arg))), calls];
}

/** An apiKey function that counts its calls. */
export function countingKey(key) {
  const state = { calls: 0 };
  return [() => (state.calls++, Promise.resolve(key)), state];
}

export async function clearFaults(api) {
  const res = await fetch(api.replace(/\/api$/, "/__emulator/faults"), { method: "DELETE" });
  if (!res.ok) throw new Error(`clear faults: ${res.status}`);
}
