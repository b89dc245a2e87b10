import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import type { StoredTranscript, TranscriptHeader } from "@/lib/storage/types";
import { getServices } from "./context";
import { renderExport, renderTranscriptsCsv, type ExportFormat, type RenderedExport } from "./export";
import { buildSnippet, matchesAll, parseQuery } from "./search";

/** A saved transcript in a listing; search results carry a highlighted snippet. */
export interface TranscriptListItem extends Omit<TranscriptHeader, "etag"> {
  snippet?: string;
  matches?: Array<[number, number]>;
}

/** Query of `GET /api/transcriptions`. */
export const listQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Body of `PUT /api/transcriptions/:id`. */
export const editSchema = z.object({
  text: z.string().max(5_000_000),
  title: z.string().trim().min(1).max(200).optional(),
  summary: z.string().max(200_000).optional(),
  segments: z
    .array(
      z
        .object({
          start: z.number().min(0),
          end: z.number().min(0),
          text: z.string().max(100_000),
          speaker: z.string().max(100).optional(),
        })
        .refine((segment) => segment.end >= segment.start, {
          message: "must not be before start",
          path: ["end"],
        }),
    )
    .max(100_000)
    .optional(),
});

export type TranscriptEdit = z.infer<typeof editSchema>;

/**
 * Saved transcripts, newest first. With `q`, a search over titles and texts: the owner's
 * partition is scanned (see README for how this scales) and results carry snippets.
 */
export async function listTranscripts(query: z.infer<typeof listQuerySchema>) {
  const { storage, owner } = await getServices();
  const terms = query.q ? parseQuery(query.q) : [];
  if (terms.length === 0) {
    const page = await storage.transcripts.list(owner, { cursor: query.cursor, limit: query.limit });
    return { items: page.items.map(toListItem), nextCursor: page.nextCursor };
  }
  const skip = query.cursor ? Number.parseInt(query.cursor, 10) || 0 : 0;
  const items: TranscriptListItem[] = [];
  let seen = 0;
  let more = false;
  for await (const transcript of storage.transcripts.scan(owner)) {
    if (!matchesAll(terms, transcript.title, transcript.text)) continue;
    if (seen++ < skip) continue;
    if (items.length === query.limit) {
      more = true;
      break;
    }
    items.push({ ...toListItem(transcript), ...buildSnippet(terms, transcript.text) });
  }
  return { items, nextCursor: more ? String(skip + items.length) : null };
}

/**
 * Saves edits if the transcript is still at version `ifMatch`. Empty text is refused and nothing
 * is written (the rule of the original app).
 */
export async function saveTranscriptEdits(id: string, edit: TranscriptEdit, ifMatch: string | null) {
  if (!ifMatch) {
    throw new AppError(
      "precondition_required",
      "Send the transcript's current version in an If-Match header so that no one's edits are overwritten.",
    );
  }
  if (!edit.text.trim())
    throw new AppError("empty_transcript", "The transcript is empty, so nothing was saved.");
  const { storage, owner } = await getServices();
  const current = await storage.transcripts.get(owner, id);
  if (!current) throw new AppError("not_found", "No transcription has this id.");
  const { etag, ...rest } = current;
  if (etag !== ifMatch) {
    throw new AppError(
      "precondition_failed",
      "Someone else changed this transcript. Reload to see their version.",
    );
  }
  return storage.transcripts.replace(
    owner,
    {
      ...rest,
      text: edit.text,
      title: edit.title ?? current.title,
      segments: edit.segments ?? current.segments,
      ...(edit.summary !== undefined ? { summary: edit.summary } : {}),
      updatedAt: new Date().toISOString(),
    },
    etag,
  );
}

/** Deletes a transcript and its recording, so nothing is left orphaned. */
export async function deleteTranscript(id: string): Promise<void> {
  const { storage, owner } = await getServices();
  const transcript = await storage.transcripts.get(owner, id);
  if (!transcript) throw new AppError("not_found", "No transcription has this id.");
  await storage.recordings.delete(owner, transcript.recordingId);
  await storage.transcripts.delete(owner, id);
}

/** One transcript rendered as a downloadable file. */
export async function exportTranscript(id: string, format: ExportFormat): Promise<RenderedExport> {
  const { storage, owner } = await getServices();
  const transcript = await storage.transcripts.get(owner, id);
  if (!transcript) throw new AppError("not_found", "No transcription has this id.");
  return renderExport(transcript, format);
}

/** Every saved transcript as one CSV file (UTF-8 with BOM for spreadsheets). */
export async function exportAllTranscriptsCsv(): Promise<string> {
  const { storage, owner } = await getServices();
  const all: StoredTranscript[] = [];
  for await (const transcript of storage.transcripts.scan(owner)) all.push(transcript);
  return "\uFEFF" + renderTranscriptsCsv(all);
}

function toListItem(transcript: TranscriptHeader): TranscriptListItem {
  const { id, recordingId, title, createdAt, updatedAt, durationSec, language, engine } = transcript;
  return { id, recordingId, title, createdAt, updatedAt, durationSec, language, engine };
}
