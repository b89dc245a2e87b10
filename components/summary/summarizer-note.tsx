import type { SummarizerHealth } from "@/lib/contract";
import { cn } from "@/components/ui/cn";
import { CloudIcon, ShieldCheckIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";

export interface SummarizerNoteProps {
  /** Undefined while the server has not said yet; null when it did not report one. */
  summarizer: SummarizerHealth | null | undefined;
  className?: string;
}

/** Which summariser is used, and whether the transcript leaves this machine for it. */
export function SummarizerNote({ summarizer, className }: SummarizerNoteProps) {
  if (summarizer === undefined) {
    return (
      <div className={cn("flex items-center gap-2", className)}>
        <Skeleton className="size-4 rounded-full" />
        <Skeleton className="h-3 w-40" />
        <span className="sr-only">Checking which summariser is configured…</span>
      </div>
    );
  }
  if (summarizer === null) return null;
  return (
    <p
      data-testid="summarizer-note"
      data-local={summarizer.local}
      className={cn(
        "flex items-start gap-2 text-xs leading-snug text-zinc-600 dark:text-zinc-400",
        className,
      )}
    >
      {summarizer.local ? (
        <ShieldCheckIcon className="mt-px size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
      ) : (
        <CloudIcon className="mt-px size-4 shrink-0 text-sky-600 dark:text-sky-400" />
      )}
      {summarizer.local ? (
        <span>
          <span className="font-medium text-zinc-800 dark:text-zinc-200">{summarizer.name}</span> — nothing
          leaves this machine
        </span>
      ) : (
        <span>
          Summarised by{" "}
          <span className="font-medium text-zinc-800 dark:text-zinc-200">{summarizer.name}</span>
          {" — "}the transcript text is sent to this service
        </span>
      )}
    </p>
  );
}
