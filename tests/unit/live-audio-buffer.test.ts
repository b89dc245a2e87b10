// The browser's live audio buffer: sending, keeping the last seconds sent, and resuming at the
// offset the server holds after a dropped connection.
import { LiveAudioBuffer } from "@/lib/client/live-audio-buffer";

/** A frame whose samples are their own offsets (mod 2^15), so any slice can be checked. */
const frame = (offset: number, length: number) => Int16Array.from({ length }, (_, i) => (offset + i) % 32768);

function fill(buffer: LiveAudioBuffer, frames: number, length = 1600) {
  for (let i = 0; i < frames; i += 1) buffer.push(frame(buffer.captured, length));
}

const joined = (chunks: Int16Array[]) => chunks.flatMap((chunk) => Array.from(chunk));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => (from + i) % 32768);

describe("LiveAudioBuffer", () => {
  it("sends each captured sample once, in order", () => {
    const buffer = new LiveAudioBuffer({ keepSentSamples: 16_000 });
    fill(buffer, 3);
    expect(buffer.unsentSamples).toBe(4800);
    expect(joined(buffer.takeUnsent())).toEqual(range(0, 4800));
    expect(buffer.takeUnsent()).toEqual([]);
    fill(buffer, 1, 700);
    expect(joined(buffer.takeUnsent())).toEqual(range(4800, 5500));
    expect(buffer.captured).toBe(5500);
    expect(buffer.sentUntil).toBe(5500);
  });

  it("splits what it sends to the largest frame allowed", () => {
    const buffer = new LiveAudioBuffer({ keepSentSamples: 0 });
    buffer.push(frame(0, 5000));
    const chunks = buffer.takeUnsent(2048);
    expect(chunks.map((chunk) => chunk.length)).toEqual([2048, 2048, 904]);
    expect(joined(chunks)).toEqual(range(0, 5000));
  });

  it("keeps about the last ten seconds of sent audio and lets go of older audio", () => {
    const buffer = new LiveAudioBuffer({ keepSentSamples: 160_000 });
    fill(buffer, 300); // 30 s
    buffer.takeUnsent();
    expect(buffer.oldestOffset).toBe(480_000 - 160_000);
    fill(buffer, 5);
    // Unsent audio is never dropped, however much of it there is.
    expect(buffer.oldestOffset).toBe(320_000);
    expect(buffer.unsentSamples).toBe(8000);
  });

  it("on resume, drops what the server holds and sends everything after it again", () => {
    const buffer = new LiveAudioBuffer({ keepSentSamples: 160_000 });
    fill(buffer, 200); // 20 s sent
    buffer.takeUnsent();
    fill(buffer, 30); // 3 s captured while the connection was down
    expect(buffer.oldestOffset).toBe(160_000);

    // The server got audio up to 19.5 s (mid-frame); the rest was lost in flight.
    expect(buffer.rewindTo(312_345)).toEqual({ silenceSamples: 0 });
    expect(buffer.sentUntil).toBe(312_345);
    expect(buffer.oldestOffset).toBe(312_345);
    expect(joined(buffer.takeUnsent())).toEqual(range(312_345, 368_000));
  });

  it("sends nothing twice when the server already holds everything", () => {
    const buffer = new LiveAudioBuffer({ keepSentSamples: 160_000 });
    fill(buffer, 10);
    buffer.takeUnsent();
    fill(buffer, 2);
    buffer.rewindTo(16_000);
    expect(joined(buffer.takeUnsent())).toEqual(range(16_000, 19_200));
    // A server claiming more than was captured is taken as holding all of it.
    buffer.rewindTo(1_000_000);
    expect(buffer.takeUnsent()).toEqual([]);
  });

  it("a new session (ready at offset 0) gets everything captured while it was connecting", () => {
    const buffer = new LiveAudioBuffer({ keepSentSamples: 160_000 });
    fill(buffer, 4);
    expect(buffer.rewindTo(0)).toEqual({ silenceSamples: 0 });
    expect(joined(buffer.takeUnsent())).toEqual(range(0, 6400));
  });

  it("fills audio the server lost beyond what is kept with silence, so later words keep their time", () => {
    const buffer = new LiveAudioBuffer({ keepSentSamples: 16_000 });
    fill(buffer, 100); // 10 s, only the last second kept
    buffer.takeUnsent();
    expect(buffer.oldestOffset).toBe(144_000);
    expect(buffer.rewindTo(100_000)).toEqual({ silenceSamples: 44_000 });
    const sent = joined(buffer.takeUnsent());
    expect(sent).toHaveLength(60_000);
    expect(sent.slice(0, 44_000).every((sample) => sample === 0)).toBe(true);
    expect(sent.slice(44_000)).toEqual(range(144_000, 160_000));
  });

  it("ignores empty frames", () => {
    const buffer = new LiveAudioBuffer({ keepSentSamples: 0 });
    buffer.push(new Int16Array(0));
    expect(buffer.captured).toBe(0);
    expect(buffer.takeUnsent()).toEqual([]);
    expect(buffer.oldestOffset).toBe(0);
  });
});
