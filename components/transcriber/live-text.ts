import type { LiveServerMessage, Segment } from "@/lib/contract";

/** The open utterance as last heard: `stable` will not change any more, `guess` may. */
export interface LivePartial {
  start: number;
  stable: string;
  guess: string;
}

/** The text of a live session: confirmed segments and the utterance still being spoken. */
export interface LiveText {
  segments: Segment[];
  partial: LivePartial | null;
}

export const emptyLiveText: LiveText = { segments: [], partial: null };

/** Splits a partial's text into its agreed start and the rest (all guess when they disagree). */
export function splitPartial(
  text: string,
  stable: string | undefined,
): Pick<LivePartial, "stable" | "guess"> {
  if (stable && text.startsWith(stable)) return { stable, guess: text.slice(stable.length) };
  return { stable: "", guess: text };
}

/**
 * The text after one server frame: a partial replaces the previous one; a final joins the
 * segments and ends the partial it confirms (a partial that starts after it stays).
 */
export function applyLiveFrame(text: LiveText, message: LiveServerMessage): LiveText {
  switch (message.type) {
    case "partial": {
      if (!message.text.trim()) return text.partial ? { ...text, partial: null } : text;
      return { ...text, partial: { start: message.start, ...splitPartial(message.text, message.stable) } };
    }
    case "final": {
      const segment = message.segment;
      const last = text.segments.at(-1);
      // A resumed session may repeat the final that was in flight when the connection dropped.
      const repeated =
        last !== undefined &&
        last.start === segment.start &&
        last.end === segment.end &&
        last.text === segment.text;
      const partial = text.partial && text.partial.start < segment.end ? null : text.partial;
      if (repeated) return partial === text.partial ? text : { ...text, partial };
      return { segments: segment.text.trim() ? [...text.segments, segment] : text.segments, partial };
    }
    default:
      return text;
  }
}

/** Words already read out to screen readers for the utterance that starts at `start`. */
export interface Announced {
  start: number | null;
  words: string[];
}

export const nothingAnnounced: Announced = { start: null, words: [] };

const comparable = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, "");

/**
 * What to read out for the utterance starting at `start` now that `confirmed` is its settled
 * text: the words not read out yet, from the first one that differs from what was. Each word is
 * said once however often the partial is repeated, and guesses are never said.
 */
export function nextAnnouncement(
  announced: Announced,
  start: number,
  confirmed: string,
): { say: string; announced: Announced } {
  const words = confirmed.split(/\s+/).filter(Boolean);
  const previous = announced.start === start ? announced.words : [];
  let same = 0;
  while (
    same < previous.length &&
    same < words.length &&
    comparable(previous[same]!) === comparable(words[same]!)
  ) {
    same += 1;
  }
  const say = words.slice(same).join(" ");
  return { say, announced: { start, words: same === words.length ? previous : words } };
}
