import { formatBytes, formatElapsed } from "@/components/shared/format";
import { cn } from "@/components/ui/cn";
import { CheckCircleIcon, FileAudioIcon, MicIcon, AlertIcon } from "@/components/ui/icons";
import { ProgressBar, type ProgressTone } from "@/components/ui/progress-bar";
import type { JobFile, JobState } from "./use-transcription-job";

export interface JobProgressProps {
  file: JobFile;
  state: Exclude<JobState, { phase: "idle" }>;
}

interface View {
  label: string;
  value: number;
  tone: ProgressTone;
  indeterminate: boolean;
  announcement: string;
  detail?: string;
}

const percent = (fraction: number) => Math.round(fraction * 100);

function viewOf(state: JobProgressProps["state"]): View {
  switch (state.phase) {
    case "uploading":
      return {
        label: `Uploading ${percent(state.progress)} %`,
        value: percent(state.progress),
        tone: "accent",
        indeterminate: false,
        announcement: "Uploading",
      };
    case "queued":
      return {
        label: "Queued…",
        value: 0,
        tone: "accent",
        indeterminate: true,
        announcement: "Queued",
        detail: "Waiting for the speech engine",
      };
    case "running":
      return {
        label: `Transcribing ${percent(state.progress)} %`,
        value: percent(state.progress),
        tone: "accent",
        indeterminate: false,
        announcement: "Transcribing",
      };
    case "succeeded":
      return {
        label: "Done",
        value: 100,
        tone: "success",
        indeterminate: false,
        announcement: "Transcript ready",
        detail: `Processed in ${formatElapsed(state.processingMs)}`,
      };
    case "failed":
      return {
        label: "Failed",
        value: 100,
        tone: "danger",
        indeterminate: false,
        announcement: "Transcription failed",
        detail: "See the message below",
      };
  }
}

/** The file being transcribed, with upload and transcription progress. */
export function JobProgress({ file, state }: JobProgressProps) {
  const view = viewOf(state);
  const SourceIcon = file.source === "recording" ? MicIcon : FileAudioIcon;
  return (
    <div className="flex flex-col gap-4 rounded-xl border border-zinc-200 bg-white px-4 py-4 dark:border-zinc-800 dark:bg-zinc-900 sm:flex-row sm:items-center sm:gap-5">
      <div className="flex min-w-0 items-center gap-3 sm:w-[42%]">
        <span
          className={cn(
            "grid size-10 shrink-0 place-items-center rounded-lg",
            state.phase === "succeeded"
              ? "bg-emerald-50 text-emerald-700 dark:bg-emerald-500/10 dark:text-emerald-400"
              : state.phase === "failed"
                ? "bg-rose-50 text-rose-700 dark:bg-rose-500/10 dark:text-rose-400"
                : "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
          )}
        >
          {state.phase === "succeeded" ? (
            <CheckCircleIcon className="size-5" />
          ) : state.phase === "failed" ? (
            <AlertIcon className="size-5" />
          ) : (
            <SourceIcon className="size-5" />
          )}
        </span>
        <div className="min-w-0">
          <p className="truncate text-sm font-medium text-zinc-900 dark:text-zinc-100" title={file.name}>
            {file.name}
          </p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {formatBytes(file.size)} ·{" "}
            {file.source === "recording" ? "Microphone recording" : "Uploaded file"}
          </p>
        </div>
      </div>
      <ProgressBar
        // Remount per phase so the bar does not animate backwards from a full upload to 0 %.
        key={state.phase === "uploading" ? "upload" : "process"}
        className="min-w-0 flex-1"
        testId="progress"
        label={view.label}
        value={view.value}
        tone={view.tone}
        indeterminate={view.indeterminate}
        detail={view.detail}
      />
      <p className="sr-only" aria-live="polite">
        {view.announcement}
      </p>
    </div>
  );
}
