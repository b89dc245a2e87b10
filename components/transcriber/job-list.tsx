"use client";

import { useEffect, useRef, useState } from "react";
import { formatBytes } from "@/components/shared/format";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import {
  AlertIcon,
  CheckCircleIcon,
  FileAudioIcon,
  MicIcon,
  RefreshIcon,
  XIcon,
} from "@/components/ui/icons";
import { ProgressBar } from "@/components/ui/progress-bar";
import { describeElapsed, describeStage, estimateSecondsLeft, formatTimeLeft } from "./job-format";
import type { JobRow } from "./use-jobs";

const isUnderway = (row: JobRow) =>
  row.status === "waiting" ||
  row.status === "uploading" ||
  row.status === "queued" ||
  row.status === "running";

/** The current time, ticking every second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export interface JobListProps {
  rows: JobRow[];
  /** The row whose text the transcript area shows. */
  watchedKey: string | null;
  onWatch: (key: string) => void;
  onCancel: (key: string) => void;
  onRetry: (key: string) => void;
}

/** The user's jobs, newest first: stage, progress, time, and what can be done with each. */
export function JobList({ rows, watchedKey, onWatch, onCancel, onRetry }: JobListProps) {
  const underway = rows.filter(isUnderway).length;
  const now = useNow(underway > 0);
  if (rows.length === 0) return null;
  return (
    <Card aria-labelledby="jobs-heading" data-testid="job-list">
      <CardHeader
        title={<span id="jobs-heading">Files</span>}
        icon={<FileAudioIcon />}
        description={underway > 0 ? `${underway} in progress` : "All finished"}
      />
      <ul className="mt-3 divide-y divide-zinc-100 border-t border-zinc-100 dark:divide-zinc-800 dark:border-zinc-800">
        {rows.map((row) => (
          <JobListItem
            key={row.key}
            row={row}
            now={now}
            watched={row.key === watchedKey}
            onWatch={onWatch}
            onCancel={onCancel}
            onRetry={onRetry}
          />
        ))}
      </ul>
    </Card>
  );
}

interface JobListItemProps {
  row: JobRow;
  now: number;
  watched: boolean;
  onWatch: (key: string) => void;
  onCancel: (key: string) => void;
  onRetry: (key: string) => void;
}

function JobListItem({ row, now, watched, onWatch, onCancel, onRetry }: JobListItemProps) {
  const itemRef = useRef<HTMLLIElement>(null);
  const stage = describeStage(row);
  const problem = row.actionError ?? (row.status === "failed" ? stage.label : undefined);
  const announce = row.alert && problem !== undefined;

  useEffect(() => {
    if (announce || row.reveal) itemRef.current?.scrollIntoView({ block: "nearest" });
  }, [announce, row.reveal, problem]);

  const secondsLeft = estimateSecondsLeft(row, now);
  const facts = [
    row.sizeBytes !== undefined ? formatBytes(row.sizeBytes) : "",
    describeElapsed(row, now),
    secondsLeft !== undefined ? formatTimeLeft(secondsLeft) : "",
  ].filter(Boolean);
  const SourceIcon = row.source === "recording" ? MicIcon : FileAudioIcon;
  const canWatch =
    !watched &&
    row.id !== undefined &&
    (row.status === "queued" || row.status === "running" || row.status === "succeeded");
  const hasActions = canWatch || isUnderway(row) || row.canRetry;

  return (
    <li
      ref={itemRef}
      data-testid="job-row"
      data-status={row.status}
      data-job-id={row.id}
      aria-current={watched ? "true" : undefined}
      className={cn(
        "flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center sm:gap-5",
        watched && "bg-indigo-50/60 dark:bg-indigo-500/[0.07]",
      )}
    >
      <div className="flex min-w-0 items-center gap-3 sm:w-[38%]">
        <span
          className={cn(
            "grid size-9 shrink-0 place-items-center rounded-lg [&_svg]:size-[18px]",
            row.status === "succeeded"
              ? "bg-emerald-50 text-emerald-700 dark:bg-emerald-500/10 dark:text-emerald-400"
              : row.status === "failed"
                ? "bg-rose-50 text-rose-700 dark:bg-rose-500/10 dark:text-rose-400"
                : "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
          )}
        >
          {row.status === "succeeded" ? (
            <CheckCircleIcon />
          ) : row.status === "failed" ? (
            <AlertIcon />
          ) : (
            <SourceIcon />
          )}
        </span>
        <div className="min-w-0">
          <p
            className="truncate text-sm font-medium text-zinc-900 dark:text-zinc-100"
            title={row.title}
            data-testid="job-title"
          >
            {row.title}
          </p>
          <p className="text-xs tabular-nums text-zinc-600 dark:text-zinc-400" data-testid="job-facts">
            {facts.join(" · ") || (row.source === "recording" ? "Microphone recording" : "\u00a0")}
          </p>
        </div>
      </div>

      <div className="min-w-0 flex-1">
        {stage.bar ? (
          <ProgressBar
            // Remount when the upload ends so the bar does not sweep back from full to 0 %.
            key={row.status === "uploading" || row.status === "waiting" ? "upload" : "server"}
            testId="job-progress"
            label={stage.label}
            value={stage.percent}
            indeterminate={stage.indeterminate}
            tone={stage.tone}
          />
        ) : row.status === "cancelled" ? (
          <p className="text-[13px] font-medium text-zinc-700 dark:text-zinc-300" data-testid="job-status">
            {stage.label}
          </p>
        ) : null}
        {problem !== undefined ? (
          <p
            role={announce ? "alert" : undefined}
            data-testid="job-error"
            className="break-words text-[13px] font-medium leading-relaxed text-rose-700 dark:text-rose-400"
          >
            {/* The file's own name goes with its error, for screen readers reading the alert alone. */}
            <span className="sr-only">{row.title}: </span>
            {problem}
          </p>
        ) : null}
      </div>

      {/* Rows with a bar keep the column, so the bars line up. */}
      {hasActions || stage.bar ? (
        <div
          className={cn(
            "shrink-0 items-center gap-2 sm:flex sm:w-44 sm:justify-end",
            hasActions ? "flex" : "hidden",
          )}
        >
          {canWatch ? (
            <Button
              size="sm"
              variant={row.status === "succeeded" ? "secondary" : "ghost"}
              onClick={() => onWatch(row.key)}
            >
              {row.status === "succeeded" ? "Open" : "Show"}
              <span className="sr-only"> {row.title}</span>
            </Button>
          ) : null}
          {isUnderway(row) ? (
            <Button size="sm" variant="ghost" onClick={() => onCancel(row.key)}>
              <XIcon />
              Cancel
              <span className="sr-only"> {row.title}</span>
            </Button>
          ) : null}
          {row.canRetry ? (
            <Button size="sm" variant="secondary" onClick={() => onRetry(row.key)}>
              <RefreshIcon />
              Retry
              <span className="sr-only"> {row.title}</span>
            </Button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
