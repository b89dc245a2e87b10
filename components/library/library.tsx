"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "@/lib/client/request";
import { deleteRecording } from "@/lib/client/recordings";
import { ALL_TRANSCRIPTS_CSV_URL } from "@/lib/client/transcriptions";
import type { RecordingMetadata } from "@/lib/contract";
import { takeFlash } from "@/components/shared/flash";
import { Alert } from "@/components/ui/alert";
import { Button, buttonStyles } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { DownloadIcon, FileAudioIcon, MicIcon } from "@/components/ui/icons";
import { Toast, type ToastMessage } from "@/components/ui/toast";
import { cn, focusRing } from "@/components/ui/cn";
import { LoadMore } from "./load-more";
import { RecordingsTable, RecordingsTableSkeleton } from "./recordings-table";
import { SearchBox } from "./search-box";
import { SearchResults } from "./search-results";
import { useRecordings } from "./use-recordings";
import { useSharedAudio } from "./use-shared-audio";
import { useTranscriptSearch } from "./use-transcript-search";

const pageRing = "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950";

/** `/recordings`: every recording with its transcript, plus full-text transcript search. */
export function Library() {
  const searchParams = useSearchParams();
  const [query, setQuery] = useState(() => searchParams.get("q") ?? "");
  const search = useTranscriptSearch(query);
  const recordings = useRecordings();
  const audioRef = useRef<HTMLAudioElement>(null);
  const player = useSharedAudio(audioRef);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const [pendingDelete, setPendingDelete] = useState<RecordingMetadata | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const searching = search.query !== "";

  // A message from the page we came from (e.g. a transcript deleted in the editor).
  useEffect(() => {
    // Taken inside the timer so a development double-run of this effect cannot drop it.
    const timer = setTimeout(() => {
      const flash = takeFlash();
      if (flash) setToast({ id: Date.now(), ...flash });
    });
    return () => clearTimeout(timer);
  }, []);

  // Keep the search in the address so Back from a result returns to it.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (search.query) url.searchParams.set("q", search.query);
    else url.searchParams.delete("q");
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }, [search.query]);

  const dismissToast = useCallback(() => setToast(null), []);

  async function confirmDelete() {
    const target = pendingDelete;
    if (!target) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await deleteRecording(target.id);
    } catch (error) {
      setDeleteError(messageOf(error, "The recording could not be deleted. Try again."));
      setDeleting(false);
      return;
    }
    const index = recordings.items.findIndex((item) => item.id === target.id);
    const neighbour = recordings.items[index + 1] ?? recordings.items[index - 1];
    player.release(target.id);
    recordings.remove(target.id);
    setPendingDelete(null);
    setDeleting(false);
    setToast({
      id: Date.now(),
      title: "Recording deleted",
      description: `“${target.name}”${target.transcriptionId ? " and its transcript were" : " was"} removed.`,
    });
    // The focused row is gone; continue from its neighbour so keyboard users keep their place.
    requestAnimationFrame(() => {
      const next = neighbour
        ? document.querySelector<HTMLElement>(
            `[data-recording-id="${CSS.escape(neighbour.id)}"] [data-testid="delete-recording"]`,
          )
        : null;
      (next ?? headingRef.current)?.focus();
    });
  }

  return (
    <>
      <main id="main" className="mx-auto max-w-[1480px] px-4 py-6 sm:px-6 lg:py-8">
        <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
          <div>
            <h1
              ref={headingRef}
              tabIndex={-1}
              className="text-xl font-semibold tracking-tight text-zinc-900 outline-none dark:text-white"
            >
              Recordings
            </h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Everything you have transcribed, newest first. Play, open, download or delete.
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <a
              href={ALL_TRANSCRIPTS_CSV_URL}
              download
              data-testid="export-all-csv"
              className={buttonStyles({ variant: "secondary", className: pageRing })}
            >
              <DownloadIcon />
              Export all (CSV)
            </a>
            <Link href="/" className={buttonStyles({ variant: "primary", className: pageRing })}>
              <MicIcon />
              New transcript
            </Link>
          </div>
        </div>

        <div className="mt-6">
          <SearchBox value={query} onChange={setQuery} controls="library-results" />
        </div>

        <Card
          id="library-results"
          className="mt-4 overflow-hidden"
          aria-label={searching ? "Search results" : "Recordings"}
        >
          {searching ? (
            <SearchResults search={search} />
          ) : recordings.status === "loading" ? (
            <RecordingsTableSkeleton />
          ) : recordings.status === "error" ? (
            <div className="p-5">
              <Alert
                title="The recordings could not be loaded"
                actions={
                  <Button size="sm" variant="secondary" onClick={recordings.retry}>
                    Try again
                  </Button>
                }
              >
                {recordings.error}
              </Alert>
            </div>
          ) : recordings.items.length === 0 && !recordings.nextCursor ? (
            <EmptyState />
          ) : (
            <>
              <RecordingsTable
                recordings={recordings.items}
                player={player}
                onDelete={(recording) => {
                  setDeleteError(null);
                  setPendingDelete(recording);
                }}
              />
              <LoadMore
                hasMore={recordings.nextCursor !== null}
                loading={recordings.loadingMore}
                error={recordings.loadMoreError}
                onLoadMore={recordings.loadMore}
                noun="recordings"
              />
            </>
          )}
        </Card>

        {!searching && recordings.status === "ready" && recordings.items.length > 0 ? (
          <p className="mt-3 text-center text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
            {recordings.items.length} {recordings.items.length === 1 ? "recording" : "recordings"}
            {recordings.nextCursor ? " shown · more available" : ""}
          </p>
        ) : null}
      </main>

      {/* One element for every row, so starting a recording stops the previous one. */}
      <audio ref={audioRef} preload="none" hidden />

      <ConfirmDialog
        open={pendingDelete !== null}
        title="Delete recording"
        description={
          pendingDelete
            ? pendingDelete.transcriptionId
              ? `Delete “${pendingDelete.name}” and its transcript? This cannot be undone.`
              : `Delete “${pendingDelete.name}”? This cannot be undone.`
            : ""
        }
        confirmLabel="Delete"
        busyLabel="Deleting…"
        busy={deleting}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setPendingDelete(null)}
        confirmTestId="confirm-delete"
      />
      <Toast toast={toast} onDismiss={dismissToast} />
    </>
  );
}

