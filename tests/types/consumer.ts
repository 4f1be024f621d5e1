// The package as a TypeScript user writes against it (design/SDK.md). Type-checked, never run:
// `tsc -p tests/types` must report nothing. Every method with every option, every error class,
// every exported type; `Exact<…>` checks also catch an `any` where a precise type belongs.
// The same file compiles as an ES module and as CommonJS (check.mjs copies it to .mts and .cts):
// hence no top-level `await` (each example is an async function) and `<V,>` for a generic arrow.

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
  StorageError,
  TASK_TYPES,
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
  // Jobs API
  AC1Result,
  CancelledJob,
  CreatedJob,
  CreateJobRequest,
  DI1Result,
  FinalizedJob,
  FI1LivenessResult,
  FI1SpoofResult,
  IterateJobsOptions,
  Job,
  JobInput,
  JobInputs,
  JobPage,
  JobProgress,
  JobResult,
  JobStatus,
  ListJobsParams,
  RunJobOptions,
  RunJobResult,
  SubmitJobOptions,
  SubmittedJob,
  TaskType,
  TaskTypeId,
  TaskTypeInfo,
  WaitForJobOptions,
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
  FI1Checks,
  JobArtifact,
  JobInputSpec,
  JobParameters,
  JobTaskType,
  JobUploadTarget,
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
  return <V,>(value: V, ..._mismatch: Equal<V, T> extends true ? [] : [never]): V => value;
}

declare function use(...values: unknown[]): void;
declare const file: File;
declare const blob: Blob;
declare const referenceImage: File;
declare const selfie: File;
declare const idPhoto: File;
declare const scan: File;
declare const interview: File;
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
type _sameJob = Expect<Equal<Root.Job, ApiTypes.Job>>;
type _sameJobResult = Expect<Equal<Root.JobResult, ApiTypes.JobResult>>;
type _sameTaskTypeInfo = Expect<Equal<Root.TaskTypeInfo, ApiTypes.TaskTypeInfo>>;

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
// The Jobs API: ids as strings or numbers, options optional but for the operations that need a
// taskType.
type _j1 = Expect<Equal<Parameters<Client["createJob"]>, [body: CreateJobRequest, options?: RequestOptions]>>;
type _j2 = Expect<Equal<Parameters<Client["getJob"]>, [jobId: string | number, options?: RequestOptions]>>;
type _j3 = Expect<Equal<Parameters<Client["listJobs"]>, [params?: ListJobsParams, options?: RequestOptions]>>;
type _j4 = Expect<Equal<Parameters<Client["iterateJobs"]>, [options?: IterateJobsOptions]>>;
type _j5 = Expect<Equal<Parameters<Client["finalizeJob"]>, [jobId: string | number, options?: RequestOptions]>>;
type _j6 = Expect<Equal<Parameters<Client["cancelJob"]>, [jobId: string | number, options?: RequestOptions]>>;
type _j7 = Expect<Equal<Parameters<Client["deleteJob"]>, [jobId: string | number, options?: RequestOptions]>>;
type _j8 = Expect<Equal<Parameters<Client["submitJob"]>, [inputs: JobInputs, options: SubmitJobOptions]>>;
type _j9 = Expect<Equal<Parameters<Client["waitForJob"]>, [jobId: string | number, options?: WaitForJobOptions]>>;
type _j10 = Expect<Equal<Parameters<Client["getJobResult"]>, [jobOrId: Job | string | number, options?: RequestOptions]>>;
type _j11 = Expect<Equal<Parameters<Client["runJob"]>, [inputs: JobInputs, options: RunJobOptions]>>;
type _j12 = Expect<Equal<Awaited<ReturnType<Client["runJob"]>>, RunJobResult>>;
type _j13 = Expect<Equal<Awaited<ReturnType<Client["submitJob"]>>, SubmittedJob>>;
type _j14 = Expect<Equal<Awaited<ReturnType<Client["getJobResult"]>>, JobResult>>;
type _j15 = Expect<Equal<ReturnType<Client["iterateJobs"]>, AsyncIterableIterator<Job>>>;

// ---------------------------------------------------------------------------------------------
// SDK.md "Quick look", as written

void (async () => {
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
})();
void (async () => {
  const authenta = new AuthentaClient({ apiKey: env.AUTHENTA_API_KEY });
  // The Jobs API: create the job, upload every input, finalize, wait, fetch the result.
  const { job, result } = await authenta.runJob(file, { taskType: "AC-1" });
  const check = await authenta.runJob({ original: selfie, reference: idPhoto }, {
    taskType: "FI-1",
    parameters: { isLivenessCheck: true, isSimilarityCheck: true },
  });
  exact<Job>()(job);
  exact<JobResult>()(result);
  exact<RunJobResult>()(check);
})();

