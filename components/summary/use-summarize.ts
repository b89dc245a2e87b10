"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiRequestError, isAbort } from "@/lib/client/request";
import { streamSummary } from "@/lib/client/summaries";
import type { TranscriptDraftApi } from "@/components/shared/transcript-draft";

export type SummarizeState =
  | { kind: "idle" }
  /** `text` is what has arrived so far. */
  | { kind: "streaming"; text: string }
  | { kind: "done" }
  | { kind: "stopped" }
  | { kind: "error"; message: string; status: number; code?: string };

export interface SummarizeApi {
  state: SummarizeState;
  streaming: boolean;
  /** Starts (or restarts) summarising the saved transcript. */
  start: () => void;
  /** Aborts the request; the summary shown before stays. */
  stop: () => void;
  /** Clears a shown error or "stopped" note. */
  dismiss: () => void;
  /**
   * True when the summary in the editor is not the one last generated (or loaded), i.e. the
   * user wrote or changed it, so regenerating should ask first.
   */
  isEdited: () => boolean;
}

export const SUMMARY_FAILED_MESSAGE = "The summary could not be made. Try again in a moment.";

/**
 * Streams a summary of the saved transcript from the server into the draft. While streaming the
 * text lives here (so it is not an unsaved edit); when it is done the server has saved it with
 * the transcript and the draft adopts it with the transcript's new version. On failure or stop
 * the draft is untouched.
 */
export function useSummarize(
  draft: TranscriptDraftApi,
  options: { onError?: (error: ApiRequestError) => void } = {},
): SummarizeApi {
  const [state, setState] = useState<SummarizeState>({ kind: "idle" });
  const controllerRef = useRef<AbortController | null>(null);
  const { adoptSummary } = draft;
  const id = draft.saved.id;
  const generatedRef = useRef(draft.saved.summary ?? "");
  const summaryRef = useRef(draft.summary);
  const onErrorRef = useRef(options.onError);

  useEffect(() => {
    summaryRef.current = draft.summary;
    onErrorRef.current = options.onError;
  });

  useEffect(() => () => controllerRef.current?.abort(), []);

  const start = useCallback(() => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setState({ kind: "streaming", text: "" });

    streamSummary(id, {
      signal: controller.signal,
      onDelta: (text) => {
        if (controller.signal.aborted) return;
        setState((current) =>
          current.kind === "streaming" ? { kind: "streaming", text: current.text + text } : current,
        );
      },
    }).then(
      (result) => {
        // Saved by the server even if Stop came too late: show what is stored.
        generatedRef.current = result.summary;
        adoptSummary(result);
        if (controllerRef.current !== controller && controllerRef.current !== null) return;
        controllerRef.current = null;
        setState({ kind: "done" });
      },
      (error: unknown) => {
        if (controllerRef.current === controller) controllerRef.current = null;
        if (isAbort(error) || controller.signal.aborted) {
          // A restart aborts the previous request; only a user's Stop leaves a note.
          if (controllerRef.current === null) setState({ kind: "stopped" });
          return;
        }
        const failure =
          error instanceof ApiRequestError ? error : new ApiRequestError(SUMMARY_FAILED_MESSAGE, 0);
        setState({ kind: "error", message: failure.message, status: failure.status, code: failure.code });
        onErrorRef.current?.(failure);
      },
    );
  }, [id, adoptSummary]);

  const stop = useCallback(() => {
    const controller = controllerRef.current;
    controllerRef.current = null;
    controller?.abort();
  }, []);

  const dismiss = useCallback(
    () => setState((current) => (current.kind === "streaming" ? current : { kind: "idle" })),
    [],
  );

  const isEdited = useCallback(() => {
    const current = summaryRef.current.trim();
    return current !== "" && current !== generatedRef.current.trim();
  }, []);

  return { state, streaming: state.kind === "streaming", start, stop, dismiss, isEdited };
}
