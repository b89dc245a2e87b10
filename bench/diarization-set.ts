/**
 * Diarization cases for `npm run bench:diarization`, all from the shared evaluation set: its
 * multi-speaker recordings with their RTTM, the 5 min 46 s concatenation (11 voices, one of them
 * recurring 32 times) with turns from its segment list, conversations generated from the WER
 * clips (speakers taking turns again and again, 1 to 4 voices), and the real conversations again
 * with noise, a quiet level and telephone bandwidth. Same clips, same files.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { decodeToPcm, resolveFfmpeg } from "@/lib/audio/ffmpeg";
import { PCM_SAMPLE_RATE, float32ToInt16, int16ToFloat32 } from "@/lib/audio/pcm";

/** One speaker turn of a reference. */
export interface ReferenceTurn {
  start: number;
  end: number;
  speaker: string;
}

/** A case: 16 kHz mono PCM on disk with who spoke when. */
export interface DiarizationCase {
  id: string;
  group: "eval" | "long" | "generated" | "degraded";
  pcmPath: string;
  durationSec: number;
  speakers: number;
  reference: ReferenceTurn[];
}

interface ManifestFile {
  id: string;
  path: string;
  kind: string;
  group: string;
  speakers: string[];
  rttm: string | null;
}

/** Reads RTTM text into turns. */
export function parseRttm(text: string): ReferenceTurn[] {
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[0] === "SPEAKER")
    .map((fields) => ({
      start: Number(fields[3]),
      end: Number(fields[3]) + Number(fields[4]),
      speaker: fields[7]!,
    }));
}

/** Writes turns as RTTM for file `id`. */
export function formatRttm(id: string, turns: ReferenceTurn[]): string {
  return turns
    .map(
      (turn) =>
        `SPEAKER ${id} 1 ${turn.start.toFixed(3)} ${(turn.end - turn.start).toFixed(3)} <NA> <NA> ${turn.speaker} <NA> <NA>\n`,
    )
    .join("");
}

function readSamples(pcmPath: string): Float32Array {
  return int16ToFloat32(fs.readFileSync(pcmPath));
}

function writeSamples(pcmPath: string, samples: Float32Array): void {
  fs.writeFileSync(pcmPath, float32ToInt16(samples));
}

/** A seeded generator, so every run builds the same files. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A clip cut at its pauses (10 ms energy below 3 % of the peak for ≥ 0.2 s) into pieces of ≥ 1 s. */
function splitAtPauses(samples: Float32Array): Float32Array[] {
  const hop = 160;
  const energy = Array.from({ length: Math.floor(samples.length / hop) }, (_, i) => {
    let sum = 0;
    for (let j = i * hop; j < (i + 1) * hop; j++) sum += samples[j]! ** 2;
    return Math.sqrt(sum / hop);
  });
  const threshold = Math.max(Math.max(...energy) * 0.03, 1e-4);
  const runs: Array<[number, number]> = [];
  let last = -Infinity;
  energy.forEach((value, i) => {
    if (value <= threshold) return;
    if (i - last > 20 || runs.length === 0) runs.push([i, i + 1]);
    else runs.at(-1)![1] = i + 1;
    last = i;
  });
  const pieces: Float32Array[] = [];
  let current: [number, number] | null = null;
  for (const run of runs) {
    if (!current) current = [...run];
    else if (current[1] - current[0] < 100) current[1] = run[1];
    else {
      pieces.push(samples.slice(Math.max(0, current[0] * hop - 800), current[1] * hop + 800));
      current = [...run];
    }
  }
  if (current) pieces.push(samples.slice(Math.max(0, current[0] * hop - 800), current[1] * hop + 800));
  return pieces;
}

function conversation(
  id: string,
  voices: Map<string, Float32Array[]>,
  names: string[],
  maxSec: number,
  seed: number,
  workDir: string,
): DiarizationCase {
  const next = random(seed);
  const silence = (sec: number) => new Float32Array(Math.round(sec * PCM_SAMPLE_RATE));
  const parts: Float32Array[] = [silence(0.5)];
  const reference: ReferenceTurn[] = [];
  const used = new Map(names.map((name) => [name, 0]));
  let time = 0.5;
  let previous: string | null = null;
  while (time < maxSec) {
    const available = names.filter(
      (name) => used.get(name)! < voices.get(name)!.length && (name !== previous || names.length === 1),
    );
    if (available.length === 0) break;
    const name = available[Math.floor(next() * available.length)]!;
    const pieces = 1 + Math.floor(next() * 2);
    for (let p = 0; p < pieces && used.get(name)! < voices.get(name)!.length; p++) {
      const piece = voices.get(name)![used.get(name)!]!;
      used.set(name, used.get(name)! + 1);
      reference.push({ start: time, end: time + piece.length / PCM_SAMPLE_RATE, speaker: name });
      parts.push(piece);
      time += piece.length / PCM_SAMPLE_RATE;
      const pause = 0.05 + next() * 0.2;
      parts.push(silence(pause));
      time += pause;
    }
    const gap = 0.2 + next() * 0.6;
    parts.push(silence(gap));
    time += gap;
    previous = name;
  }
  parts.push(silence(0.5));
  const samples = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  const pcmPath = path.join(workDir, `${id}.pcm`);
  writeSamples(pcmPath, samples);
  return {
    id,
    group: "generated",
    pcmPath,
    durationSec: samples.length / PCM_SAMPLE_RATE,
    speakers: new Set(reference.map((turn) => turn.speaker)).size,
    reference,
  };
}

