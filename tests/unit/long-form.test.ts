import { transcribeLongForm, type DecodeRequest, type WindowDecoding } from "@/lib/speech/local/long-form";
import type { TokenSegment } from "@/lib/speech/local/tokenizer";
import type { WindowPlanOptions } from "@/lib/speech/local/windows";
import { findRepetition, isLoop, normalizedWords } from "@/lib/speech/local/text-quality";

const sampleRate = 16_000;
const frameSamples = 512;
const plan: WindowPlanOptions = { sampleRate, frameSamples, maxWindowSec: 28 };

/** A spoken word with its time in seconds. */
interface Word {
  text: string;
  start: number;
  end: number;
}

/**
 * Synthetic audio: `sentences` of words at 2.5 words per second, separated by `pause` seconds of
 * silence. Returns the words and the VAD's per-frame probabilities (0.9 in speech, 0.02 else).
 */
function makeAudio(sentences: number[], pause = 1, lead = 0.5) {
  const words: Word[] = [];
  let time = lead;
  let n = 0;
  for (const count of sentences) {
    for (let i = 0; i < count; i++) {
      words.push({ text: `w${n++}`, start: time, end: time + 0.4 });
      time += 0.4;
    }
    time += pause;
  }
  const totalSec = time + 0.5;
  const totalSamples = Math.round(totalSec * sampleRate);
  const probabilities = new Float32Array(Math.ceil(totalSamples / frameSamples)).fill(0.02);
  for (const word of words) {
    probabilities.fill(
      0.9,
      Math.floor((word.start * sampleRate) / frameSamples),
      Math.ceil((word.end * sampleRate) / frameSamples),
    );
  }
  return { words, probabilities, totalSamples };
}

/** What an honest decoder hears in a window: whole words inside it, a segment per phrase of ≤ 5 words. */
function hear(words: readonly Word[], request: DecodeRequest): TokenSegment[] {
  const from = request.window.start / sampleRate;
  const to = request.window.end / sampleRate;
  const inside = words.filter((word) => word.start >= from - 0.05 && word.end <= to + 0.05);
  const groups: Word[][] = [];
  for (const word of inside) {
    const group = groups.at(-1);
    if (group && group.length < 5 && word.start - group.at(-1)!.end < 0.5) group.push(word);
    else groups.push([word]);
  }
  const segments: TokenSegment[] = [];
  for (const group of groups) {
    segments.push({
      start: Math.max(0, group[0]!.start - from),
      end: Math.min(to - from, group.at(-1)!.end - from),
      text: group.map((word) => word.text).join(" "),
      closed: true,
    });
  }
  return segments;
}

const clean = (segments: TokenSegment[]): WindowDecoding => ({ segments, avgLogProb: -0.3, finished: true });

function run(
  audio: ReturnType<typeof makeAudio>,
  decoder: (request: DecodeRequest, call: number) => WindowDecoding,
  extra: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
) {
  const requests: DecodeRequest[] = [];
  return transcribeLongForm({
    probabilities: audio.probabilities,
    totalSamples: audio.totalSamples,
    plan,
    decode: async (request) => {
      requests.push(request);
      return decoder(request, requests.length);
    },
    ...extra,
  }).then((result) => ({ ...result, requests }));
}

/** Every word of the audio appears in the transcript once, in order. */
function expectAllWords(text: string, words: readonly Word[]) {
  expect(normalizedWords(text)).toEqual(words.map((word) => word.text));
}

function expectWellFormed(segments: { start: number; end: number; text: string }[], totalSec: number) {
  for (const [i, segment] of segments.entries()) {
    expect(segment.text.trim()).not.toBe("");
    expect(segment.start).toBeGreaterThanOrEqual(0);
    expect(segment.end).toBeGreaterThanOrEqual(segment.start);
    expect(segment.end).toBeLessThanOrEqual(totalSec + 0.01);
    if (i > 0) expect(segment.start).toBeGreaterThanOrEqual(segments[i - 1]!.start);
  }
}

const textOf = (result: { segments: { text: string }[] }) => result.segments.map((s) => s.text).join(" ");