function EmptyState() {
  return (
    <div className="flex flex-col items-center px-6 py-16 text-center">
      <span className="grid size-12 place-items-center rounded-2xl bg-indigo-50 text-indigo-600 ring-1 ring-indigo-100 dark:bg-indigo-500/10 dark:text-indigo-300 dark:ring-indigo-500/20">
        <FileAudioIcon className="size-6" />
      </span>
      <h2 className="mt-4 text-[15px] font-semibold text-zinc-900 dark:text-zinc-100">
        Your library is empty
      </h2>
      <p className="mt-1.5 max-w-md text-sm leading-relaxed text-zinc-600 dark:text-zinc-400">
        No recordings yet — transcribe a file or record one on the{" "}
        <Link
          href="/"
          className={cn(
            "rounded font-medium text-indigo-700 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-600 dark:text-indigo-300 dark:decoration-indigo-500/50",
            focusRing,
          )}
        >
          Transcribe page
        </Link>
        .
      </p>
      <Link href="/" className={buttonStyles({ variant: "primary", className: "mt-6" })}>
        <MicIcon />
        Transcribe something
      </Link>
    </div>
  );
}

/** Shown while the client-side library starts (it reads the search from the address). */
export function LibraryFallback() {
  return (
    <main id="main" className="mx-auto max-w-[1480px] px-4 py-6 sm:px-6 lg:py-8">
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-white">Recordings</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Everything you have transcribed, newest first. Play, open, download or delete.
      </p>
      <div className="mt-6 h-11 rounded-xl border border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900" />
      <Card className="mt-4 overflow-hidden">
        <RecordingsTableSkeleton />
      </Card>
    </main>
  );
}
