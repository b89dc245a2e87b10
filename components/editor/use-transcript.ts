"use client";

import { useCallback, useEffect, useState } from "react";
import { ApiRequestError, isAbort, messageOf } from "@/lib/client/request";
import { fetchJob } from "@/lib/client/transcriptions";
import type { Transcript } from "@/lib/contract";

export type TranscriptLoad =
  | { kind: "loading" }
  | { kind: "not-found" }
  | { kind: "error"; message: string }
  /** Still queued or transcribing; polled until it finishes. */
  | { kind: "pending"; progress: number; running: boolean }
  | { kind: "failed"; message: string }
  | { kind: "ready"; transcript: Transcript };

const POLL_MS = 1000;

/** Loads one transcription by id, following it while the job is still running. */
export function useTranscript(id: string): { state: TranscriptLoad; retry: () => void } {
  const [state, setState] = useState<TranscriptLoad>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    async function load() {
      try {
        const job = await fetchJob(id, controller.signal);
        if (job.status === "succeeded" && job.transcript) {
          setState({ kind: "ready", transcript: job.transcript });
        } else if (job.status === "failed") {
          setState({ kind: "failed", message: job.error?.message || "Transcription failed." });
        } else {
          setState({ kind: "pending", progress: job.progress, running: job.status === "running" });
          timer = setTimeout(() => void load(), POLL_MS);
        }
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted) return;
        // The id route rejects malformed ids with 400; to a reader that is the same as missing.
        if (error instanceof ApiRequestError && (error.status === 404 || error.status === 400)) {
          setState({ kind: "not-found" });
        } else {
          setState({ kind: "error", message: messageOf(error, "The transcript could not be loaded.") });
        }
      }
    }

    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id, attempt]);

  const retry = useCallback(() => {
    setState({ kind: "loading" });
    setAttempt((n) => n + 1);
  }, []);

  return { state, retry };
}
