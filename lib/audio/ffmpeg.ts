import { spawn } from "node:child_process";
import { accessSync, constants, createWriteStream, statSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { programSearchPath } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { PCM_SAMPLE_RATE, type PcmAudio } from "./pcm";

/** Which ffmpeg binary is used, and why. */
export interface FfmpegBinary {
  path: string;
  source: "configured" | "system" | "bundled";
}

let resolved: FfmpegBinary | null = null;

/**
 * Finds ffmpeg: the configured `FFMPEG_PATH`, else the one on PATH, else the (2018) build
 * shipped by `@ffmpeg-installer/ffmpeg`.
 */
export function resolveFfmpeg(configuredPath?: string): FfmpegBinary {
  if (configuredPath) return { path: configuredPath, source: "configured" };
  if (resolved) return resolved;
  const system = findExecutable("ffmpeg");
  if (system) {
    resolved = { path: system, source: "system" };
  } else {
    const require = createRequire(path.join(process.cwd(), "package.json"));
    const installer = require("@ffmpeg-installer/ffmpeg") as { path: string };
    resolved = { path: installer.path, source: "bundled" };
  }
  return resolved;
}

/** The first executable file called `name` in the PATH's folders, or null. */
function findExecutable(name: string): string | null {
  for (const folder of programSearchPath()) {
    const candidate = path.join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

/** Options for {@link decodeToPcm}. */
export interface DecodeOptions {
  ffmpegPath?: string;
  /** Longer audio is refused with 413 `audio_too_long`. */
  maxDurationSec: number;
  signal?: AbortSignal;
}

/**
 * Decodes the first audio track of any container ffmpeg reads into 16 kHz mono s16le PCM,
 * streamed straight to `outputPath` (never held in memory). Failures become 422 errors a
 * person can read; audio over the limit becomes 413.
 */
export async function decodeToPcm(
  inputPath: string,
  outputPath: string,
  options: DecodeOptions,
): Promise<PcmAudio> {
  const ffmpeg = resolveFfmpeg(options.ffmpegPath);
  const limit = options.maxDurationSec + 1;
  const child = spawn(
    /* turbopackIgnore: true */ ffmpeg.path,
    [
      ...["-hide_banner", "-nostdin", "-loglevel", "error", "-i", inputPath],
      ...["-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", String(PCM_SAMPLE_RATE)],
      ...["-t", String(limit), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"],
    ],
    { stdio: ["ignore", "pipe", "pipe"], signal: options.signal },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    if (stderr.length < 16_384) stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  try {
    await pipeline(child.stdout, createWriteStream(outputPath));
  } catch (error) {
    child.kill("SIGKILL");
    await exited.catch(() => undefined);
    if (options.signal?.aborted) throw options.signal.reason;
    throw new AppError("internal", "The decoded audio could not be written.", { cause: error });
  }
  const code = await exited.catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AppError("engine_unavailable", "ffmpeg is not installed or FFMPEG_PATH is wrong.", {
        cause: error,
      });
    }
    throw error;
  });
  const { size } = await fs.stat(outputPath);
  const samples = Math.floor(size / 2);
  if (code !== 0) {
    throw new AppError("undecodable_audio", explainFailure(stderr), {
      cause: new Error(`ffmpeg exited with ${code}: ${stderr.slice(0, 500)}`),
    });
  }
  if (samples === 0) {
    throw new AppError("undecodable_audio", "The file contains no audio that could be decoded.");
  }
  const durationSec = samples / PCM_SAMPLE_RATE;
  if (durationSec > options.maxDurationSec) throw audioTooLong(options.maxDurationSec);
  return { path: outputPath, sampleRate: PCM_SAMPLE_RATE, samples, durationSec };
}

function explainFailure(stderr: string): string {
  if (/matches no streams|does not contain any stream|Output file #0 does not contain/i.test(stderr)) {
    return "The file has no audio track.";
  }
  if (
    /Invalid data found|could not find codec|Unknown format|moov atom not found|EBML header parsing failed/i.test(
      stderr,
    )
  ) {
    return "The file could not be decoded: it looks damaged or is not a supported audio format.";
  }
  return "The file could not be decoded as audio.";
}

function formatMinutes(seconds: number): string {
  const minutes = seconds / 60;
  return minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.round(minutes)} min`;
}

/** What a quick look at the start of a file found. */
export interface AudioProbe {
  /** Duration the container declares, when it declares one. */
  declaredDurationSec: number | null;
}

/**
 * Decodes the first two seconds to check that the file has a decodable audio track, and reads
 * the duration the container declares. Fails with 422 (`undecodable_audio`) like {@link decodeToPcm}.
 */
export async function probeAudio(inputPath: string, options: { ffmpegPath?: string }): Promise<AudioProbe> {
  const ffmpeg = resolveFfmpeg(options.ffmpegPath);
  const child = spawn(
    /* turbopackIgnore: true */ ffmpeg.path,
    [
      ...["-hide_banner", "-nostdin", "-i", inputPath, "-map", "0:a:0", "-vn", "-ac", "1"],
      ...["-ar", String(PCM_SAMPLE_RATE), "-t", "2", "-f", "s16le", "pipe:1"],
    ],
    { stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 },
  );
  let decodedBytes = 0;
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (decodedBytes += chunk.length));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    if (stderr.length < 32_768) stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new AppError("engine_unavailable", "ffmpeg is not installed or FFMPEG_PATH is wrong.", {
              cause: error,
            })
          : error,
      ),
    );
    child.once("close", resolve);
  });
  if (code !== 0 || decodedBytes === 0) {
    throw new AppError(
      "undecodable_audio",
      decodedBytes === 0 && code === 0
        ? "The file contains no audio that could be decoded."
        : explainFailure(stderr),
      {
        cause: new Error(`ffmpeg probe exited with ${code}: ${stderr.slice(-500)}`),
      },
    );
  }
  const match = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  const declaredDurationSec = match
    ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])
    : null;
  return { declaredDurationSec };
}

/** The 413 error for audio over the duration limit. */
export function audioTooLong(maxDurationSec: number): AppError {
  return new AppError(
    "audio_too_long",
    `The audio is longer than the limit of ${formatMinutes(maxDurationSec)}. Split it into shorter files.`,
  );
}
