"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "@/components/api/client";
import type { Transcript } from "@/components/api/types";
import { useSaveTranscript, type SaveStatus } from "./use-save-transcript";

export interface KeptEdits {
  text: string;
  title: string;
}

export interface TranscriptDraftApi {
  /** The last saved version (what the server has). */
  saved: Transcript;
  text: string;
  title: string;
  setText: (text: string) => void;
  setTitle: (title: string) => void;
  dirty: boolean;
  status: SaveStatus;
  save: () => Promise<Transcript | null>;
  /** After a conflict: load the other version; the user's edits are kept aside in `kept`. */
  reload: () => Promise<void>;
  reloading: boolean;
  reloadError: string | null;
  kept: KeptEdits | null;
  restoreKept: () => void;
  discardKept: () => void;
  /** Back to the saved version. */
  revert: () => void;
  dismiss: () => void;
}

export interface TranscriptDraftOptions {
  onSaved?: (transcript: Transcript) => void;
}

/**
 * Editable text and title of a saved transcript, its dirty state and saving. Shared by the
 * main page and the transcript page so both save the same way. Render with `key={id}`.
 */
export function useTranscriptDraft(
  initial: Transcript,
  options: TranscriptDraftOptions = {},
): TranscriptDraftApi {
  const [saved, setSaved] = useState(initial);
  const [text, setTextState] = useState(initial.text);
  const [title, setTitleState] = useState(initial.title);
  const [kept, setKept] = useState<KeptEdits | null>(null);
  const [reloading, setReloading] = useState(false);
  const [reloadError, setReloadError] = useState<string | null>(null);
  const latest = useRef({ text, title });

  useEffect(() => {
    latest.current = { text, title };
  });

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
  const setTitle = useCallback(
    (value: string) => {
      setTitleState(value);
      if (status.kind === "error") dismiss();
    },
    [status.kind, dismiss],
  );

  const save = useCallback(async () => {
    const draft = { text: latest.current.text, title: latest.current.title.trim() };
    const result = await saver.save({ text: draft.text, ...(draft.title ? { title: draft.title } : {}) });
    if (!result) return null;
    setSaved(result);
    // Adopt what the server stored, unless the user kept typing while the request was out.
    if (latest.current.text === draft.text) setTextState(result.text);
    if (latest.current.title.trim() === draft.title) setTitleState(result.title);
    return result;
  }, [saver]);

  const reload = useCallback(async () => {
    setReloading(true);
    setReloadError(null);
    try {
      const fresh = await saver.fetchLatest();
      const mine = latest.current;
      if (mine.text !== fresh.text || mine.title !== fresh.title) setKept({ ...mine });
      setSaved(fresh);
      setTextState(fresh.text);
      setTitleState(fresh.title);
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
    setKept(null);
  }, [kept]);

  const revert = useCallback(() => {
    setTextState(saved.text);
    setTitleState(saved.title);
    dismiss();
  }, [saved, dismiss]);

  const dirty = text !== saved.text || title !== saved.title;

  return {
    saved,
    text,
    title,
    setText,
    setTitle,
    dirty,
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
