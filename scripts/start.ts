// npm start: prepares the model, builds the app when the build is missing or stale, then serves it.
import { getConfig } from "@/lib/config";
import { prepareWhisperModel } from "@/lib/speech/local/prepare-model";
import { startServer } from "../server";
import { buildIfNeeded } from "./build-if-needed";

async function main() {
  const config = getConfig();
  await prepareWhisperModel(config.modelDir);
  buildIfNeeded(process.cwd());
  const stop = await startServer({ dev: false });
  console.log(`Transcribe is running on http://localhost:${config.server.port}`);
  const shutdown = () => void stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
