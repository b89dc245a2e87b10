// ffmpeg for the Jest tests and the browser tests' setup, found the way the app finds it.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { resolveFfmpeg } from "@/lib/audio/ffmpeg";
import { loadConfig } from "@/lib/config";

const execFileAsync = promisify(execFile);
const quiet = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"];
const maxBuffer = 64 * 1024 * 1024;

/**
 * The ffmpeg the app would run: `FFMPEG_PATH`, else the one on PATH, else the bundled 2018 build.
 * Whatever the tests make with it must therefore work with that old build too.
 */
export function findFfmpeg(): string {
  return resolveFfmpeg(loadConfig().audio.ffmpegPath).path;
}

/** Runs ffmpeg with `args` (errors only on stderr, outputs overwritten); returns its stdout. */
export function runFfmpeg(args: string[]): Buffer {
  return execFileSync(findFfmpeg(), [...quiet, ...args], { maxBuffer });
}

/** {@link runFfmpeg} without blocking, so that several files can be made at once. */
export async function runFfmpegAsync(args: string[]): Promise<Buffer> {
  const { stdout } = await execFileAsync(findFfmpeg(), [...quiet, ...args], {
    encoding: "buffer",
    maxBuffer,
  });
  return stdout;
}
