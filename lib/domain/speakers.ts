/**
 * Speakers of a transcript. A speaker's name is the `speaker` value of its segments: there is no
 * separate id-to-name table, so renaming rewrites those values and nothing can fall out of step
 * (exports, search and the API all read the segments). Renaming to a name another speaker already
 * has merges the two; moving one segment is the same rewrite on a single segment.
 */
import type { Segment, TranscriptSettings } from "@/lib/domain/transcript";

/** The speaker setting in words: "off", "on", or "on (3 speakers)" when the count was given. */
export function describeSpeakerSetting(settings: TranscriptSettings): string {
  if (!settings.diarize) return "off";
  if (settings.speakers === undefined) return "on";
  return `on (${settings.speakers} speaker${settings.speakers === 1 ? "" : "s"})`;
}

/** Longest speaker name the API accepts. */
export const MAX_SPEAKER_NAME = 100;

/**
 * The name an engine gives the `position`-th speaker it tells apart (1-based, in order of first
 * appearance): `Speaker 1`, `Speaker 2`, … People rename them in the editor.
 */
export function speakerLabel(position: number): string {
  return `Speaker ${position}`;
}

/** A speaker name as stored: whitespace runs collapsed to one space, trimmed. */
export function cleanSpeakerName(name: string): string {
  return name.replace(/\s+/g, " ").trim();
}

/** The distinct speakers of the segments, in order of first appearance. */
export function speakersOf(segments: readonly Pick<Segment, "speaker">[]): string[] {
  const seen = new Set<string>();
  for (const segment of segments) {
    if (segment.speaker) seen.add(segment.speaker);
  }
  return [...seen];
}

/** True when at least one segment has a speaker. */
export function hasSpeakers(segments: readonly Pick<Segment, "speaker">[]): boolean {
  return segments.some((segment) => Boolean(segment.speaker?.trim()));
}

/**
 * Every segment of speaker `from` becomes speaker `to` (a new name renames, an existing one
 * merges). Segments that do not change are returned as they were (same object); an empty `to`
 * changes nothing.
 */
export function renameSpeaker<T extends Segment>(segments: readonly T[], from: string, to: string): T[] {
  const name = cleanSpeakerName(to);
  if (!name || name === from) return [...segments];
  return segments.map((segment) => (segment.speaker === from ? { ...segment, speaker: name } : segment));
}

/** Segment `index` becomes speaker `to`; the others are returned as they were. */
export function setSegmentSpeaker<T extends Segment>(segments: readonly T[], index: number, to: string): T[] {
  const name = cleanSpeakerName(to);
  if (!name) return [...segments];
  return segments.map((segment, i) =>
    i === index && segment.speaker !== name ? { ...segment, speaker: name } : segment,
  );
}

/** One stretch of consecutive segments with the same speaker (or none). */
export interface SpeakerTurn {
  speaker?: string;
  text: string;
}

/**
 * The segments as turns: consecutive segments of one speaker joined with spaces, whitespace
 * normalised, segments without words left out.
 */
export function speakerTurns(segments: readonly Segment[]): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  for (const segment of segments) {
    const text = segment.text.replace(/\s+/g, " ").trim();
    if (!text) continue;
    const speaker = segment.speaker ? cleanSpeakerName(segment.speaker) || undefined : undefined;
    const last = turns[turns.length - 1];
    if (last && last.speaker === speaker) last.text = `${last.text} ${text}`;
    else turns.push({ speaker, text });
  }
  return turns;
}
