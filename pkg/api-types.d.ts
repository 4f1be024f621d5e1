// The Authenta API's own types, the Media API's and the Jobs API's, as documented (api-docs,
// API-NOTES.md). Open unions keep values the documents do not list legal; index signatures keep
// fields they do not list.

/** Detection models. */
export type ModelType = "DF-1" | "AC-1" | "FI-1" | "FE-1" | "AF-1" | "VF-1" | "FD-1" | "DI-1" | "FL-1" | "AS-1" | "ED-1" | (string & {});

/** `INITED` → `UPLOADED` → `PROCESSING` → `PROCESSED`; `FAILED` / `ERROR` end it too. Some
 * deployments send lower-case spellings. */
export type MediaStatus =
  | "INITED" | "UPLOADED" | "PROCESSING" | "PROCESSED" | "FAILED" | "ERROR"
  | (string & {});

export type MediaKind = "Video" | "Image" | "Audio" | (string & {});

/** FI-1 options (`POST /media` `metadata`). */
export interface FaceMetadata {
  isSingleFace?: boolean;
  /** Needs a video. */
  faceswapCheck?: boolean;
  livenessCheck?: boolean;
  /** Needs an image, plus a reference image uploaded to `referenceUploadUrl`. */
  faceSimilarityCheck?: boolean;
}

/** `POST /media` body. */
export interface CreateMediaRequest {
  name: string;
  contentType: string;
  /** Bytes; the upload must match it. */
  size: number;
  modelType: ModelType;
  metadata?: FaceMetadata;
  [field: string]: unknown;
}

/** A media record (`GET /media/{mid}`, items of `GET /media`). */
export interface Media {
  /** 24 hex characters in every example; treat as opaque. */
  mid: string;
  name: string;
  type: MediaKind;
  status: MediaStatus;
  modelType: ModelType;
  /** ISO-8601. */
  createdAt: string;
  contentType?: string;
  size?: number;
  /** Pre-signed GET of the uploaded file. */
  srcURL?: string;
  /** Pre-signed GET of the result JSON; present once `PROCESSED`. */
  resultURL?: string;
  /** DF-1 summary counts. */
  faces?: number;
  deepFakes?: number;
  version?: number;
  [field: string]: unknown;
}

/** `POST /media` answer: the record plus where to upload. */
export interface CreatedMedia extends Media {
  /** Pre-signed S3 PUT URL. */
  uploadUrl: string;
  /** Seconds the upload URL stays valid. */
  expiresIn?: number;
  /** FI-1 similarity check: pre-signed PUT for the reference image. */
  referenceUploadUrl?: string;
}

/** `GET /media` answer. */
export interface MediaPage {
  limit: number;
  offset: number;
  total: number;
  data: Media[];
  [field: string]: unknown;
}

/** Error bodies: `{code, statusCode, message}`, or the older `{code, type, message}`. */
export interface ApiErrorBody {
  code: string;
  statusCode?: number;
  type?: string;
  message: string;
}

/** Some deployments send booleans and numbers as strings. */
export type ApiBoolean = boolean | "true" | "false";
export type ApiNumber = number | string;
/** `[x, y, width, height]` in pixels. */
export type Box = [number, number, number, number];

export interface FaceBoxes {
  [identityId: string]: {
    /** Frame number → box. */
    boundingBox: { [frame: string]: Box };
    class: "real" | "fake" | (string & {});
    confidence: ApiNumber;
  };
}

/** DF-1 (face swap video) result. */
export interface DF1Result {
  resultType: "video";
  /** Any identity a deepfake (the Jobs API sends it). */
  isDeepFake?: ApiBoolean;
  identityPredictions: { identityId: string | number; isDeepFake: ApiBoolean }[];
  boundingBoxes: FaceBoxes;
  RealConfidencePercent?: ApiNumber;
  [field: string]: unknown;
}

/** What every FI-1 (face intelligence) result has. A check that was not requested is `null`. */
export interface FI1Checks {
  /** `"face"` from the Media API; the Jobs API sends none. */
  resultType?: "face";
  /** The face swap check. */
  isDeepFake: ApiBoolean | null;
  /** `null` without a similarity check. */
  isSimilar: ApiBoolean | null;
  /** 0..100, or `null` without a similarity check. */
  similarityScore: ApiNumber | null;
  boundingBoxes?: FaceBoxes;
  RealConfidencePercent?: ApiNumber;
  [field: string]: unknown;
}

