"use client";

import { useEffect, useRef, useState } from "react";
import { ApiRequestError, messageOf } from "@/lib/client/request";
import { fetchJob } from "@/lib/client/transcriptions";
import type { Segment, TranscriptionView } from "@/lib/contract";
import type { RowStatus } from "./use-jobs";

const WATCH_POLL_MS = 1000;

export interface WatchCallbacks {
  /** Every answer, so the job's row can show it without waiting for the list. */
  onView: (view: TranscriptionView) => void;
  /** The transcript could not be fetched (e.g. it was deleted meanwhile). */
  onError: (message: string) => void;
}

/**
 * Follows the job the user is watching: polls it while it is queued or running (for the
 * segments decoded so far), and fetches it once more when it has succeeded, for its transcript.
 * Pass `wantTranscript: false` when the transcript is already loaded.
 */
export function useWatchedJob(
  id: string | undefined,
  status: RowStatus | undefined,
  wantTranscript: boolean,
  callbacks: WatchCallbacks,
): Segment[] {
  const [live, setLive] = useState<{ id: string; segments: Segment[] } | null>(null);
  const callbacksRef = useRef(callbacks);
  useEffect(() => {
    callbacksRef.current = callbacks;
  });

  const active = status === "queued" || status === "running";
  const fetchOnce = status === "succeeded" && wantTranscript;

  useEffect(() => {
    if (!id || !(active || fetchOnce)) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const view = await fetchJob(id, controller.signal);
        if (controller.signal.aborted) return;
        failures = 0;
        if (view.segmentsSoFar) setLive({ id, segments: view.segmentsSoFar });
        else if (view.transcript) setLive({ id, segments: view.transcript.segments });
        callbacksRef.current.onView(view);
        if (view.status !== "queued" && view.status !== "running") return;
      } catch (error) {
        if (controller.signal.aborted) return;
        const transient = !(error instanceof ApiRequestError) || error.status === 0 || error.status >= 500;
        failures += 1;
        if (!transient || failures >= 5) {
          callbacksRef.current.onError(messageOf(error, "Lost contact with the server."));
          return;
        }
      }
      timer = setTimeout(poll, WATCH_POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id, active, fetchOnce]);

  return live && live.id === id ? live.segments : [];
}
