// The Authenta SDK sample page: pick a file, upload it with progress, follow its status, show
// the verdict and draw the faces. Plain module JS; the package is imported as a user would.
import {
  AuthentaClient,
  AuthentaError,
  AbortError,
  ready,
} from "/pkg/index.js";

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                               */
/* ------------------------------------------------------------------------------------------ */

const $ = (id) => document.getElementById(id);

/** Creates an element: h("p", { class: "x", dataset: { a: 1 } }, "text", child). */
function h(tag, attrs = {}, ...children) {
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

function formatBytes(n) {
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

function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function timeAgo(iso) {
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
const asBool = (v) => (v === true || v === "true" ? true : v === false || v === "false" ? false : null);
const asNum = (v) => {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
/** A confidence of 0..1 as "87.3 %". */
const percent = (c) => `${(c * 100).toFixed(1)} %`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* ------------------------------------------------------------------------------------------ */
/* Settings: base URL and key, from the emulator's env.json or localStorage                    */
/* ------------------------------------------------------------------------------------------ */

const SETTINGS_KEY = "authenta-demo:settings";
const INFLIGHT_KEY = "authenta-demo:in-flight";
const DEFAULT_BASE_URL = "https://platform.authenta.ai/api";

/** What `/__emulator/env.json` said, when the emulator serves this page. */
let env = null;
let settings = { baseUrl: DEFAULT_BASE_URL, apiKey: "", source: "default" };
/** @type {AuthentaClient | null} */
let client = null;

async function loadEnv() {
  try {
    const res = await fetch("/__emulator/env.json", { cache: "no-store" });
    if (res.ok) {
      const json = await res.json();
      if (json && typeof json.api === "string") env = json;
    }
  } catch {
    // Not served by the emulator: no defaults beyond the platform's URL.
  }
}

function defaultSettings() {
  return env
    ? { baseUrl: env.api, apiKey: env.apiKey ?? "", source: "emulator" }
    : { baseUrl: DEFAULT_BASE_URL, apiKey: "", source: "default" };
}

function loadSettings() {
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "null");
    if (saved && typeof saved.baseUrl === "string") {
      return { baseUrl: saved.baseUrl, apiKey: saved.apiKey ?? "", source: "saved" };
    }
  } catch {
    // A corrupt entry: ignore it.
  }
  return defaultSettings();
}

/** Builds the client for these settings; throws the SDK's ConfigurationError when they are bad. */
function makeClient(s) {
  const options = { baseUrl: s.baseUrl.trim() };
  if (s.apiKey.trim()) {
    options.apiKey = s.apiKey.trim();
    // A string key in a browser page: anyone can read it. Fine for the emulator and demos; see the
    // note in Settings for the proxy and short-lived-token patterns.
    options.dangerouslyAllowBrowser = true;
  }
  return new AuthentaClient(options);
}

function applySettings(s) {
  settings = s;
  try {
    client = makeClient(s);
  } catch (e) {
    client = null;
    showSettings(true);
    // No key yet for the platform: the panel asks for one; no need to show the SDK's complaint.
    if (s.apiKey || s.baseUrl !== DEFAULT_BASE_URL) showSettingsError(e);
  }
  renderConnection();
  updateAnalyseButton();
}

function renderConnection() {
  const chip = $("connection");
  const text = $("connection-text");
  if (!client) {
    chip.dataset.kind = "bad";
    text.textContent = settings.apiKey ? "Settings need attention" : "No API key";
    return;
  }
  let host = settings.baseUrl;
  try {
    host = new URL(settings.baseUrl).host;
  } catch {
    // Shown as typed.
  }
  if (env && settings.baseUrl === env.api) {
    chip.dataset.kind = "emulator";
    text.textContent = settings.apiKey === env.apiKey ? `Local emulator · ${host}` : `Local emulator · your key`;
  } else {
    chip.dataset.kind = "remote";
    text.textContent = settings.apiKey ? host : `${host} (proxy, no key)`;
  }
  $("emulator-note").hidden = !(env && settings.baseUrl === env.api);
}

function showSettings(open) {
  $("settings").hidden = !open;
  $("settings-toggle").setAttribute("aria-expanded", String(open));
  if (open) {
    $("base-url").value = settings.baseUrl;
    $("api-key").value = settings.apiKey;
    $("settings-source").textContent =
      settings.source === "emulator"
        ? "Filled in from the local emulator (/__emulator/env.json). Saving keeps your values in this browser (localStorage)."
        : settings.source === "saved"
          ? "Saved in this browser (localStorage). “Use defaults” forgets them."
          : env
            ? ""
            : "Enter your Authenta API key, or the URL of your own proxy with no key.";
    $("settings-error").hidden = true;
  }
}

function showSettingsError(e) {
  const el = $("settings-error");
  el.hidden = false;
  el.textContent =
    e instanceof AuthentaError
      ? `${e.message} (${e.name} · ${e.code})`
      : String(e?.message ?? e);
}

function initSettings() {
  $("settings-toggle").addEventListener("click", () => showSettings($("settings").hidden));
  $("settings-close").addEventListener("click", () => showSettings(false));
  $("key-reveal").addEventListener("click", (ev) => {
    const input = $("api-key");
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    ev.currentTarget.textContent = show ? "Hide" : "Show";
    ev.currentTarget.setAttribute("aria-pressed", String(show));
  });
  $("settings-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const next = { baseUrl: $("base-url").value.trim(), apiKey: $("api-key").value.trim() };
    let fresh;
    try {
      fresh = makeClient(next);
    } catch (e) {
      showSettingsError(e);
      return;
    }
    const d = defaultSettings();
    if (d.source === "emulator" && next.baseUrl === d.baseUrl && next.apiKey === d.apiKey) {
      localStorage.removeItem(SETTINGS_KEY);
      settings = d;
    } else {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(next));
      settings = { ...next, source: "saved" };
    }
    client = fresh;
    renderConnection();
    updateAnalyseButton();
    showSettings(false);
    refreshRecent();
  });
  $("settings-reset").addEventListener("click", () => {
    localStorage.removeItem(SETTINGS_KEY);
    applySettings(defaultSettings());
    showSettings(true);
    if (client) refreshRecent();
  });
}

