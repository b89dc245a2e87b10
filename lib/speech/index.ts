import type { SpeechConfig } from "@/lib/config";
import { AzureSpeechEngine } from "./azure/azure-engine";
import { FakeSpeechEngine } from "./fake/fake-engine";
import { OpenAiSpeechEngine } from "./openai/openai-engine";
import { ThreadedSpeechEngine } from "./local/threaded-engine";
import type { SpeechEngine } from "./types";

export type * from "./types";

/** Builds the engine the configuration names (one per process: the composition root keeps it). */
export function createSpeechEngine(config: SpeechConfig): SpeechEngine {
  const provider = config.provider;
  switch (provider) {
    case "local":
      return new ThreadedSpeechEngine({
        modelDir: config.modelDir,
        threads: config.threads,
        windowSec: config.windowSec,
        beams: config.beams,
      });
    case "azure":
      return new AzureSpeechEngine(config.azure);
    case "openai-compatible":
      return new OpenAiSpeechEngine(config.openai);
    case "fake":
      return new FakeSpeechEngine();
    default: {
      const unknown: never = provider;
      throw new Error(`Unknown speech provider: ${String(unknown)}`);
    }
  }
}
