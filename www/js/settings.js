// Where requests go and with which key. The key is held as a real frontend would: in memory (the
// emulator's key, read from /__emulator/env.json on every load) or in sessionStorage (a key you
// type: gone when the tab closes); localStorage only when you tick "Remember on this device".
// Without a key the client runs in proxy mode: your server adds the key (see the note in Settings).
import { AuthentaClient, AuthentaError } from "/pkg/index.js";
import { $ } from "./dom.js";

const STORAGE_KEY = "authenta-demo:settings";
export const DEFAULT_BASE_URL = "https://platform.authenta.ai/api";

/** What `/__emulator/env.json` said, when the emulator serves this page. */
export let env = null;
/** { baseUrl, apiKey, allowBrowserKey, source: "emulator" | "session" | "device" | "default" } */
export let settings = { baseUrl: DEFAULT_BASE_URL, apiKey: "", allowBrowserKey: false, source: "default" };
/** @type {AuthentaClient | null} */
export let client = null;

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
    // Not served by the emulator: no defaults beyond the platform's URL.
  }
}

export function defaultSettings() {
  return env
    ? { baseUrl: env.api, apiKey: env.apiKey ?? "", allowBrowserKey: false, source: "emulator" }
    : { baseUrl: DEFAULT_BASE_URL, apiKey: "", allowBrowserKey: false, source: "default" };
}

function readStored(storage, source) {
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null");
    if (saved && typeof saved.baseUrl === "string") {
      return { baseUrl: saved.baseUrl, apiKey: saved.apiKey ?? "", allowBrowserKey: saved.allowBrowserKey === true, source };
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

/**
 * The client for these settings; throws the SDK's ConfigurationError when they are bad. A string
 * key in a page is readable by anyone who opens it, so the SDK refuses it unless told
 * `dangerouslyAllowBrowser`: this page says so only for a local server, or when you ticked that
 * you understand (an internal tool). A real product uses the proxy: no key here at all.
 */
export function makeClient(s) {
  const options = { baseUrl: s.baseUrl.trim() };
  if (s.apiKey.trim()) {
    options.apiKey = s.apiKey.trim();
    if (isLocal(options.baseUrl) || s.allowBrowserKey) options.dangerouslyAllowBrowser = true;
  }
  return new AuthentaClient(options);
}

export function applySettings(s) {
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
  onChange();
}

/** Back to the emulator's URL and key (or the platform's URL), forgetting what was stored. */
export function useDefaults() {
  forget();
  applySettings(defaultSettings());
}

export const isEmulator = () => env !== null && settings.baseUrl === env.api;

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
  if (isEmulator()) {
    chip.dataset.kind = "emulator";
    text.textContent = settings.apiKey === env.apiKey ? `Local emulator · ${host}` : "Local emulator · your key";
  } else {
    chip.dataset.kind = "remote";
    text.textContent = settings.apiKey ? host : `${host} (proxy, no key)`;
  }
  $("emulator-note").hidden = !isEmulator();
}

const SOURCE_TEXT = {
  emulator: "Filled in from the local emulator (/__emulator/env.json), held in memory only.",
  session: "Kept for this tab only (sessionStorage): closing the tab forgets the key.",
  device: "Remembered on this device (localStorage) until you press “Use defaults”.",
  default: "Enter your Authenta API key, or the URL of your own proxy with no key (recommended).",
};

export function showSettings(open) {
  $("settings").hidden = !open;
  $("settings-toggle").setAttribute("aria-expanded", String(open));
  if (open) {
    $("base-url").value = settings.baseUrl;
    $("api-key").value = settings.apiKey;
    $("remember-key").checked = settings.source === "device";
    $("allow-browser-key").checked = settings.allowBrowserKey;
    $("settings-source").textContent = SOURCE_TEXT[settings.source] ?? "";
    $("settings-error").hidden = true;
    renderRememberWarning();
  }
}

function renderRememberWarning() {
  $("remember-warning").hidden = !$("remember-key").checked;
}

export function showSettingsError(e) {
  const el = $("settings-error");
  el.hidden = false;
  el.textContent = e instanceof AuthentaError ? `${e.message} (${e.name} · ${e.code})` : String(e?.message ?? e);
}

export function initSettings(changed) {
  onChange = changed;
  $("settings-toggle").addEventListener("click", () => showSettings($("settings").hidden));
  $("settings-close").addEventListener("click", () => showSettings(false));
  $("remember-key").addEventListener("change", renderRememberWarning);
  $("key-reveal").addEventListener("click", (ev) => {
    const input = $("api-key");
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    ev.currentTarget.textContent = show ? "Hide" : "Show";
    ev.currentTarget.setAttribute("aria-pressed", String(show));
  });
  $("settings-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const next = {
      baseUrl: $("base-url").value.trim(),
      apiKey: $("api-key").value.trim(),
      allowBrowserKey: $("allow-browser-key").checked,
    };
    let fresh;
    try {
      fresh = makeClient(next);
    } catch (e) {
      showSettingsError(e);
      return;
    }
    const remember = $("remember-key").checked;
    const d = defaultSettings();
    forget();
    if (d.source === "emulator" && next.baseUrl === d.baseUrl && next.apiKey === d.apiKey && !remember) {
      settings = d;
    } else {
      (remember ? localStorage : sessionStorage).setItem(STORAGE_KEY, JSON.stringify(next));
      settings = { ...next, source: remember ? "device" : "session" };
    }
    client = fresh;
    renderConnection();
    showSettings(false);
    onChange();
  });
  $("settings-reset").addEventListener("click", () => {
    useDefaults();
    showSettings(true);
  });
  applySettings(loadSettings());
  if (!client && !settings.apiKey) showSettings(true);
}