// ---------------------------------------------------------------------------------------------
// The constructor and every client option

void (async () => {
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
})();

// ---------------------------------------------------------------------------------------------
// Every method, with and without every option

const client = new AuthentaClient({ apiKey: () => "token" });
const controller = new AbortController();
const requestOptions: RequestOptions = { signal: controller.signal, timeoutMs: 5_000, maxRetries: 0 };

// createMedia
void (async () => {
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
})();

// getMedia
void (async () => {
  const media = await client.getMedia("692f406f9f68d4b70080bb80");
  exact<Media>()(media);
  await client.getMedia(media.mid, requestOptions);
  await client.getMedia(media.mid, { signal: AbortSignal.timeout(1_000) });
  await client.getMedia(media.mid, {});
})();

// listMedia
void (async () => {
  const page = await client.listMedia();
  exact<MediaPage>()(page);
  exact<number>()(page.total);
  exact<Media[]>()(page.data);
  await client.listMedia({ limit: 100, offset: 200 });
  await client.listMedia({ limit: 10 }, requestOptions);
  await client.listMedia({}, { maxRetries: 1 });
  await client.listMedia(undefined, { timeoutMs: 2_000 });
})();

// iterateMedia: for await, page by page
void (async () => {
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
})();

// deleteMedia
void (async () => {
  const deleted = await client.deleteMedia("692f406f9f68d4b70080bb80");
  exact<void>()(deleted);
  await client.deleteMedia("692f406f9f68d4b70080bb80", requestOptions);
})();

// uploadFile: step 2 alone
void (async () => {
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
})();

// upload: create + PUT
void (async () => {
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
})();

// waitForResult: resumable with nothing but the mid
void (async () => {
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
})();

// getResult: from a record or a mid
void (async () => {
  const media = await client.getMedia("692f406f9f68d4b70080bb80");
  const fromRecord = await client.getResult(media);
  exact<DetectionResult>()(fromRecord);
  await client.getResult(media.mid);
  await client.getResult("692f406f9f68d4b70080bb80", requestOptions);
  const created = await client.upload(file, { modelType: "DF-1" });
  await client.getResult(created); // a CreatedMedia is a Media
})();

// uploadAndPoll: everything, with every option of upload and waitForResult
void (async () => {
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
})();

// ---------------------------------------------------------------------------------------------
// The Jobs API: every method, as a user writes it

// TASK_TYPES: a task picker, and the accept attribute of a file input.
void (async () => {
  const tasks: readonly TaskTypeInfo[] = TASK_TYPES;
  const options = tasks.map((t) => ({ value: t.code, label: `${t.name} (${t.code})`, accept: t.accepts.join(",") }));
  exact<ModelType>()(TASK_TYPES[0]!.code);
  exact<TaskTypeId>()(TASK_TYPES[0]!.id);
  exact<readonly string[]>()(TASK_TYPES[0]!.accepts);
  const chosen = tasks.find((t) => t.slug === "document-intelligence");
  // The default wait of a task: its documented time-out plus a minute.
  const waitMs = ((chosen?.timeoutS ?? 1_740) + 60) * 1_000;
  use(options, waitMs);
})();

