// Sample files made in the page, so a newcomer has something to try: a drawn portrait (PNG), a
// drawn document (PNG), a short drawn video (recorded from a canvas with MediaRecorder) and a tone
// (WAV). Nothing is downloaded and no real person is shown, so there is no licence to worry about.
import { accepts } from "./tasks.js";

function canvas(w, hgt) {
  const c = document.createElement("canvas");
  c.width = w;
  c.height = hgt;
  return [c, c.getContext("2d")];
}

const toBlob = (c, type) => new Promise((resolve, reject) =>
  c.toBlob((b) => (b ? resolve(b) : reject(new Error("the browser could not encode the sample"))), type));

/** A cartoon face at (cx, cy) of height `s`, turned a little by `turn` (-1..1). */
function drawFace(ctx, cx, cy, s, turn = 0, skin = "#e8b48f") {
  ctx.fillStyle = "#3b2f2f";
  ctx.beginPath();
  ctx.ellipse(cx, cy - s * 0.12, s * 0.42, s * 0.5, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = skin;
  ctx.beginPath();
  ctx.ellipse(cx, cy, s * 0.34, s * 0.44, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = "#1f2937";
  for (const dx of [-0.13, 0.13]) {
    ctx.beginPath();
    ctx.ellipse(cx + (dx + turn * 0.05) * s, cy - s * 0.06, s * 0.035, s * 0.045, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.strokeStyle = "#9a3412";
  ctx.lineWidth = Math.max(2, s * 0.02);
  ctx.beginPath();
  ctx.arc(cx + turn * s * 0.05, cy + s * 0.12, s * 0.12, 0.15 * Math.PI, 0.85 * Math.PI);
  ctx.stroke();
}

/** A 640 × 480 portrait: a face on a soft background. */
export async function portraitPng(variant = 0) {
  const [c, ctx] = canvas(640, 480);
  const g = ctx.createLinearGradient(0, 0, 640, 480);
  g.addColorStop(0, variant ? "#c7d2fe" : "#bae6fd");
  g.addColorStop(1, variant ? "#fbcfe8" : "#e0e7ff");
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 640, 480);
  ctx.fillStyle = "#475569";
  ctx.beginPath();
  ctx.ellipse(320, 520, 190, 150, 0, 0, Math.PI * 2);
  ctx.fill();
  drawFace(ctx, 320, 230, 300, variant ? 0.4 : 0);
  return new File([await toBlob(c, "image/png")], variant ? "sample-reference.png" : "sample-portrait.png", { type: "image/png" });
}

/** A 600 × 800 document: a heading, lines of "text", a table and a stamp. */
export async function documentPng() {
  const [c, ctx] = canvas(600, 800);
  ctx.fillStyle = "#fffdf7";
  ctx.fillRect(0, 0, 600, 800);
  ctx.fillStyle = "#1e3a8a";
  ctx.font = "700 30px system-ui, sans-serif";
  ctx.fillText("CERTIFICATE OF SAMPLE", 60, 90);
  ctx.fillStyle = "#94a3b8";
  for (let i = 0; i < 12; i++) ctx.fillRect(60, 140 + i * 28, 480 - ((i * 37) % 160), 10);
  ctx.strokeStyle = "#64748b";
  ctx.lineWidth = 2;
  for (let r = 0; r < 4; r++) for (let k = 0; k < 3; k++) ctx.strokeRect(60 + k * 160, 500 + r * 40, 160, 40);
  ctx.strokeStyle = "#b91c1c";
  ctx.lineWidth = 5;
  ctx.beginPath();
  ctx.arc(450, 710, 55, 0, Math.PI * 2);
  ctx.stroke();
  ctx.fillStyle = "#b91c1c";
  ctx.font = "700 18px system-ui, sans-serif";
  ctx.fillText("SAMPLE", 415, 716);
  return new File([await toBlob(c, "image/png")], "sample-document.png", { type: "image/png" });
}

/** The first container the browser records that the task takes (mp4, else webm). */
function recordingType(accept) {
  for (const t of ["video/mp4", "video/webm"]) {
    if (MediaRecorder.isTypeSupported(t) && (!accept || accepts(accept, t))) return t;
  }
  return MediaRecorder.isTypeSupported("video/webm") ? "video/webm" : null;
}

/**
 * A 1280 × 720 clip of two faces moving, about `seconds` long (recorded in real time: a video's
 * boxes are in 1280 × 720 pixels at the emulator, so the clip has that size).
 */
export async function faceVideo(accept, seconds = 4.4) {
  if (typeof MediaRecorder !== "function") throw new Error("this browser cannot record a sample video");
  const type = recordingType(accept);
  if (!type) throw new Error("this browser cannot record a sample video");
  const [c, ctx] = canvas(1280, 720);
  const stream = c.captureStream(30);
  const rec = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 400_000 });
  const chunks = [];
  rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  const paint = (t) => {
    const g = ctx.createLinearGradient(0, 0, 1280, 720);
    g.addColorStop(0, "#0f172a");
    g.addColorStop(1, "#334155");
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, 1280, 720);
    drawFace(ctx, 380 + t * 40, 360, 330, Math.sin(t * 2));
    drawFace(ctx, 900 - t * 30, 380, 300, -Math.sin(t * 2), "#c68642");
  };
  paint(0);
  const stopped = new Promise((r) => (rec.onstop = r));
  rec.start(250);
  const t0 = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      const t = (performance.now() - t0) / 1000;
      paint(t);
      if (t >= seconds) resolve();
      else setTimeout(tick, 33);
    };
    tick();
  });
  rec.stop();
  await stopped;
  for (const track of stream.getTracks()) track.stop();
  const ext = type === "video/mp4" ? "mp4" : "webm";
  return new File(chunks, `sample-two-faces.${ext}`, { type });
}

