import { formatClock } from "@/components/shared/format";

/** The elapsed time of a recording or live session, with a pulsing dot while it runs. */
export function ElapsedTimer({
  running,
  elapsedMs,
  label,
  testId,
}: {
  running: boolean;
  elapsedMs: number;
  label: string;
  testId?: string;
}) {
  return (
    <div className="flex items-center gap-2">
      {running ? (
        <span className="relative flex size-2.5" aria-hidden="true">
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-rose-500 opacity-70" />
          <span className="relative inline-flex size-2.5 rounded-full bg-rose-500" />
        </span>
      ) : null}
      <span
        role="timer"
        aria-label={label}
        data-testid={testId}
        className="font-mono text-lg font-medium tabular-nums text-zinc-900 dark:text-zinc-100"
      >
        {formatClock(elapsedMs)}
      </span>
    </div>
  );
}
