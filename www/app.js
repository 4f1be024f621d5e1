// The Authenta SDK sample page: the entry module. It wires the small modules in js/ together:
//   settings.js     where requests go: this site's server (no key in the page, the default), or
//                   a key in the page (direct mode, a choice under Settings)
//   tasks.js        the tasks (TASK_TYPES) and the legacy models, and what files each takes
//   form.js         the API, task, file, FI-1 options and sample button
//   samples.js      sample files made in the page
//   flow.js         runJob / uploadAndPoll with progress and status, view, resume, cancel
//   verdicts.js     one view per kind of verdict
//   drawing.js      the picture, face boxes per frame, the heatmap, the FE-1 vector
//   lists.js        recent jobs and media: status filter, view, cancel, delete
//   code-panel.js   the SDK code for the current choices
//   error-advice.js what each error means and what to do
import { ready } from "/pkg/index.js";
import { $ } from "./js/dom.js";
import { initCodePanel, renderCode } from "./js/code-panel.js";
import { initDrawing } from "./js/drawing.js";
import { analyse, cancel, initFlow, isBusy, resume } from "./js/flow.js";
import { choices, currentApi, fiChecks, initForm, setClientReady, setFile } from "./js/form.js";
import { initLists, refreshJobs, refreshMedia } from "./js/lists.js";
import { sampleFor } from "./js/samples.js";
import { choiceOf } from "./js/tasks.js";
import { client, initSettings, loadEnv } from "./js/settings.js";

/** The sample button: make a sample file for the chosen task, then analyse it. */
async function runSample() {
  const { api, code } = choices();
  const fi = code === "FI-1" ? fiChecks() : {};
  const button = $("sample");
  button.disabled = true;
  const status = $("sample-status");
  const video = choiceOf(api, code).accept.every((t) => t.startsWith("video/")) || fi.faceswap;
  status.textContent = video ? "Recording a 4-second sample video in the page…" : "Making a sample file…";
  try {
    const { file, reference } = await sampleFor(code, choiceOf(api, code).accept, fi);
    setFile(file, reference ?? null);
    status.textContent = `Sample: ${file.name}${reference ? ` with ${reference.name} as reference` : ""}.`;
    await analyse();
  } catch (e) {
    status.textContent = `No sample: ${e.message}.`;
  } finally {
    button.disabled = false;
  }
}

function refreshLists() {
  refreshJobs();
  refreshMedia();
}

async function main() {
  // `ready`: the wasm has arrived, so the settings' client constructor checks the settings itself
  // (the settings panel relies on its ConfigurationError); a .wasm that cannot load rejects here.
  await Promise.all([loadEnv(), ready]);
  initDrawing();
  initCodePanel();
  initFlow({ finished: (api) => (api === "jobs" ? refreshJobs() : refreshMedia()) });
  initForm({ changed: renderCode, busy: isBusy, analyse, sample: runSample, cancel });
  initLists();
  await initSettings(() => {
    setClientReady(Boolean(client));
    renderCode();
    refreshLists();
  });
  document.body.dataset.ready = "true";
  document.body.dataset.api = currentApi();
  resume();
}

main().catch((e) => {
  console.error(e);
  document.body.dataset.ready = "error";
});
