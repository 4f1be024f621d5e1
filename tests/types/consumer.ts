// The package as a TypeScript user writes against it (design/SDK.md). Type-checked, never run:
// `tsc -p tests/types` must report nothing. Every method with every option, every error class,
// every exported type; `Exact<…>` checks also catch an `any` where a precise type belongs.

import {
  AbortError,
  AuthentaClient,
  AuthentaError,
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  ConnectionError,
  InsufficientBalanceError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  ProcessingError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UploadError,
  ready,
} from "authenta-wasm";
import type {
  ApiKey,
  AuthentaErrorCode,
  ClientOptions,
  CreatedMedia,
  CreateMediaRequest,
  DetectionResult,
  DF1Result,
  FE1Result,
  FI1Result,
  IterateMediaOptions,
  ListMediaParams,
  Media,
  MediaPage,
  ModelType,
  RequestOptions,
  UploadAndPollOptions,
  UploadAndPollResult,
  UploadFileOptions,
  UploadOptions,
  UploadProgress,
  WaitForResultOptions,
} from "authenta-wasm";
// The documented API's own types, also on their own subpath.
import type {
  ApiBoolean,
  ApiErrorBody,
  ApiNumber,
  ApiRoutes,
  Box,
  FaceBoxes,
  FaceMetadata,
  MediaKind,
  MediaStatus,
  UnknownResult,
} from "authenta-wasm/api-types";
// The inline entry (wasm in the JS: MV3 service workers, bundlers that copy no .wasm).
import { AuthentaClient as InlineClient, UploadError as InlineUploadError } from "authenta-wasm/inline";
import type * as Root from "authenta-wasm";
import type * as ApiTypes from "authenta-wasm/api-types";

// ---------------------------------------------------------------------------------------------
// Type-level helpers

/** `true` only when A and B are the same type (`any` equals nothing but `any`). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type IsAny<T> = 0 extends 1 & T ? true : false;
type Not<T extends boolean> = T extends true ? false : true;

/** Compiles only when `value` is exactly of type `T`. */
function exact<T>() {
  return <V>(value: V, ..._mismatch: Equal<V, T> extends true ? [] : [never]): V => value;
}

declare function use(...values: unknown[]): void;
declare const file: File;
declare const blob: Blob;
declare const referenceImage: File;
declare const bar: { set(fraction: number): void };
declare const env: { AUTHENTA_API_KEY: string };

// ---------------------------------------------------------------------------------------------
// `ready`: a Promise<void> in every entry; awaiting it before construction is optional.

exact<Promise<void>>()(ready);
type _readyInline = Expect<Equal<typeof import("authenta-wasm/inline").ready, Promise<void>>>;

// ---------------------------------------------------------------------------------------------
// The same types through the root and through `authenta-wasm/api-types`

type _sameMedia = Expect<Equal<Root.Media, ApiTypes.Media>>;
type _sameResult = Expect<Equal<Root.DetectionResult, ApiTypes.DetectionResult>>;
type _sameCreated = Expect<Equal<Root.CreatedMedia, ApiTypes.CreatedMedia>>;
type _sameInline = Expect<Equal<typeof InlineClient, typeof AuthentaClient>>;
type _sameInlineError = Expect<Equal<typeof InlineUploadError, typeof UploadError>>;

// ---------------------------------------------------------------------------------------------
// No `any` anywhere in the client's public surface

type Client = AuthentaClient;
type _p1 = Expect<Equal<Parameters<Client["getMedia"]>[0], string>>;
type _p2 = Expect<Equal<Parameters<Client["deleteMedia"]>[0], string>>;
type _p3 = Expect<Equal<Parameters<Client["waitForResult"]>[0], string>>;
type _p4 = Expect<Equal<Parameters<Client["uploadFile"]>[0], string>>;
type _p5 = Expect<Equal<Parameters<Client["uploadFile"]>[1], Blob>>;
type _p6 = Expect<Equal<Parameters<Client["upload"]>[0], Blob>>;
type _p7 = Expect<Equal<Parameters<Client["uploadAndPoll"]>[0], Blob>>;
type _p8 = Expect<Equal<Parameters<Client["getResult"]>[0], Media | string>>;
type _p9 = Expect<Equal<Parameters<Client["createMedia"]>[0], CreateMediaRequest>>;
type _p10 = Expect<Equal<ConstructorParameters<typeof AuthentaClient>[0], ClientOptions>>;
type _r1 = Expect<Not<IsAny<ReturnType<Client["toJSON"]>>>>;

