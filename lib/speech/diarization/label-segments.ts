import { speakerLabel } from "@/lib/domain/speakers";
import type { Segment } from "@/lib/domain/transcript";
import type { SpeakerTurn } from "./diarize";

/** The name a found speaker gets: `Speaker 1`, `Speaker 2`… in order of first appearance. */
function nameSpeaker(index: number): string {
  return speakerLabel(index + 1);
}

/** Speaker runs shorter than this inside one segment are taken as the neighbour's (seconds). */
const MIN_RUN_SEC = 0.6;

interface Run {
  speaker: number;
  start: number;
  end: number;
}

/**
 * Gives every transcript segment the speaker of the turns it overlaps. A segment that spans a
 * change of speaker is split at the sentence boundary nearest the change; the engine has no word
 * times, so a sentence's time is estimated from its place in the text. A segment without
 * sentence boundaries goes whole to the speaker who talks most of it; one outside every turn goes
 * to the nearest turn's speaker.
 */
export function labelSegments(segments: readonly Segment[], turns: readonly SpeakerTurn[]): Segment[] {
  if (turns.length === 0) return segments.map((segment) => ({ ...segment, speaker: nameSpeaker(0) }));
  return segments.flatMap((segment) => {
    const runs = runsWithin(turns, segment);
    if (runs.length === 0) return [{ ...segment, speaker: nameSpeaker(nearestTurn(turns, segment).speaker) }];
    if (runs.length === 1) return [{ ...segment, speaker: nameSpeaker(runs[0]!.speaker) }];
    return splitAtSentences(segment, runs);
  });
}

function runsWithin(turns: readonly SpeakerTurn[], segment: Segment): Run[] {
  const runs: Run[] = [];
  for (const turn of turns) {
    const start = Math.max(turn.start, segment.start);
    const end = Math.min(turn.end, segment.end);
    if (end <= start) continue;
    const last = runs.at(-1);
    if (last && last.speaker === turn.speaker) last.end = end;
    else runs.push({ speaker: turn.speaker, start, end });
  }
  for (;;) {
    const shortest = runs.reduce<number>(
      (best, run, i) =>
        run.end - run.start < MIN_RUN_SEC &&
        (best < 0 || run.end - run.start < runs[best]!.end - runs[best]!.start)
          ? i
          : best,
      -1,
    );
    if (shortest < 0 || runs.length === 1) return runs;
    const before = runs[shortest - 1];
    const after = runs[shortest + 1];
    const into =
      !after || (before && before.end - before.start >= after.end - after.start)
        ? shortest - 1
        : shortest + 1;
    const target = runs[into]!;
    target.start = Math.min(target.start, runs[shortest]!.start);
    target.end = Math.max(target.end, runs[shortest]!.end);
    runs.splice(shortest, 1);
    for (let i = runs.length - 1; i > 0; i--) {
      if (runs[i]!.speaker === runs[i - 1]!.speaker) {
        runs[i - 1]!.end = runs[i]!.end;
        runs.splice(i, 1);
      }
    }
  }
}

function nearestTurn(turns: readonly SpeakerTurn[], segment: Segment): SpeakerTurn {
  const gap = (turn: SpeakerTurn) => Math.max(turn.start - segment.end, segment.start - turn.end, 0);
  return turns.reduce((best, turn) => (gap(turn) < gap(best) ? turn : best));
}

function splitAtSentences(segment: Segment, runs: Run[]): Segment[] {
  const sentences =
    segment.text.match(/[^.!?…]+(?:[.!?…]+["')\]]*|$)\s*/g)?.filter((part) => part.trim()) ?? [];
  const longest = runs.reduce((best, run) => (run.end - run.start > best.end - best.start ? run : best));
  if (sentences.length < 2) return [{ ...segment, speaker: nameSpeaker(longest.speaker) }];
  const total = sentences.reduce((sum, sentence) => sum + sentence.length, 0);
  const duration = segment.end - segment.start;
  const timeAt = (chars: number) => segment.start + (duration * chars) / total;
  const speakerAt = (time: number) =>
    (
      runs.find((run) => time >= run.start && time < run.end) ??
      runs.reduce((best, run) =>
        Math.min(Math.abs(run.start - time), Math.abs(run.end - time)) <
        Math.min(Math.abs(best.start - time), Math.abs(best.end - time))
          ? run
          : best,
      )
    ).speaker;

  const parts: Array<{ speaker: number; from: number; to: number; text: string }> = [];
  let offset = 0;
  for (const sentence of sentences) {
    const speaker = speakerAt(timeAt(offset + sentence.length / 2));
    const last = parts.at(-1);
    if (last && last.speaker === speaker) {
      last.to = offset + sentence.length;
      last.text += sentence;
    } else parts.push({ speaker, from: offset, to: offset + sentence.length, text: sentence });
    offset += sentence.length;
  }
  return parts.map((part, i) => ({
    ...segment,
    start: i === 0 ? segment.start : round(timeAt(part.from)),
    end: i === parts.length - 1 ? segment.end : round(timeAt(part.to)),
    text: part.text.trim(),
    speaker: nameSpeaker(part.speaker),
  }));
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