/* ------------------------------------------------------------------------------------------ */
/* The form: file, model, FI-1 options                                                         */
/* ------------------------------------------------------------------------------------------ */

const MODELS = {
  "DF-1": {
    accept: "video/*",
    kinds: ["video"],
    hint: "A video. Finds each face and says whether it is a deepfake, with boxes on the frames.",
  },
  "AC-1": {
    accept: "image/*",
    kinds: ["image"],
    hint: "An image. Says whether it was generated by AI.",
  },
  "FI-1": {
    accept: "image/*,video/*",
    kinds: ["image", "video"],
    hint: "An image or video of a face. Runs the checks ticked below.",
  },
  "FE-1": {
    accept: "image/*",
    kinds: ["image"],
    hint: "An image of a face. Returns a 512-number face vector for matching people.",
  },
};

/** Content types a browser may leave empty (the SDK needs one). */
const EXTENSION_TYPES = {
  mp4: "video/mp4", m4v: "video/mp4", mov: "video/quicktime", webm: "video/webm", mkv: "video/x-matroska",
  avi: "video/x-msvideo", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp",
  heic: "image/heic", gif: "image/gif", mp3: "audio/mpeg", wav: "audio/wav", m4a: "audio/mp4",
  ogg: "audio/ogg", flac: "audio/flac", aac: "audio/aac",
};

const form = { file: null, reference: null };

function contentTypeOf(file) {
  if (file.type) return file.type;
  const ext = (file.name.split(".").pop() ?? "").toLowerCase();
  return EXTENSION_TYPES[ext] ?? "";
}
const kindOf = (type) => (type ?? "").split("/")[0];

function setFile(file) {
  form.file = file;
  const zone = $("dropzone");
  zone.dataset.hasFile = String(Boolean(file));
  $("file-chip").hidden = !file;
  $("dropzone-title").textContent = file ? "Ready to analyse" : "Drop a file here";
  if (file) {
    const type = contentTypeOf(file);
    $("file-kind").textContent = kindOf(type) || "file";
    $("file-kind").dataset.kind = kindOf(type);
    $("file-name").textContent = file.name || "untitled";
    $("file-size").textContent = formatBytes(file.size);
    // Pick a model that takes this kind of file when the current one does not.
    const model = $("model-type").value;
    if (!MODELS[model].kinds.includes(kindOf(type))) {
      const better = { video: "DF-1", image: "FI-1" }[kindOf(type)];
      if (better) $("model-type").value = better;
    }
  } else {
    $("file-input").value = "";
  }
  renderModel();
}

function renderModel() {
  const model = $("model-type").value;
  const m = MODELS[model];
  $("model-hint").textContent = m.hint;
  $("file-input").accept = m.accept;
  const fi = model === "FI-1";
  $("fi-options").hidden = !fi;
  $("reference-row").hidden = !(fi && $("fi-similarity").checked);
  updateAnalyseButton();
}

function formProblems() {
  const problems = [];
  const file = form.file;
  const model = $("model-type").value;
  if (!file) return problems;
  const type = contentTypeOf(file);
  const kind = kindOf(type);
  if (file.size === 0) problems.push("This file is empty: choose another one.");
  if (!type) problems.push("The browser could not tell what kind of file this is; the upload needs a content type.");
  else if (!MODELS[model].kinds.includes(kind)) {
    problems.push(`${model} takes ${MODELS[model].kinds.join(" or ")} files; this one is ${type}. The server will refuse it.`);
  }
  if (model === "FI-1") {
    if ($("fi-faceswap").checked && kind !== "video") problems.push("The face-swap check needs a video.");
    if ($("fi-similarity").checked && kind !== "image") problems.push("The similarity check needs an image.");
    if ($("fi-similarity").checked && !form.reference) problems.push("Choose a reference image for the similarity check.");
  }
  return problems;
}

function updateAnalyseButton() {
  const problems = formProblems();
  const warn = $("form-warning");
  warn.hidden = problems.length === 0;
  warn.textContent = problems.join(" ");
  const blocking = !form.file || form.file.size === 0 ||
    ($("model-type").value === "FI-1" && $("fi-similarity").checked && !form.reference);
  $("analyse").disabled = busy || !client || blocking;
}

function initForm() {
  const zone = $("dropzone");
  const input = $("file-input");
  input.addEventListener("change", () => setFile(input.files?.[0] ?? null));
  zone.addEventListener("click", (ev) => {
    if (ev.target.closest("button, label, input")) return;
    if (!busy) input.click();
  });
  zone.tabIndex = 0;
  zone.setAttribute("role", "button");
  zone.setAttribute("aria-label", "Choose a file to analyse, or drop one here");
  zone.addEventListener("keydown", (ev) => {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target === zone) {
      ev.preventDefault();
      input.click();
    }
  });
  let depth = 0;
  zone.addEventListener("dragenter", (ev) => {
    ev.preventDefault();
    depth += 1;
    zone.dataset.drag = "true";
  });
  zone.addEventListener("dragover", (ev) => {
    ev.preventDefault();
    if (ev.dataTransfer) ev.dataTransfer.dropEffect = "copy";
  });
  zone.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) delete zone.dataset.drag;
  });
  zone.addEventListener("drop", (ev) => {
    ev.preventDefault();
    depth = 0;
    delete zone.dataset.drag;
    const file = ev.dataTransfer?.files?.[0];
    if (file && !busy) setFile(file);
  });
  // A file dropped beside the zone must not navigate away from the page.
  for (const type of ["dragover", "drop"]) window.addEventListener(type, (ev) => ev.preventDefault());

  $("file-clear").addEventListener("click", () => setFile(null));
  $("model-type").addEventListener("change", renderModel);
  for (const id of ["fi-single", "fi-liveness", "fi-faceswap", "fi-similarity"]) {
    $(id).addEventListener("change", renderModel);
  }
  $("reference-input").addEventListener("change", (ev) => {
    form.reference = ev.target.files?.[0] ?? null;
    $("reference-name").textContent = form.reference
      ? `${form.reference.name} · ${formatBytes(form.reference.size)}`
      : "No reference image yet";
    updateAnalyseButton();
  });
  $("upload-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    analyse();
  });
  $("cancel").addEventListener("click", () => job.controller?.abort());
  renderModel();
}

/* ------------------------------------------------------------------------------------------ */
/* The job card: progress, timeline, verdict, error                                            */
/* ------------------------------------------------------------------------------------------ */

