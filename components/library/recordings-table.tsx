"use client";

import Link from "next/link";
import { recordingDownloadUrl } from "@/lib/client/recordings";
import type { RecordingMetadata } from "@/lib/contract";
import { formatBytes, formatDate, formatDuration, formatTime } from "@/components/shared/format";
import { languageName } from "@/components/shared/languages";
import { Button, buttonStyles } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ArrowRightIcon, DownloadIcon, PauseIcon, PlayIcon, TrashIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import type { SharedAudio } from "./use-shared-audio";

export interface RecordingsTableProps {
  recordings: RecordingMetadata[];
  player: SharedAudio;
  onDelete: (recording: RecordingMetadata) => void;
}

const durationOf = (seconds: number | null) => (seconds === null ? "—" : formatDuration(seconds));

const headCell =
  "px-3 py-2.5 text-left text-[11px] font-medium uppercase tracking-wider text-zinc-600 dark:text-zinc-400";

/** The recordings, newest first, with inline play, transcript link, download and delete. */
export function RecordingsTable({ recordings, player, onDelete }: RecordingsTableProps) {
  return (
    <div className="overflow-x-auto">
      <table data-testid="recordings-table" className="w-full table-fixed border-collapse text-sm">
        <caption className="sr-only">Recordings, newest first</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50/70 dark:border-zinc-800 dark:bg-zinc-950/30">
          <tr>
            <th scope="col" className={cn(headCell, "w-16 pl-5")}>
              <span className="sr-only">Play</span>
            </th>
            <th scope="col" className={headCell}>
              Name
            </th>
            <th scope="col" className={cn(headCell, "hidden w-36 sm:table-cell")}>
              Date
            </th>
            <th scope="col" className={cn(headCell, "hidden w-24 text-right sm:table-cell")}>
              Duration
            </th>
            <th scope="col" className={cn(headCell, "hidden w-24 text-right md:table-cell")}>
              Size
            </th>
            <th scope="col" className={cn(headCell, "hidden w-56 xl:table-cell")}>
              Language
            </th>
            <th scope="col" className={cn(headCell, "w-[9.5rem] pr-5 text-right sm:w-[16rem]")}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/80">
          {recordings.map((recording) => (
            <RecordingRow
              key={recording.id}
              recording={recording}
              player={player}
              onDelete={() => onDelete(recording)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecordingRow({
  recording,
  player,
  onDelete,
}: {
  recording: RecordingMetadata;
  player: SharedAudio;
  onDelete: () => void;
}) {
  const current = player.currentId === recording.id;
  const playing = current && player.playing;
  const failed = player.failedId === recording.id;
  const total = Number.isFinite(player.duration) ? player.duration : (recording.durationSec ?? 0);
  const fraction = current && total > 0 ? Math.min(1, player.position / total) : 0;
  const language = recording.language ? languageName(recording.language) : "";

  return (
    <tr
      data-testid="recording-row"
      data-recording-id={recording.id}
      className={cn(
        "transition-colors",
        current
          ? "bg-indigo-50/60 dark:bg-indigo-500/[0.07]"
          : "hover:bg-zinc-50/80 dark:hover:bg-zinc-800/30",
      )}
    >
      <td className="py-3 pl-5 pr-3 align-middle">
        <button
          type="button"
          data-testid="play-recording"
          onClick={() => player.toggle(recording.id)}
          aria-label={`${playing ? "Pause" : "Play"} “${recording.name}”`}
          title={playing ? "Pause" : "Play"}
          className={buttonStyles({
            variant: playing ? "primary" : "secondary",
            size: "icon",
            className: "rounded-full [&_svg]:size-3.5",
          })}
        >
          {playing ? <PauseIcon /> : <PlayIcon className="translate-x-px" />}
        </button>
      </td>
      <td className="py-3 pr-3 align-middle">
        <div className="flex min-w-0 items-center gap-2">
          <p className="truncate font-medium text-zinc-900 dark:text-zinc-100" title={recording.name}>
            {recording.name}
          </p>
          {recording.source === "live" ? <LiveBadge /> : null}
        </div>
        {failed ? (
          <p role="alert" className="mt-0.5 text-xs text-rose-700 dark:text-rose-300">
            This recording could not be played.
          </p>
        ) : current ? (
          <div className="mt-1.5 flex items-center gap-2">
            <div className="h-1 w-full max-w-[14rem] overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700">
              <div
                className="h-full rounded-full bg-indigo-600 dark:bg-indigo-400"
                style={{ width: `${fraction * 100}%` }}
              />
            </div>
            <span className="whitespace-nowrap text-[11px] tabular-nums text-zinc-600 dark:text-zinc-400">
              {formatDuration(player.position)}
              {total > 0 ? ` / ${formatDuration(total)}` : ""}
            </span>
          </div>
        ) : (
          <p className="mt-0.5 truncate text-xs text-zinc-600 dark:text-zinc-400 md:hidden">
            <span className="sm:hidden">
              {formatDate(recording.createdAt)} · {durationOf(recording.durationSec)} ·{" "}
            </span>
            {formatBytes(recording.sizeBytes)}
          </p>
        )}
      </td>
      <td className="hidden whitespace-nowrap py-3 pr-3 align-middle sm:table-cell">
        <time dateTime={recording.createdAt} className="block text-zinc-800 dark:text-zinc-200">
          {formatDate(recording.createdAt)}
        </time>
        <span className="block text-xs text-zinc-600 dark:text-zinc-400">
          {formatTime(recording.createdAt)}
        </span>
      </td>
      <td className="hidden whitespace-nowrap py-3 pr-3 text-right align-middle tabular-nums text-zinc-800 dark:text-zinc-200 sm:table-cell">
        {durationOf(recording.durationSec)}
      </td>
      <td className="hidden whitespace-nowrap py-3 pr-3 text-right align-middle tabular-nums text-zinc-700 dark:text-zinc-300 md:table-cell">
        {formatBytes(recording.sizeBytes)}
      </td>
      <td
        className="hidden truncate py-3 pr-3 align-middle text-zinc-700 dark:text-zinc-300 xl:table-cell"
        title={language || undefined}
      >
        {language || "—"}
      </td>
      <td className="whitespace-nowrap py-3 pl-3 pr-5 text-right align-middle [&>*]:align-middle">
        {recording.transcriptionError ? (
          <span
            className="mr-3 inline-flex items-center rounded-md bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 dark:bg-red-950/60 dark:text-red-300"
            title={failureReason(recording.transcriptionError)}
          >
            Transcription failed
            <span className="sr-only">: {failureReason(recording.transcriptionError)}</span>
          </span>
        ) : recording.transcriptionId ? (
          <Link
            href={`/transcripts/${encodeURIComponent(recording.transcriptionId)}`}
            title="Open transcript"
            className={buttonStyles({ variant: "secondary", size: "sm", className: "mr-2" })}
          >
            <span className="sr-only sm:not-sr-only">Open transcript</span>
            <span className="sr-only"> of “{recording.name}”</span>
            <ArrowRightIcon aria-hidden="true" />
          </Link>
        ) : (
          <span className="mr-3 hidden text-xs text-zinc-600 dark:text-zinc-400 sm:inline">
            No transcript
          </span>
        )}
        <a
          href={recordingDownloadUrl(recording.id)}
          download
          aria-label={`Download “${recording.name}”`}
          title="Download audio"
          className={buttonStyles({ variant: "ghost", size: "icon", className: "mr-1" })}
        >
          <DownloadIcon />
        </a>
        <Button
          variant="danger-ghost"
          size="icon"
          data-testid="delete-recording"
          onClick={onDelete}
          aria-label={`Delete “${recording.name}”`}
          title="Delete recording and transcript"
        >
          <TrashIcon />
        </Button>
      </td>
    </tr>
  );
}

/** Marks a recording made by live transcription. */
function LiveBadge() {
  return (
    <span
      data-testid="live-badge"
      title="Transcribed live while it was recorded"
      className="inline-flex shrink-0 items-center gap-1 rounded-full bg-rose-50 px-1.5 py-0.5 text-[11px] font-medium leading-none text-rose-700 ring-1 ring-inset ring-rose-200 dark:bg-rose-500/10 dark:text-rose-200 dark:ring-rose-500/30"
    >
      <span className="size-1.5 rounded-full bg-rose-500" aria-hidden="true" />
      Live
      <span className="sr-only"> transcription</span>
    </span>
  );
}

/** Placeholder rows while the first page loads. */
export function RecordingsTableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div
      role="status"
      aria-label="Loading recordings"
      className="divide-y divide-zinc-100 dark:divide-zinc-800/80"
    >
      <div className="flex items-center gap-4 bg-zinc-50/70 px-5 py-3 dark:bg-zinc-950/30">
        <Skeleton className="h-3 w-16" />
        <Skeleton className="ml-10 h-3 w-12" />
      </div>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="flex items-center gap-4 px-5 py-3.5">
          <Skeleton className="size-8 shrink-0 rounded-full" />
          <div className="min-w-0 flex-1 space-y-2">
            <Skeleton className={cn("h-3.5", index % 2 ? "w-2/5" : "w-1/3")} />
            <Skeleton className="h-3 w-24 md:hidden" />
          </div>
          <Skeleton className="hidden h-3.5 w-24 sm:block" />
          <Skeleton className="h-3.5 w-10" />
          <Skeleton className="hidden h-3.5 w-14 md:block" />
          <Skeleton className="h-8 w-32 rounded-md" />
        </div>
      ))}
      <span className="sr-only">Loading recordings…</span>
    </div>
  );
}

/** A short reason for a failed transcription, from its error code. */
function failureReason(code: string): string {
  switch (code) {
    case "undecodable_audio":
      return "The audio could not be decoded.";
    case "audio_too_long":
      return "The audio is longer than the configured limit.";
    default:
      return "The transcription could not be completed.";
  }
}
