import { Resend } from "resend";
import { AppError } from "@/lib/domain/errors";
import type { EmailMessage, EmailSender, SentEmail } from "../types";

/** Sends with Resend's API (`baseUrl` lets tests point it at a local fake). */
export class ResendSender implements EmailSender {
  readonly info = { id: "resend", name: "Resend" } as const;
  private readonly client: Resend;

  constructor(options: { apiKey: string; baseUrl?: string }) {
    this.client = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  }

  async send(message: EmailMessage): Promise<SentEmail> {
    let result: Awaited<ReturnType<Resend["emails"]["send"]>>;
    try {
      result = await this.client.emails.send({
        from: message.from,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          content: a.content.toString("base64"),
          contentType: a.contentType,
        })),
      });
    } catch (error) {
      throw new AppError(
        "email_failed",
        "The e-mail service could not be reached. The transcript is unchanged.",
        {
          cause: error,
        },
      );
    }
    if (result.error && (result.error as { statusCode?: number | null }).statusCode == null) {
      throw new AppError(
        "email_failed",
        "The e-mail service could not be reached. The transcript is unchanged.",
        {
          cause: result.error,
        },
      );
    }
    if (result.error || !result.data) {
      const reason = result.error?.message?.trim().replace(/[.!?]+$/, "");
      const detail = reason ? `: ${reason}` : "";
      throw new AppError(
        "email_failed",
        `The e-mail service refused the message${detail}. The transcript is unchanged.`,
        {
          cause: result.error,
        },
      );
    }
    return { id: result.data.id };
  }
}