/** Two seconds of a rising tone, 16 kHz mono 16-bit PCM WAV. */
export function toneWav() {
  const rate = 16000;
  const n = rate * 2;
  const buf = new DataView(new ArrayBuffer(44 + n * 2));
  const str = (o, s) => [...s].forEach((ch, i) => buf.setUint8(o + i, ch.charCodeAt(0)));
  str(0, "RIFF");
  buf.setUint32(4, 36 + n * 2, true);
  str(8, "WAVEfmt ");
  buf.setUint32(16, 16, true);
  buf.setUint16(20, 1, true);
  buf.setUint16(22, 1, true);
  buf.setUint32(24, rate, true);
  buf.setUint32(28, rate * 2, true);
  buf.setUint16(32, 2, true);
  buf.setUint16(34, 16, true);
  str(36, "data");
  buf.setUint32(40, n * 2, true);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    phase += (2 * Math.PI * (220 + (440 * i) / n)) / rate;
    buf.setInt16(44 + i * 2, Math.round(Math.sin(phase) * 8000), true);
  }
  return new File([buf.buffer], "sample-tone.wav", { type: "audio/wav" });
}

/**
 * The sample for a task code and what it accepts; `options.faceswap` asks FI-1 for a video.
 * Returns { file, reference? }.
 */
export async function sampleFor(code, accept, { faceswap = false, similarity = false } = {}) {
  if (code === "DI-1") return { file: await documentPng() };
  if (code === "FI-1") {
    if (faceswap) return { file: await faceVideo(accept) };
    return { file: await portraitPng(0), reference: similarity ? await portraitPng(0) : undefined };
  }
  if (accept.some((t) => t.startsWith("image/"))) return { file: await portraitPng(0) };
  if (accept.some((t) => t.startsWith("video/"))) return { file: await faceVideo(accept) };
  if (accept.some((t) => t.startsWith("audio/"))) return { file: toneWav() };
  throw new Error(`no sample for ${code}`);
}
