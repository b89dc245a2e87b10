import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "@/lib/config";
import { createSpeechEngine } from "@/lib/speech";
import { runStressBench, type StressReport } from "@/bench/stress-bench";
import { generateStressSet, listStressClips, type StressFile } from "@/bench/stress-set";
import { droppedWords, wordErrorRate } from "../helpers/wer";

// The real engine over the quick stress set: long concatenations of real clips (gaps, level
// changes, MP3/Opus re-encodes) and clips played twice and cut short. Built from the shared
// evaluation clips when they are there, else from the project's own fixture.
const root = path.resolve(__dirname, "..", "..");
let workDir: string;
let files: StressFile[];
let report: StressReport;
let distinctClips: number;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-stress-invariants-"));
  const config = loadConfig();
  const clips = listStressClips(root);
  distinctClips = clips.length;
  files = await generateStressSet({
    outDir: path.join(workDir, "set"),
    seed: 7,
    clips,
    quick: true,
    ffmpegPath: config.audio.ffmpegPath,
  });
  const engine = createSpeechEngine(config.speech);
  try {
    report = await runStressBench({
      engine,
      files,
      scoreWer: wordErrorRate,
      workDir,
      ffmpegPath: config.audio.ffmpegPath,
    });
  } finally {
    await engine.close?.();
  }
}, 600_000);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe("the local engine on the stress set", () => {
  it("builds both kinds of file", () => {
    expect(files.some((file) => file.kind === "concat")).toBe(true);
    expect(files.filter((file) => file.kind === "play-twice-cut").length).toBeGreaterThanOrEqual(6);
  });

  it("drops no clip of a second or more: each has transcript segments over it", () => {
    const missed = report.files.flatMap((file) =>
      file.uncoveredPieces
        .filter((piece) => piece.end - piece.start >= 1)
        .map((piece) => ({ file: file.id, ...piece })),
    );
    expect(missed).toEqual([]);
  });

  it("never loops: no runaway repeats, never more words than the audio holds", () => {
    for (const file of report.files) {
      expect({ id: file.id, loop: file.loop, words: file.words }).toEqual({
        id: file.id,
        loop: false,
        words: expect.any(Number),
      });
      expect(file.words).toBeLessThanOrEqual(file.maxWords);
    }
  });

  it("transcribes a long file as well as its clips one by one", () => {
    const { concatWer, clipByClipWer } = report.summary;
    const { reference, whole, alone } = report.comparison!;
    // Nothing is lost to long-file decoding: no more words missing than piece by piece.
    expect(droppedWords(reference, whole)).toBeLessThanOrEqual(droppedWords(reference, alone) + 1);
    if (distinctClips >= 5) {
      // Within 1 WER point; with one or two clips a single misheard word repeated by every copy
      // outweighs a point, so the rate is only compared over many clips.
      expect(concatWer!).toBeLessThanOrEqual(clipByClipWer! + 1);
    }
  });

  it("explains whatever speech it leaves out", () => {
    for (const file of report.files) {
      for (const gap of file.engineUncovered) {
        expect(gap.reason).toBe("no_words");
        expect(gap.end).toBeGreaterThan(gap.start);
        expect(gap.end).toBeLessThanOrEqual(file.audioSec + 0.1);
      }
    }
  });

  it("keeps retries rare", () => {
    const { windows, retriedWindows } = report.summary;
    expect(windows).toBeGreaterThan(0);
    expect(retriedWindows / windows).toBeLessThan(0.35);
  });
});
