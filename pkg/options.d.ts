// Options of the SDK's own methods (design/SDK.md).
import type {
  CreatedJob, DetectionResult, FaceMetadata, FinalizedJob, Job, JobParameters, JobResult,
  JobStatus, Media, ModelType, TaskTypeId,
} from "./api-types.js";

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

// ---- Jobs API ----

/** A task by id (`4`, `"4"`), slug (`"faceswap-detection"`) or model code (`"DF-1"`), any case.
 * An unknown id is sent as it is; an unknown slug or code is a `ConfigurationError`. */
export type TaskType = TaskTypeId | number | ModelType | (string & {});

/** One input: a Blob/File, or with its content type or file name given (defaults: `Blob.type`,
 * `File.name`, else the slot name). */
export type JobInput = Blob | { file: Blob; contentType?: string; fileName?: string };

/** A Blob/File (the `original` slot), or slot name → input (`{ original, reference }`), sent
 * `original` first. */
export type JobInputs =
  | JobInput
  | { original: JobInput; reference?: JobInput; [slot: string]: JobInput | undefined };

/** `onProgress` of the Jobs API: over all inputs together. */
export interface JobProgress extends UploadProgress {
  /** The input being sent (`"original"`, `"reference"`). */
  slotName: string;
}

export interface ListJobsParams {
  /** From 1; default 1. */
  page?: number;
  /** 1..100. */
  limit?: number;
  /** Only jobs with this status. */
  status?: JobStatus;
}

export interface IterateJobsOptions extends RequestOptions {
  /** 1..100, default 50. */
  pageSize?: number;
  /** Only jobs with this status. */
  status?: JobStatus;
}

export interface SubmitJobOptions extends RequestOptions {
  taskType: TaskType;
  /** Sent as given, with `version: "v1"` added when absent. FI-1: `reference` given ⇔
   * `isSimilarityCheck: true`; `isFaceswapCheck` needs a video, `isSimilarityCheck` an image. */
  parameters?: JobParameters;
  /** Over all inputs together: `total` is the sum of their sizes. */
  onProgress?: (progress: JobProgress) => void;
  /** The job of the create answer first, then each status change. */
  onStatus?: (job: Job) => void;
}

export interface WaitForJobOptions extends RequestOptions {
  /** Deadline of the whole wait; default the task's documented time-out plus 60 s (30 minutes
   * for a task the SDK does not know). */
  timeoutMs?: number;
  /** Once per status change, with the whole job. */
  onStatus?: (job: Job) => void;
  /** First interval between polls; default 1 000. */
  pollIntervalMs?: number;
  /** Longest interval between polls; default 8 000. */
  maxPollIntervalMs?: number;
}

export interface RunJobOptions extends SubmitJobOptions, WaitForJobOptions {
  /** One deadline for uploads, wait and result. Without it the uploads have none and the wait
   * has the task's default. */
  timeoutMs?: number;
  /** The job of the create answer first, then each status change. */
  onStatus?: (job: Job) => void;
}

/** What `submitJob` resolves with, once the job is queued. */
export interface SubmittedJob {
  /** Always a string (a numeric id from the server as its decimal text). */
  jobId: string;
  /** The create answer, as the server wrote it. */
  created: CreatedJob;
  /** The finalize answer (or, after a confirmed retry, the job as `GET` showed it). */
  finalized: FinalizedJob;
}

export interface RunJobResult {
  /** The job once `completed`. */
  job: Job;
  /** The result JSON, as the server wrote it. */
  result: JobResult;
}
