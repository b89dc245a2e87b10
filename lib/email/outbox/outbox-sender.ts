import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { AppError } from "@/lib/domain/errors";
import { toMailOptions } from "../mail-options";
import type { EmailMessage, EmailSender, Outbox, OutboxEntry, SentEmail } from "../types";

const idPattern = /^[0-9]{13}-[0-9a-f]{8}$/;

/**
 * The embedded default: each message is composed exactly as it would be sent (nodemailer's
 * MIME composer) and written as a standards-compliant `.eml` under the data folder, with a
 * small JSON index beside it for the Outbox page.
 */
export class OutboxSender implements EmailSender, Outbox {
  readonly info = { id: "outbox", name: "Outbox (local files)" } as const;
  private readonly composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "windows",
  });

  constructor(private readonly folder: string) {}

  async send(message: EmailMessage): Promise<SentEmail> {
    const id = `${Date.now()}-${randomBytes(4).toString("hex")}`;
    try {
      const info = (await this.composer.sendMail({
        ...toMailOptions(message),
        messageId: `<${id}@transcribe.local>`,
      })) as { message: Buffer };
      const entry: OutboxEntry = {
        id,
        from: message.from,
        to: message.to,
        subject: message.subject,
        createdAt: new Date().toISOString(),
        sizeBytes: info.message.length,
        text: message.text,
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          sizeBytes: a.content.length,
        })),
      };
      await fs.mkdir(this.folder, { recursive: true });
      await fs.writeFile(path.join(this.folder, `${id}.eml`), info.message);
      await fs.writeFile(path.join(this.folder, `${id}.json`), JSON.stringify(entry, null, 2));
      return { id };
    } catch (error) {
      throw new AppError("email_failed", "The message could not be written to the outbox.", { cause: error });
    }
  }

  async list(): Promise<OutboxEntry[]> {
    const files = await fs.readdir(this.folder).catch(() => [] as string[]);
    const entries = await Promise.all(
      files
        .filter((file) => file.endsWith(".json") && idPattern.test(file.slice(0, -5)))
        .map(async (file) => {
          try {
            return JSON.parse(await fs.readFile(path.join(this.folder, file), "utf8")) as OutboxEntry;
          } catch {
            return null;
          }
        }),
    );
    return entries
      .filter((entry): entry is OutboxEntry => entry !== null)
      .sort((a, b) => b.id.localeCompare(a.id));
  }

  async read(id: string): Promise<Buffer | null> {
    if (!idPattern.test(id)) return null;
    return fs.readFile(path.join(this.folder, `${id}.eml`)).catch(() => null);
  }
}
