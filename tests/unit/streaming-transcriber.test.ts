// Live transcription of a scripted stream: the VAD hears speech where the samples are loud, and the
// decoder says the words of the script that fall in the audio it gets (a last word cut close often
// misheard in partials). Finals hold every word once, in order; agreed words never change; a slow decoder
// gets fewer partials but every final.
import {
  StreamingTranscriber,
  type LiveEvent,
  type StreamDecoder,
} from "@/lib/speech/live/streaming-transcriber";

const sampleRate = 16_000;
const frameSamples = 512;

/** Words spoken, one every 0.4 s, in two stretches of speech with a pause between. */
const script = [
  ...["and", "so", "my", "fellow", "americans", "ask", "not"].map((text, index) => ({
    text,
    at: 1 + index * 0.4,
  })),
  ...["what", "your", "country", "can", "do", "for", "you"].map((text, index) => ({
    text,
    at: 5 + index * 0.4,
  })),
];
const speaking = (sec: number) => (sec >= 1 && sec < 3.9) || (sec >= 5 && sec < 7.9);

function streamAudio(totalSec: number): Float32Array {
  const samples = new Float32Array(Math.round(totalSec * sampleRate));
  for (let i = 0; i < samples.length; i++) samples[i] = speaking(i / sampleRate) ? 0.8 : 0;
  return samples;
}

function scriptedDecoder(options: { delayMs?: number; calls?: { final: boolean }[] } = {}): StreamDecoder {
  let call = 0;
  return async (samples, { final, startSec }) => {
    options.calls?.push({ final });
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const endSec = startSec + samples.length / sampleRate;
    const heard = script.filter((word) => word.at >= startSec && word.at + 0.3 <= endSec);
    call++;
    return heard.map((word, index) => ({
      start: word.at - startSec,
      end: word.at - startSec + 0.35,
      // A word the audio ends right after is misheard now and then (its end is cut off); with
      // silence after it, partial and final decodes hear the same.
      text:
        !final && index === heard.length - 1 && call % 2 === 0 && endSec - (word.at + 0.35) < 0.2
          ? `${word.text}x`
          : word.text,
    }));
  };
}

/** A stateful VAD as Silero's stream: frames complete across chunks. */
function loudnessVad() {
  let pending = new Float32Array(0);
  return async (chunk: Float32Array) => {
    const joined = new Float32Array(pending.length + chunk.length);
    joined.set(pending);
    joined.set(chunk, pending.length);
    const probabilities: number[] = [];
    let at = 0;
    for (; at + frameSamples <= joined.length; at += frameSamples) {
      const loudness = joined
        .subarray(at, at + frameSamples)
        .reduce((sum, value) => sum + Math.abs(value), 0);
      probabilities.push(loudness / frameSamples > 0.4 ? 0.95 : 0.02);
    }
    pending = joined.slice(at);
    return probabilities;
  };
}

async function runStream(decode: StreamDecoder, chunkSec = 0.1) {
  const events: LiveEvent[] = [];
  const transcriber = new StreamingTranscriber({
    sampleRate,
    frameSamples,
    vad: loudnessVad(),
    decode,
    emit: (event) => events.push(event),
  });
  const audio = streamAudio(9.5);
  const chunk = Math.round(chunkSec * sampleRate);
  for (let at = 0; at < audio.length; at += chunk) {
    await transcriber.push(audio.subarray(at, at + chunk));
    // Let decodes in flight answer, as time passing would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const finals = await transcriber.finish();
  return { events, finals };
}

describe("the streaming transcriber", () => {
  it("sends every word once in finals, one per utterance, with times around the speech", async () => {
    const { events, finals } = await runStream(scriptedDecoder());
    expect(finals.map((segment) => segment.text)).toEqual([
      "and so my fellow americans ask not",
      "what your country can do for you",
    ]);
    expect(finals[0]!.start).toBeLessThanOrEqual(1);
    expect(finals[0]!.end).toBeGreaterThanOrEqual(3.9);
    expect(finals[1]!.start).toBeGreaterThanOrEqual(3.9);
    expect(events.filter((event) => event.type === "final")).toHaveLength(2);
  });

  it("sends partials while an utterance grows, whose agreed words never change", async () => {
    const { events } = await runStream(scriptedDecoder());
    const partials = events.filter(
      (event): event is Extract<LiveEvent, { type: "partial" }> => event.type === "partial",
    );
    expect(partials.length).toBeGreaterThanOrEqual(4);
    let stable = "";
    let utteranceStart = -1;
    for (const event of events) {
      if (event.type === "final") {
        // Everything agreed on is in the final.
        expect(event.segment.text.startsWith(stable)).toBe(true);
        stable = "";
        continue;
      }
      if (event.start !== utteranceStart) {
        utteranceStart = event.start;
        stable = "";
      }
      expect(event.text.startsWith(event.stable)).toBe(true);
      expect(event.stable.startsWith(stable)).toBe(true);
      stable = event.stable;
    }
  });

  it("gives a slow decoder fewer partials but every final", async () => {
    const calls: { final: boolean }[] = [];
    const { finals } = await runStream(scriptedDecoder({ delayMs: 30, calls }), 0.05);
    expect(finals.map((segment) => segment.text).join(" ")).toBe(script.map((word) => word.text).join(" "));
    expect(calls.filter((call) => call.final).length).toBeLessThanOrEqual(2);
  });

  it("takes a final from a decode that already heard the whole utterance, unless that one loops", async () => {
    const calls: { final: boolean }[] = [];
    const { finals } = await runStream(scriptedDecoder({ calls }));
    expect(finals.map((segment) => segment.text)).toEqual([
      "and so my fellow americans ask not",
      "what your country can do for you",
    ]);
    // The decode started in the silence after each utterance's speech (asked for as a final, as it
    // may become one) held it whole: no second decode.
    expect(calls.filter((call) => call.final)).toHaveLength(2);

    const looping: { final: boolean }[] = [];
    const plain = scriptedDecoder({ calls: looping });
    const loopedOnce = new Set<number>();
    const { finals: guarded } = await runStream(async (samples, options) => {
      const decoded = await plain(samples, options);
      if (!options.final || loopedOnce.has(options.startSec)) return decoded;
      loopedOnce.add(options.startSec);
      return decoded.map((segment) => ({ ...segment, text: `${segment.text} ${"again ".repeat(6)}`.trim() }));
    });
    expect(guarded.map((segment) => segment.text)).toEqual([
      "and so my fellow americans ask not",
      "what your country can do for you",
    ]);
    expect(looping.filter((call) => call.final)).toHaveLength(4);
  });
});
