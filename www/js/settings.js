// Where requests go, and whether this page holds a key. By default it holds none: the client
// talks to this site's own server, where `authenta-wasm/server`'s handler (/api/authenta) adds
// the key and shows each visitor only their own jobs. The direct mode, a key in the page, is an
// explicit choice under Settings for demos and internal tools: the emulator's development key
// (fetched when chosen, held in memory) or a key you type (sessionStorage, gone when the tab
// closes; localStorage only when you tick "Remember on this device").
import { AuthentaClient, AuthentaError } from "/pkg/index.js";
import { $ } from "./dom.js";

const STORAGE_KEY = "authenta-demo:settings";
export const DEFAULT_BASE_URL = "https://platform.authenta.ai/api";
/** Where a site built like this one mounts the handler (scripts/demo-server.mjs does). */
export const HANDLER_PATH = "/api/authenta";

/**
 * What `/__emulator/env.json` said: from the demo server `{ handler, api, storage, keyUrl }`
 * (no key); from the emulator's own web port `{ api, storage, web, apiKey }` (no handler there).
 */
export let env = null;
/**
 * { mode: "proxy" | "direct", baseUrl, apiKey (typed; "" in direct mode: the emulator's key),
 *   allowBrowserKey, source: "handler" | "emulator" | "session" | "device" | "default" }
 */
export let settings = { mode: "proxy", baseUrl: "", apiKey: "", allowBrowserKey: false, source: "default" };
/** @type {AuthentaClient | null} */
export let client = null;
/** The emulator's key, once direct mode asked for it: in memory only, never in the DOM. */
let emulatorKey = null;

/** Called after the client changes (the lists reload, the form re-checks itself). */
let onChange = () => {};

export async function loadEnv() {
  try {
    const res = await fetch("/__emulator/env.json", { cache: "no-store" });
    if (res.ok) {
      const json = await res.json();
      if (json && typeof json.api === "string") env = json;
    }
  } catch {
    // Not served by the demo: the handler is assumed at HANDLER_PATH on this origin.
  }
}

/** The handler's absolute URL (the client needs one): this origin's HANDLER_PATH. */
export const handlerUrl = () => new URL(env?.handler ?? HANDLER_PATH, location.href).href;

/** Whether this page can get the emulator's key for the direct mode. */
export const hasEmulatorKey = () => Boolean(env && (env.keyUrl || env.apiKey));

export function defaultSettings() {
  const proxy = { mode: "proxy", baseUrl: handlerUrl(), apiKey: "", allowBrowserKey: false };
  // Served by the emulator alone: there is no handler, only the emulator's key.
  if (env && !env.handler && env.apiKey) return { mode: "direct", baseUrl: env.api, apiKey: "", allowBrowserKey: false, source: "emulator" };
  return { ...proxy, source: env ? "handler" : "default" };
}

/** The direct mode's defaults: the emulator's API and key, or the platform's URL and a key to type. */
function directDefaults() {
  return { mode: "direct", baseUrl: env?.api ?? DEFAULT_BASE_URL, apiKey: "", allowBrowserKey: false };
}

function readStored(storage, source) {
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null");
    if (saved && typeof saved.baseUrl === "string") {
      const mode = saved.mode === "direct" || saved.mode === "proxy" ? saved.mode : saved.apiKey ? "direct" : "proxy";
      return { mode, baseUrl: saved.baseUrl, apiKey: saved.apiKey ?? "", allowBrowserKey: saved.allowBrowserKey === true, source };
    }
  } catch {
    storage.removeItem(STORAGE_KEY); // a corrupt entry
  }
  return null;
}

function loadSettings() {
  return readStored(sessionStorage, "session") ?? readStored(localStorage, "device") ?? defaultSettings();
}

function forget() {
  sessionStorage.removeItem(STORAGE_KEY);
  localStorage.removeItem(STORAGE_KEY);
}

