// Drawing on the result canvas: the picture (or a video frame), the face boxes of one frame in
// their class's colour, the heatmap artifact over the picture, and the FE-1 vector as a colour map.
import { $ } from "./dom.js";
import { kindOf } from "./tasks.js";

export const COLOURS = { real: "#16a34a", fake: "#dc2626", other: "#d97706" };
/** Boxes are keyed by frame number; the page assumes 30 frames per second. */
export const FPS = 30;

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the ${what} took too long to load`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function once(target, ok, what) {
  return new Promise((resolve, reject) => {
    const done = () => {
      target.removeEventListener(ok, done);
      target.removeEventListener("error", bad);
      resolve();
    };
    const bad = () => {
      target.removeEventListener(ok, done);
      target.removeEventListener("error", bad);
      reject(new Error(`the browser could not decode the ${what}`));
    };
    target.addEventListener(ok, done);
    target.addEventListener("error", bad);
  });
}

/** An image from a URL (an object URL or a pre-signed storage URL). */
export async function loadImage(src) {
  const img = new Image();
  img.crossOrigin = "anonymous";
  img.decoding = "async";
  const loaded = once(img, "load", "image");
  img.src = src;
  await withTimeout(loaded, 8000, "image");
  return { el: img, width: img.naturalWidth, height: img.naturalHeight };
}

async function loadVideo(src) {
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.preload = "auto";
  video.crossOrigin = "anonymous";
  const loaded = once(video, "loadeddata", "video");
  video.src = src;
  await withTimeout(loaded, 6000, "video");
  if (!video.videoWidth) throw new Error("the video has no picture track");
  return { el: video, width: video.videoWidth, height: video.videoHeight };
}

async function seek(video, frame) {
  const t = frame / FPS;
  const seeked = once(video, "seeked", "video");
  // A recorded clip may not know its duration (Infinity): seek to the time as asked.
  video.currentTime = Number.isFinite(video.duration) ? Math.min(t, Math.max(0, video.duration - 0.01)) : t;
  await withTimeout(seeked, 6000, "video");
}

/** The identities of a DF-1 / FI-1 result: predictions and boxes merged, ids as strings. */
export function identitiesOf(result) {
  const boxes = result?.boundingBoxes && typeof result.boundingBoxes === "object" ? result.boundingBoxes : {};
  const ids = new Map();
  for (const p of Array.isArray(result?.identityPredictions) ? result.identityPredictions : []) {
    const v = p.isDeepFake;
    ids.set(String(p.identityId), { id: String(p.identityId), isFake: v === true || v === "true" ? true : v === false || v === "false" ? false : null });
  }
  for (const [id, b] of Object.entries(boxes)) {
    const entry = ids.get(id) ?? { id, isFake: null };
    entry.cls = typeof b?.class === "string" ? b.class.toLowerCase() : null;
    const c = Number(b?.confidence);
    entry.confidence = b?.confidence !== undefined && b?.confidence !== null && Number.isFinite(c) ? c : null;
    entry.frames = b?.boundingBox && typeof b.boundingBox === "object" ? b.boundingBox : {};
    ids.set(id, entry);
  }
  for (const e of ids.values()) {
    if (!e.cls) e.cls = e.isFake === true ? "fake" : e.isFake === false ? "real" : "unknown";
    if (e.isFake === null) e.isFake = e.cls === "fake" ? true : e.cls === "real" ? false : null;
    e.frames ??= {};
    e.confidence ??= null;
  }
  return [...ids.values()].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
}

const isBox = (b) => Array.isArray(b) && b.length >= 4 && b.slice(0, 4).every((x) => Number.isFinite(Number(x)));

/** Every frame number that has a box, ascending. */
export function framesWithBoxes(result) {
  const frames = new Set();
  for (const p of identitiesOf(result)) {
    for (const [k, box] of Object.entries(p.frames)) if (isBox(box) && Number.isFinite(Number(k))) frames.add(Number(k));
  }
  return [...frames].sort((a, b) => a - b);
}

/** The boxes of every identity on `frame`. */
export function boxesOn(result, frame) {
  const boxes = [];
  for (const [index, p] of identitiesOf(result).entries()) {
    const key = Object.keys(p.frames).find((k) => Number(k) === frame);
    const b = key !== undefined ? p.frames[key] : null;
    if (isBox(b)) {
      const [x, y, w, hh] = b.map(Number);
      boxes.push({ id: p.id, n: index + 1, cls: p.cls, confidence: p.confidence, x, y, w, h: hh });
    }
  }
  return boxes;
}

/* ---- the figure: one picture, its boxes per frame, an optional heatmap ---- */

/** What is on the canvas now: { result, kind, media, heatmap, frames, index }. */
const shown = { result: null, kind: "", media: null, heatmap: null, frames: [], index: 0, objectUrl: null };

/**
 * Shows `source` ({ blob } or { url }, with `type`) on the canvas, with the boxes of `result` and
 * the heatmap image at `heatmapUrl`. Hides the figure when there is nothing to draw.
 */
export async function showFigure(result, source, { heatmapUrl = null } = {}) {
  const figure = $("media-figure");
  if (shown.objectUrl) URL.revokeObjectURL(shown.objectUrl);
  shown.objectUrl = source?.blob ? URL.createObjectURL(source.blob) : null;
  const src = shown.objectUrl ?? source?.url ?? null;
  const kind = kindOf(source?.type);
  const frames = framesWithBoxes(result);
  Object.assign(shown, { result, kind, media: null, heatmap: null, frames, index: 0, why: "" });
  if (kind !== "image" && kind !== "video" && frames.length === 0 && !heatmapUrl) {
    figure.hidden = true;
    return;
  }
  if (src && (kind === "image" || kind === "video")) {
    try {
      shown.media = kind === "image" ? await loadImage(src) : await loadVideo(src);
    } catch (e) {
      shown.why = e.message;
    }
  } else {
    shown.why = `the ${kind || "file"} is not available to this page`;
  }
  if (heatmapUrl) {
    try {
      shown.heatmap = await loadImage(heatmapUrl);
    } catch (e) {
      shown.heatmapWhy = e.message;
    }
  }
  if (!shown.media && frames.length === 0 && !shown.heatmap) {
    figure.hidden = true;
    return;
  }
  $("heatmap-toggle-row").hidden = !shown.heatmap;
  $("heatmap-toggle").checked = true;
  const stepper = $("frame-stepper");
  stepper.hidden = frames.length < 2;
  figure.hidden = false;
  await drawFrame();
}

/** Moves to the previous (-1) or next (+1) frame that has boxes. */
export async function stepFrame(delta) {
  if (shown.frames.length < 2) return;
  shown.index = Math.min(shown.frames.length - 1, Math.max(0, shown.index + delta));
  await drawFrame();
}

/** Redraws what is shown (e.g. after the heatmap toggle). */
export async function drawFrame() {
  const canvas = $("media-canvas");
  const { media, kind, heatmap, frames, result } = shown;
  const frame = frames.length ? frames[shown.index] : null;
  const boxes = frame === null ? [] : boxesOn(result, frame);
  if (media && kind === "video") {
    try {
      await seek(media.el, frame ?? 0);
    } catch (e) {
      shown.why = e.message;
    }
  }
  // Canvas size: the media's own pixels (boxes are in those pixels), at most 1600 px a side.
  const width = media?.width || Math.max(kind === "video" ? 1280 : heatmap?.width ?? 640, ...boxes.map((b) => b.x + b.w));
  const height = media?.height || Math.max(kind === "video" ? 720 : heatmap?.height ?? 480, ...boxes.map((b) => b.y + b.h));
  const scale = Math.min(1, 1600 / Math.max(width, height));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  // A small picture is not blown up past twice its size.
  canvas.style.maxWidth = `${Math.max(canvas.width * 2, 320)}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  if (media) ctx.drawImage(media.el, 0, 0, canvas.width, canvas.height);
  else drawPlaceholder(ctx, canvas.width, canvas.height, kind, heatmap ? "document" : "boxes");
  const heatOn = Boolean(heatmap) && $("heatmap-toggle").checked;
  // The heatmap is red with its alpha the "manipulation", at a lower resolution: stretched over the
  // whole picture, smoothed.
  if (heatOn) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heatmap.el, 0, 0, canvas.width, canvas.height);
  }
  ctx.scale(scale, scale);
  const line = Math.max(2, Math.round(Math.max(width, height) / 240));
  for (const b of boxes) drawBox(ctx, b, line, width);

  canvas.dataset.source = media ? kind : "placeholder";
  canvas.dataset.frame = frame === null ? "" : String(frame);
  canvas.dataset.heatmap = heatOn ? "drawn" : heatmap ? "hidden" : "none";
  canvas.dataset.boxes = JSON.stringify(boxes.map(({ id, cls, x, y, w, h: hh }) => ({ id, cls, x, y, w, h: hh })));
  const what = media ? (kind === "video" ? `Video frame ${frame ?? 0}` : "The picture") : "A blank frame";
  canvas.setAttribute("aria-label", `${what} with ${boxes.length} face${boxes.length === 1 ? "" : "s"} outlined${heatOn ? " and the heatmap over it" : ""}`);

  const legend = boxes.length
    ? `${boxes.length} face${boxes.length === 1 ? "" : "s"} outlined: green real, red fake.`
    : heatmap ? "Red where the model sees manipulation (the heatmap artifact)." : "No face boxes in the result.";
  const where = kind === "video" && frame !== null ? `Frame ${frame} (${(frame / FPS).toFixed(2)} s at ${FPS} fps)` : "The picture";
  $("media-caption").textContent = media
    ? `${where} · ${legend}`
    : `No preview: ${shown.why}. ${boxes.length ? `The boxes${frame !== null ? ` of frame ${frame}` : ""} are drawn on a blank ${Math.round(width)} × ${Math.round(height)} frame at their reported positions. ` : ""}${legend}`;
  $("media-figure").dataset.source = canvas.dataset.source;
  if (frames.length > 1) {
    $("frame-label").textContent = `Frame ${frame} · ${shown.index + 1} of ${frames.length} with boxes`;
    $("frame-prev").disabled = shown.index === 0;
    $("frame-next").disabled = shown.index === frames.length - 1;
  }
}

