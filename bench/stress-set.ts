/**
 * A deterministic stress set for the speech engine, built from real clips: long concatenations
 * (does the engine drop anything?) and clips played twice with the second pass cut short, like
 * a recording stopped mid-sentence (does the engine loop?). Every file comes with where each
 * clip sits in it and what the clip says. The same seed and clips give the same files.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { resolveFfmpeg } from "@/lib/audio/ffmpeg";
import { PCM_SAMPLE_RATE } from "@/lib/audio/pcm";
import { encodeWav } from "@/lib/audio/wav";
import { countWords } from "./stress-check";

/** A real recording with its exact reference text. */
export interface StressClip {
  id: string;
  /** Absolute path of the audio file (any format ffmpeg reads). */
  path: string;
  text: string;
  /** Duration as listed; the generator uses the decoded length. */
  durationSec: number;
}

/** Where one clip sits in a generated file. */
export interface StressPiece {
  clipId: string;
  /** Seconds from the start of the file. */
  start: number;
  end: number;
  /** The clip's reference text; for a partial piece, its first words in proportion to the cut. */
  text: string;
  /** The clip was cut short here: `text` is only an estimate of what was said. */
  partial?: boolean;
  /** Gain applied to the clip, in dB (never enough to clip). */
  gainDb: number;
}

export type StressFormat = "wav" | "mp3" | "opus";
export type StressKind = "concat" | "play-twice-cut";

/** A generated file and what it holds. */
export interface StressFile {
  id: string;
  /** Absolute path of the audio file. */
  path: string;
  /** The format actually written (WAV when ffmpeg lacks the encoder that was planned). */
  format: StressFormat;
  durationSec: number;
  kind: StressKind;
  /** Pieces in time order, none overlapping, all within `durationSec`. */
  pieces: StressPiece[];
  /** The pieces' texts in order (approximate at the end when the last piece is partial). */
  reference: string;
  /**
   * Most words a transcript of this file can hold without something having been repeated: the
   * words of the audio (for a cut file, the clip's words × (1 + cut fraction), rounded up)
   * plus a slack of 2 + 10 %.
   */
  maxWords: number;
  /** What fills the space between clips: digital silence or noise about 66 dB below full scale. */
  gapFill: "silence" | "noise";
  /** For `play-twice-cut`: the share of the second pass that was kept. */
  cutFraction?: number;
}

/** Options for {@link generateStressSet}. */
export interface StressSetOptions {
  outDir: string;
  seed: number;
  clips: readonly StressClip[];
  /** A small set (2 one-minute concatenations, 12 cut files) that takes seconds to make. */
  quick?: boolean;
  /** ffmpeg binary (the configured `FFMPEG_PATH`); default the system one, then the bundled one. */
  ffmpegPath?: string;
}

/** Name of the file, in the output directory, that lists the set (paths relative to it). */
export const STRESS_MANIFEST = "manifest.json";

/** Cut points of the second pass, before jitter. */
export const CUT_FRACTIONS = [0.1, 0.25, 0.4, 0.55, 0.7, 0.85] as const;

const sampleRate = PCM_SAMPLE_RATE;
const formats: readonly StressFormat[] = ["wav", "mp3", "opus"];
const peakLimit = 0.95 * 32767;
const noiseRms = 16; // about -66 dBFS
const cutJitter = 0.04;
// Under Jest every lookup of a global such as `Math` costs about 0.3 µs, which hot loops over
// millions of samples cannot afford: take the functions once.
const { abs, imul, round } = Math;

const sizes = {
  full: { concatFiles: 4, concatMinSec: 180, concatMaxSec: 340, cutClips: 8, cutFiles: 48, clips: Infinity },
  quick: { concatFiles: 2, concatMinSec: 55, concatMaxSec: 65, cutClips: 6, cutFiles: 12, clips: 12 },
};

/** A seeded pseudo-random generator (mulberry32): uniform numbers in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The clips of the shared evaluation set that have an exact reference (`kind` wer), read from
 * `<root>/../shared/eval`, plus the project's fixture `tests/fixtures/jfk.wav`; the fixture alone
 * when the shared set is absent.
 */