describe("transcribeLongForm", () => {
  it("transcribes a long file with an honest decoder in one pass, no retries", async () => {
    const audio = makeAudio([12, 20, 7, 30, 15, 9, 25, 11]);
    const result = await run(audio, (request) => clean(hear(audio.words, request)));
    expectAllWords(textOf(result), audio.words);
    expectWellFormed(result.segments, audio.totalSamples / sampleRate);
    expect(result.uncovered).toEqual([]);
    expect(result.stats.retried).toBe(0);
    expect(result.stats.gapsFilled).toBe(0);
    expect(result.stats.decodes).toBe(result.stats.windows);
  });

  it("decodes the rest of a window again when the decoder stops early, instead of skipping it", async () => {
    const audio = makeAudio([40, 30]);
    // Always stops after its first segment, as Whisper sometimes does.
    const result = await run(audio, (request) => clean(hear(audio.words, request).slice(0, 1)));
    expectAllWords(textOf(result), audio.words);
    expect(result.uncovered).toEqual([]);
  });

  it("drops an unfinished last phrase and decodes it again from its start", async () => {
    const audio = makeAudio([30, 25]);
    const result = await run(audio, (request) => {
      const segments = hear(audio.words, request);
      const last = segments.at(-1);
      // The last phrase comes back truncated and without a closing timestamp.
      if (segments.length > 1 && last)
        segments[segments.length - 1] = {
          ...last,
          text: last.text.split(" ")[0]!,
          end: request.window.end / sampleRate,
          closed: false,
        };
      return clean(segments);
    });
    expectAllWords(textOf(result), audio.words);
  });

  it("does not let a garbled open-ended segment swallow the rest of the window (the 26 s gaps)", async () => {
    const audio = makeAudio([60]);
    const result = await run(audio, (request, call) => {
      const segments = hear(audio.words, request);
      if (call === 1) {
        // Two words, no closing timestamp: claims the whole 28 s window.
        const windowSec = (request.window.end - request.window.start) / sampleRate;
        return clean([
          {
            start: 0,
            end: windowSec,
            text: segments[0]!.text.split(" ").slice(0, 2).join(" "),
            closed: false,
          },
        ]);
      }
      return clean(segments);
    });
    expectAllWords(textOf(result), audio.words);
    expect(result.stats.retried).toBe(1);
    expect(Math.max(...result.segments.map((s) => s.end - s.start))).toBeLessThan(5);
  });

  it("retries a looping window with beam search and keeps the clean result", async () => {
    const audio = makeAudio([20]);
    const result = await run(audio, (request) => {
      if (!request.beams) {
        return {
          segments: [{ start: 0, end: 8, text: Array(80).fill("fellow").join(" "), closed: false }],
          avgLogProb: -0.2,
          finished: false,
        };
      }
      return clean(hear(audio.words, request));
    });
    expectAllWords(textOf(result), audio.words);
    expect(result.requests.some((request) => (request.beams ?? 1) > 1)).toBe(true);
    expect(result.stats.loopsCut).toBe(0);
  });

  it("cuts a loop that every fallback repeats, and keeps the words around it", async () => {
    const audio = makeAudio([10]);
    const result = await run(audio, () =>
      clean([
        {
          start: 0.5,
          end: 4.5,
          text: "And so my fellow fellow fellow fellow fellow fellow fellow fellow Americans",
          closed: true,
        },
      ]),
    );
    expect(result.stats.loopsCut).toBeGreaterThan(0);
    const text = textOf(result);
    expect(isLoop(findRepetition(normalizedWords(text)))).toBe(false);
    expect(text).toBe("And so my fellow Americans");
  });

  it("cuts a whole sentence said again and again", async () => {
    const audio = makeAudio([12]);
    const sentence = "ask not what your country can do for you";
    const result = await run(audio, () =>
      clean([{ start: 0.5, end: 5.3, text: Array(5).fill(sentence).join(" "), closed: true }]),
    );
    expect(normalizedWords(textOf(result))).toEqual(normalizedWords(sentence));
  });

  it("cuts an echo: a cut-off second take written out in full", async () => {
    const audio = makeAudio([8, 3], 0.3);
    const sentence = "concord returned to its place amidst the tents";
    // 8 words in 1 s: more than anyone says, and the same words again.
    const echo = (start: number): TokenSegment => ({ start, end: start + 1, text: sentence, closed: false });
    const result = await run(audio, (request) =>
      request.window.start / sampleRate < 3
        ? clean([
            { start: 0.5 - request.window.start / sampleRate, end: 3.7, text: sentence, closed: true },
            echo(3.8),
          ])
        : clean([echo(0.1)]),
    );
    const words = normalizedWords(textOf(result));
    expect(words.slice(0, 8)).toEqual(normalizedWords(sentence));
    expect(words.length).toBeLessThanOrEqual(8 + 4);
    expect(words.length).toBeGreaterThan(8);
  });

  it("recovers speech the main pass missed with a second pass over it", async () => {
    const audio = makeAudio([10, 3, 10], 1.5);
    const missing = audio.words.slice(10, 13).map((word) => word.text);
    let firstPass = true;
    const result = await run(audio, (request) => {
      const segments = hear(audio.words, request);
      const windowSec = (request.window.end - request.window.start) / sampleRate;
      // The main pass hears everything but the middle sentence, and says so with its timestamps.
      if (firstPass && windowSec > 10) {
        firstPass = false;
        return clean(segments.filter((segment) => !missing.some((word) => segment.text.includes(word))));
      }
      return clean(segments);
    });
    expectAllWords(textOf(result), audio.words);
    expect(result.stats.gapsFilled).toBe(1);
    expect(result.uncovered).toEqual([]);
  });

  it("reports speech that yields no words at all, with where and why", async () => {
    const audio = makeAudio([10, 6, 10], 1.5);
    const noise = audio.words.slice(10, 16);
    const result = await run(audio, (request) =>
      clean(
        hear(audio.words, request).filter(
          (segment) => !noise.some((word) => segment.text.split(" ").includes(word.text)),
        ),
      ),
    );
    expect(result.uncovered).toHaveLength(1);
    expect(result.uncovered[0]!.reason).toBe("no_words");
    expect(result.uncovered[0]!.start).toBeLessThanOrEqual(noise[0]!.start + 0.1);
    expect(result.uncovered[0]!.end).toBeGreaterThanOrEqual(noise.at(-1)!.end - 0.1);
  });

  it("does not write words twice when a timestamp lands early and the next window hears them again", async () => {
    const audio = makeAudio([80]);
    const result = await run(audio, (request) => {
      const segments = hear(audio.words, request);
      if (segments.length < 2) return clean(segments);
      // The last phrase's closing timestamp comes 1.6 s early, so the next window starts inside it.
      const last = segments.at(-1)!;
      segments[segments.length - 1] = { ...last, end: Math.max(last.start, last.end - 1.6) };
      return clean(segments);
    });
    expectAllWords(textOf(result), audio.words);
  });

  it("finishes on a decoder that never hears anything, and explains every stretch", async () => {
    const audio = makeAudio([20, 20]);
    const result = await run(audio, () => clean([]));
    expect(result.segments).toEqual([]);
    const explained = result.uncovered.reduce((total, gap) => total + gap.end - gap.start, 0);
    expect(explained).toBeGreaterThan(14);
    expect(result.stats.decodes).toBeLessThan(40);
  });

  it("finishes when every window stalls at its start", async () => {
    const audio = makeAudio([30, 30]);
    const result = await run(audio, () => clean([{ start: 0, end: 0.1, text: "uh", closed: true }]));
    expect(result.stats.decodes).toBeLessThan(100);
    expect(result.segments.length).toBeGreaterThan(0);
  });

  it("reports progress up to 1 and stops when aborted", async () => {
    const audio = makeAudio([30, 30, 30]);
    const progress: number[] = [];
    await run(audio, (request) => clean(hear(audio.words, request)), {
      onProgress: (fraction) => progress.push(fraction),
    });
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const controller = new AbortController();
    const aborted = run(
      audio,
      (request, call) => {
        if (call === 2) controller.abort(new Error("cancelled"));
        return clean(hear(audio.words, request));
      },
      { signal: controller.signal },
    );
    await expect(aborted).rejects.toThrow("cancelled");
  });
});