// runJob, per documented task
void (async () => {
  // AI-generated image (AC-1): the verdict in percent, and a heatmap artifact.
  const { job, result } = await client.runJob(file, {
    taskType: "AC-1",
    onProgress: ({ loaded, total }) => bar.set(loaded / total),
    onStatus: (j) => console.log(j.status),
    signal: AbortSignal.timeout(10 * 60_000),
  });
  exact<Job>()(job);
  exact<JobResult>()(result);
  const ai = result as AC1Result;
  console.log(String(ai.isFake) === "true" ? "AI-generated" : "real", `${ai.confidencePercent} %`);
  const heatmap = job.artifacts?.find((a) => a.kind === "heatmap");
  exact<JobArtifact | undefined>()(heatmap);
  if (heatmap?.downloadUrl) use(heatmap.downloadUrl, heatmap.contentType);

  // Face swap in a video (DF-1), by slug; one deadline for the uploads, the wait and the result.
  const swap = await client.runJob(interview, {
    taskType: "faceswap-detection",
    timeoutMs: 40 * 60_000,
    pollIntervalMs: 2_000,
    maxPollIntervalMs: 15_000,
    maxRetries: 3,
  });
  const video = swap.result as DF1Result;
  for (const p of video.identityPredictions) use(p.identityId, p.isDeepFake);
  use(video.isDeepFake, Object.keys(video.boundingBoxes));

  // Document intelligence (DI-1) by id, with the content type and file name given.
  const doc = await client.runJob(
    { original: { file: scan, contentType: "application/pdf", fileName: "contract.pdf" } },
    { taskType: 6 },
  );
  const verdict = doc.result as DI1Result;
  use(verdict.isTampered, verdict.isFake);

  // FI-1 with a reference photo: progress over both inputs, each event naming its slot.
  const fi = await client.runJob({ original: selfie, reference: idPhoto }, {
    taskType: "face-intelligence",
    parameters: { isLivenessCheck: true, isSimilarityCheck: true, isSingleFace: true },
    onProgress: (p) => {
      exact<JobProgress>()(p);
      exact<string>()(p.slotName);
      console.log(`${p.slotName}: ${p.loaded} / ${p.total}`, p.lengthComputable);
    },
  });
  const face = fi.result as FI1Result;
  use(liveness(face), face.isSimilar, face.similarityScore, face.isDeepFake);

  // FE-1, a task the SDK knows by code in any case, and one it does not know (sent as given).
  await client.runJob(selfie, { taskType: "fe-1" });
  await client.runJob(selfie, { taskType: "13" });
  const anyTask: TaskType = 12;
  await client.runJob(selfie, { taskType: anyTask });
})();

// Liveness comes as `isLiveness` or as `isSpoof` (opposite senses); `null` when not requested.
function liveness(r: FI1Result): boolean | null {
  if (r.isSpoof !== undefined) {
    exact<FI1SpoofResult>()(r);
    return r.isSpoof === null ? null : String(r.isSpoof) !== "true";
  }
  exact<FI1LivenessResult>()(r);
  return r.isLiveness === null ? null : String(r.isLiveness) === "true";
}

// submitJob: create, PUT every input, finalize; the id is enough to resume.
void (async () => {
  const options: SubmitJobOptions = {
    taskType: "FI-1",
    parameters: { version: "v1", isLivenessCheck: true, isSimilarityCheck: true },
    onProgress: ({ slotName, loaded, total }) => console.log(slotName, loaded / total),
    onStatus: (job) => console.log(job.status),
    signal: controller.signal,
    timeoutMs: 15 * 60_000,
    maxRetries: 2,
  };
  const submitted = await client.submitJob({ original: selfie, reference: idPhoto }, options);
  exact<SubmittedJob>()(submitted);
  exact<string>()(submitted.jobId);
  exact<CreatedJob>()(submitted.created);
  exact<FinalizedJob>()(submitted.finalized);
  localStorage.setItem("pending-job", submitted.jobId);
  // Inputs as typed objects.
  const input: JobInput = { file: blob, contentType: "image/png", fileName: "scan.png" };
  const inputs: JobInputs = { original: input };
  await client.submitJob(inputs, { taskType: "DI-1" });
  await client.submitJob(file, { taskType: "ai-image-detection", parameters: { someFutureFlag: 1 } });
})();

// waitForJob: resumable with nothing but the id; getJobResult from the job or its id.
void (async () => {
  const saved = localStorage.getItem("pending-job");
  if (saved !== null) {
    const options: WaitForJobOptions = {
      onStatus: (j) => {
        exact<Job>()(j);
        exact<JobStatus>()(j.status);
      },
      pollIntervalMs: 1_000,
      maxPollIntervalMs: 8_000,
      signal: controller.signal,
      timeoutMs: 20 * 60_000,
      maxRetries: 2,
    };
    const job = await client.waitForJob(saved, options);
    exact<Job>()(job);
    const result = await client.getJobResult(job);
    exact<JobResult>()(result);
    console.log(summary(job, result));
    await client.getJobResult(saved, requestOptions);
  }
  await client.waitForJob(3140);
  await client.getJobResult(3140);
})();