export function listStressClips(root: string): StressClip[] {
  const clips: StressClip[] = [];
  const evalDir = path.resolve(root, "..", "shared", "eval");
  const manifestPath = path.join(evalDir, "manifest.json");
  if (fs.existsSync(manifestPath)) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as {
      files: { id: string; path: string; kind: string; ref: string | null; duration_s: number }[];
    };
    for (const file of manifest.files) {
      if (file.kind !== "wer" || !file.ref) continue;
      clips.push({
        id: file.id,
        path: path.join(evalDir, file.path),
        text: fs.readFileSync(path.join(evalDir, file.ref), "utf8").trim(),
        durationSec: file.duration_s,
      });
    }
  }
  const fixture = path.join(root, "tests", "fixtures", "jfk.wav");
  clips.push({
    id: "jfk",
    path: fixture,
    text: fs.readFileSync(path.join(root, "tests", "fixtures", "jfk.txt"), "utf8").trim(),
    // 16 kHz mono 16-bit with a 44-byte header.
    durationSec: (fs.statSync(fixture).size - 44) / (sampleRate * 2),
  });
  return clips;
}

interface DecodedClip {
  clip: StressClip;
  samples: Int16Array;
  /** Largest gain, in dB, that keeps the clip's peak under the limit. */
  headroomDb: number;
}

interface Placement {
  clip: DecodedClip;
  offset: number;
  length: number;
  gainDb: number;
  text: string;
  partial: boolean;
}

interface FilePlan {
  id: string;
  kind: StressKind;
  format: StressFormat;
  gapFill: StressFile["gapFill"];
  totalSamples: number;
  placements: Placement[];
  maxWords: number;
  cutFraction?: number;
}

/**
 * Writes the stress set to `outDir` (audio files and {@link STRESS_MANIFEST}) and returns it.
 * Concatenations: the clips in shuffled orders, 0.2-2 s apart, each at its own level
 * (-12 to +6 dB). Play-twice-and-cut: a clip, a gap of at most 0.6 s (often none), then the
 * clip again cut at one of {@link CUT_FRACTIONS} ± 0.04. Formats rotate through WAV, MP3 and
 * Ogg Opus. Files a previous run listed and this one does not make are removed.
 */
export async function generateStressSet(options: StressSetOptions): Promise<StressFile[]> {
  if (options.clips.length === 0) throw new Error("The stress set needs at least one clip.");
  const size = options.quick ? sizes.quick : sizes.full;
  const random = createRandom(options.seed);
  const ffmpeg = resolveFfmpeg(options.ffmpegPath).path;
  const encoders = listEncoders(ffmpeg);

  const chosen = shuffle([...options.clips], random).slice(0, size.clips);
  const decoded = await mapLimited(chosen, 4, (clip) => decodeClip(ffmpeg, clip));

  const plans = [...planConcatFiles(decoded, size, random), ...planCutFiles(decoded, size, random)];
  fs.mkdirSync(options.outDir, { recursive: true });
  const files = await mapLimited(plans, 2, async (plan, index) => {
    const format = encoders.has(plan.format) ? plan.format : "wav";
    const filePath = path.resolve(options.outDir, `${plan.id}.${format}`);
    const samples = renderPlan(plan, createRandom(options.seed + 7919 * (index + 1)));
    await writeAudio(ffmpeg, samples, format, filePath);
    return describePlan(plan, filePath, format);
  });
  writeManifest(options.outDir, options, files);
  return files;
}

/** Reads the set that {@link generateStressSet} last wrote to `outDir` (null when there is none). */
export function readStressSet(outDir: string): StressFile[] | null {
  const manifestPath = path.join(outDir, STRESS_MANIFEST);
  if (!fs.existsSync(manifestPath)) return null;
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { files: StressFile[] };
  return manifest.files.map((file) => ({ ...file, path: path.resolve(outDir, file.path) }));
}

function planConcatFiles(clips: DecodedClip[], size: typeof sizes.full, random: () => number): FilePlan[] {
  const formatOffset = Math.floor(random() * formats.length);
  const fillOffset = Math.floor(random() * 2);
  const deck: DecodedClip[] = [];
  let previous: DecodedClip | null = null;
  const plans: FilePlan[] = [];
  for (let index = 0; index < size.concatFiles; index++) {
    const target = toSamples(size.concatMinSec + random() * (size.concatMaxSec - size.concatMinSec));
    const placements: Placement[] = [];
    let offset = toSamples(0.2 + random() * 0.8);
    while (offset < target) {
      if (deck.length === 0) {
        deck.push(...shuffle([...clips], random));
        // The same clip twice in a row across a reshuffle would look like a loop.
        if (deck.length > 1 && deck[0] === previous) deck.push(deck.shift()!);
      }
      const clip = deck.shift()!;
      previous = clip;
      if (placements.length > 0) offset += toSamples(0.2 + random() * 1.8);
      placements.push({
        clip,
        offset,
        length: clip.samples.length,
        gainDb: pickGain(clip, random),
        text: clip.clip.text,
        partial: false,
      });
      offset += clip.samples.length;
    }
    const words = placements.reduce((sum, placement) => sum + countWords(placement.text), 0);
    plans.push({
      id: `concat-${pad(index + 1)}`,
      kind: "concat",
      format: formats[(formatOffset + index) % formats.length]!,
      gapFill: (fillOffset + index) % 2 === 0 ? "silence" : "noise",
      totalSamples: offset + toSamples(0.3 + random() * 0.7),
      placements,
      maxWords: words + slack(words),
    });
  }
  return plans;
}