const STEPS = ["INITED", "UPLOADED", "PROCESSING", "PROCESSED"];
let busy = false;

/** The analysis on screen. */
const job = {
  controller: null,
  mid: null,
  startedAt: 0,
  times: {},
  uploadDone: false,
  retry: null,
};

function setJobState(state, badge, tone) {
  $("job").dataset.state = state;
  $("job-empty").hidden = state !== "empty";
  $("job-body").hidden = state === "empty";
  const b = $("job-badge");
  b.textContent = badge;
  b.dataset.tone = tone;
}

function setBusy(on) {
  busy = on;
  $("cancel").hidden = !on;
  $("analyse").textContent = on ? "Working…" : "Analyse";
  $("dropzone").dataset.disabled = String(on);
  $("file-input").disabled = on;
  updateAnalyseButton();
}

function startJob({ name, size, type, modelType, uploaded = false, times = {}, startedAt = Date.now() }) {
  job.mid = null;
  delete $("job").dataset.mid;
  job.startedAt = startedAt;
  job.times = { ...times };
  job.uploadDone = uploaded;
  setJobState("busy", uploaded ? "Waiting" : "Uploading", "busy");
  $("job-name").textContent = name || "untitled";
  $("job-meta").textContent = [modelType, type, size !== undefined ? formatBytes(size) : null]
    .filter(Boolean).join(" · ");
  $("error-panel").hidden = true;
  $("verdict").hidden = true;
  $("verdict").replaceChildren();
  $("media-figure").hidden = true;
  $("raw").hidden = true;
  $("raw").open = false;
  $("progress").hidden = false;
  if (uploaded) setProgress(size ?? 0, size ?? 0, true, "Uploaded earlier");
  else setProgress(0, size ?? 0, false, "Starting upload");
  for (const li of $("timeline").children) {
    li.dataset.state = "pending";
    li.querySelector(".tl-time").textContent = "";
    li.querySelector(".tl-time").removeAttribute("datetime");
    li.title = "";
  }
  for (const [status, at] of Object.entries(job.times)) markStep(status, at);
  markActive();
}

function setProgress(loaded, total, lengthComputable, phase) {
  const pct = total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
  const bar = $("progress");
  bar.setAttribute("aria-valuenow", String(pct));
  bar.dataset.indeterminate = String(!lengthComputable && loaded === 0);
  $("progress-fill").style.width = `${pct}%`;
  $("progress-text").textContent = `${formatBytes(loaded)} of ${formatBytes(total)} · ${pct} %`;
  if (phase) $("progress-phase").textContent = phase;
}

function onProgress({ loaded, total, lengthComputable }) {
  const phase = loaded >= total && lengthComputable ? "Upload sent" : "Uploading";
  setProgress(loaded, total, lengthComputable, phase);
}

/** Marks `status` reached at `at`, and the steps before it as passed. */
function markStep(rawStatus, at) {
  const status = String(rawStatus ?? "").toUpperCase();
  const items = [...$("timeline").children];
  if (status === "FAILED" || status === "ERROR") {
    const li = items.find((x) => x.dataset.state !== "done") ?? items[items.length - 1];
    li.dataset.state = "failed";
    li.querySelector(".tl-code").textContent = status;
    setTime(li, at);
    return;
  }
  const idx = STEPS.indexOf(status);
  if (idx < 0) return; // e.g. "queued": not one of the four steps, shown in the badge instead
  items.forEach((li, i) => {
    if (i < idx && li.dataset.state !== "done") {
      li.dataset.state = "done";
      li.title = "Passed between two status checks";
      li.querySelector(".tl-time").textContent = "passed";
    } else if (i === idx) {
      li.dataset.state = "done";
      li.title = "";
      setTime(li, at);
    }
  });
}

function setTime(li, at) {
  const t = li.querySelector(".tl-time");
  t.dateTime = new Date(at).toISOString();
  const delta = Math.max(0, (at - job.startedAt) / 1000);
  t.replaceChildren(h("span", {}, clockTime(at)), h("span", { class: "tl-delta" }, `+${delta.toFixed(1)} s`));
}

/** While busy, the first step not reached yet spins. */
function markActive() {
  const items = [...$("timeline").children];
  for (const li of items) if (li.dataset.state === "active") li.dataset.state = "pending";
  if (!busy) return;
  const next = items.find((li) => li.dataset.state === "pending");
  if (next) next.dataset.state = "active";
}

function onStatus(media) {
  const at = Date.now();
  const status = String(media.status ?? "");
  const upper = status.toUpperCase();
  if (!job.mid && media.mid) {
    job.mid = media.mid;
    $("job").dataset.mid = media.mid;
  }
  if (!(upper in job.times) && STEPS.includes(upper)) job.times[upper] = at;
  markStep(status, at);
  markActive();
  if (upper !== "INITED") {
    job.uploadDone = true;
    const total = Number($("progress").dataset.total ?? 0);
    if (total) setProgress(total, total, true);
    $("progress-phase").textContent = "Uploaded";
  }
  $("job-badge").textContent =
    upper === "INITED" ? "Uploading" : upper === "PROCESSED" ? "Fetching result" : STEPS.includes(upper) ? "Processing" : status;
  saveInFlight();
}

/* In-flight record in sessionStorage, so a reload resumes with waitForResult(mid). */
let inflightInfo = null;
function saveInFlight() {
  if (!inflightInfo || !job.mid) return;
  sessionStorage.setItem(
    INFLIGHT_KEY,
    JSON.stringify({ ...inflightInfo, mid: job.mid, times: job.times, startedAt: job.startedAt, uploaded: job.uploadDone }),
  );
}
function clearInFlight() {
  inflightInfo = null;
  sessionStorage.removeItem(INFLIGHT_KEY);
}

