import { clusterAverageLinkage, cutTree } from "@/lib/speech/diarization/cluster";
import { diarizeFeatures } from "@/lib/speech/diarization/diarize";
import { labelSegments } from "@/lib/speech/diarization/label-segments";
import { MEL_BANDS, MelExtractor, MFCC_DIMS, toCepstra } from "@/lib/speech/diarization/mfcc";

/** A seeded generator, so the synthetic data is the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
}

describe("mel features", () => {
  it("gives the same frames whatever pieces the audio arrives in", () => {
    const next = random(1);
    const samples = Float32Array.from({ length: 16_000 }, () => gaussian(next) * 0.1);
    const whole = new MelExtractor();
    whole.push(samples);
    const pieces = new MelExtractor();
    for (let at = 0; at < samples.length; at += 1_237) pieces.push(samples.subarray(at, at + 1_237));
    expect(whole.energies().length).toBe(Math.floor((16_000 - 400) / 160 + 1) * MEL_BANDS);
    expect(Array.from(pieces.energies())).toEqual(Array.from(whole.energies()));
  });

  it("puts a tone's energy in the band around its frequency, higher tones in higher bands", () => {
    const peakBand = (hz: number) => {
      const extractor = new MelExtractor();
      extractor.push(
        Float32Array.from({ length: 4_000 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 16_000)),
      );
      const energies = extractor.energies().subarray(5 * MEL_BANDS, 6 * MEL_BANDS);
      return energies.indexOf(Math.max(...energies));
    };
    expect(peakBand(300)).toBeLessThan(peakBand(1_000));
    expect(peakBand(1_000)).toBeLessThan(peakBand(4_000));
    expect(peakBand(4_000)).toBeLessThan(MEL_BANDS);
  });

  it("turns energies into 19 cepstra per frame, blind to the level", () => {
    const next = random(2);
    const energies = Float32Array.from({ length: 3 * MEL_BANDS }, () => 1 + next());
    const louder = energies.map((value) => value * 100);
    const a = toCepstra(energies);
    const b = toCepstra(louder);
    expect(a.length).toBe(3 * MFCC_DIMS);
    a.forEach((value, i) => expect(b[i]).toBeCloseTo(value, 4));
  });
});

describe("average-linkage clustering", () => {
  it("recovers well-separated groups and merges at non-decreasing distances", () => {
    const next = random(3);
    const centres = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const truth: number[] = [];
    const vectors = Array.from({ length: 30 }, (_, i) => {
      const group = i % 3;
      truth.push(group);
      const v = Float64Array.from(centres[group]!, (value) => value + 0.1 * gaussian(next));
      const norm = Math.hypot(...v);
      return v.map((value) => value / norm);
    });
    const merges = clusterAverageLinkage(vectors);
    expect(merges).toHaveLength(29);
    merges
      .slice(1)
      .forEach((merge, i) => expect(merge.distance).toBeGreaterThanOrEqual(merges[i]!.distance - 1e-6));
    const labels = cutTree(30, merges, 3);
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 30; j++) expect(labels[i] === labels[j]).toBe(truth[i] === truth[j]);
    }
    expect(new Set(cutTree(30, merges, 1))).toEqual(new Set([0]));
  });
});

describe("diarizeFeatures", () => {
  /** Frames of speakers with different mean cepstra, taking turns of `turnSec` as listed. */
  function conversation(turns: number[], turnSec: number, seed: number) {
    const next = random(seed);
    const voices = Array.from({ length: 4 }, () =>
      Array.from({ length: MFCC_DIMS }, () => 2 * gaussian(next)),
    );
    const perTurn = turnSec * 100;
    const gap = 30;
    const frames = turns.length * (perTurn + gap);
    const features = new Float32Array(frames * MFCC_DIMS);
    const speech = turns.map((voice, t) => {
      const start = t * (perTurn + gap);
      for (let f = start; f < start + perTurn; f++) {
        for (let d = 0; d < MFCC_DIMS; d++)
          features[f * MFCC_DIMS + d] = voices[voice]![d]! + 3 * gaussian(next);
      }
      return { start, end: start + perTurn };
    });
    return { features, speech };
  }

  it("finds each speaker of a conversation and when they speak", () => {
    const order = [0, 1, 2, 0, 1, 2, 0, 2];
    const { features, speech } = conversation(order, 4, 4);
    const result = diarizeFeatures(features, speech);
    expect(result.speakers).toBe(3);
    const spoken = speech.map(
      (range) =>
        result.turns.find((turn) => turn.start * 100 >= range.start - 1 && turn.end * 100 <= range.end + 1)!
          .speaker,
    );
    expect(spoken).toEqual([0, 1, 2, 0, 1, 2, 0, 2]);
    for (const turn of result.turns) expect(turn.end).toBeGreaterThan(turn.start);
  });

  it("keeps one speaker as one, and obeys a given count", () => {
    const { features, speech } = conversation([0, 0, 0, 0, 0, 0], 4, 5);
    expect(diarizeFeatures(features, speech).speakers).toBe(1);
    const two = conversation([0, 1, 0, 1], 4, 6);
    expect(diarizeFeatures(two.features, two.speech, { speakers: 2 }).speakers).toBe(2);
  });

  it("answers no turns when there is no speech", () => {
    expect(diarizeFeatures(new Float32Array(100 * MFCC_DIMS), [])).toEqual({ turns: [], speakers: 0 });
  });
});

describe("labelSegments", () => {
  const turns = [
    { start: 0, end: 5, speaker: 0 },
    { start: 5.2, end: 9, speaker: 1 },
    { start: 9.5, end: 12, speaker: 0 },
  ];

  it("labels a segment with the speaker who talks through it", () => {
    expect(labelSegments([{ start: 0.5, end: 4.5, text: "Hello there." }], turns)).toEqual([
      { start: 0.5, end: 4.5, text: "Hello there.", speaker: "Speaker 1" },
    ]);
  });

  it("splits a segment at the sentence nearest a change of speaker", () => {
    const segments = labelSegments(
      [{ start: 3, end: 7, text: "I think so too. Well, I do not agree at all." }],
      turns,
    );
    expect(segments.map((segment) => [segment.text, segment.speaker])).toEqual([
      ["I think so too.", "Speaker 1"],
      ["Well, I do not agree at all.", "Speaker 2"],
    ]);
    expect(segments[0]!.start).toBe(3);
    expect(segments[1]!.end).toBe(7);
    expect(segments[0]!.end).toBe(segments[1]!.start);
    expect(segments[0]!.end).toBeGreaterThan(3);
    expect(segments[0]!.end).toBeLessThan(7);
  });

  it("gives a segment without sentence breaks to who talks most of it, and one outside every turn to the nearest", () => {
    expect(labelSegments([{ start: 4, end: 8, text: "and then we went" }], turns)[0]!.speaker).toBe(
      "Speaker 2",
    );
    expect(labelSegments([{ start: 12.5, end: 13, text: "Yes." }], turns)[0]!.speaker).toBe("Speaker 1");
    expect(labelSegments([{ start: 1, end: 2, text: "Hi." }], [])[0]!.speaker).toBe("Speaker 1");
  });

  it("ignores a flicker of another speaker inside a segment", () => {
    const flicker = [
      { start: 0, end: 3, speaker: 0 },
      { start: 3, end: 3.3, speaker: 1 },
      { start: 3.3, end: 6, speaker: 0 },
    ];
    const segments = labelSegments([{ start: 0, end: 6, text: "One. Two. Three." }], flicker);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.speaker).toBe("Speaker 1");
  });
});
