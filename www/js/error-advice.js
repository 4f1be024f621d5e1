// What happened and what to do, for each error class and code of the SDK, as a person wants it.
import { choiceOf, describeAccepts } from "./tasks.js";
import { env, hasEmulatorKey, settings, showSettings, useEmulatorKey } from "./settings.js";

/**
 * `context`: { action: "upload" | "view" | "list" | "delete" | "cancel" | "resume", api, code }
 * (the API and task/model the request was for). Returns { title, what, todo, tone?, fix? }.
 */
export function describeError(e, context = {}) {
  const { action = "upload", api = "jobs", code: task } = context;
  const name = e?.name ?? "Error";
  const code = e?.code ?? "";
  const which = e?.jobId ? ` (job ${e.jobId})` : e?.mid ? ` (media ${e.mid})` : "";
  const openSettings = { label: "Open settings", run: () => showSettings(true) };
  // Through this site's server the key is the server's: what the page can fix is its session.
  const proxy = settings.mode === "proxy";
  const keyFix = hasEmulatorKey() && settings.apiKey ? { label: "Use the emulator's key", run: useEmulatorKey } : openSettings;
  switch (name) {
    case "AbortError":
      return {
        title: "Cancelled",
        tone: "neutral",
        what: "You stopped it before it finished.",
        todo: e.jobId
          ? `Press Try again when you are ready. Job ${e.jobId} was created but not finalized, so nothing was charged; delete it under Recent jobs if you like.`
          : e.mid
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
      if (proxy) {
        return {
          title: "This site's server did not recognise you",
          what: "It answered 401: the session it gave this browser when the page loaded is missing or has expired.",
          todo: "Reload the page to start a new session, then press Try again.",
          fix: { label: "Reload the page", run: () => location.reload() },
        };
      }
      return {
        title: "The API key was not accepted",
        what: "The server answered 401: the key is missing, mistyped or has been revoked.",
        todo: "Check the key in Settings; copy it again from the Authenta dashboard if needed.",
        fix: keyFix,
      };
    case "PermissionDeniedError":
      if (proxy && (code === "TASK_NOT_ALLOWED" || code === "OPERATION_NOT_ALLOWED")) {
        return {
          title: "This site does not allow that",
          what: `Its server's policy refused it (${code === "TASK_NOT_ALLOWED" ? "this task" : "this operation"} is not open to you).`,
          todo: "Pick another task, or ask the site's owner.",
        };
      }
      if (proxy) {
        return {
          title: "The server's key is not allowed to do that",
          what: "Authenta answered 403 to this site's server: its key lacks the permission for this request.",
          todo: "The site's owner must give the server a key with the write (and delete) permission.",
        };
      }
      return {
        title: "This key is not allowed to do that",
        what: action === "delete"
          ? "The server answered 403: the key cannot delete (it lacks the delete permission)."
          : action === "upload"
            ? `The server answered 403: the key cannot create ${api === "jobs" ? "jobs" : "media"}. It is probably a read-only key.`
            : "The server answered 403: the key lacks the permission for this request.",
        todo: "Use a key with the write (and delete) permission in Settings, or ask the account owner to grant it.",
        fix: openSettings,
      };
    case "InsufficientBalanceError":
      return {
        title: "No credits left",
        what: api === "jobs"
          ? `The job needs credits when it is finalized, and this account has too few${which}. Nothing was taken.`
          : "Each analysis costs one credit, and this account has none.",
        todo: "Top up or enable pay-as-you-go billing in the Authenta dashboard, then press Try again.",
      };
    case "RateLimitError":
      return code === "AA001"
        ? { title: "The call quota is used up", what: "This account has made all the calls its plan allows for now.", todo: "Wait for the quota to reset, or raise it in the Authenta dashboard." }
        : { title: "Too many requests", what: "The server asked the page to slow down, and the automatic retries ran out.", todo: "Wait a minute, then press Try again." };
    case "StorageError":
    case "UploadError": {
      const s3 = e.s3Code ?? "";
      if (name === "StorageError" || code === "DOWNLOAD_FAILED" || code === "RESULT_URL_EXPIRED") {
        return { title: "The result could not be downloaded", what: `The storage refused the link to the result${s3 ? ` (S3 ${s3})` : ""}.`, todo: "Press Try again in a moment." };
      }
      if (s3 === "AccessDenied" || s3 === "RequestExpired" || /expired/i.test(e.message)) {
        return {
          title: "The upload link expired",
          what: `The storage refused the file because its pre-signed upload link had already expired${s3 ? ` (S3 ${s3})` : ""}.`,
          todo: "Press Try again: a new record comes with a fresh link. If it happens every time, check this computer's clock.",
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
        todo: e.jobId || e.mid ? "Press Try again to keep waiting; long videos can take several minutes." : "Press Try again in a moment.",
      };
    case "ServerError":
      if (code === "UPSTREAM_FAILED") {
        return {
          title: "This site's server could not reach Authenta",
          what: "It answered 502: Authenta did not answer it, refused its key, or sent something that is not the API.",
          todo: env ? "Check that make demo is still running, then press Try again." : "Press Try again in a few minutes.",
        };
      }
      return {
        title: "The server had a problem",
        what: `Authenta answered with an error${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}; the SDK already retried.`,
        todo: "Press Try again in a few minutes. If it persists, check the Authenta status page.",
      };
    case "NotFoundError":
      return {
        title: api === "jobs" ? "That job no longer exists" : "That media no longer exists",
        what: proxy
          ? `This site's server does not know it for you${which}: it was deleted, or another visitor made it (each sees only their own).`
          : `The server does not know it${which}: it was deleted, or it belongs to another key.`,
        todo: `Refresh ${api === "jobs" ? "Recent jobs" : "Recent media"} and pick another one.`,
      };
    case "BadRequestError": {
      if (code === "UNSUPPORTED_MEDIA_TYPE") {
        const choice = task ? choiceOf(api, task) : null;
        return {
          title: api === "jobs" ? "This task cannot read this file" : "This model cannot read this file",
          what: e.message,
          todo: choice
            ? `${choice.code} takes ${describeAccepts(choice.accept)}. Choose such a file, or pick a task that takes this one.`
            : "Pick another task or file.",
        };
      }
      if (code === "JOB_NOT_CANCELLABLE" || e.statusCode === 409) {
        return { title: "Too late to cancel", what: e.message, todo: "A job can be cancelled while it waits (initiated or queued), not once it is processing or done." };
      }
      if (code === "INVALID_JOB_STATE") {
        return { title: "Already cancelled", what: e.message, todo: "Nothing to do: the job is cancelled." };
      }
      if (code === "INVALID_TASK_TYPE") {
        return { title: "The server does not know this task", what: e.message, todo: "Pick another task." };
      }
      return { title: "The server refused the request", what: e.message, todo: "Check the file and the options, then press Try again." };
    }
    case "ProcessingError":
      if (code === "RESULT_NOT_READY") return { title: "No result yet", what: "It has not been processed yet.", todo: "Wait a little and press Try again." };
      if (code === "JOB_CANCELLED") return { title: "The job was cancelled", tone: "neutral", what: `It was cancelled before it ran${which}.`, todo: "Press Try again to run it as a new job." };
      if (code === "JOB_NOT_FINALIZED") return { title: "The job was never finalized", what: `Its inputs were not all uploaded, so it will never run${which}.`, todo: "Press Try again to submit the file as a new job." };
      return {
        title: "Authenta could not process this file",
        what: `Processing ended without a verdict${which}.${e.message && api === "jobs" ? ` ${e.message}` : ""}`,
        todo: `Try another file, or contact support with the ${api === "jobs" ? "job id" : "media id"}.`,
      };
    case "InvalidResponseError":
      return {
        title: "The server's answer was not understood",
        what: "It was not the JSON the API sends: often an HTML page from a proxy or a login wall.",
        todo: proxy
          ? "Check that the URL in Settings points at your server's handler (such as /api/authenta)."
          : "Check that the base URL in Settings points at the API itself (it usually ends in /api).",
        fix: openSettings,
      };
    case "ConfigurationError":
      return code === "INVALID_ARGUMENT"
        ? { title: "This file cannot be sent", what: e.message, todo: "Choose another file or change the options." }
        : { title: "The settings are not usable", what: e.message, todo: "Fix the base URL or the key in Settings.", fix: openSettings };
    default:
      return {
        title: "Something unexpected went wrong",
        what: e?.message ?? String(e),
        todo: "Press Try again. If it happens again, the browser console has the details.",
      };
  }
}

/** One line for a list: "Title. What to do (Name · CODE)". */
export function errorLine(e, context) {
  const d = describeError(e, context);
  return `${d.title}. ${d.todo} (${e?.name ?? "Error"} · ${e?.code ?? "no code"})`;
}
