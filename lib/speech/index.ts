import type { AppConfig } from "@/lib/config";
import { LocalWhisperEngine } from "./local/local-engine";
import type { SpeechEngine } from "./types";

export type * from "./types";

const globalKey = Symbol.for("transcribe.speech-engine");
type EngineHolder = { [globalKey]?: SpeechEngine };

/** Builds the engine the configuration names. */
export function createSpeechEngine(config: AppConfig): SpeechEngine {
  const provider = config.speech.provider;
  switch (provider) {
    case "local":
      return new LocalWhisperEngine({
        modelDir: config.modelDir,
        threads: config.speech.threads,
        windowSec: config.speech.windowSec,
        beams: config.speech.beams,
      });
    default: {
      const unknown: never = provider;
      throw new Error(`Unknown speech provider: ${String(unknown)}`);
    }
  }
}

/** The process-wide engine: one model in memory, shared by every request. */
export function getSpeechEngine(config: AppConfig): SpeechEngine {
  const holder = globalThis as EngineHolder;
  holder[globalKey] ??= createSpeechEngine(config);
  return holder[globalKey];
}
