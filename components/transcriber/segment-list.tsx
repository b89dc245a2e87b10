import { cn } from "@/components/ui/cn";
import { formatTimestamp } from "./format";
import type { Segment } from "./types";

const SPEAKER_COLOURS = [
  "bg-indigo-50 text-indigo-700 ring-indigo-200 dark:bg-indigo-500/10 dark:text-indigo-300 dark:ring-indigo-500/30",
  "bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-500/30",
  "bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-500/30",
  "bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-500/30",
  "bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-500/30",
];

/** Read-only list of timed segments with optional speaker labels. */
export function SegmentList({ segments }: { segments: Segment[] }) {
  if (segments.length === 0) {
    return (
      <p className="grid min-h-[16rem] place-items-center rounded-xl border border-dashed border-zinc-300 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        This transcript has no timed segments.
      </p>
    );
  }
  const speakers = [...new Set(segments.map((s) => s.speaker).filter((s): s is string => Boolean(s)))];

  return (
    <ol className="max-h-[32rem] min-h-[16rem] divide-y divide-zinc-100 overflow-y-auto rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
      {segments.map((segment, index) => (
        <li key={`${segment.start}-${index}`} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:gap-4">
          <div className="flex shrink-0 items-center gap-2 sm:w-40 sm:flex-col sm:items-start sm:gap-1">
            <span className="whitespace-nowrap font-mono text-xs tabular-nums leading-6 text-zinc-600 dark:text-zinc-400">
              [{formatTimestamp(segment.start)} – {formatTimestamp(segment.end)}]
            </span>
            {segment.speaker ? (
              <span
                className={cn(
                  "inline-flex h-5 items-center whitespace-nowrap rounded-full px-2 text-[11px] font-medium ring-1 ring-inset",
                  SPEAKER_COLOURS[speakers.indexOf(segment.speaker) % SPEAKER_COLOURS.length],
                )}
              >
                {segment.speaker}
              </span>
            ) : null}
          </div>
          <p className="text-[15px] leading-6 text-zinc-800 dark:text-zinc-200">{segment.text}</p>
        </li>
      ))}
    </ol>
  );
}
