// The Authenta Media API's own types, as documented (api-docs, API-NOTES.md). Open unions keep
// values the documents do not list legal; index signatures keep fields they do not list.

/** Detection models. */
export type ModelType = "DF-1" | "AC-1" | "FI-1" | "FE-1" | (string & {});

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

/** Every route of the Media API, with its request and response types. */
export interface ApiRoutes {
  "POST /media": { body: CreateMediaRequest; response: CreatedMedia };
  "GET /media": { query: { limit?: number; offset?: number }; response: MediaPage };
  "GET /media/{mid}": { params: { mid: string }; response: Media };
  "DELETE /media/{mid}": { params: { mid: string }; response: void };
}