function degrade(
  source: DiarizationCase,
  kind: "noise" | "quiet" | "phone",
  workDir: string,
  ffmpegPath: string | undefined,
): DiarizationCase {
  const id = `${source.id}+${kind}`;
  const pcmPath = path.join(workDir, `${id}.pcm`);
  const samples = readSamples(source.pcmPath);
  if (kind === "phone") {
    const { status, stderr } = spawnSync(
      resolveFfmpeg(ffmpegPath).path,
      [
        ...["-hide_banner", "-loglevel", "error", "-y", "-f", "s16le", "-ar", "16000", "-ac", "1"],
        ...["-i", source.pcmPath, "-af", "highpass=f=300,lowpass=f=3400,aresample=8000,aresample=16000"],
        ...["-f", "s16le", "-acodec", "pcm_s16le", pcmPath],
      ],
      { encoding: "utf8" },
    );
    if (status !== 0) throw new Error(`ffmpeg could not make ${id}: ${stderr}`);
    return { ...source, id, group: "degraded", pcmPath };
  }
  const next = random(7);
  let power = 0;
  for (const sample of samples) power += sample * sample;
  const noiseRms = Math.sqrt(power / samples.length) / 10 ** (15 / 20);
  const out = samples.map((sample) => {
    if (kind === "quiet") return sample * 10 ** (-20 / 20);
    const gaussian = Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
    return Math.max(-1, Math.min(1, sample + noiseRms * gaussian));
  });
  writeSamples(pcmPath, out);
  return { ...source, id, group: "degraded", pcmPath };
}

/** Builds every case into `workDir`. */
export async function buildDiarizationSet(
  evalDir: string,
  workDir: string,
  ffmpegPath: string | undefined,
): Promise<DiarizationCase[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(evalDir, "manifest.json"), "utf8")) as {
    files: ManifestFile[];
  };
  const decode = async (file: string, id: string) => {
    const pcm = await decodeToPcm(file, path.join(workDir, `${id}.pcm`), {
      ffmpegPath,
      maxDurationSec: 3600,
    });
    return pcm;
  };
  const cases: DiarizationCase[] = [];
  for (const file of manifest.files.filter((entry) => entry.kind === "diarization" && entry.rttm)) {
    const pcm = await decode(path.join(evalDir, file.path), file.id);
    cases.push({
      id: file.id,
      group: "eval",
      pcmPath: pcm.path,
      durationSec: pcm.durationSec,
      speakers: file.speakers.length,
      reference: parseRttm(fs.readFileSync(path.join(evalDir, file.rttm!), "utf8")),
    });
  }

  const longTsv = path.join(evalDir, "hard", "long_concat_5min46s.segments.tsv");
  if (fs.existsSync(longTsv)) {
    const reference = fs
      .readFileSync(longTsv, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split("\t"))
      .map(([start, end, speaker]) => ({ start: Number(start), end: Number(end), speaker: speaker! }));
    const pcm = await decode(path.join(evalDir, "hard", "long_concat_5min46s.mp3"), "long_concat");
    cases.push({
      id: "long_concat",
      group: "long",
      pcmPath: pcm.path,
      durationSec: pcm.durationSec,
      speakers: new Set(reference.map((turn) => turn.speaker)).size,
      reference,
    });
  }

  const voices = new Map<string, Float32Array[]>();
  for (const file of manifest.files.filter(
    (entry) => entry.kind === "wer" && (entry.group === "librispeech" || entry.group === "ljspeech"),
  )) {
    const pcm = await decode(path.join(evalDir, file.path), `clip-${file.id}`);
    const speaker = file.speakers[0]!;
    voices.set(speaker, [...(voices.get(speaker) ?? []), ...splitAtPauses(readSamples(pcm.path))]);
    fs.rmSync(pcm.path);
  }
  const plans: Array<[string, string[], number]> = [
    ["conv_1spk_lj", ["lj"], 60],
    ["conv_1spk_ls1221", ["ls-1221"], 60],
    ["conv_2spk_a", ["lj", "ls-1221"], 60],
    ["conv_2spk_b", ["ls-2412", "ls-1089"], 60],
    ["conv_3spk", ["lj", "ls-1221", "ls-2412"], 70],
    ["conv_4spk", ["lj", "ls-1221", "ls-2412", "ls-1089"], 70],
  ];
  plans.forEach(([id, names, maxSec], i) => {
    if (names.every((name) => voices.has(name)))
      cases.push(conversation(id, voices, names, maxSec, i + 1, workDir));
  });

  for (const id of ["pyannote_sample", "picovoice_3spk", "synthetic_conversation_7spk"]) {
    const source = cases.find((entry) => entry.id === id);
    if (!source) continue;
    for (const kind of ["noise", "quiet", "phone"] as const)
      cases.push(degrade(source, kind, workDir, ffmpegPath));
  }
  return cases;
}
