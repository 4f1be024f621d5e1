// The Authenta Media API's own types, as documented (api-docs, API-NOTES.md). Open unions keep
// values the documents do not list legal; index signatures keep fields they do not list.

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

/** DF-1 (video deepfake) result. */
export interface DF1Result {
  resultType: "video";
  identityPredictions: { identityId: string | number; isDeepFake: ApiBoolean }[];
  boundingBoxes: FaceBoxes;
  RealConfidencePercent?: ApiNumber;
  [field: string]: unknown;
}

/** FI-1 (face intelligence) result. */
export interface FI1Result {
  resultType: "face";
  isDeepFake: ApiBoolean;
  isLiveness: ApiBoolean;
  /** `null` without a similarity check. */
  isSimilar: ApiBoolean | null;
  /** 0..100, or `null` without a similarity check. */
  similarityScore: ApiNumber | null;
  boundingBoxes?: FaceBoxes;
  RealConfidencePercent?: ApiNumber;
  [field: string]: unknown;
}

/** FE-1 (face embedding) result. */
export interface FE1Result {
  resultType: "face-embed";
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

/** Lower-case on the wire; compare case-insensitively. */
export type JobStatus =
  | "initiated" | "created" | "waiting_for_finalize" | "queued" | "processing" | "completed"
  | "failed" | "cancelled" | (string & {});

/** One input slot of `POST /v1/jobs`. */
export interface JobInputSpec {
  slotName: "original" | "reference" | (string & {});
  contentType: string;
  fileName: string;
  sizeBytes: number;
}

/** `POST /v1/jobs` body, as the official clients send it. */
export interface CreateJobRequest {
  taskTypeId: TaskTypeId | number;
  inputs: JobInputSpec[];
  /** `version: "v1"` always; FI-1 flags. */
  parameters?: {
    version?: "v1" | (string & {});
    isLivenessCheck?: boolean;
    isFaceswapCheck?: boolean;
    isSimilarityCheck?: boolean;
    isSingleFace?: boolean;
    [field: string]: unknown;
  };
}

/** An artifact of a job: an input, the result JSON, a heatmap… */
export interface JobArtifact {
  id: string;
  kind: "input" | "result" | "heatmap" | (string & {});
  slotName: string | null;
  status?: string;
  contentType: string;
  metadata?: Record<string, unknown>;
  /** A pre-signed GET, no credentials. */
  downloadUrl: string | null;
  createdAt?: string;
  [field: string]: unknown;
}

/** `GET /v1/jobs/{id}`. The reference page's variant has `jobId` (a number) and no artifacts. */
export interface Job {
  id?: string;
  jobId?: string | number;
  tenantId?: string;
  taskTypeId: TaskTypeId | number;
  status: JobStatus;
  cost?: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string | null;
  errorMessage?: string | null;
  parameters?: Record<string, unknown>;
  /** The result inline; `null` until completed. */
  result: JobResult | null;
  artifacts?: JobArtifact[];
  taskType?: {
    id: string;
    slug: string;
    displayName: string;
    description?: string;
    inputSlots: { name: string; mimes: string[] }[];
  };
  [field: string]: unknown;
}

/** `POST /v1/jobs`. The reference page's variant is flat (`{ jobId, status, inputs }`). */
export interface CreatedJob {
  job?: Pick<Job, "taskTypeId" | "status" | "createdAt" | "updatedAt" | "result"> & { id: string; [field: string]: unknown };
  jobId?: string | number;
  status?: JobStatus;
  inputs: { slotName?: string; uploadUrl: string; uploadUrlExpiresAt?: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

/** `POST /v1/jobs/{id}/finalize`. */
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

/** `GET /v1/jobs`. Some deployments wrap each item as `{ job }`. */
export interface JobPage {
  data: (Job | { job: Job })[];
  pagination: { page: number; limit: number; total: number; pages: number };
}

/** AC-1 (AI-generated image) result; percent 0..100. */
export interface AC1Result {
  isFake: ApiBoolean;
  confidencePercent: ApiNumber;
  fakeConfidencePercent?: ApiNumber;
  realConfidencePercent?: ApiNumber;
  RealConfidencePercent?: ApiNumber;
  [field: string]: unknown;
}

/** DI-1 (document intelligence) result; a heatmap artifact comes with it. */
export interface DI1Result {
  isFake: ApiBoolean;
  isTampered: ApiBoolean;
  [field: string]: unknown;
}

/** What `getJobResult` returns, as the server wrote it. FI-1 checks not requested are `null`;
 * liveness appears as `isSpoof` or `isLiveness`. */
export type JobResult = AC1Result | DI1Result | DF1Result | FI1Result | FE1Result | UnknownResult;

/** One entry of the package's `TASK_TYPES`. */
export interface TaskTypeInfo {
  id: TaskTypeId;
  code: "AC-1" | "AF-1" | "VF-1" | "DF-1" | "FD-1" | "DI-1" | "FL-1" | "FI-1" | "FE-1" | "AS-1" | "ED-1" | (string & {});
  slug: string;
  name: string;
  /** MIME types of the `original` input. */
  accepts: readonly string[];
  /** The documented processing time-out, in seconds. */
  timeoutS: number;
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