/** An FI-1 result that reports liveness as `isLiveness` (`true`: a live face). */
export interface FI1LivenessResult extends FI1Checks {
  isLiveness: ApiBoolean | null;
  isSpoof?: undefined;
}

/** An FI-1 result that reports liveness as `isSpoof` (`true`: a spoof, the opposite sense). */
export interface FI1SpoofResult extends FI1Checks {
  isSpoof: ApiBoolean | null;
  isLiveness?: undefined;
}

/** FI-1 (face intelligence) result. Liveness comes as `isLiveness` or as `isSpoof` (opposite
 * senses): `result.isSpoof !== undefined` tells which. */
export type FI1Result = FI1LivenessResult | FI1SpoofResult;

/** FE-1 (face embedding) result. */
export interface FE1Result {
  /** `"face-embed"` from the Media API; the Jobs API sends none. */
  resultType?: "face-embed";
  /** 512 numbers. */
  faceVector: number[];
  [field: string]: unknown;
}

/** A result type this version does not know, passed through untouched. */
export interface UnknownResult {
  resultType?: string;
  [field: string]: unknown;
}

/** What `getResult` returns: the JSON behind `resultURL`, as the server wrote it. */
export type DetectionResult = DF1Result | FI1Result | FE1Result | UnknownResult;

// ---- Jobs API (`/v1/jobs`) ----

/** A task type id as the body sends it (`"1"` … `"11"`); unknown ids stay legal. */
export type TaskTypeId = "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | (string & {});

/** `initiated` (also `created`, `waiting_for_finalize`) → finalize → `queued` → `processing` →
 * `completed` | `failed`; `cancelled` from cancel. Lower-case on the wire; compare
 * case-insensitively. Any other value means "not finished yet". */
export type JobStatus =
  | "initiated" | "created" | "waiting_for_finalize" | "queued" | "processing" | "completed"
  | "failed" | "cancelled" | (string & {});

/** One input slot of `POST /v1/jobs`: what will be uploaded to it. */
export interface JobInputSpec {
  /** `original` for every task; `reference` for an FI-1 similarity check. */
  slotName: "original" | "reference" | (string & {});
  contentType: string;
  fileName: string;
  /** Bytes; the upload must match it. */
  sizeBytes: number;
  [field: string]: unknown;
}

/** `parameters` of `POST /v1/jobs`: `version: "v1"` always, and the FI-1 checks. */
export interface JobParameters {
  version?: "v1" | (string & {});
  isLivenessCheck?: boolean;
  /** Needs a video; not together with `isSimilarityCheck`. */
  isFaceswapCheck?: boolean;
  /** Needs an image and a `reference` input. */
  isSimilarityCheck?: boolean;
  isSingleFace?: boolean;
  [field: string]: unknown;
}

/** `POST /v1/jobs` body, as the official clients send it. */
export interface CreateJobRequest {
  /** The SDK sends a string; a number is sent as given. */
  taskTypeId: TaskTypeId | number;
  inputs: JobInputSpec[];
  parameters?: JobParameters;
  [field: string]: unknown;
}

/** An artifact of a job: an input, the result JSON, a heatmap PNG (AC-1, DI-1)… */
export interface JobArtifact {
  id: string;
  kind: "input" | "result" | "heatmap" | (string & {});
  /** The input slot, for `kind: "input"`. */
  slotName: string | null;
  status?: string;
  contentType: string;
  metadata?: Record<string, unknown>;
  /** A pre-signed GET, no credentials; it expires. */
  downloadUrl: string | null;
  createdAt?: string;
  [field: string]: unknown;
}

/** The task of a job, as `GET /v1/jobs/{id}` describes it. */
export interface JobTaskType {
  id: string;
  slug: string;
  displayName: string;
  description?: string;
  inputSlots: { name: string; mimes: string[] }[];
  [field: string]: unknown;
}

/** `GET /v1/jobs/{id}`, items of `GET /v1/jobs`. The live shape has `id` (a string) and
 * `artifacts`; the reference page's variant has `jobId` (a number), `taskTypeSlug` and the
 * result inline only. */
export interface Job {
  id?: string;
  jobId?: string | number;
  tenantId?: string;
  taskTypeId: TaskTypeId | number;
  taskTypeSlug?: string;
  status: JobStatus;
  /** Credits charged. */
  cost?: number;
  /** ISO-8601. */
  createdAt: string;
  updatedAt: string;
  completedAt?: string | null;
  /** Why a `failed` job failed, when the server says. */
  errorMessage?: string | null;
  parameters?: JobParameters;
  /** The result inline; `null` until completed (and where the server keeps it in an artifact). */
  result: JobResult | null;
  artifacts?: JobArtifact[];
  taskType?: JobTaskType;
  [field: string]: unknown;
}

