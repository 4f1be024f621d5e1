// expect: TS7053
// JobStatus is open (a deployment may send a status not listed): a table of every listed
// status cannot be indexed by it without a fallback.
import type { Job } from "authenta-wasm";
declare const job: Job;
const labels = {
  initiated: "waiting for upload", created: "waiting for upload", waiting_for_finalize: "waiting for upload",
  queued: "queued", processing: "processing",
  completed: "done", failed: "failed", cancelled: "cancelled",
};
console.log(labels[job.status]); // MISTAKE
