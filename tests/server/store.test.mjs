// The ownership stores of authenta-wasm/server: memoryStore (bounded, memory flat past its bound),
// workersKvStore's key layout (over a KV with the real API's listing semantics; the real KV runs
// in miniflare in tests/runtimes), and the Redis store the package README shows (over node-redis's
// calls on maps).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { memoryStore, workersKvStore } from "../../pkg/server.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

const record = (owner, api, id, createdAt) => ({ owner, api, id, task: "AC-1", createdAt, completed: false });
const put = (store, owner, api, id, t) => store.set(`${api === "jobs" ? "job" : "media"}:${id}`, record(owner, api, id, t));

describe("memoryStore", () => {
  it("lists an owner's ids newest first, per API, with totals; delete forgets", () => {
    const s = memoryStore();
    for (let i = 1; i <= 5; i++) put(s, "alice", "jobs", String(i), i);
    put(s, "bob", "jobs", "6", 6);
    put(s, "alice", "media", "m1", 7);
    assert.deepEqual(s.list("alice", { api: "jobs", offset: 0, limit: 2 }), { ids: ["5", "4"], total: 5 });
    assert.deepEqual(s.list("alice", { api: "jobs", offset: 4, limit: 2 }), { ids: ["1"], total: 5 });
    assert.deepEqual(s.list("alice", { api: "media", offset: 0, limit: 10 }), { ids: ["m1"], total: 1 });
    assert.deepEqual(s.list("carol", { api: "jobs", offset: 0, limit: 10 }), { ids: [], total: 0 });
    assert.equal(s.get("job:6").owner, "bob");
    s.delete("job:3");
    assert.equal(s.get("job:3"), undefined);
    assert.deepEqual(s.list("alice", { api: "jobs", offset: 0, limit: 10 }), { ids: ["5", "4", "2", "1"], total: 4 });
    // Updating a record (completed) keeps it listed.
    s.set("job:1", { ...s.get("job:1"), completed: true });
    assert.deepEqual(s.list("alice", { api: "jobs", offset: 0, limit: 10 }).ids, ["5", "4", "2", "1"]);
    assert.equal(s.size, 6);
    // An id recorded again for another owner (ids reused upstream) is the new owner's alone.
    put(s, "bob", "jobs", "2", 9);
    assert.deepEqual(s.list("alice", { api: "jobs", offset: 0, limit: 10 }), { ids: ["5", "4", "1"], total: 3 });
    assert.deepEqual(s.list("bob", { api: "jobs", offset: 0, limit: 10 }), { ids: ["2", "6"], total: 2 });
  });

  it("is bounded: past maxJobs the oldest is forgotten, owner lists included", () => {
    const s = memoryStore({ maxJobs: 3 });
    for (let i = 1; i <= 5; i++) put(s, i % 2 ? "alice" : "bob", "jobs", String(i), i);
    assert.equal(s.size, 3);
    assert.equal(s.get("job:1"), undefined);
    assert.equal(s.get("job:2"), undefined);
    assert.deepEqual(s.list("alice", { api: "jobs", offset: 0, limit: 10 }), { ids: ["5", "3"], total: 2 });
    assert.deepEqual(s.list("bob", { api: "jobs", offset: 0, limit: 10 }), { ids: ["4"], total: 1 });
    assert.throws(() => memoryStore({ maxJobs: 0 }), { name: "ConfigurationError" });
  });

  it("memory stays flat over 300 000 more jobs past the default bound of 100 000 (and grows without it)", () => {
    const heapAfter = (store, from, to) => {
      for (let i = from; i < to; i++) put(store, `user-${i % 5000}`, i % 3 ? "jobs" : "media", `id${i}`, i);
      gc();
      return process.memoryUsage().heapUsed;
    };
    // The first 200 000 fill it and turn it over once (its tables reach their working size).
    const bounded = memoryStore();
    const atBound = heapAfter(bounded, 0, 200_000);
    const past = heapAfter(bounded, 200_000, 500_000);
    assert.equal(bounded.size, 100_000);
    console.log(`# memoryStore: heap ${(atBound / 1e6).toFixed(1)} MB after 200 000 jobs, ${(past / 1e6).toFixed(1)} MB after 500 000`);
    assert.ok(past < atBound * 1.05, `heap grew from ${atBound} to ${past}`);
    // The measurement can see growth: the same 300 000 jobs in a store bounded at a million.
    const loose = memoryStore({ maxJobs: 1_000_000 });
    const looseAt = heapAfter(loose, 0, 100_000);
    const loosePast = heapAfter(loose, 100_000, 300_000);
    assert.ok(loosePast > looseAt * 1.5, `an unbounded store grew only from ${looseAt} to ${loosePast}`);
  });
});

/** A KV namespace with Workers KV's semantics: keys listed in byte order, 1000 a page, a cursor. */
function fakeKv() {
  const map = new Map();
  return {
    map,
    async get(key, type) {
      const v = map.get(key);
      return v === undefined ? null : type === "json" ? JSON.parse(v) : v;
    },
    async put(key, value) {
      map.set(key, value);
    },
    async delete(key) {
      map.delete(key);
    },
    async list({ prefix, cursor }) {
      const names = [...map.keys()].filter((k) => k.startsWith(prefix)).sort();
      const start = cursor ? Number(cursor) : 0;
      const keys = names.slice(start, start + 1000).map((name) => ({ name }));
      const done = start + 1000 >= names.length;
      return { keys, list_complete: done, cursor: done ? undefined : String(start + 1000) };
    },
  };
}

