"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { recordingAudioUrl } from "@/lib/client/recordings";
import type { Transcript } from "@/lib/contract";
import { AudioPlayer } from "@/components/shared/audio-player";
import { countWords } from "@/components/shared/format";
import { SegmentList } from "@/components/shared/segment-list";
import { UncoveredNote } from "@/components/shared/uncovered-note";
import { TranscriptMeta } from "@/components/shared/transcript-meta";
import { EmailAction } from "@/components/email/email-action";
import { useModifierKey } from "@/components/shared/use-modifier-key";
import { useSharedHealth } from "@/components/shared/use-shared-health";
import { useSpaceToPlay, useSyncedPlayback } from "@/components/shared/use-synced-playback";
import { SummaryPanel } from "@/components/summary/summary-panel";
import { useSummarize } from "@/components/summary/use-summarize";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn, focusRing } from "@/components/ui/cn";
import { ArrowLeftIcon, DownloadIcon, SaveIcon, TextIcon, TrashIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/kbd";
import { Toast, type ToastMessage } from "@/components/ui/toast";
import { DeleteTranscriptDialog } from "./delete-transcript-dialog";
import { ExportLinks } from "./export-links";
import { SaveFeedback } from "./save-feedback";
import { SaveStatusIndicator } from "./save-status";
import { useSaveShortcut } from "./use-save-shortcut";
import { useTranscriptDraft } from "./use-transcript-draft";
import { useUnsavedChangesWarning } from "./use-unsaved-changes-warning";

export interface TranscriptWorkspaceProps {
  /** Render with `key={transcript.id}`. */
  transcript: Transcript;
}

const backLink = cn(
  "inline-flex items-center gap-1.5 rounded-md text-[13px] font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white",
  focusRing,
  "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950",
);

/** A saved transcript: title, editable text and summary, synced player, export, e-mail and delete. */
export function TranscriptWorkspace({ transcript }: TranscriptWorkspaceProps) {
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [emailOpen, setEmailOpen] = useState(false);
  const services = useSharedHealth();
  const audioRef = useRef<HTMLAudioElement>(null);
  const modifier = useModifierKey();

  const draft = useTranscriptDraft(transcript, {
    onSaved: (saved) =>
      setToast({
        id: Date.now(),
        title: "Saved",
        description: `“${saved.title || "Transcript"}” is up to date.`,
      }),
  });
  const { saved, dirty } = draft;
  const playback = useSyncedPlayback(audioRef, draft.segments);
  const summarize = useSummarize(draft);
  const dialogOpen = deleteOpen || emailOpen;

  const save = () => {
    // The summary being made is saved with the transcript when it is done; wait for it.
    if (summarize.streaming) return;
    setToast(null);
    void draft.save();
  };

  useUnsavedChangesWarning(dirty && !deleted);
  useSaveShortcut(save, !dialogOpen);
  useSpaceToPlay(playback.toggle, !dialogOpen);

  const displayTitle = draft.title.trim() || saved.title || "Untitled transcript";
  useEffect(() => {
    document.title = `${displayTitle} · Transcribe`;
  }, [displayTitle]);

  const dismissToast = useCallback(() => setToast(null), []);
  const words = countWords(draft.text);
  const textChanged = draft.text !== saved.text;

  return (
    <>
      <main id="main" className="mx-auto max-w-[1480px] px-4 py-6 sm:px-6 lg:py-8">
        <Link href="/recordings" className={backLink}>
          <ArrowLeftIcon className="size-4" />
          Recordings
        </Link>

        <header className="mt-3 flex flex-col gap-4 xl:flex-row xl:items-start xl:justify-between">
          <div className="min-w-0 flex-1">
            <h1 className="sr-only">{displayTitle}</h1>
            <label htmlFor="transcript-title" className="sr-only">
              Title
            </label>
            <input
              id="transcript-title"
              data-testid="title-input"
              value={draft.title}
              onChange={(event) => draft.setTitle(event.target.value)}
              placeholder={saved.title || "Untitled transcript"}
              autoComplete="off"
              spellCheck
              maxLength={200}
              className={cn(
                "-mx-2 block w-[calc(100%+1rem)] rounded-lg border border-transparent bg-transparent px-2 py-1 text-2xl font-semibold tracking-tight text-zinc-900 placeholder:text-zinc-400 hover:border-zinc-300 focus:border-zinc-300 dark:text-white dark:placeholder:text-zinc-500 dark:hover:border-zinc-700 dark:focus:border-zinc-700",
                focusRing,
                "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950",
              )}
            />
            <div className="mt-2">
              <TranscriptMeta
                transcript={saved}
                showCreated
                engineName={
                  services?.engines.speech.id === saved.engine ? services.engines.speech.name : undefined
                }
              />
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-2 xl:pt-1.5">
            <SaveStatusIndicator status={draft.status} dirty={dirty} className="mr-1" />
            {dirty ? (
              <Button variant="ghost" onClick={draft.revert}>
                Revert
              </Button>
            ) : null}
            <Button variant="danger-ghost" onClick={() => setDeleteOpen(true)}>
              <TrashIcon />
              Delete
            </Button>
            <EmailAction
              draft={draft}
              outbox={services?.email?.outbox ?? false}
              onSave={draft.save}
              onSent={setToast}
              onOpenChange={setEmailOpen}
              blockedReason={summarize.streaming ? "Wait for the summary to finish." : undefined}
              className="focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950"
            />
            <Button
              variant="primary"
              data-testid="save-button"
              onClick={save}
              disabled={draft.status.kind === "saving" || summarize.streaming}
              aria-keyshortcuts="Control+S Meta+S"
              className="focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950"
            >
              <SaveIcon />
              {draft.status.kind === "saving" ? "Saving…" : "Save"}
              <span
                className="ml-1 hidden font-mono text-[11px] font-normal text-indigo-100 sm:inline"
                aria-hidden="true"
              >
                {modifier === "⌘" ? "⌘S" : "Ctrl+S"}
              </span>
            </Button>
          </div>
        </header>

        <div className="mt-4 flex flex-col gap-3 empty:hidden">
          <SaveFeedback draft={draft} />
        </div>

        {/* Small screens stack text, summary, audio, export; wide ones put summary and audio on the right. */}
        <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem] lg:grid-rows-[auto_1fr] xl:grid-cols-[minmax(0,1fr)_28rem]">
          <Card aria-labelledby="text-heading" className="min-w-0 lg:col-start-1 lg:row-start-1">
            <CardHeader
              icon={<TextIcon />}
              title={
                <label id="text-heading" htmlFor="transcript-text">
                  Transcript
                </label>
              }
              description={
                textChanged
                  ? "Edited. The segments beside the audio follow your words and keep their timing."
                  : "Edit the text here, or one segment at a time beside the audio; the timing stays."
              }
            />
            <div className="px-5 pt-4">
              <textarea
                id="transcript-text"
                data-testid="transcript-text"
                value={draft.text}
                onChange={(event) => draft.setText(event.target.value)}
                spellCheck
                rows={14}
                placeholder="This transcript is empty. Type or paste the text here."
                className={cn(
                  "block min-h-[20rem] w-full resize-y rounded-xl border border-zinc-300 bg-white px-4 py-3 text-[15px] leading-7 text-zinc-900 shadow-inner shadow-zinc-900/[0.02] placeholder:text-zinc-500 dark:border-zinc-700 dark:bg-zinc-950/50 dark:text-zinc-100 dark:placeholder:text-zinc-400",
                  focusRing,
                )}
              />
            </div>
            <div className="mt-4 flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800">
              <p className="text-[13px] tabular-nums text-zinc-600 dark:text-zinc-400">
                {words.toLocaleString()} {words === 1 ? "word" : "words"} ·{" "}
                {draft.text.length.toLocaleString()} {draft.text.length === 1 ? "character" : "characters"}
              </p>
              <p className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
                <Kbd>{modifier}</Kbd>
                <Kbd>S</Kbd>
                <span>to save</span>
              </p>
            </div>
          </Card>

          <div className="flex min-w-0 flex-col gap-6 lg:col-start-2 lg:row-span-2 lg:row-start-1">
            <SummaryPanel
              session={{ draft, summarize }}
              summarizer={services ? services.summary : undefined}
            />
            {/* Last in its column, so it can stay in view while the transcript scrolls. */}
            <Card aria-labelledby="audio-heading" className="lg:sticky lg:top-20">
              <CardHeader
                title={<span id="audio-heading">Audio</span>}
                description={
                  draft.segments.length > 0
                    ? `${draft.segments.length} ${draft.segments.length === 1 ? "segment" : "segments"}`
                    : undefined
                }
              />
              <div className="px-5 pt-4">
                <AudioPlayer
                  src={recordingAudioUrl(saved.recordingId)}
                  audioRef={audioRef}
                  label={displayTitle}
                />
              </div>
              <div className="flex flex-col gap-4 p-5 pt-4">
                <UncoveredNote uncovered={saved.uncovered} onPlay={playback.seekAndPlay} />
                <SegmentList
                  segments={draft.segments}
                  activeIndex={playback.activeIndex}
                  onSelect={(segment) => playback.seekAndPlay(segment.start)}
                  onEdit={draft.editSegment}
                  speakerActions={{ rename: draft.renameSpeaker, move: draft.moveSegmentToSpeaker }}
                  heightClassName="max-h-[28rem] lg:max-h-[calc(100dvh-19rem)]"
                />
              </div>
            </Card>
          </div>

          <Card
            aria-labelledby="export-heading"
            className="min-w-0 lg:col-start-1 lg:row-start-2 lg:self-start"
          >
            <CardHeader
              icon={<DownloadIcon />}
              title={<span id="export-heading">Export</span>}
              description={
                dirty
                  ? "Exports contain the last saved version. Save first to include your edits."
                  : "Download the transcript in the format you need."
              }
            />
            <div className="px-5 pb-5 pt-4">
              <ExportLinks id={saved.id} />
            </div>
          </Card>
        </div>
      </main>

      <DeleteTranscriptDialog
        open={deleteOpen}
        id={saved.id}
        title={displayTitle}
        onClose={() => setDeleteOpen(false)}
        onDeleted={() => {
          setDeleted(true);
          audioRef.current?.pause();
        }}
      />
      <Toast toast={toast} onDismiss={dismissToast} />
    </>
  );
}
