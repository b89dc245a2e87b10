import {
  findSpeech,
  planWindows,
  type AudioWindow,
  type WindowPlanOptions,
} from "@/lib/speech/local/windows";

const sampleRate = 16_000;
const frameSamples = 512;
const options: WindowPlanOptions = { sampleRate, frameSamples, maxWindowSec: 28 };
const maxSamples = 28 * sampleRate;
const pad = 0.2 * sampleRate;

/** Frames in `seconds` of audio (32 ms each). */
const frames = (seconds: number) => Math.round((seconds * sampleRate) / frameSamples);

/** Per-frame probabilities: silence (0.02) with speech (0.9) in the given [startFrame, endFrame) runs. */
function track(totalFrames: number, speech: Array<[number, number]>, level = 0.9): number[] {
  const probabilities = new Array<number>(totalFrames).fill(0.02);
  for (const [start, end] of speech) probabilities.fill(level, start, end);
  return probabilities;
}

function expectWellFormed(windows: AudioWindow[], totalSamples: number) {
  for (const [i, window] of windows.entries()) {
    expect(window.start).toBeGreaterThanOrEqual(0);
    expect(window.end).toBeLessThanOrEqual(totalSamples);
    expect(window.end).toBeGreaterThan(window.start);
    expect(window.end - window.start).toBeLessThanOrEqual(maxSamples);
    if (i > 0) expect(window.start).toBeGreaterThanOrEqual(windows[i - 1]!.end);
  }
}

/** Frames at or above the speech threshold that no window contains. */
function uncoveredSpeech(probabilities: number[], windows: AudioWindow[]): number[] {
  return probabilities.flatMap((p, frame) => {
    if (p < 0.5) return [];
    const from = frame * frameSamples;
    const to = from + frameSamples;
    return windows.some((w) => w.start <= from && to <= w.end) ? [] : [frame];
  });
}

describe("findSpeech", () => {
  it("finds nothing in silence", () => {
    expect(findSpeech(track(1000, []), options)).toEqual([]);
    expect(findSpeech([], options)).toEqual([]);
  });

  it("returns regions in samples, ending where the silence began", () => {
    expect(findSpeech(track(200, [[50, 80]]), options)).toEqual([{ start: 50 * 512, end: 80 * 512 }]);
  });

  it("keeps a region running to the end of the audio", () => {
    expect(findSpeech(track(100, [[60, 100]]), options)).toEqual([{ start: 60 * 512, end: 100 * 512 }]);
  });

  it("merges speech across gaps shorter than minSilence", () => {
    // 0.3 s minimum silence = 10 frames: a 9-frame gap is a pause, a 10-frame gap ends the region.
    expect(
      findSpeech(
        track(300, [
          [20, 60],
          [69, 120],
        ]),
        options,
      ),
    ).toEqual([{ start: 20 * 512, end: 120 * 512 }]);
    expect(
      findSpeech(
        track(300, [
          [20, 60],
          [70, 120],
        ]),
        options,
      ),
    ).toEqual([
      { start: 20 * 512, end: 60 * 512 },
      { start: 70 * 512, end: 120 * 512 },
    ]);
    expect(
      findSpeech(
        track(300, [
          [20, 60],
          [90, 120],
        ]),
        { ...options, minSilenceSec: 1 },
      ),
    ).toHaveLength(1);
  });

  it("drops clicks shorter than minSpeech", () => {
    // 0.25 s = 4000 samples: 7 frames (3584 samples) is a click, 8 frames (4096) is speech.
    expect(findSpeech(track(200, [[50, 57]]), options)).toEqual([]);
    expect(findSpeech(track(200, [[50, 58]]), options)).toEqual([{ start: 50 * 512, end: 58 * 512 }]);
    expect(findSpeech(track(200, [[50, 58]]), { ...options, minSpeechSec: 0.5 })).toEqual([]);
  });

  it("applies hysteresis: speech starts at threshold, ends below the negative threshold", () => {
    const probabilities = track(200, [[50, 60]]);
    probabilities.fill(0.4, 60, 120); // below 0.5, above 0.35: keeps going but never starts speech
    probabilities.fill(0.4, 150, 190);
    expect(findSpeech(probabilities, options)).toEqual([{ start: 50 * 512, end: 120 * 512 }]);
    expect(findSpeech(probabilities, { ...options, negativeThreshold: 0.45 })).toEqual([
      { start: 50 * 512, end: 60 * 512 },
    ]);
  });
});