function drawPlaceholder(ctx, w, hgt, kind, what) {
  const g = ctx.createLinearGradient(0, 0, w, hgt);
  g.addColorStop(0, "#1e293b");
  g.addColorStop(1, "#0f172a");
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, hgt);
  ctx.strokeStyle = "rgba(148,163,184,0.12)";
  ctx.lineWidth = 1;
  for (let x = 0; x <= w; x += 40) {
    ctx.beginPath();
    ctx.moveTo(x + 0.5, 0);
    ctx.lineTo(x + 0.5, hgt);
    ctx.stroke();
  }
  for (let y = 0; y <= hgt; y += 40) {
    ctx.beginPath();
    ctx.moveTo(0, y + 0.5);
    ctx.lineTo(w, y + 0.5);
    ctx.stroke();
  }
  const size = Math.max(12, Math.round(w / 48));
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  const text = what === "document" ? `No preview of this ${kind || "file"}: the heatmap alone` : `No preview of this ${kind || "file"}: boxes at their reported positions`;
  const pad = Math.round(size * 0.6);
  ctx.fillStyle = "rgba(148,163,184,0.16)";
  ctx.fillRect(pad, pad, ctx.measureText(text).width + pad * 2, size + pad * 1.4);
  ctx.fillStyle = "rgba(226,232,240,0.75)";
  ctx.textBaseline = "middle";
  ctx.fillText(text, pad * 2, pad + (size + pad * 1.4) / 2);
  ctx.textBaseline = "alphabetic";
}

