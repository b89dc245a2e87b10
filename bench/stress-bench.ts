/**
 * Runs a speech engine over a stress set and checks the invariants a user relies on: every
 * clip is in the transcript (coverage), nothing loops (word count within what the audio holds,
 * no long repeats), and a long file is transcribed as well as its clips one by one.
 */
import fs from "node:fs";
import path from "node:path";
import { decodeToPcm } from "@/lib/audio/ffmpeg";
import { loadConfig } from "@/lib/config";
import type { SpeechEngine, SpeechResult } from "@/lib/speech/types";
import { checkCoverage, countWords, findRepetition } from "./stress-check";
import { generateStressSet, listStressClips, type StressFile } from "./stress-set";

/** Seconds of the file kept around a piece when it is transcribed alone. */
const PIECE_MARGIN_SEC = 0.15;

/** Word error rate of a hypothesis against a reference, 0..1. */
export type WerScorer = (reference: string, hypothesis: string) => number;

/** Figures for one stress file. */
export interface StressFileReport {
  id: string;
  kind: StressFile["kind"];
  format: StressFile["format"];
  audioSec: number;
  realTimeFactor: number;
  /** WER against the reference (concatenations only: a cut file's reference is approximate). */
  wer: number | null;
  words: number;
  maxWords: number;
  /** Longest run of one word or phrase repeated back to back. */
  longestRepeat: { ngram: string; repeats: number } | null;
  /** Clips (not cut short) with no transcript over them. */
  uncoveredPieces: { clipId: string; start: number; end: number }[];
  /** Speech the engine itself reports as not transcribed. */
  engineUncovered: NonNullable<SpeechResult["uncovered"]>;
  decoding: SpeechResult["decoding"] | null;
  /** More words than the audio holds, or a word said 4+ times / a phrase 3+ times in a row. */
  loop: boolean;
  /** True when an invariant failed: uncovered clips or a loop. */
  failed: boolean;
}

/** The whole run, with totals. */
export interface StressReport {
  files: StressFileReport[];
  /** The concatenations' reference, transcript as long files, and transcripts piece by piece. */
  comparison: { reference: string; whole: string; alone: string } | null;
  summary: {
    files: number;
    audioSec: number;
    realTimeFactor: number;
    failedFiles: string[];
    uncoveredPieces: number;
    pieces: number;
    loops: number;
    /** WER over all concatenations together. */
    concatWer: number | null;
    /**
     * WER of the same pieces transcribed one by one: each clip cut out of the concatenation
     * (same level, same encoding), so that only the long-file decoding differs.
     */
    clipByClipWer: number | null;
    retriedWindows: number;
    windows: number;
    decodes: number;
  };
}

/** Decodes a file (any format) to 16 kHz PCM and transcribes it; `pieces` are also transcribed alone. */
export async function transcribeFile(
  engine: SpeechEngine,
  file: string,
  workDir: string,
  options: { ffmpegPath?: string; pieces?: readonly { start: number; end: number }[] } = {},
): Promise<{ result: SpeechResult; ms: number; audioSec: number; pieceTexts: string[] }> {
  const pcmPath = path.join(workDir, `${path.basename(file)}.pcm`);
  const piecePath = path.join(workDir, `${path.basename(file)}.piece.pcm`);
  const request = { language: "en-US", diarize: false };
  try {
    const pcm = await decodeToPcm(file, pcmPath, {
      maxDurationSec: 4 * 3600,
      ffmpegPath: options.ffmpegPath,
    });
    const started = performance.now();
    const result = await engine.transcribe(pcm, request);
    const ms = performance.now() - started;
    const pieceTexts: string[] = [];
    const whole = options.pieces?.length ? fs.readFileSync(pcmPath) : null;
    for (const piece of options.pieces ?? []) {
      const from = Math.max(0, Math.round((piece.start - PIECE_MARGIN_SEC) * pcm.sampleRate));
      const to = Math.min(pcm.samples, Math.round((piece.end + PIECE_MARGIN_SEC) * pcm.sampleRate));
      fs.writeFileSync(piecePath, whole!.subarray(from * 2, to * 2));
      const alone = {
        ...pcm,
        path: piecePath,
        samples: to - from,
        durationSec: (to - from) / pcm.sampleRate,
      };
      pieceTexts.push((await engine.transcribe(alone, request)).text);
    }
    return { result, ms, audioSec: pcm.durationSec, pieceTexts };
  } finally {
    fs.rmSync(pcmPath, { force: true });
    fs.rmSync(piecePath, { force: true });
  }
}

/** A loop: one word 4+ times or a phrase 3+ times in a row, or more words than the audio holds. */
function isRunaway(text: string, maxWords: number): boolean {
  const repetition = findRepetition(text);
  const looping = repetition !== null && repetition.repeats >= (repetition.n === 1 ? 4 : 3);
  return looping || countWords(text) > maxWords;
}

