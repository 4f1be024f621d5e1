// Usage: node scripts/prune-table.mjs <file.wasm>   (after wasm-bindgen, before wasm-opt; names kept)
//
// wasm-bindgen leaves in the wasm's function table the closure trampolines of every js-sys
// binding that takes a closure (`wasm_bindgen::convert::closures::…::invoke`) and js-sys's JSPI
// waker (`js_sys::futures::…`), which its descriptors referred to: the SDK passes no closure to
// JS and runs no Rust future, so nothing calls them, but an element segment keeps them (and what
// they call) alive, and wasm-opt cannot tell that no `call_indirect` reaches them. This points
// those table entries at one of them, so wasm-opt drops the rest: 0.4 KB gzipped (README, "Size").
//
// It refuses (and the build fails) where that would not be sound: a function table that JS can
// reach (imported or exported: wasm-bindgen exports it when closures cross the boundary), or a
// layout it does not know. Nothing else changes: the entries keep their places, so every function
// pointer in the wasm's data still means the same function.
import { readFileSync, writeFileSync } from "node:fs";

const DEAD = [/^wasm_bindgen\[[0-9a-f]+\]::convert::closures::/, /^js_sys\[[0-9a-f]+\]::futures::/];

const file = process.argv[2];
const wasm = readFileSync(file);
const fail = (why) => {
  console.error(`prune-table: ${file}: ${why}`);
  process.exit(1);
};

function reader(buf, pos = 0) {
  return {
    pos,
    u8() {
      return buf[this.pos++];
    },
    u32() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = buf[this.pos++];
        result += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return result;
        shift += 7;
      }
    },
    bytes(n) {
      const out = buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      return out;
    },
    name() {
      return this.bytes(this.u32()).toString("utf8");
    },
  };
}

const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
};

// The sections, as [id, start of content, end, start of header].
const sections = [];
for (const r = reader(wasm, 8); r.pos < wasm.length; ) {
  const header = r.pos;
  const id = r.u8();
  const size = r.u32();
  sections.push([id, r.pos, r.pos + size, header]);
  r.pos += size;
}
const section = (id) => sections.filter(([i]) => i === id);

// Function names (the "name" custom section, subsection 1).
const names = new Map();
for (const [, start, end] of section(0)) {
  const r = reader(wasm, start);
  if (r.name() !== "name") continue;
  while (r.pos < end) {
    const sub = r.u8();
    const size = r.u32();
    const next = r.pos + size;
    if (sub === 1) for (let n = r.u32(); n > 0; n--) names.set(r.u32(), r.name());
    r.pos = next;
  }
}
if (names.size === 0) fail("no function names (run it before wasm-opt strips them)");

// Table 0 must be the module's own (function imports are counted for the indices below): the
// runtime's own reading of the import section, as scripts/minify-names.mjs does.
const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
if (imports.some((i) => i.kind === "table")) fail("a table is imported");
const importedFunctions = imports.filter((i) => i.kind === "function").length;
for (const [, start] of section(4)) {
  if (reader(wasm, start).u32() < 1) fail("no table section");
}
for (const [, start] of section(7)) {
  const r = reader(wasm, start);
  for (let n = r.u32(); n > 0; n--) {
    r.name();
    const kind = r.u8();
    const index = r.u32();
    // Only table 0, the function table: the externref table wasm-bindgen exports is not touched.
    if (kind === 1 && index === 0) fail("the function table is exported (closures cross to JS?)");
  }
}

// The element section: active segments of table 0 with function indices (flags 0), rewritten.
const elems = section(9);
if (elems.length !== 1) fail(`${elems.length} element sections`);
const [[, start, end, header]] = elems;
const r = reader(wasm, start);
const out = [];
const segments = r.u32();
out.push(leb(segments));
let pruned = 0;
let target;
for (let s = 0; s < segments; s++) {
  const flags = r.u32();
  if (flags !== 0) fail(`element segment flags ${flags}`);
  const offsetStart = r.pos;
  if (r.u8() !== 0x41) fail("an element segment offset that is not i32.const");
  r.u32();
  if (r.u8() !== 0x0b) fail("an element segment offset that is not i32.const");
  const offset = wasm.subarray(offsetStart, r.pos);
  const count = r.u32();
  const entries = [];
  for (let e = 0; e < count; e++) {
    const index = r.u32();
    const name = index >= importedFunctions ? names.get(index) : undefined;
    if (name && DEAD.some((p) => p.test(name))) {
      target ??= index;
      entries.push(target);
      pruned++;
    } else entries.push(index);
  }
  out.push(leb(flags), offset, leb(count), ...entries.map(leb));
}
if (r.pos !== end) fail("trailing bytes in the element section");
const content = Buffer.concat(out);
writeFileSync(file, Buffer.concat([wasm.subarray(0, header), Buffer.from([9]), leb(content.length), content, wasm.subarray(end)]));
console.log(`prune-table: ${pruned} table entries that nothing calls point at one of them`);
