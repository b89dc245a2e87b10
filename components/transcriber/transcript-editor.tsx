"use client";

import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { recordingAudioUrl } from "@/lib/client/recordings";
import { SaveFeedback } from "@/components/editor/save-feedback";
import { SaveStatusIndicator } from "@/components/editor/save-status";
import { useSaveShortcut } from "@/components/editor/use-save-shortcut";
import type { TranscriptDraftApi } from "@/components/shared/transcript-draft";
import { useUnsavedChangesWarning } from "@/components/editor/use-unsaved-changes-warning";
import { AudioPlayer } from "@/components/shared/audio-player";
import { countWords, downloadBaseName } from "@/components/shared/format";
import { SegmentList } from "@/components/shared/segment-list";
import { UncoveredNote } from "@/components/shared/uncovered-note";
import { TranscriptMeta } from "@/components/shared/transcript-meta";
import { useModifierKey } from "@/components/shared/use-modifier-key";
import { useSpaceToPlay, useSyncedPlayback } from "@/components/shared/use-synced-playback";
import { Button, buttonStyles } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn, focusRing } from "@/components/ui/cn";
import { CheckIcon, CopyIcon, DownloadIcon, LibraryIcon, SaveIcon } from "@/components/ui/icons";
import { Tabs, tabPanelProps } from "@/components/ui/tabs";

type View = "text" | "segments";
const VIEWS = [
  { value: "text", label: "Text" },
  { value: "segments", label: "Segments" },
] as const;

