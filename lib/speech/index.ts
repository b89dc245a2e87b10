import type { SpeechConfig } from "@/lib/config";
import { AZURE_ENGINE_INFO, AzureSpeechEngine } from "./azure/azure-engine";
import { FakeSpeechEngine } from "./fake/fake-engine";
import { OpenAiSpeechEngine } from "./openai/openai-engine";
import { ThreadedSpeechEngine } from "./local/threaded-engine";
import type { EngineInfo, SpeechEngine } from "./types";
import { UnconfiguredSpeechEngine } from "./unconfigured/unconfigured-engine";

export type * from "./types";

/** What an engine chosen without usable settings is called. */
const UNCONFIGURED: Record<"azure" | "openai-compatible", Pick<EngineInfo, "id" | "name">> = {
  azure: { id: AZURE_ENGINE_INFO.id, name: AZURE_ENGINE_INFO.name },
  "openai-compatible": { id: "openai-compatible", name: "OpenAI-compatible speech service" },
};

/**
 * Builds the engine the configuration names (one per process: the composition root keeps it);
 * one chosen without usable settings reports its problem and refuses work.
 */
export function createSpeechEngine(config: SpeechConfig): SpeechEngine {
  if ("problem" in config) return new UnconfiguredSpeechEngine(UNCONFIGURED[config.provider], config.problem);
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