/** A local address: the emulator, or a development server on this machine. */
function isLocal(baseUrl) {
  try {
    const host = new URL(baseUrl).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || (env !== null && baseUrl === env.api);
  } catch {
    return false;
  }
}

/** Direct mode with no typed key uses the emulator's: fetched now, the first time it is needed. */
async function keyFor(s) {
  if (s.mode !== "direct" || s.apiKey.trim()) return s.apiKey.trim();
  if (emulatorKey === null && env?.apiKey) emulatorKey = env.apiKey;
  if (emulatorKey === null && env?.keyUrl) {
    try {
      const res = await fetch(env.keyUrl, { cache: "no-store" });
      if (res.ok) emulatorKey = (await res.json()).apiKey ?? null;
    } catch {
      // Reported below as a missing key.
    }
  }
  return emulatorKey ?? "";
}

/**
 * The client for these settings; throws (the SDK's ConfigurationError, or an Error of ours) when
 * they are bad. Proxy mode: no credentials at all, the server adds them. Direct mode: a string
 * key in a page is readable by anyone who opens it, so the SDK refuses it unless told
 * `dangerouslyAllowBrowser`: this page says so only for a local server, or when you ticked that
 * you understand (an internal tool).
 */
export async function makeClient(s) {
  const options = { baseUrl: s.baseUrl.trim() };
  if (s.mode === "direct") {
    const key = await keyFor(s);
    if (!key) throw new Error(hasEmulatorKey() ? "The emulator's key could not be fetched: type a key" : "The direct mode needs an API key");
    options.apiKey = key;
    if (isLocal(options.baseUrl) || s.allowBrowserKey) options.dangerouslyAllowBrowser = true;
  }
  return new AuthentaClient(options);
}

export async function applySettings(s) {
  settings = s;
  try {
    client = await makeClient(s);
  } catch (e) {
    client = null;
    showSettings(true);
    showSettingsError(e);
  }
  renderConnection();
  onChange();
}

/** Back to the defaults (this site's server, no key), forgetting what was stored. */
export function useDefaults() {
  forget();
  return applySettings(defaultSettings());
}

/** The direct mode with the emulator's key (kept for the tab: the choice, never the key). */
export function useEmulatorKey() {
  forget();
  const s = directDefaults();
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  return applySettings({ ...s, source: "emulator" });
}

const isProxy = () => settings.mode === "proxy";
/** Whether the page talks to this site's own handler. */
export const isOwnHandler = () => isProxy() && settings.baseUrl === handlerUrl();
/** Whether the requests end at the emulator (directly, or through the demo's handler). */
export const isEmulator = () =>
  env !== null && (settings.mode === "direct" ? settings.baseUrl === env.api : Boolean(env.handler) && isOwnHandler());

function renderConnection() {
  const chip = $("connection");
  const text = $("connection-text");
  $("emulator-note").hidden = !client || !isEmulator();
  if (!client) {
    chip.dataset.kind = "bad";
    text.textContent = isProxy() ? "Settings need attention" : "No API key";
    return;
  }
  let host = settings.baseUrl;
  try {
    host = new URL(settings.baseUrl).host;
  } catch {
    // Shown as typed.
  }
  if (isProxy()) {
    chip.dataset.kind = "proxy";
    text.textContent = isOwnHandler() ? "This site's server · no key in the page" : `${host} · no key in the page`;
  } else {
    chip.dataset.kind = "direct";
    text.textContent = isEmulator() ? `Local emulator · key in the page` : `${host} · key in the page`;
  }
}

const SOURCE_TEXT = {
  handler: "The default: this site's server (authenta-wasm/server in front of the local emulator) holds the key.",
  default: "The default: this site's server at /api/authenta holds the key.",
  emulator: "The emulator's development key, fetched when you chose it and held in memory only.",
  session: "Kept for this tab only (sessionStorage): closing the tab forgets it.",
  device: "Remembered on this device (localStorage) until you press “Use defaults”.",
};

