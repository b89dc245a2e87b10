// npm start: prepares the model, builds the app when the build is missing or stale, then serves it.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { loadConfig } from "@/lib/config";
import { startServer } from "../server";
import { buildIfNeeded } from "./build-if-needed";

/** Runs the model preparation in its own process so its large protobuf heap never stays in the server. */
function prepareModels(root: string): void {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts", "prepare-models.ts")],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main() {
  const config = loadConfig();
  prepareModels(process.cwd());
  buildIfNeeded(process.cwd());
  const stop = await startServer({ dev: false, config });
  console.log(`Transcribe is running on http://localhost:${config.server.port}`);
  const shutdown = () => void stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
