// Prepares the offline speech model once (idempotent, no network): npm run prepare-models
import { loadConfig } from "@/lib/config";
import { prepareWhisperModel } from "@/lib/speech/local/prepare-model";

async function main() {
  const started = Date.now();
  const result = await prepareWhisperModel(loadConfig().modelDir);
  const verb = result.created ? "prepared" : "already prepared";
  console.log(`Speech model ${verb}: ${result.model} (${Date.now() - started} ms)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
