import { outboxListSchema, type OutboxEntry } from "@/lib/contract";
import { requestJson } from "./request";

/** The kept message as a standard `.eml` file. */
export const outboxDownloadUrl = (id: string) => `/api/outbox/${encodeURIComponent(id)}`;

/**
 * The messages the local outbox kept, newest first. Throws an `ApiRequestError` with status 404
 * when the outbox is off (real e-mail is configured).
 */
export async function listOutbox(signal?: AbortSignal): Promise<OutboxEntry[]> {
  const { items } = await requestJson("/api/outbox", outboxListSchema, { signal });
  return items;
}
