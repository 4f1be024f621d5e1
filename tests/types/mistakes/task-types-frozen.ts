// expect: TS2540
// TASK_TYPES is frozen: set the wait with waitForJob's timeoutMs instead.
import { TASK_TYPES } from "authenta-wasm";
const dfs = TASK_TYPES.find((t) => t.code === "DF-1");
if (dfs) dfs.timeoutS = 3600; // MISTAKE
