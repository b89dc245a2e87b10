import type { RecordingsQuery } from "@/lib/contract";
import { AppError } from "@/lib/domain/errors";
import type { RecordingDownload } from "@/lib/storage/types";
import type { ServiceContext } from "./context";
import { forgetJob } from "./transcriptions";

/** Stored recordings with their metadata, newest first. */
export async function listRecordings(
  { services: { storage }, owner }: ServiceContext,
  query: RecordingsQuery,
) {
  return storage.recordings.list(owner, { cursor: query.cursor, limit: query.limit });
}

/** A recording's audio, whole or the byte range an HTTP `Range` header asks for. */
export async function readRecordingAudio(
  { services: { storage }, owner }: ServiceContext,
  id: string,
  rangeHeader: string | null,
): Promise<RecordingDownload & { name: string }> {
  const metadata = await storage.recordings.get(owner, id);
  if (!metadata) throw new AppError("not_found", "No recording has this id.");
  const range = rangeHeader ? parseRange(rangeHeader, metadata.sizeBytes) : undefined;
  const download = await storage.recordings.download(owner, id, range ?? undefined);
  if (!download) throw new AppError("not_found", "No recording has this id.");
  return { ...download, name: metadata.name };
}

/** Deletes a recording and its transcript, so nothing is left orphaned. */
export async function deleteRecording(context: ServiceContext, id: string): Promise<void> {
  const { services, owner } = context;
  const { storage } = services;
  const metadata = await storage.recordings.get(owner, id);
  if (!metadata) throw new AppError("not_found", "No recording has this id.");
  if (metadata.transcriptionId) {
    await forgetJob(context, metadata.transcriptionId);
    await storage.transcripts.delete(owner, metadata.transcriptionId);
  }
  await storage.recordings.delete(owner, id);
  await storage.flush();
}

/**
 * Parses a single-range `bytes=` header (`a-b`, `a-`, `-n`). Multiple ranges are served whole
 * (null); a range outside the file is 416.
 */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || header.includes(",")) return null;
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return null;
  let start: number;
  let end: number;
  if (from === "") {
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) {
    const error = new AppError(
      "range_not_satisfiable",
      `The requested range is outside the ${size}-byte recording.`,
    );
    error.headers["Content-Range"] = `bytes */${size}`;
    throw error;
  }
  return { start, end };
}