// Options are optional where SDK.md shows calls without them.
type _o1 = Expect<Equal<Parameters<Client["getMedia"]>, [mid: string, options?: RequestOptions]>>;
type _o2 = Expect<Equal<Parameters<Client["listMedia"]>, [params?: ListMediaParams, options?: RequestOptions]>>;
type _o3 = Expect<Equal<Parameters<Client["iterateMedia"]>, [options?: IterateMediaOptions]>>;
type _o4 = Expect<Equal<Parameters<Client["waitForResult"]>, [mid: string, options?: WaitForResultOptions]>>;
type _o5 = Expect<Equal<Parameters<Client["uploadFile"]>, [uploadUrl: string, blob: Blob, options?: UploadFileOptions]>>;

// ---------------------------------------------------------------------------------------------
// SDK.md "Quick look", as written

{
  const authenta = new AuthentaClient({ apiKey: env.AUTHENTA_API_KEY });
  const { media, result } = await authenta.uploadAndPoll(file, {
    modelType: "DF-1",
    onProgress: ({ loaded, total }) => bar.set(loaded / total),
    onStatus: (m) => console.log(m.status),
    signal: AbortSignal.timeout(10 * 60_000),
  });
  exact<Media>()(media);
  exact<DetectionResult>()(result);
  void AuthentaError;
}

// ---------------------------------------------------------------------------------------------
// The constructor and every client option

{
  const full: ClientOptions = {
    apiKey: "api_live_123",
    baseUrl: "https://platform.authenta.ai/api",
    timeoutMs: 30_000,
    maxRetries: 2,
    fetch: (input, init) => fetch(input, init),
    headers: { "x-request-source": "consumer.ts" },
    dangerouslyAllowBrowser: false,
  };
  new AuthentaClient(full);
  // apiKey: a string, a function, an async function (short-lived tokens).
  const keys: ApiKey[] = ["k", () => "k", async () => "token"];
  for (const apiKey of keys) new AuthentaClient({ apiKey });
  new AuthentaClient({ apiKey: async () => (await fetch("/token")).text() });
  // The older header scheme.
  new AuthentaClient({ clientId: "id", clientSecret: "secret", baseUrl: "https://onprem.example/api" });
  // Proxy mode: a baseUrl of your own and no credentials.
  new AuthentaClient({ baseUrl: "https://my.app/authenta" });
  // The global fetch itself, unwrapped.
  new AuthentaClient({ apiKey: "k", fetch: globalThis.fetch });
  const instrumented: ClientOptions["fetch"] = async (input, init) => {
    exact<string>()(input);
    exact<RequestInit>()(init);
    return fetch(input, init);
  };
  const client = new AuthentaClient({ apiKey: "k", fetch: instrumented, dangerouslyAllowBrowser: true });
  exact<string>()(client.toString());
  use(client.toJSON(), JSON.stringify(client));
  client.free();
}

// ---------------------------------------------------------------------------------------------
// Every method, with and without every option

const client = new AuthentaClient({ apiKey: () => "token" });
const controller = new AbortController();
const requestOptions: RequestOptions = { signal: controller.signal, timeoutMs: 5_000, maxRetries: 0 };

// createMedia
{
  const body: CreateMediaRequest = {
    name: "clip.mp4",
    contentType: "video/mp4",
    size: 1_024_000,
    modelType: "DF-1",
  };
  const created = await client.createMedia(body);
  exact<CreatedMedia>()(created);
  exact<string>()(created.uploadUrl);
  exact<number | undefined>()(created.expiresIn);
  exact<string | undefined>()(created.referenceUploadUrl);
  exact<string>()(created.mid);
  // FI-1 options, extra (undocumented) fields, every RequestOptions field.
  const fi1: CreateMediaRequest = {
    name: "selfie.jpg",
    contentType: "image/jpeg",
    size: 20_000,
    modelType: "FI-1",
    metadata: { isSingleFace: true, faceswapCheck: false, livenessCheck: true, faceSimilarityCheck: true },
    someFutureField: { anything: 1 },
  };
  await client.createMedia(fi1, { signal: controller.signal, timeoutMs: 10_000, maxRetries: 5 });
  await client.createMedia(fi1, requestOptions);
}

// getMedia
{
  const media = await client.getMedia("692f406f9f68d4b70080bb80");
  exact<Media>()(media);
  await client.getMedia(media.mid, requestOptions);
  await client.getMedia(media.mid, { signal: AbortSignal.timeout(1_000) });
  await client.getMedia(media.mid, {});
}

// listMedia
{
  const page = await client.listMedia();
  exact<MediaPage>()(page);
  exact<number>()(page.total);
  exact<Media[]>()(page.data);
  await client.listMedia({ limit: 100, offset: 200 });
  await client.listMedia({ limit: 10 }, requestOptions);
  await client.listMedia({}, { maxRetries: 1 });
  await client.listMedia(undefined, { timeoutMs: 2_000 });
}

