import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolveFfmpeg } from "@/lib/audio/ffmpeg";
import { checkCoverage, countWords, findRepetition, splitWords } from "@/bench/stress-check";
import {
  createRandom,
  CUT_FRACTIONS,
  generateStressSet,
  listStressClips,
  readStressSet,
  type StressClip,
  type StressFile,
} from "@/bench/stress-set";

const root = path.resolve(__dirname, "..", "..");
const ffmpeg = resolveFfmpeg(process.env.FFMPEG_PATH || undefined).path;
const encoders = execFileSync(ffmpeg, ["-hide_banner", "-encoders"], { encoding: "utf8" });
/** The shared evaluation clips with the fixture, or the fixture alone when they are absent. */
const allClips = listStressClips(root);
const fixtureOnly = allClips.filter((clip) => clip.id === "jfk");
const epsilon = 1e-9;
let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-stress-"));
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function decodedSeconds(file: string): number {
  const pcm = execFileSync(
    ffmpeg,
    ["-v", "error", "-i", file, "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return pcm.length / 2 / 16_000;
}

function nearest(values: readonly number[], value: number): number {
  return values.reduce((best, candidate) =>
    Math.abs(candidate - value) < Math.abs(best - value) ? candidate : best,
  );
}

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function wordsOf(clips: readonly StressClip[], id: string): number {
  return countWords(clips.find((clip) => clip.id === id)!.text);
}

/** Checks the timeline of every file: the arithmetic consumers rely on. */
function expectConsistentTimeline(files: StressFile[], clips: readonly StressClip[]) {
  for (const file of files) {
    expect(file.pieces.length).toBeGreaterThan(0);
    expect(path.extname(file.path)).toBe(`.${file.format}`);
    for (const [index, piece] of file.pieces.entries()) {
      expect(piece.start).toBeGreaterThanOrEqual(0);
      expect(piece.end).toBeGreaterThan(piece.start);
      expect(piece.end).toBeLessThanOrEqual(file.durationSec + epsilon);
      expect(piece.gainDb).toBeGreaterThanOrEqual(-12);
      expect(piece.gainDb).toBeLessThanOrEqual(6);
      const next = file.pieces[index + 1];
      if (next) expect(next.start).toBeGreaterThanOrEqual(piece.end);
    }
    expect(file.reference).toBe(
      file.pieces
        .map((piece) => piece.text)
        .filter(Boolean)
        .join(" "),
    );
    if (file.kind === "concat") {
      expect(file.pieces.every((piece) => !piece.partial)).toBe(true);
      for (let i = 1; i < file.pieces.length; i++) {
        const gap = file.pieces[i]!.start - file.pieces[i - 1]!.end;
        expect(gap).toBeGreaterThanOrEqual(0.2 - epsilon);
        expect(gap).toBeLessThanOrEqual(2 + epsilon);
      }
      const words = countWords(file.reference);
      expect(file.maxWords).toBe(words + 2 + Math.ceil(words * 0.1));
    } else {
      const [full, cut] = file.pieces;
      expect(file.pieces).toHaveLength(2);
      expect(cut!.clipId).toBe(full!.clipId);
      expect(full!.partial).toBeUndefined();
      expect(cut!.partial).toBe(true);
      expect(cut!.gainDb).toBe(full!.gainDb);
      const fraction = file.cutFraction!;
      expect(fraction).toBeGreaterThanOrEqual(0.05);
      expect(fraction).toBeLessThanOrEqual(0.95);
      const fullSec = full!.end - full!.start;
      expect(Math.abs(cut!.end - cut!.start - fullSec * fraction)).toBeLessThanOrEqual(1 / 16_000);
      const gap = cut!.start - full!.end;
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(0.6 + epsilon);
      expect(cut!.end).toBeCloseTo(file.durationSec, 9);
      const spoken = full!.text.split(/\s+/).filter(Boolean);
      expect(cut!.text).toBe(spoken.slice(0, Math.round(spoken.length * fraction)).join(" "));
      const words = wordsOf(clips, full!.clipId);
      expect(file.maxWords).toBe(Math.ceil(words * (1 + fraction)) + 2 + Math.ceil(words * 0.1));
    }
  }
}

describe("createRandom", () => {
  it("is mulberry32: the same seed gives the same numbers", () => {
    const random = createRandom(1);
    expect([random(), random(), random()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
    const a = createRandom(123_456);
    const b = createRandom(123_456);
    const c = createRandom(123_457);
    const first = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(first);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(first);
  });

  it("returns numbers in [0, 1) spread evenly", () => {
    const random = createRandom(7);
    const values = Array.from({ length: 20_000 }, () => random());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });
});

describe("listStressClips", () => {
  it("lists the fixture with its text, and every clip's file exists", () => {
    const jfk = fixtureOnly[0]!;
    expect(jfk.text).toMatch(/^And so, my fellow Americans/);
    expect(jfk.durationSec).toBeCloseTo(11, 2);
    for (const clip of allClips) {
      expect(fs.existsSync(clip.path)).toBe(true);
      expect(clip.text.length).toBeGreaterThan(0);
    }
    expect(new Set(allClips.map((clip) => clip.id)).size).toBe(allClips.length);
  });

  it("falls back to the fixture alone when the shared evaluation set is absent", () => {
    const project = path.join(workDir, "project");
    fs.mkdirSync(path.join(project, "tests", "fixtures"), { recursive: true });
    for (const name of ["jfk.wav", "jfk.txt"]) {
      fs.copyFileSync(
        path.join(root, "tests", "fixtures", name),
        path.join(project, "tests", "fixtures", name),
      );
    }
    expect(listStressClips(project).map((clip) => clip.id)).toEqual(["jfk"]);
  });
});

describe("generateStressSet (quick)", () => {
  let files: StressFile[];
  let outDir: string;

  beforeAll(async () => {
    outDir = path.join(workDir, "quick");
    files = await generateStressSet({ outDir, seed: 11, clips: allClips, quick: true });
  });

  it("makes 2 one-minute concatenations and 12 play-twice-and-cut files", () => {
    const concat = files.filter((file) => file.kind === "concat");
    const cut = files.filter((file) => file.kind === "play-twice-cut");
    expect(concat).toHaveLength(2);
    expect(cut).toHaveLength(12);
    for (const file of concat) {
      expect(file.durationSec).toBeGreaterThanOrEqual(55);
      expect(file.durationSec).toBeLessThan(100);
    }
    expect(new Set(files.map((file) => file.id)).size).toBe(files.length);
  });

  it("lays pieces out in order, within the file, with the promised gaps and references", () => {
    expectConsistentTimeline(files, allClips);
  });

  it("writes files ffmpeg decodes to the stated duration, in every format this ffmpeg can write", () => {
    const expected = new Set(["wav"]);
    if (/\blibmp3lame\b/.test(encoders)) expected.add("mp3");
    if (/\blibopus\b/.test(encoders)) expected.add("opus");
    expect(new Set(files.map((file) => file.format))).toEqual(expected);
    for (const file of files) {
      expect(Math.abs(decodedSeconds(file.path) - file.durationSec)).toBeLessThanOrEqual(0.05);
    }
  });

  it("lists the set in a manifest and gives the same bytes for the same seed", async () => {
    expect(readStressSet(outDir)).toEqual(files);
    const again = await generateStressSet({
      outDir: path.join(workDir, "again"),
      seed: 11,
      clips: allClips,
      quick: true,
    });
    expect(again.map((file) => ({ ...file, path: path.basename(file.path) }))).toEqual(
      files.map((file) => ({ ...file, path: path.basename(file.path) })),
    );
    for (const [index, file] of files.entries()) expect(sha256(again[index]!.path)).toBe(sha256(file.path));
  });

  it("changes with the seed, and removes the files of the previous set it no longer makes", async () => {
    const other = await generateStressSet({ outDir, seed: 12, clips: allClips, quick: true });
    expect(other.map((file) => file.pieces)).not.toEqual(files.map((file) => file.pieces));
    const listed = new Set([...other.map((file) => path.basename(file.path)), "manifest.json"]);
    expect(fs.readdirSync(outDir).filter((name) => !listed.has(name))).toEqual([]);
  });
});

describe("generateStressSet from the fixture alone", () => {
  it("still makes every file, from one clip", async () => {
    const files = await generateStressSet({
      outDir: path.join(workDir, "fixture"),
      seed: 3,
      clips: fixtureOnly,
      quick: true,
    });
    expect(files).toHaveLength(14);
    expect(new Set(files.flatMap((file) => file.pieces.map((piece) => piece.clipId)))).toEqual(
      new Set(["jfk"]),
    );
    expectConsistentTimeline(files, fixtureOnly);
    // Every cut point is used.
    const nearestCuts = files
      .filter((file) => file.cutFraction !== undefined)
      .map((file) => nearest(CUT_FRACTIONS, file.cutFraction!));
    expect(new Set(nearestCuts)).toEqual(new Set(CUT_FRACTIONS));
    for (const file of files.filter((_, index) => index % 4 === 0)) {
      expect(Math.abs(decodedSeconds(file.path) - file.durationSec)).toBeLessThanOrEqual(0.05);
    }
  });

  it("refuses an empty clip list", async () => {
    await expect(
      generateStressSet({ outDir: path.join(workDir, "empty"), seed: 1, clips: [] }),
    ).rejects.toThrow(/at least one clip/);
  });
});

describe("findRepetition", () => {
  it("finds nothing in ordinary speech", () => {
    expect(findRepetition(fixtureOnly[0]!.text)).toBeNull();
    expect(findRepetition("")).toBeNull();
  });

  it("finds a repeated word, ignoring case and punctuation", () => {
    expect(findRepetition("Go. go, GO! now")).toEqual({
      ngram: "go",
      n: 1,
      repeats: 3,
      words: 3,
      startWord: 0,
    });
  });

  it("finds a repeated phrase and ranks runs by the words they span", () => {
    const text = "well no no no and then I said it I said it I said it again";
    expect(findRepetition(text)).toEqual({ ngram: "i said it", n: 3, repeats: 3, words: 9, startWord: 6 });
    expect(findRepetition("no no no no yes yes")).toMatchObject({ ngram: "no", repeats: 4 });
  });

  it("counts a partial last repeat out, and looks no further than maxN words", () => {
    expect(findRepetition("a b c a b c a b")).toMatchObject({ ngram: "a b c", repeats: 2 });
    const eight = "one two three four five six seven eight";
    expect(findRepetition(`${eight} ${eight}`)).toMatchObject({ n: 8, repeats: 2 });
    const nine = `${eight} nine`;
    expect(findRepetition(`${nine} ${nine}`)).toBeNull();
    expect(findRepetition(`${nine} ${nine}`, 9)).toMatchObject({ n: 9, repeats: 2 });
  });
});

describe("countWords", () => {
  it("counts words as the references spell them", () => {
    expect(splitWords("Mr. Quilter's well-known 'gospel'!")).toEqual([
      "mr",
      "quilter's",
      "well",
      "known",
      "gospel",
    ]);
    expect(countWords("  AFTER EARLY\nNIGHTFALL  ")).toBe(3);
    expect(countWords("... !")).toBe(0);
  });
});

describe("checkCoverage", () => {
  const pieces = [
    { clipId: "a", start: 0, end: 2, text: "a", gainDb: 0 },
    { clipId: "b", start: 3, end: 5, text: "b", gainDb: 0 },
    { clipId: "c", start: 6, end: 8, text: "c", gainDb: 0, partial: true },
    { clipId: "d", start: 9, end: 10, text: "d", gainDb: 0 },
  ];

  it("lists the full pieces no segment with text lies over", () => {
    const report = checkCoverage(pieces, [
      { start: 0.1, end: 1.9, text: "a" },
      { start: 3.2, end: 4.9, text: "b" },
      { start: 9, end: 10, text: "  " },
    ]);
    expect(report.pieces.map((result) => result.piece.clipId)).toEqual(["a", "b", "d"]);
    expect(report.uncovered.map((result) => result.piece)).toEqual([pieces[3]]);
    expect(report.pieces[0]!.ratio).toBeCloseTo(0.9, 9);
  });

  it("counts overlapping segments once and needs the minimum share", () => {
    const half = { start: 3, end: 4, text: "b" };
    const report = checkCoverage(pieces, [half, { ...half }], { toleranceSec: 0, minCoveredRatio: 0.6 });
    expect(report.pieces[1]!.coveredSec).toBeCloseTo(1, 9);
    expect(report.uncovered.map((result) => result.piece.clipId)).toEqual(["a", "b", "d"]);
  });

  it("forgives segment times that are a little off", () => {
    const segments = [
      { start: 1.85, end: 3.6, text: "a b" },
      { start: 3.6, end: 5.25, text: "b" },
      { start: 8.8, end: 9.6, text: "d" },
    ];
    const report = checkCoverage(pieces, segments, { toleranceSec: 0.3 });
    expect(report.uncovered.map((result) => result.piece.clipId)).toEqual(["a"]);
    expect(checkCoverage(pieces, segments, { toleranceSec: 0.3, minCoveredRatio: 0.1 }).uncovered).toEqual(
      [],
    );
    expect(checkCoverage(pieces, segments, { toleranceSec: 0, minCoveredRatio: 0.1 }).uncovered).toHaveLength(
      1,
    );
  });
});