function planCutFiles(clips: DecodedClip[], size: typeof sizes.full, random: () => number): FilePlan[] {
  const formatOffset = Math.floor(random() * formats.length);
  const fillOffset = Math.floor(random() * 2);
  const eligible = clips.filter(
    (clip) => clip.samples.length >= 2 * sampleRate && countWords(clip.clip.text) >= 5,
  );
  const pool = shuffle(eligible.length > 0 ? eligible : [...clips], random).slice(0, size.cutClips);
  const pairs: [number, number][] = [];
  for (let clip = 0; clip < pool.length; clip++) {
    for (let cut = 0; cut < CUT_FRACTIONS.length; cut++) pairs.push([clip, cut]);
  }
  shuffle(pairs, random);
  const chosen = Array.from({ length: size.cutFiles }, (_, index) => pairs[index % pairs.length]!);
  chosen.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return chosen.map(([clipIndex, cutIndex], index): FilePlan => {
    const clip = pool[clipIndex]!;
    const jitter = (random() * 2 - 1) * cutJitter;
    const cutFraction = roundTo(Math.min(0.95, Math.max(0.05, CUT_FRACTIONS[cutIndex]! + jitter)), 3);
    const gainDb = pickGain(clip, random);
    const gapSec = random() < 1 / 3 ? 0 : 0.05 + random() * 0.55;
    const first = toSamples(0.1 + random() * 0.4);
    const second = first + clip.samples.length + toSamples(gapSec);
    const cutLength = Math.round(clip.samples.length * cutFraction);
    const words = clip.clip.text.split(/\s+/).filter(Boolean);
    const clipWords = countWords(clip.clip.text);
    return {
      id: `cut-${pad(index + 1)}`,
      kind: "play-twice-cut",
      format: formats[(formatOffset + index) % formats.length]!,
      gapFill: (fillOffset + index) % 2 === 0 ? "silence" : "noise",
      totalSamples: second + cutLength,
      placements: [
        { clip, offset: first, length: clip.samples.length, gainDb, text: clip.clip.text, partial: false },
        {
          clip,
          offset: second,
          length: cutLength,
          gainDb,
          text: words.slice(0, Math.round(words.length * cutFraction)).join(" "),
          partial: true,
        },
      ],
      maxWords: Math.ceil(clipWords * (1 + cutFraction)) + slack(clipWords),
      cutFraction,
    };
  });
}

