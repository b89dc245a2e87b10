"use client";

import { useId, type ReactNode } from "react";
import { cn } from "./cn";

export type ProgressTone = "accent" | "success" | "danger";

export interface ProgressBarProps {
  /** Percentage 0–100. Still reported as aria-valuenow while `indeterminate`. */
  value: number;
  /** Visible label, also used as aria-valuetext (e.g. "Uploading 42 %"). */
  label: string;
  indeterminate?: boolean;
  tone?: ProgressTone;
  /** Secondary text on the right of the label. */
  detail?: ReactNode;
  className?: string;
  testId?: string;
}

const fills: Record<ProgressTone, string> = {
  accent: "bg-indigo-600 dark:bg-indigo-500",
  success: "bg-emerald-600 dark:bg-emerald-500",
  danger: "bg-rose-600 dark:bg-rose-500",
};

export function ProgressBar({
  value,
  label,
  indeterminate = false,
  tone = "accent",
  detail,
  className,
  testId,
}: ProgressBarProps) {
  const labelId = useId();
  const clamped = Math.min(100, Math.max(0, Math.round(value)));
  return (
    <div className={className}>
      <div className="mb-2 flex items-baseline justify-between gap-3 text-[13px]">
        <span id={labelId} className="font-medium tabular-nums text-zinc-800 dark:text-zinc-200">
          {label}
        </span>
        {detail ? <span className="truncate text-zinc-600 dark:text-zinc-400">{detail}</span> : null}
      </div>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={clamped}
        aria-valuetext={label}
        aria-busy={indeterminate || undefined}
        data-testid={testId}
        className="relative h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        {indeterminate ? (
          <div className={cn("progress-indeterminate absolute inset-y-0 w-1/3 rounded-full", fills[tone])} />
        ) : (
          <div
            className={cn("h-full rounded-full transition-[width] duration-300 ease-out", fills[tone])}
            style={{ width: `${clamped}%` }}
          />
        )}
      </div>
    </div>
  );
}
