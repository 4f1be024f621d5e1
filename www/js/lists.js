// Recent jobs (iterateJobs, with a status filter: view, cancel a waiting job, delete) and recent
// media of the legacy API (iterateMedia: view, delete). Delete asks for a second click.
import { TASK_TYPES } from "/pkg/index.js";
import { $, asNum, formatBytes, h, sleep, timeAgo } from "./dom.js";
import { errorLine } from "./error-advice.js";
import { isBusy, viewJob, viewMedia } from "./flow.js";
import { client } from "./settings.js";

const LIMIT = 20;

function statusTone(status) {
  const s = String(status).toLowerCase();
  if (s === "processed" || s === "completed") return "good";
  if (s === "failed" || s === "error") return "bad";
  if (s === "inited" || s === "initiated" || s === "cancelled") return "neutral";
  return "busy";
}

/** A Delete button that needs a second click within 4 s. */
function deleteButton(label, run) {
  const del = h("button", { class: "btn btn-small btn-danger-ghost", type: "button", "aria-label": `Delete ${label}` }, "Delete");
  let armed = null;
  del.addEventListener("click", async () => {
    if (!armed) {
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
    const ok = await run();
    if (!ok) {
      del.disabled = false;
      del.textContent = "Delete";
      delete del.dataset.armed;
    }
  });
  return del;
}

/** Lists up to LIMIT items of `iterate()` into the card `prefix` ("recent" or "jobs"). */
async function fill(prefix, iterate, item, { empty, noun, action }) {
  const card = $(prefix === "recent" ? "recent" : "recent-jobs");
  const list = $(`${prefix}-list`);
  const status = $(`${prefix}-status`);
  if (!client) {
    card.dataset.state = "error";
    list.replaceChildren();
    status.textContent = `Fix the settings to see your ${noun}.`;
    return;
  }
  const generation = (card.generation = (card.generation ?? 0) + 1);
  card.dataset.state = "loading";
  status.textContent = "Loading…";
  const items = [];
  try {
    for await (const x of iterate()) {
      items.push(x);
      if (items.length >= LIMIT) break;
    }
  } catch (e) {
    if (generation !== card.generation) return;
    card.dataset.state = "error";
    list.replaceChildren();
    status.textContent = errorLine(e, { action: "list", api: action });
    return;
  }
  if (generation !== card.generation) return;
  list.replaceChildren(...items.map(item));
  card.dataset.state = items.length ? "ready" : "empty";
  status.textContent = items.length
    ? `${items.length === LIMIT ? `The latest ${LIMIT}` : items.length} ${items.length === 1 ? noun.replace(/s$/, "") : noun}, newest first.`
    : empty;
}

/* ---- jobs ---- */

export function refreshJobs() {
  const status = $("jobs-filter").value;
  return fill("jobs", () => client.iterateJobs({ pageSize: 10, ...(status ? { status } : {}) }), jobItem, {
    empty: status ? `No ${status} jobs.` : "No jobs yet. Files you analyse with the Jobs API appear here.",
    noun: "jobs",
    action: "jobs",
  });
}

function jobItem(raw) {
  const job = raw?.job && !raw.id ? raw.job : raw;
  const id = String(job.id ?? job.jobId);
  const s = String(job.status ?? "?").toLowerCase();
  const task = TASK_TYPES.find((t) => t.id === String(job.taskTypeId));
  const input = (job.artifacts ?? []).find((a) => a.kind === "input" && a.slotName === "original");
  const name = input?.metadata?.fileName ?? `Job ${id}`;
  const errorEl = h("p", { class: "ri-error", role: "alert", hidden: true });
  const fail = (e, action) => {
    errorEl.hidden = false;
    errorEl.textContent = errorLine(e, { action, api: "jobs" });
  };
  const actions = [];
  if (s === "completed") {
    actions.push(h("button", { class: "btn btn-small btn-ghost", type: "button", "aria-label": `View the result of job ${id}`, onclick: () => !isBusy() && viewJob(id) }, "View"));
  }
  if (s === "initiated" || s === "queued" || s === "created" || s === "waiting_for_finalize") {
    const cancel = h("button", { class: "btn btn-small btn-ghost", type: "button", "aria-label": `Cancel job ${id}` }, "Cancel");
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      try {
        await client.cancelJob(id);
        await refreshJobs();
      } catch (e) {
        cancel.disabled = false;
        fail(e, "cancel");
      }
    });
    actions.push(cancel);
  }
  actions.push(deleteButton(`job ${id}`, async () => {
    try {
      await client.deleteJob(id);
      li.dataset.deleted = "true";
      await sleep(180);
      li.remove();
      $("jobs-status").textContent = `Deleted job ${id}.`;
      return true;
    } catch (e) {
      fail(e, "delete");
      return false;
    }
  }));
  const li = h("li", { class: "recent-item", dataset: { jobId: id, status: s } },
    h("div", { class: "ri-main" },
      h("p", { class: "ri-name", title: name }, name),
      h("p", { class: "ri-meta" }, [`job ${id}`, task ? task.code : `task ${job.taskTypeId}`, timeAgo(job.createdAt)].filter(Boolean).join(" · "))),
    h("span", { class: "badge", dataset: { tone: statusTone(s) } }, s),
    h("div", { class: "ri-actions" }, actions),
    errorEl);
  return li;
}

/* ---- media (legacy) ---- */

export function refreshMedia() {
  return fill("recent", () => client.iterateMedia({ pageSize: 10 }), mediaItem, {
    empty: "No media yet. Files you analyse with the legacy API appear here.",
    noun: "records",
    action: "media",
  });
}

function mediaItem(media) {
  const s = String(media.status ?? "?");
  const meta = [media.modelType, media.size !== undefined ? formatBytes(media.size) : null, timeAgo(media.createdAt)];
  const faces = asNum(media.faces);
  const fakes = asNum(media.deepFakes);
  const summary = faces !== null && fakes !== null
    ? h("p", { class: "ri-summary", dataset: { tone: fakes > 0 ? "bad" : "good" } },
      fakes > 0 ? `${fakes} of ${faces} ${faces === 1 ? "face" : "faces"} fake` : `${faces} ${faces === 1 ? "face" : "faces"}, all real`)
    : null;
  const errorEl = h("p", { class: "ri-error", role: "alert", hidden: true });
  const del = deleteButton(media.name, async () => {
    try {
      await client.deleteMedia(media.mid);
      li.dataset.deleted = "true";
      await sleep(180);
      li.remove();
      const left = $("recent-list").children.length;
      $("recent").dataset.state = left ? "ready" : "empty";
      $("recent-status").textContent = left ? `Deleted “${media.name}”.` : "No media yet. Files you analyse with the legacy API appear here.";
      return true;
    } catch (e) {
      errorEl.hidden = false;
      errorEl.textContent = errorLine(e, { action: "delete", api: "media" });
      return false;
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
        ? h("button", { class: "btn btn-small btn-ghost", type: "button", onclick: () => !isBusy() && viewMedia(media), "aria-label": `View the result of ${media.name}` }, "View")
        : null,
      del),
    errorEl);
  return li;
}

export function initLists() {
  $("recent-refresh").addEventListener("click", refreshMedia);
  $("jobs-refresh").addEventListener("click", refreshJobs);
  $("jobs-filter").addEventListener("change", refreshJobs);
}
