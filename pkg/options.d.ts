// Options of the SDK's own methods (design/SDK.md).
import type { DetectionResult, FaceMetadata, Media, ModelType } from "./api-types.js";

/** A key, or a function returning a fresh short-lived token (called before every attempt). */
export type ApiKey = string | (() => string | Promise<string>);

export interface ClientOptions {
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: ApiKey;
  /** The older header scheme (`x-client-id` / `x-client-secret`). */
  clientId?: string;
  clientSecret?: string;
  /** Default `https://platform.authenta.ai/api`. A URL of your own and no credentials: proxy mode. */
  baseUrl?: string;
  /** Per API request attempt, in ms; default 30 000. */
  timeoutMs?: number;
  /** Retries of a retryable failure, 0..10; default 2. */
  maxRetries?: number;
  /** A custom fetch, called as `fetch(url, init)`; default: the runtime's global `fetch`. It also
   * carries uploads and result downloads (then uploads report no byte progress). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Extra headers on API requests (never on pre-signed URLs). */
  headers?: Record<string, string>;
  /** Allow a string key in a browser (demos, internal tools): anyone can read it there. */
  dangerouslyAllowBrowser?: boolean;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Single requests: per attempt. Long operations: the whole operation's deadline. */
  timeoutMs?: number;
  maxRetries?: number;
}

export interface ListMediaParams {
  /** 1..100. */
  limit?: number;
  offset?: number;
}

export interface IterateMediaOptions extends RequestOptions {
  /** 1..100, default 50. */
  pageSize?: number;
}

export interface UploadProgress {
  loaded: number;
  total: number;
  /** `false` where the runtime cannot report bytes (the start event of a fetch upload). */
  lengthComputable: boolean;
}

export interface UploadFileOptions extends RequestOptions {
  /** Exactly the type given at creation; default the Blob's own type. */
  contentType?: string;
  onProgress?: (progress: UploadProgress) => void;
}

export interface UploadOptions extends RequestOptions {
  modelType: ModelType;
  /** Default `File.name`, else `"upload"`. */
  name?: string;
  /** Default `Blob.type`; must agree with it when both are given. */
  contentType?: string;
  metadata?: FaceMetadata;
  /** FI-1 similarity check: the reference image. Goes with `metadata.faceSimilarityCheck: true`
   * (each needs the other). */
  reference?: Blob;
  onProgress?: (progress: UploadProgress) => void;
}

export interface WaitForResultOptions extends RequestOptions {
  /** Deadline of the whole wait; default 600 000 (10 minutes). */
  timeoutMs?: number;
  /** Once per status change, with the whole record. */
  onStatus?: (media: Media) => void;
  /** First interval between polls; default 1 000. */
  pollIntervalMs?: number;
  /** Longest interval between polls; default 8 000. */
  maxPollIntervalMs?: number;
}

export interface UploadAndPollOptions extends UploadOptions, WaitForResultOptions {
  /** One deadline for upload, wait and result. Without it the upload has none and the wait
   * (with the result) has 10 minutes. */
  timeoutMs?: number;
}

export interface UploadAndPollResult {
  media: Media;
  result: DetectionResult;
}
