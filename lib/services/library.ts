import type { ExportFormat, TranscriptEdit, TranscriptListQuery } from "@/lib/contract";
import { AppError } from "@/lib/domain/errors";
import { realignSegments, segmentsMatchText } from "@/lib/domain/realign-segments";
import type { StoredTranscript, TranscriptHeader } from "@/lib/domain/transcript";
import type { ServiceContext } from "./context";
import { renderExport, renderTranscriptsCsv, type RenderedExport } from "./export";
import { buildSnippet, matchesAll, parseQuery } from "./search";
import { forgetJob } from "./transcriptions";

/** A saved transcript in a listing; search results carry a highlighted snippet. */
export interface TranscriptListItem extends Omit<TranscriptHeader, "etag"> {
  snippet?: string;
  matches?: Array<[number, number]>;
}

/**
 * Saved transcripts, newest first. With `q`, a search over titles and texts: the owner's
 * partition is scanned (see README for how this scales) and results carry snippets.
 */
export async function listTranscripts(
  { services: { storage }, owner }: ServiceContext,
  query: TranscriptListQuery,
) {
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
 *
 * The segments always spell out the saved text:
 * - With `segments`, they are stored as sent, and `text` must be their texts joined with spaces
 *   (compared with whitespace normalised, so line breaks in `text` are fine); otherwise the save
 *   is refused with 422 `segments_mismatch` and nothing is written.
 * - Without `segments`, the stored segments follow the new text (see {@link realignSegments}):
 *   unchanged words keep their segment and times, new words join their neighbours' segments,
 *   deleted words go.
 */
export async function saveTranscriptEdits(
  { services: { storage }, owner }: ServiceContext,
  id: string,
  edit: TranscriptEdit,
  ifMatch: string | null,
) {
  if (!ifMatch) {
    throw new AppError(
      "precondition_required",
      "Send the transcript's current version in an If-Match header so that no one's edits are overwritten.",
    );
  }
  if (!edit.text.trim())
    throw new AppError("empty_transcript", "The transcript is empty, so nothing was saved.");
  if (edit.segments && !segmentsMatchText(edit.segments, edit.text)) {
    throw new AppError(
      "segments_mismatch",
      "The segments do not spell out the text: their texts joined with spaces must equal the text. Nothing was saved.",
    );
  }
  const current = await storage.transcripts.get(owner, id);
  if (!current) throw new AppError("not_found", "No transcription has this id.");
  const { etag, ...rest } = current;
  if (etag !== ifMatch) {
    throw new AppError(
      "precondition_failed",
      "Someone else changed this transcript. Reload to see their version.",
    );
  }
  const saved = await storage.transcripts.replace(
    owner,
    {
      ...rest,
      text: edit.text,
      title: edit.title ?? current.title,
      segments: edit.segments ?? realignSegments(current.segments, edit.text, current.durationSec),
      ...(edit.summary !== undefined ? { summary: edit.summary } : {}),
      updatedAt: new Date().toISOString(),
    },
    etag,
  );
  await storage.flush();
  return saved;
}

/**
 * Deletes a transcription: its transcript, its recording and its job, so nothing is left
 * orphaned. A job that never produced a transcript (failed, cancelled) is dismissed the same way.
 */
export async function deleteTranscript(context: ServiceContext, id: string): Promise<void> {
  const { services, owner } = context;
  const { storage, jobs } = services;
  const transcript = await storage.transcripts.get(owner, id);
  const recordingId = transcript?.recordingId ?? (await jobs.records.get(owner, id))?.recordingId;
  if (!recordingId) throw new AppError("not_found", "No transcription has this id.");
  await forgetJob(context, id);
  await storage.recordings.delete(owner, recordingId);
  if (transcript) await storage.transcripts.delete(owner, id);
  await storage.flush();
}

/** One transcript rendered as a downloadable file. */
export async function exportTranscript(
  { services: { storage }, owner }: ServiceContext,
  id: string,
  format: ExportFormat,
): Promise<RenderedExport> {
  const transcript = await storage.transcripts.get(owner, id);
  if (!transcript) throw new AppError("not_found", "No transcription has this id.");
  return renderExport(transcript, format);
}

/** Every saved transcript as one CSV file (UTF-8 with BOM for spreadsheets). */
export async function exportAllTranscriptsCsv({
  services: { storage },
  owner,
}: ServiceContext): Promise<string> {
  const all: StoredTranscript[] = [];
  for await (const transcript of storage.transcripts.scan(owner)) all.push(transcript);
  return "\uFEFF" + renderTranscriptsCsv(all);
}

function toListItem(transcript: TranscriptHeader): TranscriptListItem {
  const { id, recordingId, title, createdAt, updatedAt, durationSec, language, engine } = transcript;
  return { id, recordingId, title, createdAt, updatedAt, durationSec, language, engine };
}
