import type { ProviderProblem } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import type { Summarizer, SummarizerInfo } from "../types";

/**
 * Stands in for a cloud summariser the configuration chose without usable settings: summaries are
 * refused at once with a message that names what to set; the rest of the app works.
 */
export class UnconfiguredSummarizer implements Summarizer {
  constructor(
    readonly info: SummarizerInfo,
    private readonly problem: ProviderProblem,
  ) {}

  async summarize(): Promise<string> {
    throw new AppError(
      "summary_unavailable",
      `${this.info.name} is not configured: ${this.problem.message}. Fix the setting and restart the server.`,
    );
  }
}