export interface TranscriptEditorProps {
  /** The transcript being edited (its owner renders with `key={transcript.id}`). */
  draft: TranscriptDraftApi;
  processingMs?: number;
  engineName?: string;
  /** More actions beside Save (e.g. Email). */
  actions?: ReactNode;
  /** Saving waits, e.g. while a summary is being saved with the transcript. */
  saveBlocked?: boolean;
  /** Pauses the keyboard shortcuts, e.g. while a dialog is open. */
  shortcutsEnabled?: boolean;
  /**
   * A save failure other than a conflict (the page shows it in its error area), and null once
   * it no longer applies (edited or saved).
   */
  onSaveErrorChange?: (message: string | null) => void;
  onDirtyChange?: (dirty: boolean) => void;
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The async clipboard API needs a secure context; fall back to a temporary selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

function downloadText(text: string, title: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `${downloadBaseName(title)}.txt`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function TranscriptEditor({
  draft,
  processingMs,
  engineName,
  actions,
  saveBlocked = false,
  shortcutsEnabled = true,
  onSaveErrorChange,
  onDirtyChange,
}: TranscriptEditorProps) {
  const { text, saved, dirty } = draft;
  const [view, setView] = useState<View>("text");
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const audioRef = useRef<HTMLAudioElement>(null);
  const playback = useSyncedPlayback(audioRef, draft.segments);
  const modifier = useModifierKey();
  const words = countWords(text);
  const hasAudio = Boolean(saved.recordingId);

  useUnsavedChangesWarning(dirty);
  useSaveShortcut(() => {
    if (!saveBlocked) void draft.save();
  }, shortcutsEnabled);
  useSpaceToPlay(playback.toggle, hasAudio && shortcutsEnabled);

  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);

  const saveError = draft.status.kind === "error" ? draft.status.message : null;
  const reportedErrorRef = useRef<string | null>(null);
  useEffect(() => {
    if (saveError === reportedErrorRef.current) return;
    reportedErrorRef.current = saveError;
    onSaveErrorChange?.(saveError);
  }, [saveError, onSaveErrorChange]);
  useEffect(() => () => onDirtyChange?.(false), [onDirtyChange]);

  async function onCopy() {
    setCopy((await copyText(text)) ? "copied" : "failed");
    setTimeout(() => setCopy("idle"), 2000);
  }

  return (
    <Card aria-labelledby="transcript-heading">
      <CardHeader
        title={
          <span id="transcript-heading" className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <label htmlFor="transcript-text">Transcript</label>
            <SaveStatusIndicator status={draft.status} dirty={dirty} className="text-xs" />
          </span>
        }
        description={saved.title || undefined}
        actions={
          <>
            {saved.id ? (
              <Link
                href={`/transcripts/${encodeURIComponent(saved.id)}`}
                className={buttonStyles({ variant: "ghost", size: "sm" })}
                data-testid="open-in-library"
              >
                <LibraryIcon />
                Open in library
              </Link>
            ) : null}
            <Tabs
              options={VIEWS}
              value={view}
              onChange={setView}
              label="Transcript view"
              idPrefix="transcript"
            />
          </>
        }
      />
      <div className="px-5 pt-3">
        <TranscriptMeta transcript={saved} processingMs={processingMs} engineName={engineName} />
      </div>

      {hasAudio ? (
        <div className="px-5 pt-4">
          <AudioPlayer
            src={recordingAudioUrl(saved.recordingId)}
            audioRef={audioRef}
            label={saved.title || "Transcript"}
            shortcutHint={false}
          />
        </div>
      ) : null}

      <div className="flex flex-col gap-3 px-5 pt-4 empty:hidden">
        <SaveFeedback draft={draft} showErrors={false} />
      </div>

      <div className="px-5 pt-4">
        {view === "text" ? (
          <div {...tabPanelProps("transcript", "text")}>
            <textarea
              id="transcript-text"
              data-testid="transcript-text"
              value={text}
              onChange={(event) => draft.setText(event.target.value)}
              spellCheck
              rows={12}
              className={cn(
                "block min-h-[16rem] w-full resize-y rounded-xl border border-zinc-300 bg-white px-4 py-3 text-[15px] leading-7 text-zinc-900 shadow-inner shadow-zinc-900/[0.02] placeholder:text-zinc-500 dark:border-zinc-700 dark:placeholder:text-zinc-400 dark:bg-zinc-950/50 dark:text-zinc-100",
                focusRing,
              )}
              placeholder="The recognised text appears here. Edit it freely."
            />
          </div>
        ) : (
          <div {...tabPanelProps("transcript", "segments")}>
            {draft.segments.length > 0 ? (
              <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
                {hasAudio
                  ? "Select a segment to play it, or its pencil to correct it."
                  : "A segment's pencil corrects it."}
                {text !== saved.text ? " Your edits are shown here; save to keep them." : ""}
              </p>
            ) : null}
            <UncoveredNote uncovered={saved.uncovered} onPlay={hasAudio ? playback.seekAndPlay : undefined} />
            <SegmentList
              segments={draft.segments}
              activeIndex={playback.activeIndex}
              onSelect={hasAudio ? (segment) => playback.seekAndPlay(segment.start) : undefined}
              onEdit={draft.editSegment}
              speakerActions={{ rename: draft.renameSpeaker, move: draft.moveSegmentToSpeaker }}
            />
          </div>
        )}
      </div>

      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800">
        <p className="text-[13px] tabular-nums text-zinc-600 dark:text-zinc-400">
          {words.toLocaleString()} {words === 1 ? "word" : "words"} · {text.length.toLocaleString()}{" "}
          {text.length === 1 ? "character" : "characters"}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          {dirty ? (
            <Button variant="ghost" size="sm" onClick={draft.revert}>
              Revert edits
            </Button>
          ) : null}
          <Button variant="secondary" size="sm" onClick={() => void onCopy()} disabled={!text}>
            {copy === "copied" ? <CheckIcon /> : <CopyIcon />}
            {copy === "copied" ? "Copied" : copy === "failed" ? "Copy failed" : "Copy"}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => downloadText(text, saved.title)}
            disabled={!text}
          >
            <DownloadIcon />
            Download .txt
          </Button>
          {actions}
          <Button
            variant="primary"
            size="sm"
            data-testid="save-button"
            onClick={() => void draft.save()}
            disabled={draft.status.kind === "saving" || saveBlocked}
            aria-keyshortcuts="Control+S Meta+S"
            title={`Save (${modifier === "⌘" ? "⌘S" : "Ctrl+S"})`}
          >
            <SaveIcon />
            {draft.status.kind === "saving" ? "Saving…" : "Save"}
          </Button>
        </div>
      </div>
      <span className="sr-only" aria-live="polite">
        {copy === "copied" ? "Transcript copied to the clipboard" : copy === "failed" ? "Copy failed" : ""}
      </span>
    </Card>
  );
}