function drawBox(ctx, b, line, frameWidth) {
  const colour = COLOURS[b.cls] ?? COLOURS.other;
  ctx.lineWidth = line;
  ctx.strokeStyle = colour;
  ctx.strokeRect(b.x, b.y, b.w, b.h);
  const label = `${b.n} · ${b.cls}${b.confidence !== null && b.confidence !== undefined ? ` ${Math.round(b.confidence * 100)}%` : ""}`;
  const size = Math.max(13, Math.round(frameWidth / 40));
  ctx.font = `700 ${size}px system-ui, sans-serif`;
  const padX = Math.round(size / 2.5);
  const tw = ctx.measureText(label).width + padX * 2;
  const th = size + padX;
  const above = b.y - th - line / 2 >= 0;
  const lx = b.x - line / 2;
  const ly = above ? b.y - th - line / 2 : b.y + line / 2;
  ctx.fillStyle = colour;
  ctx.fillRect(lx, ly, tw, th);
  ctx.fillStyle = "#ffffff";
  ctx.textBaseline = "middle";
  ctx.fillText(label, lx + padX, ly + th / 2 + 1);
  ctx.textBaseline = "alphabetic";
}

export function hideFigure() {
  $("media-figure").hidden = true;
}

/** The FE-1 vector as a grid of cells, blue (negative) to white to red (positive). */
export function drawVector(canvas, v) {
  const ctx = canvas.getContext("2d");
  const cols = 64;
  const rows = Math.max(1, Math.ceil(v.length / cols));
  canvas.height = rows * 4;
  const max = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0) || 1;
  v.forEach((x, i) => {
    const t = x / max;
    const r = t > 0 ? 255 : Math.round(255 * (1 + t));
    const b = t < 0 ? 255 : Math.round(255 * (1 - t));
    const g = Math.round(255 * (1 - Math.abs(t)));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect((i % cols) * 4, Math.floor(i / cols) * 4, 4, 4);
  });
}

export function initDrawing() {
  $("frame-prev").addEventListener("click", () => stepFrame(-1));
  $("frame-next").addEventListener("click", () => stepFrame(1));
  // Arrow keys on the canvas step through the frames too.
  $("media-canvas").addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
      ev.preventDefault();
      stepFrame(ev.key === "ArrowLeft" ? -1 : 1);
    }
  });
  $("heatmap-toggle").addEventListener("change", drawFrame);
}
