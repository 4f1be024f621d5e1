// One view per kind of verdict, built from the result as the server wrote it: AI image (AC-1),
// document (DI-1), face swap video (DF-1), face checks (FI-1), face vector (FE-1), anything else
// as formatted JSON. The boxes and heatmaps are drawn by drawing.js.
import { asBool, asNum, h, percent } from "./dom.js";
import { COLOURS, drawVector, identitiesOf } from "./drawing.js";

const classTone = (cls) => (cls === "real" ? "good" : cls === "fake" ? "bad" : "warn");

function headline(tone, title, sub, kind) {
  return h("div", { class: "headline", dataset: { tone, verdict: kind } },
    h("span", { class: "headline-icon", "aria-hidden": "true" }, tone === "good" ? "✓" : tone === "bad" ? "!" : "?"),
    h("div", {}, h("p", { class: "headline-title" }, title), sub ? h("p", { class: "headline-sub" }, sub) : null));
}

const row = (check, label, value, tone) =>
  h("li", { class: "check-row", dataset: { check, value: String(value) } },
    h("span", { class: "check-label" }, label),
    h("span", { class: "pill", dataset: { tone } }, value));

/** AC-1: AI-generated or not, with the model's confidence in percent. */
function aiImage(result) {
  const fake = asBool(result.isFake);
  const conf = asNum(result.confidencePercent);
  const sub = conf !== null ? `${percent(conf / 100)} confidence` : "";
  const nodes = [fake === null
    ? headline("neutral", "No verdict", "The result has no isFake.", "none")
    : headline(fake ? "bad" : "good", fake ? "AI-generated" : "Looks real", sub, fake ? "fake" : "real")];
  const fakePct = asNum(result.fakeConfidencePercent);
  const realPct = asNum(result.realConfidencePercent);
  if (fakePct !== null && realPct !== null) {
    nodes.push(h("ul", { class: "checks" },
      row("ai", "AI-generated", `${fakePct.toFixed(2)} %`, fake ? "bad" : "neutral"),
      row("real", "Real", `${realPct.toFixed(2)} %`, fake ? "neutral" : "good")));
  }
  return nodes;
}

/** DI-1: a document tampered with or not. */
function documentCheck(result) {
  const tampered = asBool(result.isTampered);
  const fake = asBool(result.isFake);
  const yesNo = (v) => (v === null ? "not reported" : v ? "Yes" : "No");
  return [
    tampered === null
      ? headline("neutral", "No verdict", "The result has no isTampered.", "none")
      : headline(tampered ? "bad" : "good", tampered ? "Tampered" : "Not tampered",
        tampered ? "The heatmap shows where." : "No sign of editing found.", tampered ? "fake" : "real"),
    h("ul", { class: "checks" },
      row("tampered", "Tampered", yesNo(tampered), tampered ? "bad" : "good"),
      row("fake", "Forged", yesNo(fake), fake ? "bad" : "good")),
  ];
}

/** DF-1: one row per identity, fake or real with its confidence. */
function faceSwap(result) {
  const people = identitiesOf(result);
  const fakes = people.filter((p) => p.isFake === true).length;
  const nodes = [];
  if (people.length === 0) nodes.push(headline("neutral", "No face found", "The model found no face to judge in this file.", "none"));
  else if (fakes > 0) nodes.push(headline("bad", "Deepfake detected", `${fakes} of ${people.length} ${people.length === 1 ? "face is" : "faces are"} fake.`, "fake"));
  else nodes.push(headline("good", "Looks real", `${people.length} ${people.length === 1 ? "face" : "faces"}, none fake.`, "real"));
  const realPct = asNum(result.RealConfidencePercent);
  if (realPct !== null) nodes.push(h("p", { class: "hint" }, `Overall real confidence: ${realPct.toFixed(1)} %`));
  nodes.push(h("ul", { class: "identities" }, people.map((p, i) =>
    h("li", { class: "identity", dataset: { identity: p.id, class: p.cls, confidence: p.confidence ?? "" } },
      h("span", { class: "swatch", style: `background:${COLOURS[p.cls] ?? COLOURS.other}`, "aria-hidden": "true" }),
      h("span", { class: "identity-name" }, `Face ${i + 1}`, h("small", {}, ` id ${p.id}`)),
      h("span", { class: "pill", dataset: { tone: classTone(p.cls) } }, p.cls === "fake" ? "Fake" : p.cls === "real" ? "Real" : p.cls),
      h("span", { class: "confidence" }, p.confidence !== null ? `${percent(p.confidence)} confidence` : "confidence n/a"),
      p.confidence !== null
        ? h("span", { class: "meter", "aria-hidden": "true" }, h("span", { style: `width:${Math.round(p.confidence * 100)}%;background:${COLOURS[p.cls] ?? COLOURS.other}` }))
        : null))));
  return nodes;
}