// Narrowing a job's result by its task (TASK_TYPES knows the codes); a default branch for the rest.
function summary(job: Job, result: JobResult): string {
  const task = TASK_TYPES.find((t) => t.id === String(job.taskTypeId) || t.slug === job.taskTypeSlug);
  switch (task?.code) {
    case "AC-1": {
      const r = result as AC1Result;
      return `${String(r.isFake) === "true" ? "AI-generated" : "real"} (${r.confidencePercent} %)`;
    }
    case "DI-1": {
      const r = result as DI1Result;
      return String(r.isTampered) === "true" ? "tampered" : "untouched";
    }
    case "DF-1":
      return `${(result as DF1Result).identityPredictions.length} faces`;
    case "FI-1":
      return `live: ${String(liveness(result as FI1Result))}`;
    case "FE-1":
      return `${(result as FE1Result).faceVector.length} numbers`;
    default:
      return JSON.stringify(result);
  }
}
use(summary);

// The steps one by one: createJob, the PUT, finalizeJob, getJob, cancelJob, deleteJob.
void (async () => {
  const body: CreateJobRequest = {
    taskTypeId: "1",
    inputs: [{ slotName: "original", contentType: file.type, fileName: file.name, sizeBytes: file.size }],
    parameters: { version: "v1" },
  };
  const created = await client.createJob(body, requestOptions);
  exact<CreatedJob>()(created);
  // The live shape `{ job: { id } }` or the flat variant `{ jobId }`.
  const jobId = created.job?.id ?? String(created.jobId);
  const target = created.inputs.find((i) => i.slotName === "original") ?? created.inputs[0];
  if (target) {
    exact<JobUploadTarget>()(target);
    await client.uploadFile(target.uploadUrl, file, { contentType: file.type });
  }
  const finalized = await client.finalizeJob(jobId);
  exact<FinalizedJob>()(finalized);
  const job = await client.getJob(jobId, { signal: controller.signal });
  exact<Job>()(job);
  if (job.status === "queued") {
    const cancelled = await client.cancelJob(jobId);
    exact<CancelledJob>()(cancelled);
  }
  const gone = await client.deleteJob(jobId, requestOptions);
  exact<void>()(gone);
  await client.deleteJob(Number(jobId));
  // The FI-1 body as the official clients send it.
  const spec: JobInputSpec = { slotName: "reference", contentType: "image/jpeg", fileName: "id.jpg", sizeBytes: 120_000 };
  const parameters: JobParameters = { version: "v1", isLivenessCheck: true, isSimilarityCheck: true, isSingleFace: true };
  await client.createJob({ taskTypeId: "8", inputs: [{ ...spec, slotName: "original" }, spec], parameters });
})();

// listJobs and iterateJobs, with a status filter
void (async () => {
  const page = await client.listJobs({ page: 2, limit: 20, status: "failed" });
  exact<JobPage>()(page);
  exact<number>()(page.pagination.pages);
  for (const item of page.data) {
    // Some deployments wrap items as `{ job }`.
    const job = item.status === undefined ? item.job : item;
    exact<Job>()(job);
  }
  await client.listJobs();
  await client.listJobs({}, requestOptions);
  const options: IterateJobsOptions = { pageSize: 100, status: "completed", signal: controller.signal, timeoutMs: 60_000, maxRetries: 1 };
  for await (const job of client.iterateJobs(options)) {
    exact<Job>()(job);
    if (job.status.toLowerCase() === "completed") use(job.id ?? job.jobId, job.cost, job.completedAt);
  }
  const params: ListJobsParams = { status: "cancelled" };
  use(params, client.iterateJobs());
})();

// Errors of the Jobs API: jobId on every error that concerns a job; storage errors of their own.
void (async () => {
  try {
    await client.runJob(file, { taskType: "AC-1" });
  } catch (err) {
    if (err instanceof UploadError) {
      // A failed PUT leaves the job unfinalized: nothing is charged.
      console.log(`upload to job ${err.jobId ?? "?"} failed: ${err.s3Code ?? err.statusCode}`);
    } else if (err instanceof StorageError) {
      if (err.code === "RESULT_URL_EXPIRED") console.log("the result URL was refused twice");
      exact<string | undefined>()(err.s3Code);
      if (err.jobId !== undefined) await client.getJobResult(err.jobId); // a fresh URL
    } else if (err instanceof ProcessingError) {
      if (err.code === "JOB_CANCELLED") console.log(`job ${err.jobId} was cancelled`);
      else if (err.code === "JOB_NOT_FINALIZED" && err.jobId) await client.finalizeJob(err.jobId);
      else console.log(err.message);
    } else if (err instanceof TimeoutError && err.jobId) {
      // The last failed poll, if any, is the cause.
      if (err.cause instanceof AuthentaError) console.log(err.cause.code);
      await client.waitForJob(err.jobId);
    } else if (err instanceof NotFoundError && err.code === "JOB_NOT_FOUND") {
      exact<string | undefined>()(err.jobId);
    } else if (err instanceof BadRequestError && (err.code === "UNSUPPORTED_MEDIA_TYPE" || err.code === "INVALID_TASK_TYPE")) {
      console.log(err.message);
    } else {
      throw err;
    }
  }
})();
void (async () => {
  // StorageError is UploadError's parent class; both are AuthentaErrors.
  const upload: StorageError = new UploadError("denied", { code: "UPLOAD_FAILED", jobId: "3140", s3Code: "AccessDenied" });
  const download = new StorageError("expired", { code: "RESULT_URL_EXPIRED", statusCode: 403, jobId: "3140", s3Code: "AccessDenied" });
  exact<"StorageError" | "UploadError">()(download.name);
  const base: AuthentaError = download;
  const json = download.toJSON();
  exact<string | undefined>()(json.jobId);
  exact<object | undefined>()(json.cause);
  use(upload, base);
})();

