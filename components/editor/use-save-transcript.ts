"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiRequestError, messageOf } from "@/lib/client/request";
import { fetchJob, saveTranscript } from "@/lib/client/transcriptions";
import type { SaveStatus } from "@/components/shared/transcript-draft";
import type { Transcript, TranscriptEdit } from "@/lib/contract";

export const CONFLICT_MESSAGE =
  "Someone else changed this transcript. Reload to see their version (your text is kept in the editor).";

export interface SaveTranscriptOptions {
  id: string;
  /** Version the editor's text is based on; sent as If-Match. */
  etag: string | undefined;
  onSaved?: (transcript: Transcript) => void;
}

export interface SaveTranscriptApi {
  status: SaveStatus;
  /** Resolves with the saved transcript, or null when saving failed (see `status`). */
  save: (draft: TranscriptEdit) => Promise<Transcript | null>;
  /** Fetches the latest saved version and adopts its etag. */
  fetchLatest: () => Promise<Transcript>;
  /** Clears a shown error or conflict. */
  dismiss: () => void;
}

const isConflict = (error: unknown) =>
  error instanceof ApiRequestError && (error.status === 412 || error.code === "precondition_failed");

async function latestTranscript(id: string): Promise<Transcript> {
  const job = await fetchJob(id);
  if (!job.transcript) {
    throw new ApiRequestError("This transcript is not ready to be saved yet. Try again in a moment.", 409);
  }
  return job.transcript;
}

/**
 * Saves transcript edits with `PUT /api/transcriptions/:id` and `If-Match`, tracking the
 * version across saves. A stale version (412) becomes a `conflict`, anything else an `error`
 * carrying the server's message; nothing is retried behind the user's back.
 */
export function useSaveTranscript({ id, etag, onSaved }: SaveTranscriptOptions): SaveTranscriptApi {
  const [status, setStatus] = useState<SaveStatus>({ kind: "idle" });
  const etagRef = useRef(etag);
  const savingRef = useRef(false);
  const onSavedRef = useRef(onSaved);

  useEffect(() => {
    onSavedRef.current = onSaved;
  });

  useEffect(() => {
    etagRef.current = etag;
  }, [etag]);

  const save = useCallback(
    async (draft: TranscriptEdit) => {
      if (savingRef.current) return null;
      savingRef.current = true;
      setStatus({ kind: "saving" });
      try {
        // A transcript fresh from a job may arrive without its version; ask for it once.
        const version = etagRef.current ?? (await latestTranscript(id)).etag;
        if (!version) {
          throw new ApiRequestError(
            "The server did not report the transcript's version. Reload and try again.",
            0,
          );
        }
        const saved = await saveTranscript(id, draft, version);
        if (saved.etag) etagRef.current = saved.etag;
        setStatus({ kind: "saved", at: Date.now() });
        onSavedRef.current?.(saved);
        return saved;
      } catch (error) {
        if (isConflict(error)) {
          setStatus({ kind: "conflict", message: CONFLICT_MESSAGE });
        } else {
          setStatus({ kind: "error", message: messageOf(error, "Saving failed. Try again.") });
        }
        return null;
      } finally {
        savingRef.current = false;
      }
    },
    [id],
  );

  const fetchLatest = useCallback(async () => {
    const latest = await latestTranscript(id);
    etagRef.current = latest.etag;
    setStatus({ kind: "idle" });
    return latest;
  }, [id]);

  const dismiss = useCallback(
    () => setStatus((current) => (current.kind === "saving" ? current : { kind: "idle" })),
    [],
  );

  return { status, save, fetchLatest, dismiss };
}
