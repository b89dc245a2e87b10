import { ApiRequestError, isObject, num, requestJson, str, UNEXPECTED_MESSAGE } from "./client";
import type { OutboxAttachment, OutboxMessage } from "./types";

/** The kept message as a standard `.eml` file. */
export const outboxDownloadUrl = (id: string) => `/api/outbox/${encodeURIComponent(id)}`;

function parseAttachment(value: unknown): OutboxAttachment | null {
  if (!isObject(value) || typeof value.filename !== "string") return null;
  return { filename: value.filename, contentType: str(value.contentType), sizeBytes: num(value.sizeBytes) };
}

function parseMessage(value: unknown): OutboxMessage | null {
  if (!isObject(value) || typeof value.id !== "string" || !value.id) return null;
  return {
    id: value.id,
    from: str(value.from),
    to: str(value.to),
    subject: str(value.subject) || "(no subject)",
    createdAt: str(value.createdAt),
    sizeBytes: num(value.sizeBytes),
    text: str(value.text),
    attachments: Array.isArray(value.attachments)
      ? value.attachments.map(parseAttachment).filter((a): a is OutboxAttachment => a !== null)
      : [],
  };
}

/**
 * The messages the local outbox kept, newest first. Throws an `ApiRequestError` with status 404
 * when the outbox is off (real e-mail is configured).
 */
export async function listOutbox(signal?: AbortSignal): Promise<OutboxMessage[]> {
  const body = await requestJson("/api/outbox", { signal });
  if (!isObject(body) || !Array.isArray(body.items)) throw new ApiRequestError(UNEXPECTED_MESSAGE, 200);
  return body.items.map(parseMessage).filter((item): item is OutboxMessage => item !== null);
}
