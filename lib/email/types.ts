/** A file attached to a message. */
export interface EmailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** A message ready to send: both an HTML and a plain-text body. */
export interface EmailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: EmailAttachment[];
}

/** What a sender reports back. */
export interface SentEmail {
  /** The provider's id for the message (the outbox's file id, SMTP's Message-ID, Resend's id). */
  id: string;
}

/** Who sends a message: its owner (storage partition), to whom the outbox shows it. */
export interface SendOptions {
  owner: string;
}

/** Sends e-mail. Implementations map provider failures to `AppError`s (`email_failed`). */
export interface EmailSender {
  readonly info: { id: "outbox" | "smtp" | "resend"; name: string };
  send(message: EmailMessage, options: SendOptions): Promise<SentEmail>;
  /**
   * Asks the mail service, without sending anything, whether it answers and takes the login (once,
   * at start-up). Rejects with an `AppError` whose message is safe to show. Absent when there is
   * nothing to ask.
   */
  check?(signal: AbortSignal): Promise<void>;
}

/** A message kept by the outbox sender. */
export interface OutboxEntry {
  id: string;
  from: string;
  to: string;
  subject: string;
  createdAt: string;
  sizeBytes: number;
  text: string;
  attachments: Array<{ filename: string; contentType: string; sizeBytes: number }>;
}

/** The outbox, when it is the active sender: what would have been sent, by owner. */
export interface Outbox {
  /** The messages `owner` sent, newest first. */
  list(owner: string): Promise<OutboxEntry[]>;
  /** The raw `.eml` (RFC 5322) of one message `owner` sent, or null (also for another owner's). */
  read(owner: string, id: string): Promise<Buffer | null>;
}
