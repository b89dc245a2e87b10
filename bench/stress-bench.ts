/**
 * Runs a speech engine over a stress set and checks the invariants a user relies on: every
 * clip is in the transcript (coverage), nothing loops (word count within what the audio holds,
 * no long repeats), and a long file is transcribed as well as its clips one by one.
 */
import fs from "node:fs";
import path from "node:path";
import { decodeToPcm } from "@/lib/audio/ffmpeg";
import type { SpeechEngine, SpeechResult } from "@/lib/speech/types";
import { checkCoverage, countWords, findRepetition } from "./stress-check";
import type { StressClip, StressFile } from "./stress-set";

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
    /** WER of the same clips transcribed one by one (each clip weighted by its uses). */
    clipByClipWer: number | null;
    retriedWindows: number;
    windows: number;
    decodes: number;
  };
}

/** Transcribes one file (any format) with the engine. */
export async function transcribeFile(
  engine: SpeechEngine,
  file: string,
  workDir: string,
  ffmpegPath?: string,
): Promise<{ result: SpeechResult; ms: number; audioSec: number }> {
  const pcmPath = path.join(workDir, `${path.basename(file)}.pcm`);
  try {
    const pcm = await decodeToPcm(file, pcmPath, { maxDurationSec: 4 * 3600, ffmpegPath });
    const started = performance.now();
    const result = await engine.transcribe(pcm, { language: "en-US", diarize: false });
    return { result, ms: performance.now() - started, audioSec: pcm.durationSec };
  } finally {
    fs.rmSync(pcmPath, { force: true });
  }
}

/** A loop: one word 4+ times or a phrase 3+ times in a row, or more words than the audio holds. */
function isRunaway(text: string, maxWords: number): boolean {
  const repetition = findRepetition(text);
  const looping = repetition !== null && repetition.repeats >= (repetition.n === 1 ? 4 : 3);
  return looping || countWords(text) > maxWords;
}

/** Runs the engine over every file of the set and, for the WER comparison, over every clip used. */
export async function runStressBench(options: {
  engine: SpeechEngine;
  files: readonly StressFile[];
  clips: readonly StressClip[];
  scoreWer: WerScorer;
  workDir: string;
  ffmpegPath?: string;
  onFile?: (report: StressFileReport) => void;
}): Promise<StressReport> {
  const { engine, files, scoreWer, workDir, ffmpegPath } = options;
  const reports: StressFileReport[] = [];
  const texts = new Map<string, string>();
  let totalMs = 0;
  let totalAudio = 0;
  for (const file of files) {
    const { result, ms, audioSec } = await transcribeFile(engine, file.path, workDir, ffmpegPath);
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
    options.onFile?.(report);
  }

  const concats = files.filter((file) => file.kind === "concat");
  const used = new Map<string, number>();
  for (const file of concats)
    for (const piece of file.pieces) used.set(piece.clipId, (used.get(piece.clipId) ?? 0) + 1);
  let clipByClipWer: number | null = null;
  let concatWer: number | null = null;
  if (concats.length > 0) {
    const byClip = new Map<string, string>();
    for (const clip of options.clips.filter((candidate) => used.has(candidate.id))) {
      byClip.set(clip.id, (await transcribeFile(engine, clip.path, workDir, ffmpegPath)).result.text);
    }
    const clips = options.clips.filter((clip) => used.has(clip.id));
    const repeated = (pick: (clip: StressClip) => string) =>
      clips.flatMap((clip) => Array.from({ length: used.get(clip.id)! }, () => pick(clip))).join("\n");
    clipByClipWer = round(
      scoreWer(
        repeated((clip) => clip.text),
        repeated((clip) => byClip.get(clip.id)!),
      ) * 100,
      2,
    );
    const references = concats.map((file) => file.reference).join("\n");
    const hypotheses = concats.map((file) => texts.get(file.id) ?? "").join("\n");
    concatWer = round(scoreWer(references, hypotheses) * 100, 2);
  }

  const sum = (pick: (report: StressFileReport) => number) =>
    reports.reduce((total, report) => total + pick(report), 0);
  return {
    files: reports,
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