/**
 * FI-1: one row per check that was asked for (`asked`: { deepfake, liveness, similarity }) or
 * that the result reports anyway.
 */
function faceChecks(result, asked = {}) {
  const fake = asBool(result.isDeepFake);
  const liveRaw = result.isLiveness ?? (result.isSpoof === undefined ? null : !asBool(result.isSpoof));
  const live = asBool(liveRaw);
  const similar = asBool(result.isSimilar);
  const score = asNum(result.similarityScore);
  const conf = identitiesOf(result)[0]?.confidence ?? null;
  const nodes = [];
  if (fake !== null) {
    nodes.push(headline(fake ? "bad" : "good", fake ? "Deepfake detected" : "Looks real", conf !== null ? `${percent(conf)} confidence` : "", fake ? "fake" : "real"));
  } else {
    const passed = [live, similar].filter((v) => v === true).length;
    const done = [live, similar].filter((v) => v !== null).length;
    nodes.push(headline(done && passed === done ? "good" : done ? "bad" : "neutral", "Face checks",
      done ? `${passed} of ${done} passed.` : "No check reported.", "checks"));
  }
  const rows = [];
  if (asked.deepfake || fake !== null) rows.push(row("deepfake", "Deepfake", fake === null ? "not checked" : fake ? "Fake" : "Real", fake === null ? "neutral" : fake ? "bad" : "good"));
  if (asked.liveness || live !== null) rows.push(row("liveness", "Liveness", live === null ? "not checked" : live ? "Live person" : "Not live", live === null ? "neutral" : live ? "good" : "bad"));
  if (asked.similarity || score !== null) {
    rows.push(row("similarity", "Similarity to reference",
      score === null ? "not checked" : `${similar ? "Match" : "No match"} · ${score.toFixed(1)} / 100`,
      score === null ? "neutral" : similar ? "good" : "warn"));
  }
  nodes.push(h("ul", { class: "checks" }, rows));
  const realPct = asNum(result.RealConfidencePercent);
  if (realPct !== null) nodes.push(h("p", { class: "hint" }, `Real confidence: ${realPct.toFixed(1)} %`));
  return nodes;
}

/** FE-1: the 512-number vector, drawn, with its norm and first values. */
function faceVector(result) {
  const v = Array.isArray(result.faceVector) ? result.faceVector.map(Number) : [];
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const canvas = h("canvas", { class: "vector-map", width: 256, height: 64, role: "img", "aria-label": "The face vector as a colour map", dataset: { length: v.length } });
  drawVector(canvas, v);
  return [
    headline("neutral", `Face vector · ${v.length} numbers`, `Length (L2 norm) ${norm.toFixed(3)}. Compare two vectors with a dot product to match faces.`, "vector"),
    h("div", { class: "vector", dataset: { length: v.length } },
      canvas,
      h("p", { class: "mono vector-preview" }, `[${v.slice(0, 6).map((x) => x.toFixed(4)).join(", ")}${v.length > 6 ? ", …" : ""}]`)),
  ];
}

/** Any other result: its verdict when it has an isFake, and the JSON formatted. */
function other(result, code) {
  const fake = asBool(result?.isFake ?? result?.isDeepFake);
  const conf = asNum(result?.confidencePercent);
  return [
    fake === null
      ? headline("neutral", "Result received", `This page has no view for ${code || "this result"}; here it is as sent.`, "unknown")
      : headline(fake ? "bad" : "good", fake ? "Fake" : "Looks real", conf !== null ? `${percent(conf / 100)} confidence` : "", fake ? "fake" : "real"),
    h("pre", { class: "json" }, JSON.stringify(result, null, 2)),
  ];
}

/** Which view a result gets: by the task or model code, else by its shape. */
export function viewKind(code, result) {
  if (code === "AC-1") return "ai-image";
  if (code === "DI-1") return "document";
  if (code === "DF-1" || result?.resultType === "video") return "face-swap";
  if (code === "FI-1" || result?.resultType === "face") return "face-checks";
  if (code === "FE-1" || Array.isArray(result?.faceVector)) return "face-vector";
  return "other";
}

/** The nodes of the verdict for `result` of task/model `code`; `asked` the FI-1 checks asked for. */
export function renderVerdict(code, result, asked) {
  const kind = viewKind(code, result);
  const r = result ?? {};
  const nodes = kind === "ai-image" ? aiImage(r)
    : kind === "document" ? documentCheck(r)
      : kind === "face-swap" ? faceSwap(r)
        : kind === "face-checks" ? faceChecks(r, asked)
          : kind === "face-vector" ? faceVector(r)
            : other(r, code);
  return { kind, nodes };
}