async function analyse() {
  if (busy || !client || !form.file) return;
  const file = form.file;
  const modelType = $("model-type").value;
  const contentType = contentTypeOf(file);
  const options = { modelType, onProgress, onStatus };
  if (!file.type && contentType) options.contentType = contentType;
  if (modelType === "FI-1") {
    const similarity = $("fi-similarity").checked;
    options.metadata = {
      isSingleFace: $("fi-single").checked,
      livenessCheck: $("fi-liveness").checked,
      faceswapCheck: $("fi-faceswap").checked,
      faceSimilarityCheck: similarity,
    };
    if (similarity && form.reference) options.reference = form.reference;
  }
  const controller = new AbortController();
  options.signal = controller.signal;
  job.controller = controller;
  job.retry = analyse;
  setBusy(true);
  startJob({ name: file.name, size: file.size, type: contentType, modelType });
  $("progress").dataset.total = String(file.size);
  inflightInfo = { name: file.name, size: file.size, type: contentType, modelType };
  try {
    const { media, result } = await client.uploadAndPoll(file, options);
    clearInFlight();
    await showResult(media, result, { blob: file, type: contentType });
  } catch (e) {
    clearInFlight();
    showError(e, "upload");
  } finally {
    job.controller = null;
    setBusy(false);
    markActive();
    refreshRecent();
  }
}

/** After a reload during polling: waitForResult(mid) needs nothing but the mid. */
async function resume(saved) {
  if (!client) return;
  const controller = new AbortController();
  job.controller = controller;
  job.retry = () => resume(saved);
  inflightInfo = { name: saved.name, size: saved.size, type: saved.type, modelType: saved.modelType };
  setBusy(true);
  startJob({
    name: saved.name, size: saved.size, type: saved.type, modelType: saved.modelType,
    uploaded: true, times: saved.times ?? {}, startedAt: saved.startedAt ?? Date.now(),
  });
  job.mid = saved.mid;
  $("progress").dataset.total = String(saved.size ?? 0);
  $("progress-phase").textContent = "Resumed after a reload";
  let interrupted = false;
  try {
    const media = await client.waitForResult(saved.mid, {
      signal: controller.signal,
      onStatus: (m) => {
        if (String(m.status).toUpperCase() === "INITED") {
          // The reload cut the upload short: the record will never get its bytes.
          interrupted = true;
          controller.abort();
          return;
        }
        onStatus(m);
      },
    });
    $("job-badge").textContent = "Fetching result";
    const result = await client.getResult(media, { signal: controller.signal });
    clearInFlight();
    await showResult(media, result, { url: media.srcURL, type: media.contentType ?? saved.type });
  } catch (e) {
    clearInFlight();
    if (interrupted) {
      showError(
        Object.assign(new Error("The page was reloaded before the upload finished."), {
          name: "UploadInterrupted", code: "UPLOAD_INTERRUPTED", mid: saved.mid,
        }),
        "resume",
      );
    } else {
      showError(e, "resume");
    }
  } finally {
    job.controller = null;
    setBusy(false);
    markActive();
    refreshRecent();
  }
}

