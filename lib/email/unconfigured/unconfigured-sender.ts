import type { ProviderProblem } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import type { EmailSender, SentEmail } from "../types";

/**
 * Stands in for a mail provider the configuration chose without usable settings: messages are
 * refused at once with a message that names what to set; the rest of the app works.
 */
export class UnconfiguredSender implements EmailSender {
  constructor(
    readonly info: EmailSender["info"],
    private readonly problem: ProviderProblem,
  ) {}

  async send(): Promise<SentEmail> {
    throw new AppError(
      "email_unavailable",
      `E-mail (${this.info.name}) is not configured: ${this.problem.message}. The transcript is unchanged.`,
    );
  }
}
