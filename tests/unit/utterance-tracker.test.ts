// Cutting a live stream into utterances from voice activity: open at speech, close at a pause or at
// the longest length (at the quietest point), never lose a frame between utterances.
import { UtteranceTracker, type UtteranceEvent } from "@/lib/speech/live/utterance-tracker";

const frameSamples = 512;
const sampleRate = 16_000;
const framesPerSec = sampleRate / frameSamples;

/** Frames of a constant probability lasting `seconds`. */
const stretch = (seconds: number, probability: number) =>
  Array.from({ length: Math.round(seconds * framesPerSec) }, () => probability);

function run(probabilities: number[], options = {}): { events: UtteranceEvent[]; tracker: UtteranceTracker } {
  const tracker = new UtteranceTracker({ sampleRate, frameSamples, ...options });
  const events = probabilities.flatMap((probability) => tracker.push(probability));
  return { events, tracker };
}

const seconds = (samples: number) => Math.round((samples / sampleRate) * 100) / 100;

describe("the utterance tracker", () => {
  it("opens at speech, with a little audio before it, and closes at a pause", () => {
    const { events } = run([...stretch(1, 0.05), ...stretch(2, 0.9), ...stretch(1, 0.05)]);
    expect(events.map((event) => event.type)).toEqual(["open", "close"]);
    const [open, close] = events as [
      Extract<UtteranceEvent, { type: "open" }>,
      Extract<UtteranceEvent, { type: "close" }>,
    ];
    expect(seconds(open.start)).toBeCloseTo(0.8, 1);
    expect(close.reason).toBe("pause");
    expect(seconds(close.range.start)).toBe(seconds(open.start));
    expect(seconds(close.range.end)).toBeCloseTo(3.2, 1);
  });

  it("stays open through dips shorter than the pause, and hears nothing in silence", () => {
    const speech = [...stretch(1, 0.9), ...stretch(0.3, 0.1), ...stretch(1, 0.9)];
    expect(run(speech).events.map((event) => event.type)).toEqual(["open"]);
    expect(run(stretch(5, 0.2)).events).toEqual([]);
  });

  it("cuts a long utterance at its quietest point in the second half and goes on at once", () => {
    const probabilities = [...stretch(18, 0.9), ...stretch(0.1, 0.4), ...stretch(12, 0.9)];
    const { events, tracker } = run(probabilities, { maxSec: 24 });
    const closes = events.filter((event) => event.type === "close");
    expect(closes).toHaveLength(1);
    const cut = closes[0]!.range;
    expect(closes[0]!.reason).toBe("max-length");
    expect(seconds(cut.end)).toBeGreaterThan(18);
    expect(seconds(cut.end)).toBeLessThanOrEqual(18.2);
    // The next utterance starts where the cut is: no audio between them is lost.
    const reopened = events.at(-1)!;
    expect(reopened).toEqual({ type: "open", start: cut.end });
    expect(tracker.current).toEqual({ start: cut.end, end: tracker.position });
  });

  it("closes the open utterance when the stream ends", () => {
    const { tracker } = run([...stretch(1, 0.9)]);
    const [close] = tracker.finish();
    expect(close).toMatchObject({ type: "close", reason: "pause" });
    expect(tracker.current).toBeNull();
    expect(tracker.finish()).toEqual([]);
  });
});