// iterateMedia: for await, page by page
{
  for await (const media of client.iterateMedia()) {
    exact<Media>()(media);
  }
  const options: IterateMediaOptions = {
    pageSize: 100,
    signal: controller.signal,
    timeoutMs: 60_000,
    maxRetries: 3,
  };
  for await (const media of client.iterateMedia(options)) {
    if (media.status === "FAILED") break;
  }
  const iterator = client.iterateMedia({ pageSize: 1 });
  const first = await iterator.next();
  if (!first.done) exact<Media>()(first.value);
  const asyncIterable: AsyncIterable<Media> = client.iterateMedia();
  use(asyncIterable);
}

// deleteMedia
{
  const deleted = await client.deleteMedia("692f406f9f68d4b70080bb80");
  exact<void>()(deleted);
  await client.deleteMedia("692f406f9f68d4b70080bb80", requestOptions);
}

// uploadFile: step 2 alone
{
  const created = await client.createMedia({
    name: file.name,
    contentType: file.type,
    size: file.size,
    modelType: "AC-1",
  });
  const done = await client.uploadFile(created.uploadUrl, file);
  exact<void>()(done);
  const onProgress = (p: UploadProgress) => {
    exact<number>()(p.loaded);
    exact<number>()(p.total);
    exact<boolean>()(p.lengthComputable);
  };
  const options: UploadFileOptions = {
    contentType: "video/mp4",
    onProgress,
    signal: controller.signal,
    timeoutMs: 30 * 60_000,
    maxRetries: 4,
  };
  await client.uploadFile(created.uploadUrl, blob, options);
  await client.uploadFile(created.uploadUrl, blob, { contentType: "video/mp4" });
}

// upload: create + PUT
{
  const created = await client.upload(file, { modelType: "DF-1" });
  exact<CreatedMedia>()(created);
  const options: UploadOptions = {
    modelType: "FI-1",
    name: "selfie.jpg",
    contentType: "image/jpeg",
    metadata: { faceSimilarityCheck: true, livenessCheck: true },
    reference: referenceImage,
    onProgress: ({ loaded, total, lengthComputable }) => {
      if (lengthComputable) bar.set(loaded / total);
    },
    signal: controller.signal,
    timeoutMs: 15 * 60_000,
    maxRetries: 2,
  };
  await client.upload(blob, options);
}

// waitForResult: resumable with nothing but the mid
{
  const mid = "692f406f9f68d4b70080bb80";
  const media = await client.waitForResult(mid);
  exact<Media>()(media);
  const options: WaitForResultOptions = {
    onStatus: (m) => {
      exact<Media>()(m);
      exact<MediaStatus>()(m.status);
    },
    pollIntervalMs: 500,
    maxPollIntervalMs: 4_000,
    signal: controller.signal,
    timeoutMs: 10 * 60_000,
    maxRetries: 2,
  };
  await client.waitForResult(mid, options);
  // An async callback is fine (its promise is ignored).
  await client.waitForResult(mid, { onStatus: async (m) => void (await Promise.resolve(m)) });
}

// getResult: from a record or a mid
{
  const media = await client.getMedia("692f406f9f68d4b70080bb80");
  const fromRecord = await client.getResult(media);
  exact<DetectionResult>()(fromRecord);
  await client.getResult(media.mid);
  await client.getResult("692f406f9f68d4b70080bb80", requestOptions);
  const created = await client.upload(file, { modelType: "DF-1" });
  await client.getResult(created); // a CreatedMedia is a Media
}

// uploadAndPoll: everything, with every option of upload and waitForResult
{
  const options: UploadAndPollOptions = {
    modelType: "FI-1",
    name: "face.jpg",
    contentType: "image/jpeg",
    metadata: { isSingleFace: true, faceswapCheck: false, livenessCheck: true, faceSimilarityCheck: true },
    reference: referenceImage,
    onProgress: (p) => bar.set(p.total === 0 ? 0 : p.loaded / p.total),
    onStatus: (m) => console.log(m.mid, m.status),
    pollIntervalMs: 1_000,
    maxPollIntervalMs: 8_000,
    signal: controller.signal,
    timeoutMs: 20 * 60_000,
    maxRetries: 2,
  };
  const outcome = await client.uploadAndPoll(file, options);
  exact<UploadAndPollResult>()(outcome);
  exact<Media>()(outcome.media);
  exact<DetectionResult>()(outcome.result);
  const { media, result } = await client.uploadAndPoll(blob, { modelType: "DF-1", contentType: "video/mp4" });
  use(media, result);
}

