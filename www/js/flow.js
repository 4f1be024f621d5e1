// The flow on screen: run a job (runJob) or a legacy media upload (uploadAndPoll) with progress
// and a status timeline, then the verdict, the drawing and the raw JSON; view an earlier job or
// record; resume after a reload; cancel. The SDK calls are the few lines the code panel shows.
import { AbortError, AuthentaError, TASK_TYPES } from "/pkg/index.js";
import { $, announce, clockTime, formatBytes, h } from "./dom.js";
import { hideFigure, showFigure } from "./drawing.js";
import { describeError } from "./error-advice.js";
import { choices, renderProblems } from "./form.js";
import { jobParameters, mediaMetadata } from "./code-panel.js";
import { client } from "./settings.js";
import { renderVerdict } from "./verdicts.js";

const INFLIGHT_KEY = "authenta-demo:in-flight";

const STEPS = {
  media: [["INITED", "Created"], ["UPLOADED", "Uploaded"], ["PROCESSING", "Processing"], ["PROCESSED", "Done"]],
  jobs: [["initiated", "Created"], ["uploaded", "Uploaded"], ["queued", "Queued"], ["processing", "Processing"], ["completed", "Done"]],
};

let busy = false;
export const isBusy = () => busy;
let afterRun = () => {};

/** The run on screen. */
const run = {
  api: "jobs",
  code: "",
  controller: null,
  id: null, // jobId or mid
  status: "",
  startedAt: 0,
  times: {},
  uploadDone: false,
  retry: null,
  info: null, // what a reload needs to resume
};

/* ---- the card ---- */

function setState(state, badge, tone) {
  $("job").dataset.state = state;
  $("job-empty").hidden = state !== "empty";
  $("job-body").hidden = state === "empty";
  const b = $("job-badge");
  b.textContent = badge;
  b.dataset.tone = tone;
  announce(`${badge}.`);
}

function setBusy(on) {
  busy = on;
  $("cancel").hidden = !on;
  $("analyse").textContent = on ? "Working…" : "Analyse";
  $("dropzone").dataset.disabled = String(on);
  $("file-input").disabled = on;
  renderProblems();
}

function setId(api, id) {
  run.id = id;
  const card = $("job");
  delete card.dataset.mid;
  delete card.dataset.jobId;
  if (id) card.dataset[api === "jobs" ? "jobId" : "mid"] = String(id);
}

