import nodemailer, { type Transporter } from "nodemailer";
import { AppError } from "@/lib/domain/errors";
import type { EmailConfig } from "@/lib/config";
import { toMailOptions } from "../mail-options";
import type { EmailMessage, EmailSender, SentEmail } from "../types";

/** SMTP settings from `AppConfig`. */
export type SmtpOptions = Extract<EmailConfig, { provider: "smtp" }>["smtp"];

/** Sends through any SMTP server with nodemailer. */
export class SmtpSender implements EmailSender {
  readonly info = { id: "smtp", name: "SMTP" } as const;
  private readonly transport: Transporter;

  constructor(options: SmtpOptions) {
    this.transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      requireTLS: options.requireTls,
      ...(options.user ? { auth: { user: options.user, pass: options.password ?? "" } } : {}),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  }

  /** Connects and logs in without sending anything (SMTP's own check). */
  async check(signal: AbortSignal): Promise<void> {
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      await Promise.race([this.transport.verify(), aborted]);
    } catch (error) {
      if (signal.aborted) throw error;
      const code = (error as { code?: string }).code;
      const reason =
        code === "EAUTH"
          ? "It refused the login: check SMTP_USER and SMTP_PASSWORD."
          : code === "ETLS"
            ? "The TLS connection failed: check SMTP_SECURE and SMTP_REQUIRE_TLS."
            : code === "ECONNECTION" || code === "ETIMEDOUT" || code === "ESOCKET" || code === "EDNS"
              ? "It could not be reached: check SMTP_HOST and SMTP_PORT."
              : "It did not accept the connection.";
      throw new AppError("email_unavailable", reason, { cause: error });
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  async send(message: EmailMessage): Promise<SentEmail> {
    try {
      const info = await this.transport.sendMail(toMailOptions(message));
      return { id: String(info.messageId ?? "") };
    } catch (error) {
      const code = (error as { code?: string; responseCode?: number }).code;
      const responseCode = (error as { responseCode?: number }).responseCode;
      const reason =
        code === "EAUTH"
          ? "the mail server rejected the login"
          : code === "ECONNECTION" || code === "ETIMEDOUT" || code === "ESOCKET"
            ? "the mail server could not be reached"
            : responseCode && responseCode >= 500
              ? `the mail server refused the message (${responseCode})`
              : "the mail server did not accept it";
      throw new AppError("email_failed", `The e-mail was not sent: ${reason}. The transcript is unchanged.`, {
        cause: error,
      });
    }
  }
}
