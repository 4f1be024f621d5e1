// The form: which API, which task (from TASK_TYPES) or model, the file (the picker filtered to
// what the task takes), the FI-1 options where they apply, and the sample button.
import { $, formatBytes } from "./dom.js";
import { accepts, choiceOf, choicesOf, contentTypeOf, describeAccepts, kindOf, REFERENCE_ACCEPTS } from "./tasks.js";

/** The choices on screen. */
export const form = { file: null, reference: null };
let onChange = () => {};
let isBusy = () => false;

export const currentApi = () => ($("api-media").checked ? "media" : "jobs");
const picker = () => (currentApi() === "media" ? $("model-type") : $("task-type"));
export const currentCode = () => picker().value;

/** The FI-1 checks as ticked: { single, liveness, faceswap, similarity }. */
export function fiChecks() {
  return {
    single: $("fi-single").checked,
    liveness: $("fi-liveness").checked,
    faceswap: $("fi-faceswap").checked,
    similarity: $("fi-similarity").checked,
  };
}

/** Everything a run needs: { api, code, file, reference, contentType, fi }. */
export function choices() {
  const code = currentCode();
  return {
    api: currentApi(),
    code,
    file: form.file,
    reference: code === "FI-1" && $("fi-similarity").checked ? form.reference : null,
    contentType: form.file ? contentTypeOf(form.file) : "",
    fi: code === "FI-1" ? fiChecks() : null,
  };
}

function fillPickers() {
  for (const [api, select] of [["jobs", $("task-type")], ["media", $("model-type")]]) {
    select.replaceChildren(...choicesOf(api).map((c) => {
      const o = document.createElement("option");
      o.value = c.value;
      o.textContent = c.label;
      return o;
    }));
  }
  $("task-type").value = "AC-1";
  $("model-type").value = "DF-1";
}

/** A task that takes this file when the chosen one does not. */
function pickFor(type) {
  const api = currentApi();
  if (accepts(choiceOf(api, currentCode()).accept, type)) return;
  const preferred = api === "media"
    ? { video: "DF-1", image: "FI-1" }
    : { video: "DF-1", image: "AC-1", audio: "AF-1", application: "DI-1" };
  const better = preferred[kindOf(type)];
  if (better && accepts(choiceOf(api, better).accept, type)) picker().value = better;
}

export function setFile(file, reference) {
  form.file = file;
  if (reference !== undefined) setReference(reference);
  $("dropzone").dataset.hasFile = String(Boolean(file));
  $("file-chip").hidden = !file;
  $("dropzone-title").textContent = file ? "Ready to analyse" : "Drop a file here";
  if (file) {
    const type = contentTypeOf(file);
    $("file-kind").textContent = kindOf(type) || "file";
    $("file-kind").dataset.kind = kindOf(type);
    $("file-name").textContent = file.name || "untitled";
    $("file-size").textContent = formatBytes(file.size);
    pickFor(type);
  } else {
    $("file-input").value = "";
  }
  render();
}

function setReference(file) {
  form.reference = file ?? null;
  $("reference-name").textContent = form.reference ? `${form.reference.name} · ${formatBytes(form.reference.size)}` : "No reference image yet";
}

function render() {
  const api = currentApi();
  $("task-field").hidden = api !== "jobs";
  $("model-field").hidden = api !== "media";
  const choice = choiceOf(api, currentCode());
  $("file-input").accept = choice.accept.join(",");
  $("reference-input").accept = REFERENCE_ACCEPTS.join(",");
  $("task-hint").textContent = `Takes ${describeAccepts(choice.accept)}.${api === "media" ? " The legacy API: one file, four models." : ""}`;
  $("dropzone-kinds").textContent = describeAccepts(choice.accept);
  const fi = choice.code === "FI-1";
  $("fi-options").hidden = !fi;
  $("reference-row").hidden = !(fi && $("fi-similarity").checked);
  $("api-path").textContent = api === "jobs" ? "/v1/jobs" : "/api/media";
  renderProblems();
  onChange();
}

/** What is wrong with the choices: { messages, blocking }. */
export function formProblems() {
  const messages = [];
  let blocking = !form.file;
  const { api, code, file, contentType } = choices();
  if (!file) return { messages, blocking };
  const choice = choiceOf(api, code);
  const kind = kindOf(contentType);
  if (file.size === 0) {
    messages.push("This file is empty: choose another one.");
    blocking = true;
  }
  if (!contentType) messages.push("The browser could not tell what kind of file this is; the upload needs a content type.");
  else if (!accepts(choice.accept, contentType)) {
    messages.push(`${code} takes ${describeAccepts(choice.accept)}; this file is ${contentType}. The server will refuse it.`);
  }
  if (code === "FI-1") {
    const c = fiChecks();
    if (c.faceswap && kind !== "video") messages.push("The face-swap check needs a video.");
    if (c.similarity && kind !== "image") messages.push("The similarity check needs an image.");
    if (c.similarity && !form.reference) {
      messages.push("Choose a reference image for the similarity check.");
      blocking = true;
    }
    if (api === "jobs" && c.faceswap && c.similarity) {
      messages.push("The Jobs API runs the face-swap and similarity checks in separate jobs: untick one.");
      blocking = true;
    }
  }
  return { messages, blocking };
}

export function renderProblems() {
  const { messages, blocking } = formProblems();
  const warn = $("form-warning");
  warn.hidden = messages.length === 0;
  warn.textContent = messages.join(" ");
  $("analyse").disabled = isBusy() || blocking || !$("analyse").dataset.clientReady;
  $("sample").disabled = isBusy() || !$("analyse").dataset.clientReady;
}

/** Whether the page has a client to send with (settings.js decides). */
export function setClientReady(ready) {
  if (ready) $("analyse").dataset.clientReady = "true";
  else delete $("analyse").dataset.clientReady;
  renderProblems();
}

export function initForm({ changed, busy, analyse, sample, cancel }) {
  onChange = changed;
  isBusy = busy;
  fillPickers();
  const zone = $("dropzone");
  const input = $("file-input");
  input.addEventListener("change", () => setFile(input.files?.[0] ?? null));
  zone.addEventListener("click", (ev) => {
    if (ev.target.closest("button, label, input")) return;
    if (!isBusy()) input.click();
  });
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
    if (file && !isBusy()) setFile(file);
  });
  // A file dropped beside the zone must not navigate away from the page.
  for (const type of ["dragover", "drop"]) window.addEventListener(type, (ev) => ev.preventDefault());

  $("file-clear").addEventListener("click", () => setFile(null));
  for (const id of ["api-jobs", "api-media"]) {
    $(id).addEventListener("change", () => {
      if (form.file) pickFor(contentTypeOf(form.file));
      render();
    });
  }
  for (const id of ["task-type", "model-type", "fi-single", "fi-liveness", "fi-faceswap", "fi-similarity"]) {
    $(id).addEventListener("change", render);
  }
  $("reference-input").addEventListener("change", (ev) => {
    setReference(ev.target.files?.[0] ?? null);
    render();
  });
  $("upload-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    analyse();
  });
  $("sample").addEventListener("click", sample);
  $("cancel").addEventListener("click", cancel);
  render();
}
