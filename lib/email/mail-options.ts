import type { SendMailOptions } from "nodemailer";
import type { EmailMessage } from "./types";

/** A message as nodemailer's composer takes it (shared by the outbox and SMTP senders). */
export function toMailOptions(message: EmailMessage): SendMailOptions {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: message.attachments.map((attachment) => ({ ...attachment })),
  };
}
