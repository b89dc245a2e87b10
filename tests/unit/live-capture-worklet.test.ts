// The live capture worklet (public/live-capture-worklet.js), run in Node with the AudioWorklet
// globals stubbed: band-limited resampling to 16 kHz, mono mix, Int16 frames of 100 ms, levels.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const source = fs.readFileSync(
  path.resolve(__dirname, "..", "..", "public", "live-capture-worklet.js"),
  "utf8",
);

interface Posted {
  type: string;
  samples?: ArrayBuffer;
  rms?: number;
  peak?: number;
}

interface Processor {
  port: { posted: Posted[]; onmessage: ((event: { data: unknown }) => void) | null };
  process: (inputs: Float32Array[][]) => boolean;
}

/** Loads the worklet at `rate` and returns a new processor with a port that records its messages. */
function createProcessor(rate: number): Processor {
  let registered: (new () => Processor) | undefined;
  class FakeAudioWorkletProcessor {
    port = {
      posted: [] as Posted[],
      onmessage: null,
      postMessage(message: Posted) {
        this.posted.push(message);
      },
    };
  }
  const context = vm.createContext({
    AudioWorkletProcessor: FakeAudioWorkletProcessor,
    sampleRate: rate,
    registerProcessor: (name: string, processor: new () => Processor) => {
      expect(name).toBe("live-capture");
      registered = processor;
    },
  });
  vm.runInContext(source, context);
  if (!registered) throw new Error("the worklet registered no processor");
  return new registered();
}

/** Feeds `channels` (equal lengths) in render quanta of 128 samples, then flushes. */
function run(processor: Processor, channels: Float32Array[]): Posted[] {
  const length = channels[0]!.length;
  for (let at = 0; at < length; at += 128) {
    expect(processor.process([channels.map((channel) => channel.subarray(at, at + 128))])).toBe(true);
  }
  processor.port.onmessage?.({ data: { type: "flush" } });
  return processor.port.posted;
}

const frames = (posted: Posted[]) => posted.filter((message) => message.type === "audio");

function samplesOf(posted: Posted[]): Int16Array {
  const parts = frames(posted).map((message) => new Int16Array(message.samples!));
  const all = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

const tone = (rate: number, seconds: number, frequency: number, amplitude: number) =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, n) => amplitude * Math.sin((2 * Math.PI * frequency * n) / rate),
  );

const rmsOf = (samples: ArrayLike<number>, from = 0, to = samples.length) => {
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += (samples[i]! / 32768) ** 2;
  return Math.sqrt(sum / (to - from));
};

describe("live capture worklet", () => {
  it.each([44_100, 48_000, 22_050, 8_000, 44_056])(
    "turns %i Hz into 16 kHz frames of 1600 samples that follow the input",
    (rate) => {
      const posted = run(createProcessor(rate), [tone(rate, 2, 440, 0.5)]);
      const audio = frames(posted);
      expect(audio.slice(0, -1).every((frame) => frame.samples!.byteLength === 3200)).toBe(true);
      const output = samplesOf(posted);
      // Two seconds, less the few samples the filter still waits for.
      expect(output.length).toBeGreaterThan(32_000 - 60);
      expect(output.length).toBeLessThanOrEqual(32_000);
      // Sample n is the input at time n / 16000: compare with the tone itself, past the onset.
      let worst = 0;
      for (let n = 200; n < output.length; n += 1) {
        const expected = 0.5 * Math.sin((2 * Math.PI * 440 * n) / 16_000);
        worst = Math.max(worst, Math.abs(output[n]! / 32768 - expected));
      }
      expect(worst).toBeLessThan(0.005);
      expect(posted.at(-1)).toEqual({ type: "flushed" });
    },
  );

  it("filters out what 16 kHz cannot hold instead of folding it into the speech band", () => {
    // A 10 kHz tone: dropping samples would turn it into a 6 kHz tone at full strength.
    const output = samplesOf(run(createProcessor(44_100), [tone(44_100, 1, 10_000, 0.5)]));
    const level = rmsOf(output, 200);
    expect(20 * Math.log10(level / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    // While speech frequencies pass at full strength.
    const speech = samplesOf(run(createProcessor(44_100), [tone(44_100, 1, 3_000, 0.5)]));
    expect(rmsOf(speech, 200)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it("keeps time: a click one second in lands on sample 16000", () => {
    const input = new Float32Array(44_100 * 2);
    input[44_100] = 1;
    const output = samplesOf(run(createProcessor(44_100), [input]));
    let loudest = 0;
    for (let n = 1; n < output.length; n += 1)
      if (Math.abs(output[n]!) > Math.abs(output[loudest]!)) loudest = n;
    expect(loudest).toBe(16_000);
  });

  it("mixes channels down to mono", () => {
    const left = tone(48_000, 0.5, 440, 0.4);
    const opposite = left.map((sample) => -sample);
    expect(rmsOf(samplesOf(run(createProcessor(48_000), [left, opposite])))).toBeLessThan(1e-4);
    const same = samplesOf(run(createProcessor(48_000), [left, left.slice()]));
    const single = samplesOf(run(createProcessor(48_000), [left]));
    expect(Array.from(same)).toEqual(Array.from(single));
  });

  it("reports each frame's level and clips instead of wrapping around", () => {
    const posted = run(createProcessor(44_100), [tone(44_100, 1, 440, 0.5)]);
    const middle = frames(posted)[4]!;
    expect(middle.rms).toBeCloseTo(0.5 / Math.SQRT2, 2);
    expect(middle.peak).toBeCloseTo(0.5, 2);

    const loud = samplesOf(run(createProcessor(48_000), [new Float32Array(48_000).fill(1.5)]));
    expect(loud[8000]).toBe(32767);
    const low = samplesOf(run(createProcessor(48_000), [new Float32Array(48_000).fill(-1.5)]));
    expect(low[8000]).toBe(-32768);
  });

  it("posts the last short frame on flush and then takes no more input", () => {
    const processor = createProcessor(48_000);
    const posted = run(processor, [tone(48_000, 0.25, 440, 0.5)]);
    const audio = frames(posted);
    const lengths = audio.map((frame) => frame.samples!.byteLength / 2);
    expect(lengths.slice(0, 2)).toEqual([1600, 1600]);
    expect(lengths).toHaveLength(3);
    expect(lengths[2]).toBeGreaterThan(4000 - 3200 - 30);
    expect(processor.process([[new Float32Array(128)]])).toBe(false);
    processor.port.onmessage?.({ data: { type: "flush" } });
    expect(processor.port.posted.filter((message) => message.type === "flushed")).toHaveLength(1);
  });

  it("waits quietly while the input has no channels", () => {
    const processor = createProcessor(44_100);
    expect(processor.process([[]])).toBe(true);
    expect(processor.process([])).toBe(true);
    expect(processor.port.posted).toEqual([]);
  });
});