/** Shows the fields of the chosen mode (the key and its choices only in direct mode). */
function renderMode() {
  const direct = $("mode-direct").checked;
  $("direct-fields").hidden = !direct;
  $("direct-warning").hidden = !direct;
  $("base-url-label").textContent = direct ? "API base URL" : "Your server's URL (the handler)";
  $("api-key").placeholder = hasEmulatorKey() ? "empty: the emulator's development key" : "api_…";
  renderRememberWarning();
}

/** Switching modes swaps the other mode's default URL for this one's. */
function modeChanged() {
  const direct = $("mode-direct").checked;
  const url = $("base-url");
  const from = direct ? handlerUrl() : directDefaults().baseUrl;
  if (url.value.trim() === from || !url.value.trim()) url.value = direct ? directDefaults().baseUrl : handlerUrl();
  renderMode();
}

export function showSettings(open) {
  $("settings").hidden = !open;
  $("settings-toggle").setAttribute("aria-expanded", String(open));
  if (open) {
    $(settings.mode === "direct" ? "mode-direct" : "mode-proxy").checked = true;
    $("base-url").value = settings.baseUrl;
    $("api-key").value = settings.apiKey; // a typed key only: the emulator's never enters the DOM
    $("remember-key").checked = settings.source === "device";
    $("allow-browser-key").checked = settings.allowBrowserKey;
    $("settings-source").textContent = SOURCE_TEXT[settings.source] ?? "";
    $("settings-error").hidden = true;
    renderMode();
  }
}

function renderRememberWarning() {
  $("remember-warning").hidden = !$("remember-key").checked || $("direct-fields").hidden;
}

export function showSettingsError(e) {
  const el = $("settings-error");
  el.hidden = false;
  el.textContent = e instanceof AuthentaError ? `${e.message} (${e.name} · ${e.code})` : String(e?.message ?? e);
}

const same = (a, b) => a.mode === b.mode && a.baseUrl === b.baseUrl && a.apiKey === b.apiKey && a.allowBrowserKey === b.allowBrowserKey;

export async function initSettings(changed) {
  onChange = changed;
  $("settings-toggle").addEventListener("click", () => showSettings($("settings").hidden));
  $("settings-close").addEventListener("click", () => showSettings(false));
  $("remember-key").addEventListener("change", renderRememberWarning);
  $("mode-proxy").addEventListener("change", modeChanged);
  $("mode-direct").addEventListener("change", modeChanged);
  $("key-reveal").addEventListener("click", (ev) => {
    const input = $("api-key");
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    ev.currentTarget.textContent = show ? "Hide" : "Show";
    ev.currentTarget.setAttribute("aria-pressed", String(show));
  });
  $("settings-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const direct = $("mode-direct").checked;
    const next = {
      mode: direct ? "direct" : "proxy",
      baseUrl: $("base-url").value.trim(),
      apiKey: direct ? $("api-key").value.trim() : "",
      allowBrowserKey: direct && $("allow-browser-key").checked,
    };
    let fresh;
    try {
      fresh = await makeClient(next);
    } catch (e) {
      showSettingsError(e);
      return;
    }
    const remember = direct && $("remember-key").checked;
    forget();
    if (same(next, defaultSettings()) && !remember) {
      settings = defaultSettings();
    } else {
      // The choice is kept (for the tab, or on the device); the emulator's key never is.
      (remember ? localStorage : sessionStorage).setItem(STORAGE_KEY, JSON.stringify(next));
      settings = { ...next, source: direct && !next.apiKey ? "emulator" : remember ? "device" : "session" };
    }
    client = fresh;
    renderConnection();
    showSettings(false);
    onChange();
  });
  $("settings-reset").addEventListener("click", async () => {
    await useDefaults();
    showSettings(true);
  });
  await applySettings(loadSettings());
}