// ---------------------------------------------------------------------------------------------
// Open unions: values the documents do not list stay legal

{
  const future: ModelType = "XY-9";
  await client.upload(file, { modelType: "XY-9" });
  await client.createMedia({ name: "a", contentType: "audio/wav", size: 1, modelType: future });
  const status: MediaStatus = "queued";
  const kind: MediaKind = "Document";
  const code: AuthentaErrorCode = "SOME_NEW_SERVER_CODE";
  // The known values still autocomplete and narrow.
  const known: ModelType = "FE-1";
  const media = await client.getMedia("m");
  if (media.status === "PROCESSED" || media.status.toLowerCase() === "processed") use(media.resultURL);
  if (media.type === "Video") use(media.faces, media.deepFakes);
  use(status, kind, code, known);
}

// ---------------------------------------------------------------------------------------------
// Every api-types.d.ts type

{
  const metadata: FaceMetadata = { isSingleFace: true, faceswapCheck: true, livenessCheck: false, faceSimilarityCheck: false };
  const media: Media = {
    mid: "692f406f9f68d4b70080bb80",
    name: "clip.mp4",
    type: "Video",
    status: "PROCESSING",
    modelType: "DF-1",
    createdAt: "2025-01-01T00:00:00Z",
    contentType: "video/mp4",
    size: 1_024_000,
    srcURL: "https://s3.example/src",
    resultURL: "https://s3.example/result.json",
    faces: 2,
    deepFakes: 1,
    version: 1,
    someUnknownField: [1, 2, 3], // unknown fields reach the caller
  };
  use(media["someUnknownField"], metadata);
  const created: CreatedMedia = { ...media, uploadUrl: "https://s3.example/put", expiresIn: 3600 };
  const page: MediaPage = { limit: 50, offset: 0, total: 1, data: [media] };
  const errorBody: ApiErrorBody = { code: "INVALID_API_KEY", statusCode: 401, message: "API key authentication failed" };
  const legacyError: ApiErrorBody = { code: "IAM001", type: "UNAUTHENTICATED", message: "You are not authenticated" };
  use(created, page, errorBody, legacyError);

  // ApiRoutes: request and response types by route.
  type _r1 = Expect<Equal<ApiRoutes["POST /media"]["response"], CreatedMedia>>;
  type _r2 = Expect<Equal<ApiRoutes["POST /media"]["body"], CreateMediaRequest>>;
  type _r3 = Expect<Equal<ApiRoutes["GET /media"]["response"], MediaPage>>;
  type _r4 = Expect<Equal<ApiRoutes["GET /media"]["query"], { limit?: number; offset?: number }>>;
  type _r5 = Expect<Equal<ApiRoutes["GET /media/{mid}"]["response"], Media>>;
  type _r6 = Expect<Equal<ApiRoutes["GET /media/{mid}"]["params"], { mid: string }>>;
  type _r7 = Expect<Equal<ApiRoutes["DELETE /media/{mid}"]["response"], void>>;
  // The client's methods return the routes' response types.
  type _m1 = Expect<Equal<Awaited<ReturnType<Client["createMedia"]>>, ApiRoutes["POST /media"]["response"]>>;
  type _m2 = Expect<Equal<Awaited<ReturnType<Client["listMedia"]>>, ApiRoutes["GET /media"]["response"]>>;
  type _m3 = Expect<Equal<Awaited<ReturnType<Client["getMedia"]>>, ApiRoutes["GET /media/{mid}"]["response"]>>;
  type _m4 = Expect<Equal<Awaited<ReturnType<Client["deleteMedia"]>>, ApiRoutes["DELETE /media/{mid}"]["response"]>>;

  // Result shapes, with values as some deployments send them (strings for booleans and numbers).
  const box: Box = [10, 20, 100, 120];
  const boxes: FaceBoxes = { "0": { boundingBox: { "12": box }, class: "fake", confidence: "0.97" } };
  const yes: ApiBoolean = "true";
  const score: ApiNumber = "97.5";
  const df1: DF1Result = {
    resultType: "video",
    identityPredictions: [{ identityId: 0, isDeepFake: yes }],
    boundingBoxes: boxes,
    RealConfidencePercent: 12.5,
  };
  const fi1: FI1Result = {
    resultType: "face",
    isDeepFake: false,
    isLiveness: "true",
    isSimilar: null,
    similarityScore: score,
    boundingBoxes: boxes,
  };
  const fe1: FE1Result = { resultType: "face-embed", faceVector: new Array<number>(512).fill(0) };
  const other: UnknownResult = { resultType: "audio-split", segments: [] };
  const untyped: UnknownResult = { anything: true };
  const all: DetectionResult[] = [df1, fi1, fe1, other, untyped];
  use(all);
}

