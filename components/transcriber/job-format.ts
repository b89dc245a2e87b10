import type { JobRow } from "./use-jobs";

/** What a job row's bar shows: one whole percentage drives both the label and the fill. */
export interface StageView {
  label: string;
  /** Whole percent 0–100, the same number the label shows when it shows one. */
  percent: number;
  /** No measurable progress in this stage (waiting in the queue, decoding, saving). */
  indeterminate: boolean;
  tone: "accent" | "success" | "danger";
  /** Failed and cancelled rows show their status instead of a bar. */
  bar: boolean;
}

/** Floors so the label never claims 100 % before the stage has ended. */
export const wholePercent = (fraction: number) => Math.min(100, Math.max(0, Math.floor(fraction * 100)));

/** 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd" */
export function formatOrdinal(value: number): string {
  const teens = value % 100 >= 11 && value % 100 <= 13;
  const suffix = teens ? "th" : (["th", "st", "nd", "rd"][value % 10] ?? "th");
  return `${value}${suffix}`;
}

export function describeStage(row: JobRow): StageView {
  const percent = wholePercent(row.progress);
  const measured = { percent, indeterminate: false, tone: "accent", bar: true } as const;
  const waiting = { percent: 0, indeterminate: true, tone: "accent", bar: true } as const;
  switch (row.status) {
    case "waiting":
      return { ...measured, percent: 0, label: "Waiting to upload" };
    case "uploading":
      return { ...measured, label: `Uploading ${percent} %` };
    case "queued":
      return {
        ...waiting,
        label: row.position ? `Queued · ${formatOrdinal(row.position)} in line` : "Queued",
      };
    case "running":
      if (row.stage === "transcribing") return { ...measured, label: `Transcribing ${percent} %` };
      if (row.stage === "saving") return { ...waiting, label: "Saving" };
      if (row.stage === "decoding") return { ...waiting, label: "Decoding audio" };
      return { ...waiting, label: "Starting" };
    case "succeeded":
      return { percent: 100, indeterminate: false, tone: "success", bar: true, label: "Done" };
    case "failed":
      return {
        percent: 0,
        indeterminate: false,
        tone: "danger",
        bar: false,
        label: `Failed: ${row.error ?? "unknown error"}`,
      };
    case "cancelled":
      return { percent: 0, indeterminate: false, tone: "danger", bar: false, label: "Cancelled" };
  }
}

/** Seconds as "0:07", "1:05", "1:02:05" (elapsed time on a row). */
export function formatSeconds(totalSeconds: number): string {
  const total = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** 4 -> "a few seconds left", 42 -> "about 45 s left", 75 -> "about 1 min left" */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 10) return "a few seconds left";
  if (seconds < 55) return `about ${Math.ceil(seconds / 5) * 5} s left`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 90) return `about ${minutes} min left`;
  return `about ${Math.round(minutes / 60)} h left`;
}

/**
 * Seconds left from the pace so far, for stages that report progress: the server's estimate
 * when it gives one, otherwise elapsed × remaining / done once enough is done to trust the pace.
 */
export function estimateSecondsLeft(row: JobRow, now: number): number | undefined {
  const measurable = row.status === "uploading" || (row.status === "running" && row.stage === "transcribing");
  if (!measurable) return undefined;
  if (row.status === "running" && row.etaSec !== undefined) return row.etaSec;
  if (row.phaseStartedAt === undefined || row.progress < 0.05 || row.progress >= 1) return undefined;
  const spentSec = (now - row.phaseStartedAt) / 1000;
  if (spentSec < 1) return undefined;
  return (spentSec * (1 - row.progress)) / row.progress;
}

/** "0:12" while the job is under way, "took 0:14" once it ended, from when the user added it. */
export function describeElapsed(row: JobRow, now: number): string {
  const end = row.finishedAt ?? now;
  const seconds = (end - row.since) / 1000;
  if (row.status === "succeeded") return `took ${formatSeconds(seconds)}`;
  if (row.status === "failed" || row.status === "cancelled") return "";
  return formatSeconds(seconds);
}
