import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Where the fake microphone's input lives: jfk.wav with a second of silence at both ends. */
export const fakeMicFile = path.resolve(__dirname, "..", "..", "test-results", "fake-mic.wav");

export default function globalSetup() {
  fs.mkdirSync(path.dirname(fakeMicFile), { recursive: true });
  execFileSync("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-y"],
    ...["-i", path.resolve(__dirname, "..", "fixtures", "jfk.wav")],
    ...["-af", "adelay=1000,apad=pad_dur=1.5", "-ac", "1", "-ar", "48000", "-c:a", "pcm_s16le", fakeMicFile],
  ]);
}
