import "./zod-config";
import { z } from "zod";

/** A message kept by the outbox sender (`EMAIL_PROVIDER=outbox`) instead of being sent. */
export const outboxEntrySchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  createdAt: z.string(),
  sizeBytes: z.number(),
  text: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), sizeBytes: z.number() })),
});

export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

export type OutboxAttachment = OutboxEntry["attachments"][number];

/** Answer of `GET /api/outbox`, newest first (404 while real e-mail is configured). */
export const outboxListSchema = z.object({ items: z.array(outboxEntrySchema) });
