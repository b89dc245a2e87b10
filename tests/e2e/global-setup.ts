import fs from "node:fs";
import path from "node:path";
import { runFfmpeg } from "../helpers/ffmpeg";

/** Where the fake microphone's input lives: jfk.wav with a second of silence at both ends. */
export const fakeMicFile = path.resolve(__dirname, "..", "..", "test-results", "fake-mic.wav");

// apad counts samples at jfk.wav's 16 kHz (1.5 s): the bundled 2018 ffmpeg has no pad_dur.
const silenceAround = "adelay=1000,apad=pad_len=24000";

export default function globalSetup() {
  fs.mkdirSync(path.dirname(fakeMicFile), { recursive: true });
  runFfmpeg([
    ...["-i", path.resolve(__dirname, "..", "fixtures", "jfk.wav")],
    ...["-af", silenceAround, "-ac", "1", "-ar", "48000", "-c:a", "pcm_s16le", fakeMicFile],
  ]);
}