// Narrowing a result. `DetectionResult` includes `UnknownResult` (any `resultType`), so a test on
// `resultType` alone cannot exclude it; narrow the known shapes, and keep a default branch.
function describe(result: DetectionResult): string {
  const known = result as DF1Result | FI1Result | FE1Result;
  switch (known.resultType) {
    case "video":
      exact<DF1Result>()(known);
      return known.identityPredictions
        .map((p) => `${p.identityId}: ${String(p.isDeepFake) === "true" ? "fake" : "real"}`)
        .join(", ");
    case "face":
      exact<FI1Result>()(known);
      return `deepfake ${String(known.isDeepFake)}, live ${String(known.isLiveness)}, similar ${String(known.isSimilar)}`;
    case "face-embed":
      exact<FE1Result>()(known);
      return `${known.faceVector.length} numbers`;
    default:
      return `unknown result type ${String(result.resultType)}`;
  }
}
use(describe);

// ---------------------------------------------------------------------------------------------
// Errors: instanceof narrowing and fields

function handle(err: unknown): string {
  if (!(err instanceof AuthentaError)) throw err;
  // Base fields, on every class.
  exact<AuthentaErrorCode>()(err.code);
  exact<number | undefined>()(err.statusCode);
  exact<string | undefined>()(err.mid);
  exact<boolean>()(err.retryable);
  exact<string>()(err.message);
  exact<string>()(err.name);
  const json = err.toJSON();
  exact<string | undefined>()(json.s3Code);
  const asError: Error = err; // a real Error subclass
  use(asError.stack, err.cause);

  if (err instanceof UploadError) {
    exact<string | undefined>()(err.s3Code);
    exact<"UploadError">()(err.name);
    if (err.s3Code === "AccessDenied" || err.s3Code === "RequestExpired") return "upload URL expired: upload again";
    return `storage said ${err.s3Code ?? err.statusCode}`;
  }
  if (err instanceof AuthenticationError) return `check the key (${err.code})`;
  if (err instanceof PermissionDeniedError) return `forbidden (${err.statusCode})`;
  if (err instanceof InsufficientBalanceError) return "top up credits";
  if (err instanceof RateLimitError) return err.code === "AA001" ? "quota used up" : "slow down";
  if (err instanceof NotFoundError) return `no such record ${err.mid}`;
  if (err instanceof BadRequestError) return `bad request: ${err.message}`;
  if (err instanceof ServerError) return err.retryable ? "try again later" : "server cannot do this";
  if (err instanceof ConnectionError) return "offline?";
  if (err instanceof TimeoutError) return err.statusCode === 408 ? "server timed out" : "timed out";
  if (err instanceof AbortError) return "cancelled";
  if (err instanceof ProcessingError) {
    return err.code === "RESULT_NOT_READY" ? `wait for ${err.mid}` : `processing failed for ${err.mid}`;
  }
  if (err instanceof InvalidResponseError) return `bad answer (HTTP ${err.statusCode})`;
  if (err instanceof ConfigurationError) return err.code === "INVALID_ARGUMENT" ? "bad argument" : "bad options";
  // Still an AuthentaError here, not `never`: the classes are told apart by inheritance.
  exact<AuthentaError>()(err);
  return err.code;
}

try {
  await client.uploadAndPoll(file, { modelType: "DF-1" });
} catch (err) {
  if (err instanceof UploadError && err.s3Code === "SignatureDoesNotMatch") console.log(err.mid);
  else if (err instanceof ProcessingError) console.log(`media ${err.mid} failed`);
  else console.log(handle(err));
}

// Narrowing by `name` works too.
function byName(err: NotFoundError | ServerError | UploadError) {
  if (err.name === "UploadError") exact<UploadError>()(err);
  else if (err.name === "NotFoundError") exact<NotFoundError>()(err);
  else exact<ServerError>()(err);
}
use(byName);

// The error classes can be constructed (tests, mocks).
{
  const fake = new NotFoundError("Media not found", { code: "NOT_FOUND", statusCode: 404, mid: "m1" });
  const s3 = new UploadError("expired", { code: "UPLOAD_FAILED", statusCode: 403, s3Code: "AccessDenied" });
  const bare = new ServerError("boom");
  const withCause = new ConnectionError("offline", { cause: new TypeError("fetch failed"), retryable: true });
  use(fake, s3, bare, withCause);
}

export {};
