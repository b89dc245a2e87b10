import type { Transcript } from "@/lib/contract";
import { describeSpeakerSetting } from "@/lib/domain/speakers";
import { formatDateTime, formatDuration, formatElapsed } from "./format";
import { languageName } from "./languages";

export interface TranscriptMetaProps {
  transcript: Transcript;
  /** Time from acceptance to result, when known. */
  processingMs?: number;
  /** Readable name for `transcript.engine`, when it is the engine currently configured. */
  engineName?: string;
  /** Adds the creation date and time first. */
  showCreated?: boolean;
}

export function TranscriptMeta({
  transcript,
  processingMs,
  engineName,
  showCreated = false,
}: TranscriptMetaProps) {
  const speakers = new Set(transcript.segments.map((s) => s.speaker).filter(Boolean)).size;
  const items: Array<[string, string]> = [];
  if (showCreated && transcript.createdAt) items.push(["Created", formatDateTime(transcript.createdAt)]);
  if (transcript.durationSec > 0) items.push(["Duration", formatDuration(transcript.durationSec)]);
  if (transcript.language) items.push(["Language", languageName(transcript.language)]);
  if (transcript.engine) items.push(["Engine", engineName ?? transcript.engine]);
  if (processingMs !== undefined && processingMs > 0) items.push(["Processing", formatElapsed(processingMs)]);
  if (transcript.settings.diarize) {
    items.push(["Speaker identification", describeSpeakerSetting(transcript.settings)]);
  }
  if (speakers > 0) items.push(["Speakers", String(speakers)]);
  if (items.length === 0) return null;

  return (
    <dl className="flex flex-wrap gap-x-5 gap-y-1.5 text-[13px]">
      {items.map(([term, value]) => (
        <div key={term} className="flex items-baseline gap-1.5">
          <dt className="text-zinc-600 dark:text-zinc-400">{term}</dt>
          <dd className="font-medium text-zinc-900 dark:text-zinc-100">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
