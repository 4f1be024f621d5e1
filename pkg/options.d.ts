// Options of the SDK's own methods (design/SDK.md).
import type {
  CreateJobRequest, CreatedJob, DetectionResult, FaceMetadata, FinalizedJob, Job, JobResult,
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

/** A task by id (`4`, `"4"`), slug (`"faceswap-detection"`) or model code (`"DF-1"`), any case. */
export type TaskType = TaskTypeId | number | ModelType | (string & {});

/** One input: a Blob/File, or with its content type or file name given. */
export type JobInput = Blob | { file: Blob; contentType?: string; fileName?: string };

/** A Blob/File (the `original` slot), or slot name → input (`{ original, reference }`). */
export type JobInputs = JobInput | { original: JobInput; reference?: JobInput; [slot: string]: JobInput | undefined };

export interface JobProgress extends UploadProgress {
  /** The input being sent. */
  slotName: string;
}

export interface ListJobsParams {
  /** From 1. */
  page?: number;
  /** 1..100. */
  limit?: number;
  status?: JobStatus;
}

export interface IterateJobsOptions extends RequestOptions {
  /** 1..100, default 50. */
  pageSize?: number;
  status?: JobStatus;
}

export interface SubmitJobOptions extends RequestOptions {
  taskType: TaskType;
  /** Sent as given, with `version: "v1"` added when absent. */
  parameters?: CreateJobRequest["parameters"];
  /** Over all inputs together: `total` is the sum of their sizes. */
  onProgress?: (progress: JobProgress) => void;
  /** The job of the create answer first. */
  onStatus?: (job: Job) => void;
}

export interface WaitForJobOptions extends RequestOptions {
  /** Deadline of the whole wait; default the task's documented time-out plus 60 s (30 minutes
   * for a task the SDK does not know). */
  timeoutMs?: number;
  onStatus?: (job: Job) => void;
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
}

export interface RunJobOptions extends SubmitJobOptions, WaitForJobOptions {
  /** One deadline for uploads, wait and result. */
  timeoutMs?: number;
  onStatus?: (job: Job) => void;
}

export interface SubmittedJob {
  /** Always a string. */
  jobId: string;
  created: CreatedJob;
  finalized: FinalizedJob;
}

export interface RunJobResult {
  job: Job;
  result: JobResult;
}
