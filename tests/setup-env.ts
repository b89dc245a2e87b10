// Test defaults: quiet logs, data in a throw-away folder, models where `npm test` prepared them.
import os from "node:os";
import path from "node:path";

process.env.LOG_LEVEL ??= "silent";
process.env.DATA_DIR ??= path.join(os.tmpdir(), `transcribe-test-${process.pid}`);
process.env.NEXT_TELEMETRY_DISABLED = "1";
