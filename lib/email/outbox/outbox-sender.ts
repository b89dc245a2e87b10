import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { AppError } from "@/lib/domain/errors";
import { toMailOptions } from "../mail-options";
import type { EmailMessage, EmailSender, Outbox, OutboxEntry, SendOptions, SentEmail } from "../types";

const idPattern = /^[0-9]{13}-[0-9a-f]{8}$/;

/** The index kept beside each `.eml`: the entry and whose message it is. */
interface StoredEntry extends OutboxEntry {
  /** Absent in messages written before messages had owners. */
  owner?: string;
}

/**
 * The embedded default: each message is composed exactly as it would be sent (nodemailer's
 * MIME composer) and written as a standards-compliant `.eml` under the data folder, with a
 * small JSON index beside it for the Outbox page. Each owner sees only their own messages;
 * messages written before messages had owners belong to `legacyOwner`.
 */
export class OutboxSender implements EmailSender, Outbox {
  readonly info = { id: "outbox", name: "Outbox (local files)" } as const;
  private readonly composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "windows",
  });

  constructor(
    private readonly folder: string,
    private readonly options: { legacyOwner?: string } = {},
  ) {}

  async send(message: EmailMessage, { owner }: SendOptions): Promise<SentEmail> {
    const id = `${Date.now()}-${randomBytes(4).toString("hex")}`;
    try {
      const info = (await this.composer.sendMail({
        ...toMailOptions(message),
        messageId: `<${id}@transcribe.local>`,
      })) as { message: Buffer };
      const entry: StoredEntry = {
        id,
        owner,
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

  async list(owner: string): Promise<OutboxEntry[]> {
    const files = await fs.readdir(this.folder).catch(() => [] as string[]);
    const entries = await Promise.all(
      files
        .filter((file) => file.endsWith(".json") && idPattern.test(file.slice(0, -5)))
        .map((file) => this.entry(file.slice(0, -5))),
    );
    return entries
      .filter((entry): entry is StoredEntry => entry !== null && this.ownerOf(entry) === owner)
      .map((entry) => {
        const shown: StoredEntry = { ...entry };
        delete shown.owner;
        return shown;
      })
      .sort((a, b) => b.id.localeCompare(a.id));
  }

  async read(owner: string, id: string): Promise<Buffer | null> {
    if (!idPattern.test(id)) return null;
    const entry = await this.entry(id);
    if (!entry || this.ownerOf(entry) !== owner) return null;
    return fs.readFile(path.join(this.folder, `${id}.eml`)).catch(() => null);
  }

  private async entry(id: string): Promise<StoredEntry | null> {
    try {
      const entry = JSON.parse(await fs.readFile(path.join(this.folder, `${id}.json`), "utf8")) as unknown;
      return typeof entry === "object" && entry !== null ? (entry as StoredEntry) : null;
    } catch {
      return null;
    }
  }

  private ownerOf(entry: StoredEntry): string | undefined {
    return typeof entry.owner === "string" ? entry.owner : this.options.legacyOwner;
  }
}
