"use client";

import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { messageOf } from "@/lib/client/request";
import type { Segment, SummaryResult, Transcript } from "@/lib/contract";
import { realignSegments, replaceSegmentText } from "@/lib/domain/realign-segments";
import { renameSpeaker as renameSpeakerIn, setSegmentSpeaker } from "@/lib/domain/speakers";
import type { KeptEdits, TranscriptDraftApi } from "@/components/shared/transcript-draft";
import { useSaveTranscript } from "./use-save-transcript";

export interface TranscriptDraftOptions {
  onSaved?: (transcript: Transcript) => void;
}

const summaryOf = (transcript: Transcript) => transcript.summary ?? "";

function speakersDiffer(a: readonly Segment[], b: readonly Segment[]): boolean {
  if (a === b) return false;
  if (a.length !== b.length) return true;
  return a.some((segment, index) => (segment.speaker ?? "") !== (b[index]!.speaker ?? ""));
}

/**
 * Editable text, title and summary of a saved transcript, its dirty state and saving. Shared by the
 * main page and the transcript page so both save the same way. Render with `key={id}`.
 *
 * The segments follow the text: they are the segments of the last saved version (or of the last
 * segment edit) realigned to the current text, and each save sends them with the text.
 */
export function useTranscriptDraft(
  initial: Transcript,
  options: TranscriptDraftOptions = {},
): TranscriptDraftApi {
  const [saved, setSaved] = useState(initial);
  const [text, setTextState] = useState(initial.text);
  const [title, setTitleState] = useState(initial.title);
  const [summary, setSummaryState] = useState(summaryOf(initial));
  // The segments the current text is realigned from: the saved ones, or those of the last segment edit.
  const [baseSegments, setBaseSegments] = useState(initial.segments);
  const [kept, setKept] = useState<KeptEdits | null>(null);
  const [reloading, setReloading] = useState(false);
  const [reloadError, setReloadError] = useState<string | null>(null);
  const latest = useRef({ text, title, summary, savedSummary: summaryOf(saved), baseSegments });

  useEffect(() => {
    latest.current = { text, title, summary, savedSummary: summaryOf(saved), baseSegments };
  });

  const durationSec = saved.durationSec;
  // Realigning a long transcript takes a few milliseconds; typing must not wait for it.
  const deferredText = useDeferredValue(text);
  const segments = useMemo(
    () => realignSegments(baseSegments, deferredText, durationSec),
    [baseSegments, deferredText, durationSec],
  );

  const saver = useSaveTranscript({ id: initial.id, etag: saved.etag, onSaved: options.onSaved });
  const { status, dismiss } = saver;

  const setText = useCallback(
    (value: string) => {
      setTextState(value);
      // A plain error (e.g. empty text) is resolved by editing; a conflict is not.
      if (status.kind === "error") dismiss();
    },
    [status.kind, dismiss],
  );
  const editSegment = useCallback(
    (index: number, value: string) => {
      const current = latest.current;
      const live = realignSegments(current.baseSegments, current.text, durationSec);
      const next = replaceSegmentText(live, current.text, index, value);
      // A save right after (Ctrl+S while the segment is being edited) must already see the edit.
      latest.current = { ...current, text: next.text, baseSegments: next.segments };
      setBaseSegments(next.segments);
      setTextState(next.text);
      if (status.kind === "error") dismiss();
    },
    [durationSec, status.kind, dismiss],
  );
  const changeSpeakers = useCallback(
    (change: (segments: Segment[]) => Segment[]) => {
      const current = latest.current;
      const next = change(realignSegments(current.baseSegments, current.text, durationSec));
      latest.current = { ...current, baseSegments: next };
      setBaseSegments(next);
      if (status.kind === "error") dismiss();
    },
    [durationSec, status.kind, dismiss],
  );
  const renameSpeaker = useCallback(
    (from: string, to: string) => changeSpeakers((segments) => renameSpeakerIn(segments, from, to)),
    [changeSpeakers],
  );
  const moveSegmentToSpeaker = useCallback(
    (index: number, to: string) => changeSpeakers((segments) => setSegmentSpeaker(segments, index, to)),
    [changeSpeakers],
  );
  const setTitle = useCallback(
    (value: string) => {
      setTitleState(value);
      if (status.kind === "error") dismiss();
    },
    [status.kind, dismiss],
  );
  const setSummary = useCallback(
    (value: string) => {
      setSummaryState(value);
      if (status.kind === "error") dismiss();
    },
    [status.kind, dismiss],
  );

  const adoptSummary = useCallback((result: SummaryResult) => {
    // Without a version the saver asks the server for the current one before the next save.
    setSaved((current) => ({ ...current, summary: result.summary || undefined, etag: result.etag }));
    setSummaryState(result.summary);
  }, []);

  const save = useCallback(async () => {
    const { savedSummary } = latest.current;
    const draft = {
      text: latest.current.text,
      title: latest.current.title.trim(),
      summary: latest.current.summary,
    };
    const result = await saver.save({
      text: draft.text,
      segments: realignSegments(latest.current.baseSegments, draft.text, durationSec),
      ...(draft.title ? { title: draft.title } : {}),
      // An empty summary is only sent to remove a saved one.
      ...(draft.summary || savedSummary ? { summary: draft.summary } : {}),
    });
    if (!result) return null;
    setSaved(result);
    // Adopt what the server stored, unless the user kept typing while the request was out.
    if (latest.current.text === draft.text) {
      setTextState(result.text);
      setBaseSegments(result.segments);
    }
    if (latest.current.title.trim() === draft.title) setTitleState(result.title);
    if (latest.current.summary === draft.summary) setSummaryState(summaryOf(result));
    return result;
  }, [saver, durationSec]);

  const reload = useCallback(async () => {
    setReloading(true);
    setReloadError(null);
    try {
      const fresh = await saver.fetchLatest();
      const mine: KeptEdits = {
        text: latest.current.text,
        title: latest.current.title,
        summary: latest.current.summary,
      };
      if (mine.text !== fresh.text || mine.title !== fresh.title || mine.summary !== summaryOf(fresh)) {
        setKept(mine);
      }
      setSaved(fresh);
      setTextState(fresh.text);
      setBaseSegments(fresh.segments);
      setTitleState(fresh.title);
      setSummaryState(summaryOf(fresh));
    } catch (error) {
      setReloadError(messageOf(error, "Could not load the latest version. Try again."));
    } finally {
      setReloading(false);
    }
  }, [saver]);

  const restoreKept = useCallback(() => {
    if (!kept) return;
    setTextState(kept.text);
    setTitleState(kept.title);
    setSummaryState(kept.summary);
    setKept(null);
  }, [kept]);

  const revert = useCallback(() => {
    setTextState(saved.text);
    setBaseSegments(saved.segments);
    setTitleState(saved.title);
    setSummaryState(summaryOf(saved));
    dismiss();
  }, [saved, dismiss]);

  const summaryDirty = summary !== summaryOf(saved);
  const textDirty = text !== saved.text;
  // Speakers can only be compared segment by segment while the text (and so the segmentation) is the saved one.
  const speakersDirty = !textDirty && speakersDiffer(baseSegments, saved.segments);
  const dirty = textDirty || speakersDirty || title !== saved.title || summaryDirty;

  return {
    saved,
    text,
    title,
    summary,
    segments,
    setText,
    editSegment,
    renameSpeaker,
    moveSegmentToSpeaker,
    setTitle,
    setSummary,
    adoptSummary,
    dirty,
    summaryDirty,
    status,
    save,
    reload,
    reloading,
    reloadError,
    kept,
    restoreKept,
    discardKept: () => setKept(null),
    revert,
    dismiss,
  };
}