function startCard({ api, name, size, type, code, uploaded = false, times = {}, startedAt = Date.now() }) {
  Object.assign(run, { api, code, id: null, status: "", startedAt, times: { ...times }, uploadDone: uploaded });
  setId(api, null);
  $("job").dataset.api = api;
  setState("busy", uploaded ? "Waiting" : "Uploading", "busy");
  $("job-name").textContent = name || "untitled";
  $("job-meta").textContent = [api === "jobs" ? `Jobs API · ${code}` : `Media API · ${code}`, type, size !== undefined ? formatBytes(size) : null]
    .filter(Boolean).join(" · ");
  $("error-panel").hidden = true;
  $("verdict").hidden = true;
  $("verdict").replaceChildren();
  hideFigure();
  $("reference-figure").hidden = true;
  for (const id of ["raw", "raw-job"]) {
    $(id).hidden = true;
    $(id).open = false;
  }
  $("progress").hidden = false;
  $("progress").dataset.total = String(size ?? 0);
  if (uploaded) setProgress(size ?? 0, size ?? 0, true, "Uploaded earlier");
  else setProgress(0, size ?? 0, false, "Starting upload");
  const steps = STEPS[api];
  $("timeline").dataset.count = String(steps.length);
  $("timeline").replaceChildren(...steps.map(([step, label]) =>
    h("li", { dataset: { step, state: "pending" } },
      h("span", { class: "tl-dot", "aria-hidden": "true" }),
      h("span", { class: "tl-label" }, label),
      h("span", { class: "tl-code" }, step),
      h("time", { class: "tl-time" }))));
  for (const [status, at] of Object.entries(run.times)) markStep(status, at);
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

function onProgress({ loaded, total, lengthComputable, slotName }) {
  const sent = loaded >= total && lengthComputable;
  setProgress(loaded, total, lengthComputable, sent ? "Upload sent" : slotName === "reference" ? "Uploading the reference" : "Uploading");
  if (sent && run.api === "jobs" && !run.uploadDone) {
    run.uploadDone = true;
    run.times.uploaded = Date.now();
    markStep("uploaded", run.times.uploaded);
    markActive();
  }
}

const normal = (status, api) => (api === "jobs" ? String(status ?? "").toLowerCase() : String(status ?? "").toUpperCase());

/** Marks `status` reached at `at`, and the steps before it as passed. */
function markStep(rawStatus, at) {
  const status = normal(rawStatus, run.api);
  const items = [...$("timeline").children];
  if (["FAILED", "ERROR", "failed", "error", "cancelled"].includes(status)) {
    const li = items.find((x) => x.dataset.state !== "done") ?? items[items.length - 1];
    li.dataset.state = status === "cancelled" ? "stopped" : "failed";
    li.querySelector(".tl-code").textContent = status;
    setTime(li, at);
    return;
  }
  const idx = items.findIndex((li) => li.dataset.step === status);
  if (idx < 0) return;
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
  const delta = Math.max(0, (at - run.startedAt) / 1000);
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

const BADGES = {
  INITED: "Uploading", UPLOADED: "Processing", PROCESSING: "Processing", PROCESSED: "Fetching result",
  initiated: "Uploading", created: "Uploading", waiting_for_finalize: "Uploading", queued: "Queued", processing: "Processing", completed: "Fetching result",
};

/** onStatus of both APIs: the record or job at each status change. */
function onStatus(item) {
  const at = Date.now();
  const api = run.api;
  const status = normal(item.status, api);
  const id = api === "jobs" ? item.id ?? item.jobId ?? item.job?.id : item.mid;
  if (!run.id && id !== undefined) setId(api, String(id));
  run.status = status;
  if (!(status in run.times)) run.times[status] = at;
  markStep(status, at);
  if (api === "media" && status !== "INITED") run.uploadDone = true;
  if (api === "jobs" && !["initiated", "created", "waiting_for_finalize"].includes(status) && !run.uploadDone) {
    run.uploadDone = true;
    markStep("uploaded", at);
  }
  if (run.uploadDone) {
    const total = Number($("progress").dataset.total ?? 0);
    if (total) setProgress(total, total, true, "Uploaded");
  }
  markActive();
  const badge = BADGES[status] ?? status;
  if ($("job-badge").textContent !== badge) {
    $("job-badge").textContent = badge;
    announce(`${badge}.`);
  }
  saveInFlight();
}

/* ---- in flight, so a reload resumes (sessionStorage: this tab only) ---- */

function saveInFlight() {
  if (!run.info || !run.id) return;
  sessionStorage.setItem(INFLIGHT_KEY, JSON.stringify({
    ...run.info, api: run.api, id: run.id, mid: run.api === "media" ? run.id : undefined,
    status: run.status, times: run.times, startedAt: run.startedAt, uploaded: run.uploadDone,
  }));
}
function clearInFlight() {
  run.info = null;
  sessionStorage.removeItem(INFLIGHT_KEY);
}

/* ---- runs ---- */

function begin(retry) {
  const controller = new AbortController();
  run.controller = controller;
  run.retry = retry;
  setBusy(true);
  return controller;
}

function end() {
  run.controller = null;
  setBusy(false);
  markActive();
  afterRun(run.api);
}

/** Analyse: the chosen file with the chosen task, through the chosen API. */
export async function analyse() {
  const c = choices();
  if (busy || !client || !c.file) return;
  const controller = begin(analyse);
  startCard({ api: c.api, name: c.file.name, size: c.file.size + (c.reference?.size ?? 0), type: c.contentType, code: c.code });
  run.info = { name: c.file.name, size: c.file.size + (c.reference?.size ?? 0), type: c.contentType, code: c.code, asked: asked(c) };
  const source = { blob: c.file, type: c.contentType };
  const refSource = c.reference ? { blob: c.reference, type: c.reference.type } : null;
  try {
    if (c.api === "jobs") {
      // The Jobs API: create the job, PUT each input, finalize, wait, fetch the result artifact.
      // A file the browser left without a type gets the one guessed from its extension.
      const original = c.file.type || !c.contentType ? c.file : { file: c.file, contentType: c.contentType };
      const inputs = c.reference ? { original, reference: c.reference } : original;
      const options = { taskType: c.code, onProgress, onStatus, signal: controller.signal };
      const parameters = jobParameters(c.fi);
      if (parameters) options.parameters = parameters;
      const { job, result } = await client.runJob(inputs, options);
      clearInFlight();
      await showJobResult(job, result, source, refSource);
    } else {
      // The legacy Media API: create the record, PUT the file, poll, fetch the result.
      const options = { modelType: c.code, onProgress, onStatus, signal: controller.signal };
      if (!c.file.type && c.contentType) options.contentType = c.contentType;
      const metadata = mediaMetadata(c.fi);
      if (metadata) options.metadata = metadata;
      if (c.reference) options.reference = c.reference;
      const { media, result } = await client.uploadAndPoll(c.file, options);
      clearInFlight();
      await showResult({ api: "media", code: c.code, id: media.mid, result, raw: null, source, refSource, asked: run.info?.asked ?? asked(c) });
    }
  } catch (e) {
    clearInFlight();
    showError(e, "upload");
  } finally {
    end();
  }
}

/** The FI-1 checks a run asked for, as the verdict view names them. */
function asked(c) {
  if (!c.fi) return {};
  return c.api === "jobs"
    ? { deepfake: c.fi.faceswap, liveness: c.fi.liveness, similarity: c.fi.similarity }
    : { deepfake: true, liveness: c.fi.liveness, similarity: c.fi.similarity };
}

/** The FI-1 checks a job asked for, from its stored parameters. */
function askedOf(job) {
  const p = job?.parameters ?? {};
  return { deepfake: p.isFaceswapCheck === true, liveness: p.isLivenessCheck === true, similarity: p.isSimilarityCheck === true };
}

const codeOfJob = (job) => TASK_TYPES.find((t) => t.id === String(job.taskTypeId) || t.slug === job.taskTypeSlug)?.code ?? `task ${job.taskTypeId}`;
const artifact = (job, kind, slotName) =>
  (Array.isArray(job?.artifacts) ? job.artifacts : []).find((a) => a.kind === kind && (slotName === undefined || a.slotName === slotName) && a.downloadUrl);

async function showJobResult(job, result, source, refSource) {
  const jobId = String(job.id ?? job.jobId);
  await showResult({
    api: "jobs", code: codeOfJob(job), id: jobId, result, raw: job, source, refSource,
    heatmapUrl: artifact(job, "heatmap")?.downloadUrl ?? null, asked: askedOf(job),
  });
}

async function showResult({ api, code, id, result, raw, source, refSource, heatmapUrl = null, asked: checks = {} }) {
  const verdict = $("verdict");
  const { kind, nodes } = renderVerdict(code, result, checks);
  verdict.replaceChildren(...nodes);
  verdict.dataset.view = kind;
  verdict.dataset.resultType = String(result?.resultType ?? "unknown");
  verdict.hidden = false;
  $("raw-json").textContent = JSON.stringify(result, null, 2);
  $("raw").hidden = false;
  if (raw) {
    $("raw-job-json").textContent = JSON.stringify(raw, null, 2);
    $("raw-job").hidden = false;
  }
  markStep(api === "jobs" ? "completed" : "PROCESSED", run.times[api === "jobs" ? "completed" : "PROCESSED"] ?? Date.now());
  setId(api, id);
  const tone = verdict.querySelector(".headline")?.dataset.tone ?? "neutral";
  const title = verdict.querySelector(".headline-title")?.textContent ?? "Done";
  setState("done", tone === "bad" ? "Fake" : tone === "good" ? "Real" : "Done", tone === "neutral" ? "info" : tone);
  announce(`Done: ${title}.`);
  // The reference photo beside the photo, for the similarity check.
  const refFigure = $("reference-figure");
  if (refSource && checks.similarity) {
    if (refFigure.dataset.url) URL.revokeObjectURL(refFigure.dataset.url);
    const url = refSource.blob ? URL.createObjectURL(refSource.blob) : refSource.url;
    if (refSource.blob) refFigure.dataset.url = url;
    $("reference-img").src = url;
    refFigure.hidden = false;
  }
  await showFigure(result, source, { heatmapUrl });
}

/** View a finished job from the list: its result, its input and heatmap artifacts. */
export async function viewJob(jobId) {
  if (busy || !client) return;
  const controller = begin(() => viewJob(jobId));
  startCard({ api: "jobs", name: `Job ${jobId}`, code: "", uploaded: true });
  $("progress-phase").textContent = "Uploaded earlier";
  $("job-badge").textContent = "Fetching result";
  setId("jobs", String(jobId));
  try {
    const job = await client.getJob(jobId, { signal: controller.signal });
    const code = codeOfJob(job);
    const input = artifact(job, "input", "original");
    $("job-name").textContent = input?.metadata?.fileName ?? `Job ${jobId}`;
    $("job-meta").textContent = [`Jobs API · ${code}`, input?.contentType].filter(Boolean).join(" · ");
    markStep(job.status, Date.now());
    const result = await client.getJobResult(job, { signal: controller.signal });
    for (const li of $("timeline").children) li.querySelector(".tl-time").textContent = li.dataset.state === "done" ? "earlier" : "";
    const ref = artifact(job, "input", "reference");
    await showJobResult(job, result, input ? { url: input.downloadUrl, type: input.contentType } : null,
      ref ? { url: ref.downloadUrl, type: ref.contentType } : null);
  } catch (e) {
    showError(e, "view");
  } finally {
    end();
  }
}

/** View a processed record from the list. */
export async function viewMedia(media) {
  if (busy || !client) return;
  const controller = begin(() => viewMedia(media));
  const created = Date.parse(media.createdAt);
  startCard({
    api: "media", name: media.name, size: media.size, type: media.contentType, code: media.modelType,
    uploaded: true, startedAt: Number.isFinite(created) ? created : Date.now(),
  });
  setId("media", media.mid);
  $("progress-phase").textContent = "Uploaded earlier";
  $("job-badge").textContent = "Fetching result";
  try {
    const fresh = await client.getMedia(media.mid, { signal: controller.signal });
    markStep(fresh.status, Date.now());
    const result = await client.getResult(fresh, { signal: controller.signal });
    for (const li of $("timeline").children) li.querySelector(".tl-time").textContent = li.dataset.state === "done" ? "earlier" : "";
    const m = fresh.metadata ?? {};
    await showResult({
      api: "media", code: fresh.modelType, id: fresh.mid, result, raw: fresh, source: { url: fresh.srcURL, type: fresh.contentType },
      asked: { deepfake: true, liveness: m.livenessCheck === true, similarity: m.faceSimilarityCheck === true },
    });
  } catch (e) {
    showError(e, "view");
  } finally {
    end();
  }
}

/** After a reload: waitForJob(jobId) / waitForResult(mid) need nothing but the id. */
export async function resume() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(INFLIGHT_KEY) ?? "null");
  } catch {
    sessionStorage.removeItem(INFLIGHT_KEY);
  }
  const id = saved?.id ?? saved?.mid;
  if (!id || !client || busy) return;
  const api = saved.api === "jobs" ? "jobs" : "media";
  const controller = begin(resume);
  run.info = { name: saved.name, size: saved.size, type: saved.type, code: saved.code, asked: saved.asked };
  startCard({
    api, name: saved.name, size: saved.size, type: saved.type, code: saved.code,
    uploaded: true, times: saved.times ?? {}, startedAt: saved.startedAt ?? Date.now(),
  });
  setId(api, id);
  $("progress-phase").textContent = "Resumed after a reload";
  let interrupted = false;
  const unfinished = (status) => ["INITED", "initiated", "created", "waiting_for_finalize"].includes(normal(status, api));
  try {
    if (api === "jobs") {
      if (unfinished(saved.status)) interrupted = true;
      else {
        const job = await client.waitForJob(id, { signal: controller.signal, onStatus });
        const result = await client.getJobResult(job, { signal: controller.signal });
        clearInFlight();
        const input = artifact(job, "input", "original");
        const ref = artifact(job, "input", "reference");
        await showJobResult(job, result, input ? { url: input.downloadUrl, type: input.contentType } : null,
          ref ? { url: ref.downloadUrl, type: ref.contentType } : null);
        return;
      }
    } else {
      const media = await client.waitForResult(id, {
        signal: controller.signal,
        onStatus: (m) => {
          if (unfinished(m.status)) {
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
      await showResult({ api, code: media.modelType, id, result, raw: media, source: { url: media.srcURL, type: media.contentType ?? saved.type }, asked: saved.asked ?? {} });
      return;
    }
    throw new Error("the upload was cut short by the reload");
  } catch (e) {
    clearInFlight();
    if (interrupted) {
      showError(Object.assign(new Error("The page was reloaded before the upload finished."), {
        name: "UploadInterrupted", code: "UPLOAD_INTERRUPTED", [api === "jobs" ? "jobId" : "mid"]: id,
      }), "resume");
    } else {
      showError(e, "resume");
    }
  } finally {
    end();
  }
}

/**
 * Cancel: stops the upload or the wait here; a job that is still waiting to run (initiated or
 * queued) is also cancelled on the server with cancelJob, so it never runs.
 */
export async function cancel() {
  const controller = run.controller;
  if (!controller) return;
  if (run.api === "jobs" && run.id && ["queued"].includes(run.status)) {
    try {
      await client.cancelJob(run.id);
    } catch {
      // Too late (processing): stop waiting anyway; the job finishes on the server.
    }
  }
  controller.abort();
}

/* ---- errors ---- */

export function showError(e, action) {
  if (!(e instanceof AuthentaError) && e?.name !== "UploadInterrupted") console.error(e);
  const d = describeError(e, { action, api: run.api, code: run.code });
  const cancelled = e instanceof AbortError || e?.name === "AbortError" || e?.code === "JOB_CANCELLED";
  setState(cancelled ? "cancelled" : "error", cancelled ? "Cancelled" : "Failed", cancelled ? "neutral" : "bad");
  const active = [...$("timeline").children].find((li) => li.dataset.state === "active");
  if (active) active.dataset.state = cancelled ? "stopped" : "failed";
  if (!run.uploadDone) {
    $("progress").dataset.indeterminate = "false";
    $("progress-phase").textContent = cancelled
      ? "Upload cancelled"
      : e?.name === "UploadError" ? "Upload refused by the storage" : run.id ? "Upload stopped" : "Upload not started";
  }
  const idOf = e?.jobId ?? e?.mid ?? null;
  if (idOf && !run.id) setId(run.api, String(idOf));
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
  $("error-mid").hidden = !e?.mid && !e?.jobId;
  $("error-mid").textContent = e?.jobId ? `job ${e.jobId}` : `mid ${e?.mid}`;
  $("error-message").textContent = e?.message ?? String(e);
  $("error-retry").hidden = !run.retry;
  const fix = $("error-fix");
  fix.hidden = !d.fix;
  if (d.fix) {
    fix.textContent = d.fix.label;
    // A fix may change the settings (fetch a key, make a client): Try again waits for it.
    fix.onclick = async () => {
      $("error-retry").disabled = true;
      try {
        await d.fix.run();
      } finally {
        $("error-retry").disabled = false;
      }
    };
  }
  announce(`Failed: ${d.title}. ${d.todo}`);
}

export function initFlow({ finished }) {
  afterRun = finished;
  $("error-retry").addEventListener("click", () => run.retry?.());
}