/** Shows a finished record from the recent list. */
async function view(media) {
  if (busy || !client) return;
  const controller = new AbortController();
  job.controller = controller;
  job.retry = () => view(media);
  setBusy(true);
  const created = Date.parse(media.createdAt);
  startJob({
    name: media.name, size: media.size, type: media.contentType, modelType: media.modelType,
    uploaded: true, startedAt: Number.isFinite(created) ? created : Date.now(),
  });
  job.mid = media.mid;
  $("progress-phase").textContent = "Uploaded earlier";
  $("job-badge").textContent = "Fetching result";
  try {
    const fresh = await client.getMedia(media.mid, { signal: controller.signal });
    markStep(fresh.status, Date.now());
    const result = await client.getResult(fresh, { signal: controller.signal });
    // The timeline of an old record: only its final state is known.
    for (const li of $("timeline").children) {
      li.querySelector(".tl-time").textContent = li.dataset.state === "done" ? "earlier" : "";
    }
    await showResult(fresh, result, { url: fresh.srcURL, type: fresh.contentType });
  } catch (e) {
    showError(e, "view");
  } finally {
    job.controller = null;
    setBusy(false);
    markActive();
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Errors, as a person wants them                                                              */
/* ------------------------------------------------------------------------------------------ */

/** What happened and what to do, for each error class of the SDK. */
function describeError(e, context) {
  const name = e?.name ?? "Error";
  const code = e?.code ?? "";
  const mid = e?.mid ? ` (media ${e.mid})` : "";
  const openSettings = { label: "Open settings", run: () => showSettings(true) };
  const keyFix = env && settings.apiKey !== env.apiKey
    ? { label: "Use the emulator's key", run: () => { localStorage.removeItem(SETTINGS_KEY); applySettings(defaultSettings()); refreshRecent(); } }
    : openSettings;
  switch (name) {
    case "AbortError":
      return {
        title: "Cancelled",
        tone: "neutral",
        what: "You stopped the analysis before it finished.",
        todo: e.mid
          ? `Press Try again when you are ready. The record ${e.mid} was already created (one credit); delete it under Recent media if you do not need it.`
          : "Press Try again when you are ready. Nothing was created.",
      };
    case "UploadInterrupted":
      return {
        title: "The upload was interrupted",
        what: "The page was reloaded while the file was still uploading, so the record never received its bytes.",
        todo: "Choose the file again and press Analyse. The unfinished record can be deleted under Recent media.",
      };
    case "AuthenticationError":
      return {
        title: "The API key was not accepted",
        what: "The server answered 401: the key is missing, mistyped or has been revoked.",
        todo: "Check the key in Settings; copy it again from the Authenta dashboard if needed.",
        fix: keyFix,
      };
    case "PermissionDeniedError":
      if (code === "RESULT_URL_EXPIRED") {
        return {
          title: "The result link expired",
          what: "The storage refused the link to the result, even after asking for a fresh one.",
          todo: "Press Try again in a moment.",
        };
      }
      return {
        title: "This key is not allowed to do that",
        what:
          context === "delete"
            ? "The server answered 403: the key cannot delete media (it lacks the delete permission)."
            : context === "upload"
              ? "The server answered 403: the key cannot create media. It is probably a read-only key."
              : "The server answered 403: the key lacks the permission for this request.",
        todo: "Use a key with the write (and delete) permission in Settings, or ask the account owner to grant it.",
        fix: openSettings,
      };
    case "InsufficientBalanceError":
      return {
        title: "No credits left",
        what: "Each analysis costs one credit, and this account has none.",
        todo: "Top up or enable pay-as-you-go billing in the Authenta dashboard, then press Try again.",
      };
    case "RateLimitError":
      return code === "AA001"
        ? {
          title: "The call quota is used up",
          what: "This account has made all the calls its plan allows for now.",
          todo: "Wait for the quota to reset, or raise it in the Authenta dashboard.",
        }
        : {
          title: "Too many requests",
          what: "The server asked the page to slow down, and the automatic retries ran out.",
          todo: "Wait a minute, then press Try again.",
        };
    case "UploadError": {
      const s3 = e.s3Code ?? "";
      if (s3 === "AccessDenied" || s3 === "RequestExpired" || /expired/i.test(e.message)) {
        return {
          title: "The upload link expired",
          what: `The storage refused the file because its pre-signed upload link had already expired${s3 ? ` (S3 ${s3})` : ""}.`,
          todo: "Press Try again: a new record comes with a fresh link. If it happens every time, check this computer's clock.",
        };
      }
      if (s3 === "SignatureDoesNotMatch") {
        return {
          title: "The storage refused the upload",
          what: "The upload did not match its pre-signed link (S3 SignatureDoesNotMatch).",
          todo: "Press Try again. If it keeps failing, a proxy or extension may be changing the request.",
        };
      }
      return {
        title: "The upload failed",
        what: `The storage did not accept the file${s3 ? ` (S3 ${s3})` : ""}.`,
        todo: "Press Try again; if it keeps failing, try a smaller file or another network.",
      };
    }
    case "ConnectionError":
      return {
        title: "Cannot reach the server",
        what: `No answer from ${settings.baseUrl}: the server is down, the address is wrong, or the browser blocked the request.`,
        todo: env
          ? "Check that the emulator is still running (make demo starts it) and the base URL in Settings, then press Try again."
          : "Check your connection and the base URL in Settings, then press Try again.",
        fix: openSettings,
      };
    case "TimeoutError":
      return {
        title: "This is taking too long",
        what: "No answer came in time, even after retrying.",
        todo: e.mid
          ? "Press Try again to keep waiting for the same record; long videos can take several minutes."
          : "Press Try again in a moment.",
      };
    case "ServerError":
      return {
        title: "The server had a problem",
        what: `Authenta answered with an error${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}; the SDK already retried.`,
        todo: "Press Try again in a few minutes. If it persists, check the Authenta status page.",
      };
    case "NotFoundError":
      return {
        title: "That media no longer exists",
        what: `The server does not know this record${mid}: it was deleted, or it belongs to another key.`,
        todo: "Refresh Recent media and pick another one.",
      };
    case "BadRequestError":
      if (code === "UNSUPPORTED_MEDIA_TYPE") {
        return {
          title: "This model cannot read this file",
          what: e.message,
          todo: "DF-1 takes a video, AC-1 an image, FI-1 an image or video, FE-1 an image. Pick another model or file.",
        };
      }
      return {
        title: "The server refused the request",
        what: e.message,
        todo: "Check the file and the options, then press Try again.",
      };
    case "ProcessingError":
      return code === "RESULT_NOT_READY"
        ? {
          title: "No result yet",
          what: "This record has not been processed yet.",
          todo: "Wait a little and press Try again.",
        }
        : {
          title: "Authenta could not process this file",
          what: `Processing ended without a verdict${mid}.`,
          todo: "Try another file, or contact support with the media id.",
        };
    case "InvalidResponseError":
      return {
        title: "The server's answer was not understood",
        what: "It was not the JSON the API sends: often an HTML page from a proxy or a login wall.",
        todo: "Check that the base URL in Settings points at the API itself (it usually ends in /api).",
        fix: openSettings,
      };
    case "ConfigurationError":
      return code === "INVALID_ARGUMENT"
        ? {
          title: "This file cannot be sent",
          what: e.message,
          todo: "Choose another file or change the options.",
        }
        : {
          title: "The settings are not usable",
          what: e.message,
          todo: "Fix the base URL or the key in Settings.",
          fix: openSettings,
        };
    default:
      return {
        title: "Something unexpected went wrong",
        what: e?.message ?? String(e),
        todo: "Press Try again. If it happens again, the browser console has the details.",
      };
  }
}

function showError(e, context) {
  if (!(e instanceof AuthentaError) && e?.name !== "UploadInterrupted") console.error(e);
  const d = describeError(e, context);
  const cancelled = e instanceof AbortError || e?.name === "AbortError";
  setJobState(cancelled ? "cancelled" : "error", cancelled ? "Cancelled" : "Failed", cancelled ? "neutral" : "bad");
  // The step in progress failed (or was stopped).
  const active = [...$("timeline").children].find((li) => li.dataset.state === "active");
  if (active) active.dataset.state = cancelled ? "stopped" : "failed";
  if (!job.uploadDone) {
    $("progress").dataset.indeterminate = "false";
    $("progress-phase").textContent = cancelled
      ? "Upload cancelled"
      : e?.name === "UploadError"
        ? "Upload refused by the storage"
        : job.mid ? "Upload stopped" : "Upload not started";
  }
  const panel = $("error-panel");
  panel.hidden = false;
  panel.dataset.tone = d.tone ?? "bad";
  panel.dataset.errorName = e?.name ?? "Error";
  panel.dataset.errorCode = e?.code ?? "";
  $("error-title").textContent = d.title;
  $("error-what").textContent = d.what;
  $("error-todo").textContent = d.todo;
  $("error-name").textContent = e?.name ?? "Error";
  $("error-code").textContent = e?.code ?? "no code";
  $("error-status").hidden = e?.statusCode === undefined;
  $("error-status").textContent = `HTTP ${e?.statusCode}`;
  $("error-mid").hidden = !e?.mid;
  $("error-mid").textContent = `mid ${e?.mid}`;
  $("error-message").textContent = e?.message ?? String(e);
  $("error-retry").hidden = !job.retry;
  const fix = $("error-fix");
  fix.hidden = !d.fix;
  if (d.fix) {
    fix.textContent = d.fix.label;
    fix.onclick = d.fix.run;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* The verdict                                                                                 */
/* ------------------------------------------------------------------------------------------ */

const COLOURS = { real: "#16a34a", fake: "#dc2626", other: "#d97706" };
const classTone = (cls) => (cls === "real" ? "good" : cls === "fake" ? "bad" : "warn");

/** The identities of a DF-1 / FI-1 result: predictions and boxes merged, ids as strings. */
function identitiesOf(result) {
  const boxes = result?.boundingBoxes && typeof result.boundingBoxes === "object" ? result.boundingBoxes : {};
  const ids = new Map();
  for (const p of Array.isArray(result?.identityPredictions) ? result.identityPredictions : []) {
    ids.set(String(p.identityId), { id: String(p.identityId), isFake: asBool(p.isDeepFake) });
  }
  for (const [id, b] of Object.entries(boxes)) {
    const entry = ids.get(id) ?? { id, isFake: null };
    entry.cls = typeof b?.class === "string" ? b.class.toLowerCase() : null;
    entry.confidence = asNum(b?.confidence);
    entry.frames = b?.boundingBox && typeof b.boundingBox === "object" ? b.boundingBox : {};
    ids.set(id, entry);
  }
  for (const e of ids.values()) {
    if (!e.cls) e.cls = e.isFake === true ? "fake" : e.isFake === false ? "real" : "unknown";
    if (e.isFake === null) e.isFake = e.cls === "fake" ? true : e.cls === "real" ? false : null;
    e.frames ??= {};
  }
  return [...ids.values()].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
}

function headline(tone, title, sub, kind) {
  return h("div", { class: "headline", dataset: { tone, verdict: kind } },
    h("span", { class: "headline-icon", "aria-hidden": "true" }, tone === "good" ? "✓" : tone === "bad" ? "!" : "?"),
    h("div", {}, h("p", { class: "headline-title" }, title), sub ? h("p", { class: "headline-sub" }, sub) : null));
}

function renderDf1(result) {
  const people = identitiesOf(result);
  const fakes = people.filter((p) => p.isFake === true).length;
  const nodes = [];
  if (people.length === 0) {
    nodes.push(headline("neutral", "No face found", "The model found no face to judge in this file.", "none"));
  } else if (fakes > 0) {
    nodes.push(headline("bad", "Deepfake detected",
      `${fakes} of ${people.length} ${people.length === 1 ? "face is" : "faces are"} fake.`, "fake"));
  } else {
    nodes.push(headline("good", "Looks real",
      `${people.length} ${people.length === 1 ? "face" : "faces"}, none fake.`, "real"));
  }
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

function renderFi1(result) {
  const fake = asBool(result.isDeepFake);
  const live = asBool(result.isLiveness);
  const similar = asBool(result.isSimilar);
  const score = asNum(result.similarityScore);
  const face = identitiesOf(result)[0];
  const conf = face?.confidence ?? null;
  const nodes = [
    fake === true
      ? headline("bad", "Deepfake detected", conf !== null ? `${percent(conf)} confidence` : "", "fake")
      : fake === false
        ? headline("good", "Looks real", conf !== null ? `${percent(conf)} confidence` : "", "real")
        : headline("neutral", "No deepfake verdict", "", "none"),
  ];
  const row = (check, label, value, tone) =>
    h("li", { class: "check-row", dataset: { check, value: String(value) } },
      h("span", { class: "check-label" }, label),
      h("span", { class: "pill", dataset: { tone } }, value));
  nodes.push(h("ul", { class: "checks" },
    row("deepfake", "Deepfake", fake === null ? "not reported" : fake ? "Fake" : "Real", fake === null ? "neutral" : fake ? "bad" : "good"),
    row("liveness", "Liveness", live === null ? "not reported" : live ? "Live person" : "Not live", live === null ? "neutral" : live ? "good" : "bad"),
    row("similarity", "Similarity to reference",
      score === null ? "not checked" : `${similar ? "Match" : "No match"} · ${score.toFixed(1)} / 100`,
      score === null ? "neutral" : similar ? "good" : "warn")));
  const realPct = asNum(result.RealConfidencePercent);
  if (realPct !== null) nodes.push(h("p", { class: "hint" }, `Real confidence: ${realPct.toFixed(1)} %`));
  return nodes;
}

function renderFe1(result) {
  const v = Array.isArray(result.faceVector) ? result.faceVector.map(Number) : [];
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const canvas = h("canvas", { class: "vector-map", width: 256, height: 64, "aria-label": "The face vector as a colour map", dataset: { length: v.length } });
  drawVector(canvas, v);
  return [
    headline("neutral", `Face vector · ${v.length} numbers`, `Length (L2 norm) ${norm.toFixed(3)}. Compare two vectors with a dot product to match faces.`, "vector"),
    h("div", { class: "vector", dataset: { length: v.length } },
      canvas,
      h("p", { class: "mono vector-preview" }, `[${v.slice(0, 6).map((x) => x.toFixed(4)).join(", ")}${v.length > 6 ? ", …" : ""}]`)),
  ];
}

function drawVector(canvas, v) {
  const ctx = canvas.getContext("2d");
  const cols = 64;
  const rows = Math.max(1, Math.ceil(v.length / cols));
  canvas.height = rows * 4;
  const max = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0) || 1;
  v.forEach((x, i) => {
    const t = x / max; // -1..1: blue .. white .. red
    const r = t > 0 ? 255 : Math.round(255 * (1 + t));
    const b = t < 0 ? 255 : Math.round(255 * (1 - t));
    const g = Math.round(255 * (1 - Math.abs(t)));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect((i % cols) * 4, Math.floor(i / cols) * 4, 4, 4);
  });
}

function renderGeneric(result) {
  // AC-1 answers { isFake, confidencePercent, … }; older results { isDeepFake, confidence }.
  const fake = asBool(result.isDeepFake ?? result.isFake);
  const conf = asNum(result.confidence ?? result.confidencePercent);
  const nodes = [];
  if (fake !== null) {
    nodes.push(headline(fake ? "bad" : "good", fake ? "Fake" : "Looks real",
      conf !== null ? `${percent(conf <= 1 ? conf : conf / 100)} confidence` : "", fake ? "fake" : "real"));
  } else {
    nodes.push(headline("neutral", "Result received",
      `This page does not know the result type${result?.resultType ? ` “${result.resultType}”` : ""}; here it is as sent.`, "unknown"));
  }
  const facts = Object.entries(result ?? {}).filter(([, v]) => v === null || typeof v !== "object");
  if (facts.length) {
    nodes.push(h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", { class: "mono" }, String(v))])));
  }
  if (fake === null) nodes.push(h("pre", { class: "json" }, JSON.stringify(result, null, 2)));
  return nodes;
}

async function showResult(media, result, source) {
  const verdict = $("verdict");
  const type = String(result?.resultType ?? "");
  let nodes;
  if (type === "video" || (!type && Array.isArray(result?.identityPredictions))) nodes = renderDf1(result);
  else if (type === "face") nodes = renderFi1(result);
  else if (type === "face-embed" || Array.isArray(result?.faceVector)) nodes = renderFe1(result);
  else nodes = renderGeneric(result ?? {});
  verdict.replaceChildren(...nodes);
  verdict.dataset.resultType = type || "unknown";
  verdict.hidden = false;
  $("raw-json").textContent = JSON.stringify(result, null, 2);
  $("raw").hidden = false;
  markStep("PROCESSED", job.times.PROCESSED ?? Date.now());
  const tone = verdict.querySelector(".headline")?.dataset.tone ?? "neutral";
  setJobState("done", tone === "bad" ? "Fake" : tone === "good" ? "Real" : "Done", tone === "neutral" ? "info" : tone);
  $("job").dataset.mid = media.mid ?? "";
  await drawMedia(result, source);
}

/* ------------------------------------------------------------------------------------------ */
/* Boxes over the media                                                                        */
/* ------------------------------------------------------------------------------------------ */

const FPS = 30; // boxes are keyed by frame number; assume 30 frames per second

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the ${what} took too long to load`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function once(target, ok, what, fail = "error") {
  return new Promise((resolve, reject) => {
    const done = (ev) => {
      target.removeEventListener(ok, done);
      target.removeEventListener(fail, bad);
      resolve(ev);
    };
    const bad = () => {
      target.removeEventListener(ok, done);
      target.removeEventListener(fail, bad);
      reject(new Error(`the browser could not decode the ${what}`));
    };
    target.addEventListener(ok, done);
    target.addEventListener(fail, bad);
  });
}

async function loadImage(src) {
  const img = new Image();
  img.crossOrigin = "anonymous";
  img.decoding = "async";
  const loaded = once(img, "load", "image");
  img.src = src;
  await withTimeout(loaded, 8000, "image");
  return { el: img, width: img.naturalWidth, height: img.naturalHeight };
}

async function loadVideoFrame(src, frame) {
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.preload = "auto";
  video.crossOrigin = "anonymous";
  const loaded = once(video, "loadeddata", "video");
  video.src = src;
  await withTimeout(loaded, 6000, "video");
  const t = frame / FPS;
  if (t > 0) {
    const seeked = once(video, "seeked", "video");
    video.currentTime = Number.isFinite(video.duration) ? Math.min(t, video.duration) : t;
    await withTimeout(seeked, 6000, "video");
  }
  if (!video.videoWidth) throw new Error("the video has no picture track");
  return { el: video, width: video.videoWidth, height: video.videoHeight };
}

/** The earliest frame that has a box, and the boxes of every identity on it. */
function firstFrameBoxes(result) {
  const people = identitiesOf(result);
  let first = null;
  for (const p of people) {
    for (const [k, box] of Object.entries(p.frames)) {
      const f = Number(k);
      if (Number.isFinite(f) && Array.isArray(box) && box.length >= 4 && (first === null || f < first)) first = f;
    }
  }
  if (first === null) return { frame: null, boxes: [] };
  const boxes = [];
  for (const [index, p] of people.entries()) {
    const key = Object.keys(p.frames).find((k) => Number(k) === first);
    const b = key !== undefined ? p.frames[key] : null;
    if (Array.isArray(b) && b.length >= 4 && b.slice(0, 4).every((x) => Number.isFinite(Number(x)))) {
      const [x, y, w, hh] = b.map(Number);
      boxes.push({ id: p.id, n: index + 1, cls: p.cls, confidence: p.confidence, x, y, w, h: hh });
    }
  }
  return { frame: first, boxes };
}

let mediaUrl = null;

async function drawMedia(result, source) {
  const figure = $("media-figure");
  const canvas = $("media-canvas");
  const { frame, boxes } = firstFrameBoxes(result);
  const kind = kindOf(source?.type);
  if (kind === "audio" || (kind !== "image" && kind !== "video" && boxes.length === 0)) {
    figure.hidden = true;
    return;
  }
  if (mediaUrl) URL.revokeObjectURL(mediaUrl);
  mediaUrl = source?.blob ? URL.createObjectURL(source.blob) : null;
  const src = mediaUrl ?? source?.url ?? null;

  let media = null;
  let why = "";
  if (src && (kind === "image" || kind === "video")) {
    try {
      media = kind === "image" ? await loadImage(src) : await loadVideoFrame(src, frame ?? 0);
    } catch (e) {
      why = e.message;
    }
  } else {
    why = `the ${kind || "file"} is not available to this page`;
  }
  if (!media && boxes.length === 0 && kind === "image") {
    figure.hidden = true;
    return;
  }

  // Canvas size: the media's own pixels (boxes are in those pixels), at most 1600 px wide.
  const extentW = Math.max(640, ...boxes.map((b) => b.x + b.w));
  const extentH = Math.max(480, ...boxes.map((b) => b.y + b.h));
  const width = media?.width || extentW;
  const height = media?.height || extentH;
  const scale = Math.min(1, 1600 / Math.max(width, height));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  if (media) {
    ctx.drawImage(media.el, 0, 0, canvas.width, canvas.height);
  } else {
    drawPlaceholder(ctx, canvas.width, canvas.height, kind);
  }
  ctx.scale(scale, scale);
  const line = Math.max(2, Math.round(Math.max(width, height) / 240));
  for (const b of boxes) drawBox(ctx, b, line, width);
  canvas.dataset.source = media ? kind : "placeholder";
  canvas.dataset.frame = frame === null ? "" : String(frame);
  canvas.dataset.boxes = JSON.stringify(boxes.map(({ id, cls, x, y, w, h: hh }) => ({ id, cls, x, y, w, h: hh })));
  canvas.setAttribute("aria-label",
    `${media ? kind : "Placeholder frame"} with ${boxes.length} face${boxes.length === 1 ? "" : "s"} outlined`);

  const where = kind === "video" && frame !== null ? `Frame ${frame} (${(frame / FPS).toFixed(2)} s at ${FPS} fps)` : "The image";
  const legend = boxes.length ? `${boxes.length} face${boxes.length === 1 ? "" : "s"} outlined: green real, red fake.` : "No face boxes in the result.";
  const frameNote = kind === "video" && frame !== null ? ` of frame ${frame}` : "";
  $("media-caption").textContent = media
    ? `${where} · ${legend}`
    : `No preview: ${why}. The boxes${frameNote} are drawn on a blank ${Math.round(width)} × ${Math.round(height)} frame at their reported positions. ${legend}`;
  figure.dataset.source = canvas.dataset.source;
  figure.hidden = false;
}

function drawPlaceholder(ctx, w, hgt, kind) {
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
  // A small tag in the corner says what this is; the boxes are drawn over it.
  const size = Math.max(12, Math.round(w / 48));
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  const text = `No preview of this ${kind || "file"}: boxes at their reported positions`;
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

/* ------------------------------------------------------------------------------------------ */
/* Recent media: iterateMedia, status, delete                                                  */
/* ------------------------------------------------------------------------------------------ */

const RECENT_LIMIT = 20;
let recentGeneration = 0;

function statusTone(status) {
  const s = String(status).toUpperCase();
  if (s === "PROCESSED") return "good";
  if (s === "FAILED" || s === "ERROR") return "bad";
  if (s === "INITED") return "neutral"; // created, its file not (yet) uploaded
  return "busy";
}

async function refreshRecent() {
  const card = $("recent");
  const list = $("recent-list");
  const status = $("recent-status");
  if (!client) {
    card.dataset.state = "error";
    list.replaceChildren();
    status.textContent = "Add an API key in Settings to see your media.";
    return;
  }
  const generation = ++recentGeneration;
  card.dataset.state = "loading";
  status.textContent = "Loading…";
  const items = [];
  try {
    for await (const media of client.iterateMedia({ pageSize: 10 })) {
      items.push(media);
      if (items.length >= RECENT_LIMIT) break;
    }
  } catch (e) {
    if (generation !== recentGeneration) return;
    const d = describeError(e, "list");
    card.dataset.state = "error";
    list.replaceChildren();
    status.textContent = `${d.title}. ${d.todo} (${e.name} · ${e.code})`;
    return;
  }
  if (generation !== recentGeneration) return;
  list.replaceChildren(...items.map(recentItem));
  card.dataset.state = items.length ? "ready" : "empty";
  status.textContent = items.length
    ? `${items.length === RECENT_LIMIT ? `The latest ${RECENT_LIMIT}` : items.length} record${items.length === 1 ? "" : "s"}, newest first.`
    : "No media yet. Files you analyse appear here.";
}

function recentItem(media) {
  const s = String(media.status ?? "?");
  const meta = [media.modelType, media.size !== undefined ? formatBytes(media.size) : null, timeAgo(media.createdAt)];
  const faces = asNum(media.faces);
  const fakes = asNum(media.deepFakes);
  const summary = faces !== null && fakes !== null
    ? h("p", { class: "ri-summary", dataset: { tone: fakes > 0 ? "bad" : "good" } },
      fakes > 0 ? `${fakes} of ${faces} ${faces === 1 ? "face" : "faces"} fake` : `${faces} ${faces === 1 ? "face" : "faces"}, all real`)
    : null;
  const errorLine = h("p", { class: "ri-error", role: "alert", hidden: true });
  const del = h("button", { class: "btn btn-small btn-danger-ghost", type: "button", "aria-label": `Delete ${media.name}` }, "Delete");
  let armed = null;
  del.addEventListener("click", async () => {
    if (!armed) {
      // A second click confirms, so a slip does not delete anything.
      del.textContent = "Confirm";
      del.dataset.armed = "true";
      armed = setTimeout(() => {
        armed = null;
        del.textContent = "Delete";
        delete del.dataset.armed;
      }, 4000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    del.disabled = true;
    del.textContent = "Deleting…";
    try {
      await client.deleteMedia(media.mid);
      li.dataset.deleted = "true";
      await sleep(180);
      li.remove();
      const left = $("recent-list").children.length;
      $("recent").dataset.state = left ? "ready" : "empty";
      $("recent-status").textContent = left
        ? `Deleted “${media.name}”.`
        : "No media yet. Files you analyse appear here.";
    } catch (e) {
      const d = describeError(e, "delete");
      errorLine.hidden = false;
      errorLine.textContent = `${d.title}. ${d.todo} (${e.name} · ${e.code})`;
      del.disabled = false;
      del.textContent = "Delete";
      delete del.dataset.armed;
    }
  });
  const processed = s.toUpperCase() === "PROCESSED";
  const li = h("li", { class: "recent-item", dataset: { mid: media.mid, status: s } },
    h("div", { class: "ri-main" },
      h("p", { class: "ri-name", title: media.name }, media.name || "untitled"),
      h("p", { class: "ri-meta" }, meta.filter(Boolean).join(" · ")),
      summary),
    h("span", { class: "badge", dataset: { tone: statusTone(s) } }, s),
    h("div", { class: "ri-actions" },
      processed
        ? h("button", { class: "btn btn-small btn-ghost", type: "button", onclick: () => view(media), "aria-label": `View the result of ${media.name}` }, "View")
        : null,
      del),
    errorLine);
  return li;
}

/* ------------------------------------------------------------------------------------------ */
/* Start                                                                                       */
/* ------------------------------------------------------------------------------------------ */

async function main() {
  // `ready`: the wasm has arrived, so makeClient's constructor checks the settings itself (the
  // settings panel relies on its ConfigurationError); a .wasm that cannot load rejects here.
  await Promise.all([loadEnv(), ready]);
  initSettings();
  initForm();
  $("error-retry").addEventListener("click", () => job.retry?.());
  $("recent-refresh").addEventListener("click", refreshRecent);
  applySettings(loadSettings());
  if (!client && !settings.apiKey) showSettings(true);
  document.body.dataset.ready = "true";

  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(INFLIGHT_KEY) ?? "null");
  } catch {
    sessionStorage.removeItem(INFLIGHT_KEY);
  }
  refreshRecent();
  if (saved?.mid && client) resume(saved);
}

main().catch((e) => {
  console.error(e);
  document.body.dataset.ready = "error";
});
