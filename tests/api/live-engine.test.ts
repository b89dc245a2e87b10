// Live transcription on the real engine: jfk.wav streamed twice in 100 ms chunks through the
// engine's live transcription (its VAD stream and live decodes), while a file job runs on
// the same model. Finals hold the speech; agreed words never change; live is not starved.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeToPcm } from "@/lib/audio/ffmpeg";
import { readPcm } from "@/lib/audio/pcm";
import { parseConfig } from "@/lib/config";
import { createSpeechEngine, type SpeechEngine } from "@/lib/speech";
import type { LiveEvent } from "@/lib/speech";
import { fixtures } from "../helpers/api";
import { findFfmpeg, runFfmpeg } from "../helpers/ffmpeg";
import { wordErrorRate } from "../helpers/wer";

const jfkText = fs.readFileSync(path.join(fixtures, "jfk.txt"), "utf8");
let workDir: string;
let engine: SpeechEngine;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "live-engine-"));
  engine = createSpeechEngine(parseConfig(process.env).speech);
});

afterAll(async () => {
  await engine.close?.();
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function pcmOf(args: string[], name: string) {
  const file = path.join(workDir, name);
  runFfmpeg([...args, file]);
  return decodeToPcm(file, path.join(workDir, `${name}.pcm`), {
    ffmpegPath: findFfmpeg(),
    maxDurationSec: 3600,
  });
}

describe("live transcription on the local engine", () => {
  it("transcribes a stream utterance by utterance, without starving behind a file job", async () => {
    const jfk = path.join(fixtures, "jfk.wav");
    const speech = await pcmOf(["-i", jfk], "speech.wav");
    const spoken = await readPcm(speech, 0, speech.samples);
    // Silence, the speech, a pause, the speech again, silence (built here: old ffmpeg builds lack
    // the filters for it).
    const silence = (seconds: number) => new Float32Array(seconds * 16_000);
    const parts = [silence(1), spoken, silence(1.5), spoken, silence(1)];
    const samples = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
    parts.reduce((at, part) => (samples.set(part, at), at + part.length), 0);
    const file = await pcmOf(["-stream_loop", "59", "-i", jfk], "file.wav");
    await engine.warmUp();

    const events: LiveEvent[] = [];
    const times: { final: number[]; fileDone: number } = { final: [], fileDone: 0 };
    const transcriber = engine.startLive!({
      language: "en-US",
      diarize: false,
      emit: (event) => {
        events.push(event);
        if (event.type === "final") times.final.push(Date.now());
      },
    });
    const fileJob = engine
      .transcribe(file, { language: "en-US", diarize: false })
      .then(() => (times.fileDone = Date.now()));
    // At real-time pace, as a microphone: partials are decoded while speech goes on.
    const started = Date.now();
    for (let at = 0; at < samples.length; at += 1_600) {
      const due = started + (at / 16_000) * 1000;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      await transcriber.push(samples.slice(at, at + 1_600));
    }
    const finals = await transcriber.finish();
    await fileJob;

    const text = finals.map((segment) => segment.text).join(" ");
    // Short utterances give Whisper less context than 30 s windows: 9 % here ("so am I fellow").
    expect(wordErrorRate(`${jfkText} ${jfkText}`, text)).toBeLessThanOrEqual(0.12);
    expect(finals[0]!.start).toBeGreaterThanOrEqual(0.5);
    for (let i = 1; i < finals.length; i++)
      expect(finals[i]!.start).toBeGreaterThanOrEqual(finals[i - 1]!.end - 0.01);
    // Live decodes went ahead of the file job's windows: its first final came long before the job ended.
    expect(times.final[0]!).toBeLessThan(times.fileDone);
    // The first utterance ends about 12 s into the stream: its final follows within seconds.
    expect(times.final[0]! - started).toBeLessThan(12_000 + 6_000);

    const partials = events.filter((event) => event.type === "partial");
    // However busy the machine (another test file runs beside this one), speech gets partials.
    expect(partials.length).toBeGreaterThanOrEqual(2);
    let stable = "";
    let start = -1;
    for (const event of events) {
      if (event.type === "final") {
        stable = "";
        start = -1;
        continue;
      }
      if (event.start !== start) [stable, start] = ["", event.start];
      expect(event.stable.startsWith(stable)).toBe(true);
      stable = event.stable;
    }
  });
});
