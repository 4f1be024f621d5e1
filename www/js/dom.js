// Small DOM and formatting helpers shared by the page's modules. Nothing here knows the SDK.

export const $ = (id) => document.getElementById(id);

/** Creates an element: h("p", { class: "x", dataset: { a: 1 } }, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function formatBytes(n) {
  if (!Number.isFinite(n)) return "?";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export const clockTime = (ms) =>
  new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

export function timeAgo(iso) {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return "";
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 45) return "just now";
  if (s < 90) return "1 min ago";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

/** Some deployments send booleans and numbers as strings. */
export const asBool = (v) => (v === true || v === "true" ? true : v === false || v === "false" ? false : null);
export const asNum = (v) => {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
/** A confidence of 0..1 as "87.3 %". */
export const percent = (c) => `${(c * 100).toFixed(1)} %`;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Says `text` to screen readers through the page's polite live region. */
export function announce(text) {
  const el = $("announcer");
  if (!el) return;
  // A change of content is what a live region announces: clear first so a repeat is read too.
  el.textContent = "";
  requestAnimationFrame(() => { el.textContent = text; });
}