/** One upload URL of a `POST /v1/jobs` answer, in request order. */
export interface JobUploadTarget {
  /** Absent in some answers: URLs are then matched to slots by position. */
  slotName?: string;
  /** Pre-signed S3 PUT URL. */
  uploadUrl: string;
  /** ISO-8601; about an hour. */
  uploadUrlExpiresAt?: string;
  [field: string]: unknown;
}

/** `POST /v1/jobs`. The live shape is `{ job, inputs }`; the reference page's variant is flat
 * (`{ jobId, status, inputs, … }`). */
export interface CreatedJob {
  job?: {
    id: string;
    taskTypeId?: TaskTypeId | number;
    status: JobStatus;
    createdAt?: string;
    updatedAt?: string;
    result?: JobResult | null;
    [field: string]: unknown;
  };
  jobId?: string | number;
  status?: JobStatus;
  inputs: JobUploadTarget[];
  [field: string]: unknown;
}

/** `POST /v1/jobs/{id}/finalize` (`{ job: { id, status: "queued" } }`, or flat). */
export interface FinalizedJob {
  job?: { id: string; status: JobStatus; [field: string]: unknown };
  jobId?: string | number;
  status?: JobStatus;
  message?: string;
  [field: string]: unknown;
}

/** `POST /v1/jobs/{id}/cancel`. */
export interface CancelledJob {
  jobId: string | number;
  status: "cancelled" | (string & {});
  message?: string;
  [field: string]: unknown;
}

/** An item of `GET /v1/jobs` as some deployments wrap it. `item.status === undefined ?
 * item.job : item` unwraps either form. */
export interface WrappedJob {
  job: Job;
  status?: undefined;
  [field: string]: unknown;
}

/** `GET /v1/jobs`, as the server wrote it (`iterateJobs` unwraps `{ job }` items). */
export interface JobPage {
  data: (Job | WrappedJob)[];
  pagination: { page: number; limit: number; total: number; pages: number };
  [field: string]: unknown;
}

/** AC-1 (AI-generated image) result; percent 0..100. */
export interface AC1Result {
  isFake: ApiBoolean;
  /** Confidence in the verdict `isFake` gives. */
  confidencePercent: ApiNumber;
  fakeConfidencePercent?: ApiNumber;
  realConfidencePercent?: ApiNumber;
  /** The spelling of some deployments. */
  RealConfidencePercent?: ApiNumber;
  [field: string]: unknown;
}

/** DI-1 (document intelligence) result; a heatmap artifact comes with it. */
export interface DI1Result {
  isFake: ApiBoolean;
  isTampered: ApiBoolean;
  [field: string]: unknown;
}

/** What `getJobResult` and `runJob` return, as the server wrote it. The shape depends on the task
 * (AC-1, DI-1, DF-1, FI-1, FE-1; anything else passes through): narrow by the task you ran. */
export type JobResult = AC1Result | DI1Result | DF1Result | FI1Result | FE1Result | UnknownResult;

/** One entry of the package's `TASK_TYPES` (frozen). */
export interface TaskTypeInfo {
  readonly id: TaskTypeId;
  /** The model code, also the Media API's `modelType`. */
  readonly code: ModelType;
  readonly slug: string;
  /** A short English name, for pickers. */
  readonly name: string;
  /** MIME types of the `original` input (the server decides in the end). */
  readonly accepts: readonly string[];
  /** The documented processing time-out, in seconds. */
  readonly timeoutS: number;
}

/** Every route of both APIs, with its request and response types. */
export interface ApiRoutes {
  "POST /media": { body: CreateMediaRequest; response: CreatedMedia };
  "GET /media": { query: { limit?: number; offset?: number }; response: MediaPage };
  "GET /media/{mid}": { params: { mid: string }; response: Media };
  "DELETE /media/{mid}": { params: { mid: string }; response: void };
  "POST /v1/jobs": { body: CreateJobRequest; response: CreatedJob };
  "GET /v1/jobs": { query: { page?: number; limit?: number; status?: JobStatus }; response: JobPage };
  "GET /v1/jobs/{id}": { params: { id: string }; response: Job };
  "POST /v1/jobs/{id}/finalize": { params: { id: string }; response: FinalizedJob };
  "POST /v1/jobs/{id}/cancel": { params: { id: string }; response: CancelledJob };
  "DELETE /v1/jobs/{id}": { params: { id: string }; response: void };
}
