import type { EmailConfig } from "@/lib/config";
import { OutboxSender } from "./outbox/outbox-sender";
import type { EmailSender, Outbox } from "./types";
import { UnconfiguredSender } from "./unconfigured/unconfigured-sender";

export type * from "./types";

/**
 * Builds the sender the configuration names (provider SDKs load only when configured); the
 * outbox is also returned so it can be shown. `legacyOwner` owns outbox messages written before
 * messages had owners.
 */
export async function createEmailSender(
  config: EmailConfig,
  options: { legacyOwner?: string } = {},
): Promise<{ sender: EmailSender; outbox: Outbox | null }> {
  if ("problem" in config) {
    const name = config.provider === "smtp" ? "SMTP" : "Resend";
    return { sender: new UnconfiguredSender({ id: config.provider, name }, config.problem), outbox: null };
  }
  switch (config.provider) {
    case "outbox": {
      const outbox = new OutboxSender(config.outboxDir, options);
      return { sender: outbox, outbox };
    }
    case "smtp": {
      const { SmtpSender } = await import("./smtp/smtp-sender");
      return { sender: new SmtpSender(config.smtp), outbox: null };
    }
    case "resend": {
      const { ResendSender } = await import("./resend/resend-sender");
      return { sender: new ResendSender(config.resend), outbox: null };
    }
    default: {
      const unknown: never = config;
      throw new Error(`Unknown e-mail provider: ${JSON.stringify(unknown)}`);
    }
  }
}
