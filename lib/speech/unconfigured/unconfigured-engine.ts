import type { ProviderProblem } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import type { EngineInfo, EngineStatus, SpeechEngine, SpeechResult } from "../types";

/**
 * Stands in for a cloud engine the configuration chose without usable settings (missing or
 * malformed): the server starts, reports the problem as the engine's failure, and refuses work
 * at once with a message that names what to set.
 */
export class UnconfiguredSpeechEngine implements SpeechEngine {
  readonly info: EngineInfo;

  constructor(
    engine: Pick<EngineInfo, "id" | "name">,
    private readonly problem: ProviderProblem,
  ) {
    this.info = { ...engine, languages: ["en-US"], multilingual: false, diarization: false };
  }

  status(): EngineStatus {
    return { ready: false, state: "failed", error: this.problem.message };
  }

  async warmUp(): Promise<void> {
    throw this.refusal();
  }

  async transcribe(): Promise<SpeechResult> {
    throw this.refusal();
  }

  private refusal(): AppError {
    return new AppError(
      "engine_unavailable",
      `${this.info.name} is not configured: ${this.problem.message}. Fix the setting and restart the server.`,
    );
  }
}