describe("planWindows", () => {
  it("plans nothing for silence", () => {
    const probabilities = track(frames(60), []);
    expect(planWindows(probabilities, probabilities.length * frameSamples, options)).toEqual([]);
  });

  it("pads one short burst into one window", () => {
    const probabilities = track(500, [[100, 131]]);
    expect(planWindows(probabilities, 500 * frameSamples, options)).toEqual([
      { start: 100 * 512 - pad, end: 131 * 512 + pad },
    ]);
  });

  it("clamps the padding to the audio", () => {
    const probabilities = track(100, [
      [0, 20],
      [80, 100],
    ]);
    const total = 100 * frameSamples - 100; // last frame only partly audio
    expect(planWindows(probabilities, total, options)).toEqual([{ start: 0, end: total }]);
    expect(planWindows(probabilities, total, { ...options, maxWindowSec: 2 })).toEqual([
      { start: 0, end: 20 * 512 + pad },
      { start: 80 * 512 - pad, end: total },
    ]);
  });

  it("drops clicks", () => {
    const probabilities = track(frames(20), [
      [100, 103],
      [300, 302],
    ]);
    expect(planWindows(probabilities, probabilities.length * frameSamples, options)).toEqual([]);
  });

  it("packs many regions greedily into windows of at most maxWindowSec", () => {
    // 25 phrases of 2.5 s separated by 1 s pauses: 87.5 s of audio.
    const speech: Array<[number, number]> = [];
    for (let i = 0; i < 25; i++) speech.push([frames(0.5 + i * 3.5), frames(3 + i * 3.5)]);
    const probabilities = track(frames(88), speech);
    const total = probabilities.length * frameSamples;
    const windows = planWindows(probabilities, total, options);

    expectWellFormed(windows, total);
    expect(uncoveredSpeech(probabilities, windows)).toEqual([]);
    expect(windows.length).toBeGreaterThanOrEqual(4); // 87.5 s cannot fit in three 28 s windows
    expect(windows.length).toBeLessThanOrEqual(5);
    // Greedy: each window holds as many phrases as fit, so adding the next phrase would overflow it.
    const regions = findSpeech(probabilities, options);
    for (const window of windows.slice(0, -1)) {
      const next = regions.find((region) => region.start >= window.end);
      expect(next).toBeDefined();
      expect(next!.end + pad - window.start).toBeGreaterThan(maxSamples);
    }
    // Cuts fall in pauses, never inside a phrase.
    for (const window of windows) {
      for (const [start, end] of speech) {
        const inside = window.end > start * frameSamples && window.end < end * frameSamples;
        expect(inside).toBe(false);
      }
    }
  });

  it("skips long silences between regions", () => {
    const probabilities = track(frames(100), [
      [frames(2), frames(5)],
      [frames(70), frames(75)],
    ]);
    const total = probabilities.length * frameSamples;
    const windows = planWindows(probabilities, total, options);
    expect(windows).toEqual([
      { start: frames(2) * 512 - pad, end: frames(5) * 512 + pad },
      { start: frames(70) * 512 - pad, end: frames(75) * 512 + pad },
    ]);
    const silenceFrom = (frames(5) * 512 + pad) / sampleRate;
    const silenceTo = (frames(70) * 512 - pad) / sampleRate;
    expect(silenceTo - silenceFrom).toBeGreaterThan(60);
    for (const window of windows) {
      const inSilence =
        window.end / sampleRate > silenceFrom + 0.01 && window.start / sampleRate < silenceTo - 0.01;
      expect(inSilence).toBe(false);
    }
  });

  it("cuts one 70 s region at the quietest frame in the back half of each window", () => {
    const speechStart = 50; // frame 50 = 1.6 s
    const speechEnd = speechStart + frames(70);
    const probabilities = track(speechEnd + 60, [[speechStart, speechEnd]]);
    const total = probabilities.length * frameSamples;
    // First window starts at 1.4 s (padding); its back half is 15.4 s … 29.4 s.
    const frontDip = frames(6); // deeper, but in the front half: must be ignored
    const firstDip = frames(20); // 20 s
    probabilities[frontDip] = 0.36;
    probabilities[firstDip] = 0.4;
    probabilities[firstDip + 1] = 0.45;
    const secondDip = firstDip + 1 + frames(20); // 20 s into the second window
    probabilities[secondDip] = 0.38;

    const windows = planWindows(probabilities, total, options);
    expectWellFormed(windows, total);
    expect(windows.length).toBeGreaterThanOrEqual(3);
    expect(windows[0]!.start).toBe(speechStart * 512 - pad);
    expect(windows[0]!.end).toBe((firstDip + 1) * 512); // cut right after the quietest frame
    expect(windows[1]!.start).toBe(windows[0]!.end);
    expect(windows[1]!.end).toBe((secondDip + 1) * 512);
    expect(windows[2]!.start).toBe(windows[1]!.end);
    expect(windows.at(-1)!.end).toBe(speechEnd * 512 + pad);
    // Contiguous: no speech is lost between the pieces.
    expect(uncoveredSpeech(probabilities, windows)).toEqual([]);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.start).toBe(windows[i - 1]!.end);
  });

  it("splits evenly loud speech without exceeding the limit", () => {
    const probabilities = track(frames(70), [[0, frames(70)]]);
    const total = probabilities.length * frameSamples;
    for (const maxWindowSec of [28, 10, 5]) {
      const windows = planWindows(probabilities, total, { ...options, maxWindowSec });
      for (const window of windows) {
        expect(window.end - window.start).toBeLessThanOrEqual(maxWindowSec * sampleRate);
        expect(window.end - window.start).toBeGreaterThanOrEqual(
          Math.min(total - window.start, (maxWindowSec * sampleRate) / 2),
        );
      }
      expect(windows[0]!.start).toBe(0);
      expect(windows.at(-1)!.end).toBe(total);
      expect(windows.length).toBeGreaterThanOrEqual(Math.ceil(70 / maxWindowSec));
      expect(uncoveredSpeech(probabilities, windows)).toEqual([]);
    }
  });
});
