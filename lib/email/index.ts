import path from "node:path";
import type { AppConfig } from "@/lib/config";
import { OutboxSender } from "./outbox/outbox-sender";
import type { EmailSender, Outbox } from "./types";

export type * from "./types";

/**
 * Builds the sender the configuration names (provider SDKs load only when configured); the
 * outbox is also returned so it can be shown.
 */
export async function createEmailSender(
  config: AppConfig,
): Promise<{ sender: EmailSender; outbox: Outbox | null }> {
  const provider = config.email.provider;
  switch (provider) {
    case "outbox": {
      const outbox = new OutboxSender(path.join(config.dataDir, "outbox"));
      return { sender: outbox, outbox };
    }
    case "smtp": {
      const { SmtpSender } = await import("./smtp/smtp-sender");
      return { sender: new SmtpSender(config.email.smtp!), outbox: null };
    }
    case "resend": {
      const { ResendSender } = await import("./resend/resend-sender");
      return { sender: new ResendSender(config.email.resend!), outbox: null };
    }
    default: {
      const unknown: never = provider;
      throw new Error(`Unknown e-mail provider: ${String(unknown)}`);
    }
  }
}
