// Offline speaker diarization on real speech through the API: a conversation built from the
// committed fixtures (a synthetic voice, President Kennedy, then the synthetic voice twice more)
// is uploaded with diarize=true and comes back with two speakers at the right places; one voice alone stays one speaker; the health report says the local engine identifies speakers.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GET as getHealth } from "@/app/api/health/route";
import { decodeToPcm } from "@/lib/audio/ffmpeg";
import { float32ToInt16, readPcm } from "@/lib/audio/pcm";
import { encodeWav } from "@/lib/audio/wav";
import { configure, fixtures, readFixture, upload, waitForJob } from "../helpers/api";
import { findFfmpeg } from "../helpers/ffmpeg";

interface Transcript {
  segments: Array<{ start: number; end: number; text: string; speaker?: string }>;
  settings: { diarize: boolean; speakers?: number };
}

let workDir: string;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "diarization-api-"));
  await configure({ DATA_DIR: path.join(workDir, "data") });
});

afterAll(async () => {
  await configure({});
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function samplesOf(name: string): Promise<Float32Array> {
  const pcm = await decodeToPcm(path.join(fixtures, name), path.join(workDir, `${name}.pcm`), {
    ffmpegPath: findFfmpeg(),
    maxDurationSec: 600,
  });
  return readPcm(pcm, 0, pcm.samples);
}

/** The clips one after the other with 0.8 s pauses; answers the WAV and each clip's span. */
async function conversation(names: string[]) {
  const parts: Float32Array[] = [new Float32Array(8_000)];
  const spans: Array<{ name: string; start: number; end: number }> = [];
  let at = 0.5;
  for (const name of names) {
    const samples = await samplesOf(name);
    spans.push({ name, start: at, end: at + samples.length / 16_000 });
    parts.push(samples, new Float32Array(12_800));
    at += samples.length / 16_000 + 0.8;
  }
  const all = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((offset, part) => (all.set(part, offset), offset + part.length), 0);
  const bytes = float32ToInt16(all);
  return {
    wav: encodeWav(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2), 16_000),
    spans,
  };
}

async function transcribe(wav: Buffer, fields: Record<string, string>): Promise<Transcript> {
  const response = await upload(wav, { name: "talk.wav", fields: { language: "en-US", ...fields } });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const { body } = await waitForJob(id, 120_000);
  expect(body.status).toBe("succeeded");
  return body.transcript as Transcript;
}

describe("speaker diarization with the local engine", () => {
  it("is offered by the engine", async () => {
    const health = (await (await getHealth(new Request("http://localhost/api/health"), {})).json()) as {
      engines: { speech: { diarization: boolean } };
    };
    expect(health.engines.speech.diarization).toBe(true);
  });

  it("labels a two-voice conversation with two speakers where each one speaks", async () => {
    const { wav, spans } = await conversation(["kitchen.wav", "jfk.wav", "paris.wav", "kitchen.wav"]);
    const transcript = await transcribe(wav, { diarize: "true" });
    expect(transcript.settings.diarize).toBe(true);
    const { segments } = transcript;
    for (const segment of segments) expect(segment.speaker).toMatch(/^Speaker \d+$/);
    const speakerOf = (span: (typeof spans)[number]) => {
      const inside = segments.filter((segment) => segment.start < span.end && segment.end > span.start);
      expect(inside.length).toBeGreaterThan(0);
      expect(new Set(inside.map((segment) => segment.speaker)).size).toBe(1);
      return inside[0]!.speaker;
    };
    expect(new Set(segments.map((segment) => segment.speaker)).size).toBe(2);
    expect(spans.map(speakerOf)).toEqual(["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 1"]);
    const text = segments
      .map((segment) => segment.text)
      .join(" ")
      .toLowerCase();
    expect(text.split("coffee for the office kitchen")).toHaveLength(3);
    expect(text).toContain("ask not what your country can do for you");
  });

  it("keeps a single voice as one speaker, and labels nothing when not asked", async () => {
    const jfk = readFixture("jfk.wav");
    const labelled = await transcribe(jfk, { diarize: "true" });
    expect(new Set(labelled.segments.map((segment) => segment.speaker))).toEqual(new Set(["Speaker 1"]));
    const counted = await transcribe(jfk, { diarize: "true", speakers: "2" });
    expect(counted.settings).toEqual({ diarize: true, speakers: 2 });
    expect(new Set(counted.segments.map((segment) => segment.speaker)).size).toBeLessThanOrEqual(2);
    expect(counted.segments.every((segment) => /^Speaker [12]$/.test(segment.speaker ?? ""))).toBe(true);
    const plain = await transcribe(jfk, { diarize: "false" });
    expect(plain.segments.every((segment) => segment.speaker === undefined)).toBe(true);
    expect(plain.segments.map((segment) => segment.text)).toEqual(
      labelled.segments.map((segment) => segment.text),
    );
  });
});
