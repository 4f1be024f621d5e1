// "Show the code": the few lines of SDK code that do what the page is about to do (or just did),
// with the options as set, ready to copy. The key itself is never shown.
import { $ } from "./dom.js";
import { choices } from "./form.js";
import { HANDLER_PATH, isEmulator, isOwnHandler, settings } from "./settings.js";

/** The Jobs API's FI-1 parameters for the ticked checks. */
export function jobParameters(fi) {
  if (!fi) return undefined;
  const p = { isSingleFace: fi.single, isLivenessCheck: fi.liveness };
  if (fi.faceswap) p.isFaceswapCheck = true;
  if (fi.similarity) p.isSimilarityCheck = true;
  return p;
}

/** The Media API's FI-1 metadata for the ticked checks. */
export function mediaMetadata(fi) {
  if (!fi) return undefined;
  return { isSingleFace: fi.single, livenessCheck: fi.liveness, faceswapCheck: fi.faceswap, faceSimilarityCheck: fi.similarity };
}

const obj = (o, indent) => JSON.stringify(o, null, 2).replace(/"([A-Za-z_$][\w$]*)":/g, "$1:").replaceAll("\n", `\n${indent}`);

function clientLines() {
  if (settings.mode === "proxy") {
    // This site's handler is written as a real page would find it: relative to the page.
    const baseUrl = isOwnHandler() ? `new URL(${JSON.stringify(HANDLER_PATH)}, location.href).href` : JSON.stringify(settings.baseUrl);
    return [
      "// No key in the page: your server (authenta-wasm/server's createAuthentaHandler) adds it",
      "// and lets each signed-in user touch only their own jobs.",
      "const authenta = new AuthentaClient({",
      `  baseUrl: ${baseUrl},`,
      "});",
    ];
  }
  return [
    `// ${isEmulator() ? "The local emulator's key" : "A key in the page"}: anyone who opens the page can read it.`,
    "// Fine for a demo on your machine or an internal tool; in a product, keep it on your server.",
    "const authenta = new AuthentaClient({",
    `  baseUrl: ${JSON.stringify(settings.baseUrl)},`,
    "  apiKey, // never commit a key; this page keeps it in memory or sessionStorage",
    "  dangerouslyAllowBrowser: true,",
    "});",
  ];
}

/** The code for the current choices, as text. */
export function codeFor(c = choices()) {
  const lines = ['import { AuthentaClient } from "authenta-wasm";', "", ...clientLines(), ""];
  const fileVar = "file"; // a File from <input type="file">
  if (c.api === "jobs") {
    const inputs = c.reference ? `{ original: ${fileVar}, reference: referenceFile }` : fileVar;
    lines.push(
      `const { job, result } = await authenta.runJob(${inputs}, {`,
      `  taskType: ${JSON.stringify(c.code)},`,
    );
    const params = jobParameters(c.fi);
    if (params) lines.push(`  parameters: ${obj(params, "  ")},`);
    lines.push(
      "  onProgress: ({ loaded, total }) => showProgress(loaded / total),",
      "  onStatus: (job) => showStatus(job.status), // initiated, queued, processing, completed",
      "});",
      "// job.artifacts: the result JSON, the inputs and (AC-1, DI-1) a heatmap PNG, each with a downloadUrl.",
    );
  } else {
    lines.push(
      `const { media, result } = await authenta.uploadAndPoll(${fileVar}, {`,
      `  modelType: ${JSON.stringify(c.code)},`,
    );
    const meta = mediaMetadata(c.fi);
    if (meta) lines.push(`  metadata: ${obj(meta, "  ")},`);
    if (c.reference) lines.push("  reference: referenceFile,");
    lines.push(
      "  onProgress: ({ loaded, total }) => showProgress(loaded / total),",
      "  onStatus: (media) => showStatus(media.status), // INITED, UPLOADED, PROCESSING, PROCESSED",
      "});",
    );
  }
  lines.push("console.log(result); // as the server wrote it");
  return lines.join("\n");
}

export function renderCode() {
  $("code-sample").textContent = codeFor();
}

export function initCodePanel() {
  $("code-copy").addEventListener("click", async () => {
    const status = $("code-copy-status");
    try {
      await navigator.clipboard.writeText($("code-sample").textContent);
      status.textContent = "Copied.";
    } catch {
      // No clipboard permission (an http page, a headless browser): select the text instead.
      const range = document.createRange();
      range.selectNodeContents($("code-sample"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  });
}
