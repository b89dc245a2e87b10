// Test defaults: quiet logs, data in a throw-away folder, models where `npm test` prepared them.
import os from "node:os";
import path from "node:path";

process.env.LOG_LEVEL ??= "silent";
process.env.DATA_DIR ??= path.join(os.tmpdir(), `transcribe-test-${process.pid}`);
process.env.NEXT_TELEMETRY_DISABLED = "1";
// Each test file gets its own partition, so listings and searches do not see other files' data.
process.env.STORAGE_OWNER ??= `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
// And its own job table and queue: a worker of one file never takes another file's jobs.
const jobsSuffix = Math.random().toString(36).slice(2, 10);
process.env.JOBS_TABLE ??= `jobs${jobsSuffix}`;
process.env.JOBS_QUEUE ??= `jobs-${jobsSuffix}`;
// And its own container of live audio: recovering abandoned sessions looks at every owner's, so a
// file that recovers sessions would otherwise save another file's session waiting to be resumed.
process.env.STORAGE_LIVE_CONTAINER ??= `live-${jobsSuffix}`;