function renderPlan(plan: FilePlan, random: () => number): Int16Array {
  const out = new Int16Array(plan.totalSamples);
  if (plan.gapFill === "noise") {
    // Sum of three uniforms: close enough to Gaussian, variance 1/4 before scaling.
    for (let i = 0; i < out.length; i++) {
      out[i] = round((random() + random() + random() - 1.5) * 2 * noiseRms);
    }
  }
  for (const placement of plan.placements) {
    const gain = 10 ** (placement.gainDb / 20);
    const source = placement.clip.samples;
    for (let i = 0; i < placement.length; i++) {
      const value = round(source[i]! * gain);
      out[placement.offset + i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
    }
  }
  return out;
}

function describePlan(plan: FilePlan, filePath: string, format: StressFormat): StressFile {
  const pieces = plan.placements.map((placement): StressPiece => ({
    clipId: placement.clip.clip.id,
    start: placement.offset / sampleRate,
    end: (placement.offset + placement.length) / sampleRate,
    text: placement.text,
    ...(placement.partial ? { partial: true } : {}),
    gainDb: placement.gainDb,
  }));
  return {
    id: plan.id,
    path: filePath,
    format,
    durationSec: plan.totalSamples / sampleRate,
    kind: plan.kind,
    pieces,
    reference: pieces
      .map((piece) => piece.text)
      .filter(Boolean)
      .join(" "),
    maxWords: plan.maxWords,
    gapFill: plan.gapFill,
    ...(plan.cutFraction === undefined ? {} : { cutFraction: plan.cutFraction }),
  };
}

function writeManifest(outDir: string, options: StressSetOptions, files: StressFile[]): void {
  const manifestPath = path.join(outDir, STRESS_MANIFEST);
  const keep = new Set(files.map((file) => path.basename(file.path)));
  for (const old of readStressSet(outDir) ?? []) {
    const name = path.basename(old.path);
    if (!keep.has(name)) fs.rmSync(path.join(outDir, name), { force: true });
  }
  const manifest = {
    seed: options.seed,
    quick: Boolean(options.quick),
    clips: options.clips.length,
    files: files.map((file) => ({ ...file, path: path.relative(outDir, file.path) })),
  };
  fs.writeFileSync(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 1)}\n`);
  fs.renameSync(`${manifestPath}.tmp`, manifestPath);
}

/** Gain in -12..+6 dB, lowered when the clip's peak would pass 95 % of full scale. */
function pickGain(clip: DecodedClip, random: () => number): number {
  const wanted = roundTo(-12 + random() * 18, 1);
  return Math.min(wanted, Math.floor(clip.headroomDb * 10) / 10);
}

async function decodeClip(ffmpeg: string, clip: StressClip): Promise<DecodedClip> {
  const args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", clip.path];
  args.push("-map", "0:a:0", "-ac", "1", "-ar", String(sampleRate), "-f", "s16le", "pipe:1");
  const { stdout, stderr, code } = await runFfmpeg(ffmpeg, args);
  const count = Math.floor(stdout.length / 2);
  if (code !== 0 || count === 0) {
    throw new Error(`ffmpeg could not decode ${clip.path} (exit ${code}): ${stderr.trim().slice(0, 300)}`);
  }
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = stdout.readInt16LE(i * 2);
  let peak = 1;
  for (const sample of samples) if (abs(sample) > peak) peak = abs(sample);
  return { clip, samples, headroomDb: 20 * Math.log10(peakLimit / peak) };
}

async function writeAudio(ffmpeg: string, samples: Int16Array, format: StressFormat, filePath: string) {
  const partial = `${filePath}.tmp`;
  if (format === "wav") {
    fs.writeFileSync(partial, encodeWav(samples, sampleRate));
  } else {
    const codec =
      format === "mp3"
        ? ["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"]
        : ["-c:a", "libopus", "-b:a", "32k", "-compression_level", "5", "-f", "ogg"];
    const args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"];
    args.push("-f", "s16le", "-ar", String(sampleRate), "-ac", "1", "-i", "pipe:0");
    // Bit-exact: no random Ogg serial numbers or encoder tags, so a seed always gives the same bytes.
    args.push(...codec, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", partial);
    const input = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    const { stderr, code } = await runFfmpeg(ffmpeg, args, input);
    if (code !== 0) {
      fs.rmSync(partial, { force: true });
      throw new Error(`ffmpeg could not write ${filePath} (exit ${code}): ${stderr.trim().slice(0, 300)}`);
    }
  }
  fs.renameSync(partial, filePath);
}

const encoderCache = new Map<string, Set<StressFormat>>();

/** The formats this ffmpeg can write: WAV always, MP3 with libmp3lame, Opus with libopus. */
function listEncoders(ffmpeg: string): Set<StressFormat> {
  const cached = encoderCache.get(ffmpeg);
  if (cached) return cached;
  const probe = spawnSync(ffmpeg, ["-hide_banner", "-encoders"], { encoding: "utf8", timeout: 10_000 });
  const listing = probe.stdout ?? "";
  const found = new Set<StressFormat>(["wav"]);
  if (/\blibmp3lame\b/.test(listing)) found.add("mp3");
  if (/\blibopus\b/.test(listing)) found.add("opus");
  encoderCache.set(ffmpeg, found);
  return found;
}

function runFfmpeg(
  ffmpeg: string,
  args: string[],
  input?: Buffer,
): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < 16_384) stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ stdout: Buffer.concat(chunks), stderr, code }));
    // ffmpeg closing its input early shows up as its exit code; the EPIPE adds nothing.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
) {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Fisher-Yates, in place. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function slack(words: number): number {
  return 2 + Math.ceil(words * 0.1);
}

function toSamples(seconds: number): number {
  return Math.round(seconds * sampleRate);
}

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