/** Runs the engine over every file of the set and, for the WER comparison, over every piece of the concatenations. */
export async function runStressBench(options: {
  engine: SpeechEngine;
  files: readonly StressFile[];
  scoreWer: WerScorer;
  workDir: string;
  ffmpegPath?: string;
  onFile?: (report: StressFileReport) => void;
}): Promise<StressReport> {
  const { engine, files, scoreWer, workDir, ffmpegPath } = options;
  const reports: StressFileReport[] = [];
  const texts = new Map<string, string>();
  const piecesAlone = new Map<string, string>();
  let totalMs = 0;
  let totalAudio = 0;
  for (const file of files) {
    const { result, ms, audioSec, pieceTexts } = await transcribeFile(engine, file.path, workDir, {
      ffmpegPath,
      pieces: file.kind === "concat" ? file.pieces : [],
    });
    totalMs += ms;
    totalAudio += audioSec;
    const coverage = checkCoverage(file.pieces, result.segments);
    const repetition = findRepetition(result.text);
    const words = countWords(result.text);
    const loop = isRunaway(result.text, file.maxWords);
    const report: StressFileReport = {
      id: file.id,
      kind: file.kind,
      format: file.format,
      audioSec: round(audioSec, 1),
      realTimeFactor: round(audioSec / (ms / 1000), 1),
      wer: file.kind === "concat" ? round(scoreWer(file.reference, result.text) * 100, 2) : null,
      words,
      maxWords: file.maxWords,
      longestRepeat: repetition ? { ngram: repetition.ngram, repeats: repetition.repeats } : null,
      uncoveredPieces: coverage.uncovered.map(({ piece }) => ({
        clipId: piece.clipId,
        start: round(piece.start, 2),
        end: round(piece.end, 2),
      })),
      engineUncovered: result.uncovered ?? [],
      decoding: result.decoding ?? null,
      loop,
      failed: coverage.uncovered.length > 0 || loop,
    };
    reports.push(report);
    texts.set(file.id, result.text);
    if (file.kind === "concat") piecesAlone.set(file.id, pieceTexts.join("\n"));
    options.onFile?.(report);
  }

  const concats = files.filter((file) => file.kind === "concat");
  const comparison =
    concats.length > 0
      ? {
          reference: concats.map((file) => file.pieces.map((piece) => piece.text).join("\n")).join("\n"),
          whole: concats.map((file) => texts.get(file.id) ?? "").join("\n"),
          alone: concats.map((file) => piecesAlone.get(file.id) ?? "").join("\n"),
        }
      : null;
  const concatWer = comparison ? round(scoreWer(comparison.reference, comparison.whole) * 100, 2) : null;
  const clipByClipWer = comparison ? round(scoreWer(comparison.reference, comparison.alone) * 100, 2) : null;

  const sum = (pick: (report: StressFileReport) => number) =>
    reports.reduce((total, report) => total + pick(report), 0);
  return {
    files: reports,
    comparison,
    summary: {
      files: reports.length,
      audioSec: round(totalAudio, 1),
      realTimeFactor: round(totalAudio / (totalMs / 1000), 1),
      failedFiles: reports.filter((report) => report.failed).map((report) => report.id),
      uncoveredPieces: sum((report) => report.uncoveredPieces.length),
      pieces: files.reduce((total, file) => total + file.pieces.filter((piece) => !piece.partial).length, 0),
      loops: reports.filter((report) => report.loop).length,
      concatWer,
      clipByClipWer,
      retriedWindows: sum((report) => report.decoding?.retried ?? 0),
      windows: sum((report) => report.decoding?.windows ?? 0),
      decodes: sum((report) => report.decoding?.decodes ?? 0),
    },
  };
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/**
 * Builds the stress set (deterministic from `seed`) from the shared evaluation clips, or the
 * project's fixture alone when they are absent, and runs the engine over it.
 */
export async function benchStressSet(options: {
  engine: SpeechEngine;
  workDir: string;
  scoreWer: WerScorer;
  seed?: number;
  quick?: boolean;
  onFile?: (report: StressFileReport) => void;
}): Promise<StressReport> {
  const config = loadConfig();
  const clips = listStressClips(path.resolve(__dirname, ".."));
  const files = await generateStressSet({
    outDir: path.join(options.workDir, "stress-set"),
    seed: options.seed ?? 1,
    clips,
    quick: options.quick,
    ffmpegPath: config.audio.ffmpegPath,
  });
  return runStressBench({
    engine: options.engine,
    files,
    scoreWer: options.scoreWer,
    workDir: options.workDir,
    ffmpegPath: config.audio.ffmpegPath,
    onFile: options.onFile,
  });
}
