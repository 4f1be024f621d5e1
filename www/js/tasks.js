// What each API can be asked to do: the Jobs API's tasks come from the package's TASK_TYPES
// (id, code, slug, name, what the `original` input accepts); the legacy Media API has four models.
import { TASK_TYPES } from "/pkg/index.js";

/** The legacy `/api/media` models and the kinds of file each takes (emulator/README.md). */
export const MEDIA_MODELS = {
  "DF-1": { name: "Deepfake video detection", accept: ["video/*"] },
  "AC-1": { name: "AI-generated image detection", accept: ["image/*"] },
  "FI-1": { name: "Face intelligence (checks)", accept: ["image/*", "video/*"] },
  "FE-1": { name: "Face embedding", accept: ["image/*"] },
};

/** The types the reference slot of FI-1 takes (only FI-1 has one). */
export const REFERENCE_ACCEPTS = ["image/jpeg", "image/png"];

/** Content types a browser may leave empty (the SDK needs one). */
const EXTENSION_TYPES = {
  mp4: "video/mp4", m4v: "video/mp4", mov: "video/quicktime", webm: "video/webm", png: "image/png",
  jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif", pdf: "application/pdf",
  mp3: "audio/mpeg", wav: "audio/wav", m4a: "audio/mp4",
};

export function contentTypeOf(file) {
  if (file.type) return file.type;
  const ext = (file.name?.split(".").pop() ?? "").toLowerCase();
  return EXTENSION_TYPES[ext] ?? "";
}

export const kindOf = (type) => (type ?? "").split("/")[0];

/** Whether `type` is one of `accepts` (`image/*` patterns allowed), parameters ignored. */
export function accepts(accepts, type) {
  const t = (type ?? "").split(";")[0].trim().toLowerCase();
  return accepts.some((a) => a === t || (a.endsWith("/*") && t.startsWith(a.slice(0, -1))));
}

/** The task of TASK_TYPES with this code. */
export const taskByCode = (code) => TASK_TYPES.find((t) => t.code === code);

/** The picker's entries for an API: { value, label, accept: [types], kinds: "image, video…" }. */
export function choicesOf(api) {
  if (api === "media") {
    return Object.entries(MEDIA_MODELS).map(([code, m]) => ({ value: code, code, label: `${code} · ${m.name}`, accept: m.accept }));
  }
  return TASK_TYPES.map((t) => ({ value: t.code, code: t.code, label: `${t.code} · ${t.name}`, accept: [...t.accepts], slug: t.slug, id: t.id }));
}

export const choiceOf = (api, code) => choicesOf(api).find((c) => c.code === code);

/** "JPEG or PNG images", "MP4 or QuickTime videos"… for hints and error advice. */
export function describeAccepts(list) {
  const names = list.map((t) => (t.endsWith("/*") ? `any ${t.slice(0, -2)}` : t.split("/")[1].replace(/^x-/, "").toUpperCase()));
  return [...new Set(names)].join(", ");
}