// ---------------------------------------------------------------------------------------------
// Open unions: values the documents do not list stay legal

void (async () => {
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
})();

// ---------------------------------------------------------------------------------------------
// Every api-types.d.ts type

void (async () => {
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
})();

// The Jobs API's types: both wire shapes, open unions, results per task
void (async () => {
  const artifacts: JobArtifact[] = [
    { id: "a1", kind: "input", slotName: "original", status: "uploaded", contentType: "image/jpeg", metadata: {}, downloadUrl: "https://s3.example/in", createdAt: "2026-06-14T17:01:53Z" },
    { id: "a2", kind: "result", slotName: null, contentType: "application/json", downloadUrl: "https://s3.example/result.json" },
    { id: "a3", kind: "heatmap", slotName: null, contentType: "image/png", downloadUrl: null, metadata: { width: 256, height: 192 } },
    { id: "a4", kind: "mask", slotName: null, contentType: "image/png", downloadUrl: null }, // a kind not documented
  ];
  const taskType: JobTaskType = {
    id: "8",
    slug: "face-intelligence",
    displayName: "Face Intelligence",
    inputSlots: [{ name: "original", mimes: ["image/jpeg", "image/png", "video/mp4"] }],
  };
  const ac1: AC1Result = { isFake: true, confidencePercent: 97.5, fakeConfidencePercent: 97.5, realConfidencePercent: 2.5 };
  // The live shape.
  const live: Job = {
    id: "3140",
    tenantId: "t1",
    taskTypeId: "1",
    status: "completed",
    cost: 2,
    createdAt: "2026-06-14T17:01:53Z",
    updatedAt: "2026-06-14T17:02:10Z",
    result: ac1,
    artifacts,
    taskType,
  };
  // The reference page's flat variant: a numeric jobId, a slug, the result inline.
  const flat: Job = {
    jobId: 469,
    taskTypeId: 6,
    taskTypeSlug: "document-intelligence",
    status: "waiting_for_finalize",
    createdAt: "2026-06-14T17:01:53Z",
    updatedAt: "2026-06-14T17:01:53Z",
    completedAt: null,
    errorMessage: null,
    result: null,
  };
  const created: CreatedJob = {
    job: { id: "3140", taskTypeId: "8", status: "initiated", createdAt: "…", updatedAt: "…", result: null },
    inputs: [{ slotName: "original", uploadUrl: "https://s3.example/put", uploadUrlExpiresAt: "2026-06-14T18:01:53.402Z" }],
  };
  const createdFlat: CreatedJob = {
    jobId: 469,
    taskTypeId: 1,
    status: "waiting_for_finalize",
    inputs: [{ slotName: "original", uploadUrl: "https://s3.example/put", contentType: "image/png", fileName: "a.png", sizeBytes: 10 }],
  };
  const finalized: FinalizedJob[] = [
    { job: { id: "3140", status: "queued" } },
    { jobId: 469, taskTypeId: 1, status: "queued", queuedAt: "…", message: "Job successfully queued for processing" },
  ];
  const cancelled: CancelledJob = { jobId: "3140", status: "cancelled", message: "Job successfully cancelled" };
  const page: JobPage = { data: [live, { job: flat }], pagination: { page: 1, limit: 10, total: 2, pages: 1 } };
  // Open unions: statuses, task ids and result shapes the documents do not list stay legal.
  const status: JobStatus = "archived";
  const id: TaskTypeId = "13";
  const future: JobResult = { segments: [{ start: 0, end: 1.5 }] };
  const di1: DI1Result = { isFake: "false", isTampered: "true" };
  const checks: FI1Checks = { isDeepFake: null, isSimilar: true, similarityScore: 88.1 };
  const fromJobs: FI1Result[] = [
    { ...checks, isLiveness: true },
    { ...checks, isSpoof: false },
    { isDeepFake: null, isLiveness: null, isSimilar: null, similarityScore: null, boundingBoxes: {} },
  ];
  const embedding: FE1Result = { faceVector: [0.1, 0.2] }; // the Jobs API sends no resultType
  use(flat, created, createdFlat, finalized, cancelled, page, status, id, future, di1, fromJobs, embedding);

  type _j1 = Expect<Equal<ApiRoutes["POST /v1/jobs"]["body"], CreateJobRequest>>;
  type _j2 = Expect<Equal<ApiRoutes["POST /v1/jobs"]["response"], CreatedJob>>;
  type _j3 = Expect<Equal<ApiRoutes["GET /v1/jobs"]["query"], { page?: number; limit?: number; status?: JobStatus }>>;
  type _j4 = Expect<Equal<ApiRoutes["GET /v1/jobs"]["response"], JobPage>>;
  type _j5 = Expect<Equal<ApiRoutes["GET /v1/jobs/{id}"]["params"], { id: string }>>;
  type _j6 = Expect<Equal<ApiRoutes["GET /v1/jobs/{id}"]["response"], Job>>;
  type _j7 = Expect<Equal<ApiRoutes["POST /v1/jobs/{id}/finalize"]["response"], FinalizedJob>>;
  type _j8 = Expect<Equal<ApiRoutes["POST /v1/jobs/{id}/cancel"]["response"], CancelledJob>>;
  type _j9 = Expect<Equal<ApiRoutes["DELETE /v1/jobs/{id}"]["response"], void>>;
  // The client's Jobs methods return the routes' response types.
  type _m1 = Expect<Equal<Awaited<ReturnType<Client["createJob"]>>, ApiRoutes["POST /v1/jobs"]["response"]>>;
  type _m2 = Expect<Equal<Awaited<ReturnType<Client["listJobs"]>>, ApiRoutes["GET /v1/jobs"]["response"]>>;
  type _m3 = Expect<Equal<Awaited<ReturnType<Client["getJob"]>>, ApiRoutes["GET /v1/jobs/{id}"]["response"]>>;
  type _m4 = Expect<Equal<Awaited<ReturnType<Client["finalizeJob"]>>, ApiRoutes["POST /v1/jobs/{id}/finalize"]["response"]>>;
  type _m5 = Expect<Equal<Awaited<ReturnType<Client["cancelJob"]>>, ApiRoutes["POST /v1/jobs/{id}/cancel"]["response"]>>;
  type _m6 = Expect<Equal<Awaited<ReturnType<Client["deleteJob"]>>, ApiRoutes["DELETE /v1/jobs/{id}"]["response"]>>;
  // A job's result is one of the documented shapes or passes through.
  type _m7 = Expect<Equal<Job["result"], JobResult | null>>;
  type _m8 = Expect<Equal<RunJobResult["result"], JobResult>>;
})();

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

void (async () => {
  try {
    await client.uploadAndPoll(file, { modelType: "DF-1" });
  } catch (err) {
    if (err instanceof UploadError && err.s3Code === "SignatureDoesNotMatch") console.log(err.mid);
    else if (err instanceof ProcessingError) console.log(`media ${err.mid} failed`);
    else console.log(handle(err));
  }
})();

// Narrowing by `name` works too.
function byName(err: NotFoundError | ServerError | UploadError) {
  if (err.name === "UploadError") exact<UploadError>()(err);
  else if (err.name === "NotFoundError") exact<NotFoundError>()(err);
  else exact<ServerError>()(err);
}
use(byName);

// The error classes can be constructed (tests, mocks).
void (async () => {
  const fake = new NotFoundError("Media not found", { code: "NOT_FOUND", statusCode: 404, mid: "m1" });
  const s3 = new UploadError("expired", { code: "UPLOAD_FAILED", statusCode: 403, s3Code: "AccessDenied" });
  const bare = new ServerError("boom");
  const withCause = new ConnectionError("offline", { cause: new TypeError("fetch failed"), retryable: true });
  use(fake, s3, bare, withCause);
})();

export {};