describe("workersKvStore", () => {
  it("records, lists newest first across KV pages, and forgets both keys", async () => {
    const kv = fakeKv();
    const s = workersKvStore(kv);
    for (let i = 1; i <= 2500; i++) await put(s, "a:lice/é", "jobs", String(i), 1_000_000 + i);
    await put(s, "bob", "jobs", "x", 5);
    assert.equal((await s.get("job:7")).owner, "a:lice/é");
    const first = await s.list("a:lice/é", { api: "jobs", offset: 0, limit: 3 });
    assert.deepEqual(first, { ids: ["2500", "2499", "2498"], total: 2500 });
    const last = await s.list("a:lice/é", { api: "jobs", offset: 2498, limit: 5 });
    assert.deepEqual(last, { ids: ["2", "1"], total: 2500 });
    assert.deepEqual(await s.list("bob", { api: "jobs", offset: 0, limit: 5 }), { ids: ["x"], total: 1 });
    assert.deepEqual(await s.list("a", { api: "jobs", offset: 0, limit: 5 }), { ids: [], total: 0 });
    // An id recorded again for another owner leaves the old owner's list.
    await put(s, "bob", "jobs", "7", 5_000_000);
    assert.equal((await s.list("a:lice/é", { api: "jobs", offset: 0, limit: 1 })).total, 2499);
    assert.deepEqual(await s.list("bob", { api: "jobs", offset: 0, limit: 5 }), { ids: ["7", "x"], total: 2 });
    await put(s, "a:lice/é", "jobs", "7", 1_000_007);
    const before = kv.map.size;
    await s.delete("job:2500");
    assert.equal(kv.map.size, before - 2);
    assert.equal(await s.get("job:2500"), null);
    assert.equal((await s.list("a:lice/é", { api: "jobs", offset: 0, limit: 1 })).ids[0], "2499");
    assert.throws(() => workersKvStore({}), { name: "ConfigurationError" });
  });
});

/** node-redis v4's calls that the README's Redis store uses, over maps (strings and sorted sets). */
function fakeRedis() {
  const strings = new Map();
  const zsets = new Map();
  const zset = (k) => zsets.get(k) ?? zsets.set(k, new Map()).get(k);
  const sorted = (k) => [...zset(k)].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([m]) => m);
  return {
    get: async (k) => strings.get(k) ?? null,
    set: async (k, v) => void strings.set(k, v),
    del: async (k) => void strings.delete(k),
    zAdd: async (k, { score, value }) => void zset(k).set(value, score),
    zRem: async (k, m) => void zset(k).delete(m),
    zCard: async (k) => zset(k).size,
    zRange: async (k, start, stop, { REV } = {}) => {
      const all = REV ? sorted(k).reverse() : sorted(k);
      return all.slice(start, stop + 1);
    },
  };
}

/** The ```js block of pkg/README.md that defines `name` (`const name = {…};`), as a value. */
function readmeStore(name, scope) {
  const readme = readFileSync(new URL("../../pkg/README.md", import.meta.url), "utf8");
  const block = [...readme.matchAll(/^\s*```js\n([\s\S]*?)^\s*```$/gm)].map((m) => m[1]).find((b) => b.includes(`const ${name} =`));
  assert.ok(block, `pkg/README.md shows ${name}`);
  return new Function(...Object.keys(scope), `${block}\nreturn ${name};`)(...Object.values(scope));
}

describe("the README's Redis store", () => {
  it("keeps the store's contract: newest first per owner and API, totals, delete", async () => {
    const s = readmeStore("redisStore", { redis: fakeRedis() });
    for (let i = 1; i <= 5; i++) await put(s, "alice", "jobs", String(i), 1000 + i);
    await put(s, "bob", "jobs", "6", 2000);
    await put(s, "alice", "media", "m1", 3000);
    assert.deepEqual(await s.list("alice", { api: "jobs", offset: 0, limit: 2 }), { ids: ["5", "4"], total: 5 });
    assert.deepEqual(await s.list("alice", { api: "jobs", offset: 4, limit: 2 }), { ids: ["1"], total: 5 });
    assert.deepEqual(await s.list("alice", { api: "media", offset: 0, limit: 5 }), { ids: ["m1"], total: 1 });
    assert.equal((await s.get("job:6")).owner, "bob");
    await s.delete("job:5");
    assert.equal(await s.get("job:5"), null);
    assert.deepEqual(await s.list("alice", { api: "jobs", offset: 0, limit: 10 }), { ids: ["4", "3", "2", "1"], total: 4 });
    await put(s, "bob", "jobs", "3", 2500);
    assert.deepEqual(await s.list("alice", { api: "jobs", offset: 0, limit: 10 }), { ids: ["4", "2", "1"], total: 3 });
    assert.deepEqual(await s.list("bob", { api: "jobs", offset: 0, limit: 10 }), { ids: ["3", "6"], total: 2 });
  });
});
