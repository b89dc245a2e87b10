import type { Segment } from "@/lib/contract";
import { formatTimestamp } from "@/components/shared/format";
import { Card, CardHeader } from "@/components/ui/card";
import { SpinnerIcon, TextIcon } from "@/components/ui/icons";
import { describeStage } from "./job-format";
import type { JobRow } from "./use-jobs";

export interface LiveTranscriptProps {
  row: JobRow;
  segments: Segment[];
}

function noteFor(row: JobRow): string {
  switch (row.status) {
    case "waiting":
    case "uploading":
    case "queued":
      return "The text appears here, segment by segment, as soon as transcription starts.";
    case "running":
      return row.stage === "decoding"
        ? "Reading the audio…"
        : "More text arrives as the audio is transcribed.";
    case "succeeded":
      return "Opening the transcript…";
    case "failed":
      return "This file could not be transcribed; its row above says why.";
    case "cancelled":
      return "Cancelled. Retry from its row above to transcribe it again.";
  }
}

/** The watched job's text so far: read-only and lighter until the transcript is ready to edit. */
export function LiveTranscript({ row, segments }: LiveTranscriptProps) {
  const underway = row.status !== "failed" && row.status !== "cancelled" && row.status !== "succeeded";
  return (
    <Card aria-labelledby="transcript-heading" data-testid="live-transcript" aria-busy={underway}>
      <CardHeader
        title={<span id="transcript-heading">Transcript</span>}
        icon={<TextIcon />}
        description={
          <span className="flex min-w-0 items-center gap-1.5">
            {underway ? <SpinnerIcon className="size-3.5 shrink-0 animate-spin" /> : null}
            <span className="truncate">
              {row.title} · {describeStage(row).label}
            </span>
          </span>
        }
      />
      <div className="px-5 pb-6 pt-4">
        {segments.length > 0 ? (
          <ol className="space-y-2" data-testid="live-segments">
            {segments.map((segment, index) => (
              <li
                key={`${segment.start}-${index}`}
                className="fade-in flex gap-3 text-[15px] leading-relaxed"
              >
                <span className="mt-0.5 shrink-0 font-mono text-xs tabular-nums text-zinc-400 dark:text-zinc-500">
                  {formatTimestamp(segment.start)}
                </span>
                <span className="text-zinc-500 dark:text-zinc-400">
                  {segment.speaker ? <span className="font-medium">{segment.speaker}: </span> : null}
                  {segment.text}
                </span>
              </li>
            ))}
          </ol>
        ) : underway ? (
          <div className="animate-pulse space-y-3" aria-hidden="true">
            {["w-11/12", "w-full", "w-4/5", "w-2/3"].map((width) => (
              <div key={width} className={`h-3 rounded-full bg-zinc-200 dark:bg-zinc-800 ${width}`} />
            ))}
          </div>
        ) : null}
        <p className="mt-5 text-sm text-zinc-600 dark:text-zinc-400">{noteFor(row)}</p>
      </div>
    </Card>
  );
}
