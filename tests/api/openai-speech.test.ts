// The OpenAI-compatible speech engine through the real `openai` client against a local fake of a
// Whisper-style service: segments and language, long audio sent in pieces cut at pauses and joined
// with their offsets, the Azure OpenAI deployment path, failures mapped to our error codes, and a job
// run through the API.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeToPcm } from "@/lib/audio/ffmpeg";
import { float32ToInt16, PCM_SAMPLE_RATE, readPcm, type PcmAudio } from "@/lib/audio/pcm";
import { parseConfig, type OpenAiSpeechConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { createSpeechEngine } from "@/lib/speech";
import { OpenAiSpeechEngine, type OpenAiEngineTuning } from "@/lib/speech/openai/openai-engine";
import { maxPieceSamples, quietestCut } from "@/lib/audio/pieces";
import { closedPort } from "../helpers/fake-openai";
import { FAKE_SEGMENT_SEC, FakeOpenAiSpeech, fakeSpeechText } from "../helpers/fake-openai-speech";
import { configure, fixtures, readFixture, upload, waitForJob } from "../helpers/api";
import { findFfmpeg } from "../helpers/ffmpeg";

const key = "sk-speech-test-0123456789abcdef";
let fake: FakeOpenAiSpeech;
let workDir: string;
let jfk: PcmAudio;

beforeAll(async () => {
  fake = await FakeOpenAiSpeech.start();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "openai-speech-"));
  jfk = await decodeToPcm(path.join(fixtures, "jfk.wav"), path.join(workDir, "jfk.pcm"), {
    ffmpegPath: findFfmpeg(),
    maxDurationSec: 3600,
  });
});

afterAll(async () => {
  await fake.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

function speechConfig(overrides: Record<string, string> = {}): OpenAiSpeechConfig {
  const speech = parseConfig({
    NODE_ENV: "test",
    SPEECH_PROVIDER: "openai-compatible",
    OPENAI_SPEECH_BASE_URL: `${fake.url}/v1`,
    OPENAI_SPEECH_MODEL: "whisper-1",
    OPENAI_SPEECH_API_KEY: key,
    ...overrides,
  }).speech;
  if (!("openai" in speech)) throw new Error("expected the openai-compatible provider, configured");
  return speech.openai;
}

function engineWith(overrides: Record<string, string> = {}, tuning: OpenAiEngineTuning = {}) {
  return new OpenAiSpeechEngine(speechConfig(overrides), tuning);
}

/** Writes samples as a PCM file the engines take. */
function pcmFile(samples: Float32Array, name: string): PcmAudio {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, float32ToInt16(samples));
  return {
    path: file,
    sampleRate: PCM_SAMPLE_RATE,
    samples: samples.length,
    durationSec: samples.length / PCM_SAMPLE_RATE,
  };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((at, part) => (out.set(part, at), at + part.length), 0);
  return out;
}

function rms(samples: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("OpenAI-compatible speech engine", () => {
  it("transcribes a file in one request: segments, times, text and language", async () => {
    const engine = createSpeechEngine(
      parseConfig({
        NODE_ENV: "test",
        SPEECH_PROVIDER: "openai-compatible",
        OPENAI_SPEECH_BASE_URL: `${fake.url}/v1`,
        OPENAI_SPEECH_MODEL: "whisper-1",
        OPENAI_SPEECH_API_KEY: key,
      }).speech,
    );
    expect(engine.info).toMatchObject({
      id: "openai-compatible:whisper-1",
      name: "OpenAI-compatible (whisper-1)",
      multilingual: true,
      diarization: false,
    });
    expect(engine.info.languages).toEqual(expect.arrayContaining(["auto", "en-US", "de-DE"]));
    expect(engine.status().ready).toBe(false);
    await engine.warmUp();
    expect(engine.status()).toMatchObject({ ready: true, state: "ready" });
    expect(fake.requests).toHaveLength(0);

    const progress: number[] = [];
    const result = await engine.transcribe(jfk, {
      language: "en-US",
      diarize: false,
      onProgress: (fraction) => progress.push(fraction),
    });

    const count = Math.ceil(jfk.durationSec / FAKE_SEGMENT_SEC);
    expect(result.segments).toHaveLength(count);
    result.segments.forEach((segment, index) => {
      expect(segment.text).toBe(fakeSpeechText(1, index + 1));
      expect(segment.start).toBeCloseTo(index * FAKE_SEGMENT_SEC, 3);
      expect(segment.end).toBeCloseTo(Math.min(jfk.durationSec, (index + 1) * FAKE_SEGMENT_SEC), 3);
    });
    expect(result.text).toBe(result.segments.map((segment) => segment.text).join(" "));
    expect(result.language).toBe("en");
    expect(result.durationSec).toBeCloseTo(jfk.durationSec, 3);
    expect(progress).toEqual([1]);

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.path).toBe("/v1/audio/transcriptions");
    expect(request.headers.authorization).toBe(`Bearer ${key}`);
    expect(request.fields).toMatchObject({
      model: "whisper-1",
      response_format: "verbose_json",
      language: "en",
      "timestamp_granularities[]": "segment",
    });
    expect(request.fileName).toMatch(/\.wav$/);
    expect(request.fileBytes).toBe(44 + jfk.samples * 2);
  });

  it("leaves the language to the service for auto, and reports it as an ISO code", async () => {
    fake.language = "german";
    const result = await engineWith().transcribe(jfk, { language: "auto", diarize: false });
    expect(fake.requests[0]!.fields.language).toBeUndefined();
    expect(result.language).toBe("de");
  });

  it("works without an API key (local servers)", async () => {
    const engine = engineWith({ OPENAI_SPEECH_API_KEY: "" });
    await engine.transcribe(jfk, { language: "en", diarize: false });
    expect(fake.requests).toHaveLength(1);
  });

  it("sends long audio in pieces under the limit, cut at pauses, and joins the segments in time", async () => {
    const speech = await readPcm(jfk, 0, jfk.samples);
    const silence = new Float32Array(PCM_SAMPLE_RATE);
    const samples = concat(Array.from({ length: 6 }, () => [speech, silence]).flat());
    const audio = pcmFile(samples, "looped.pcm");
    const maxBytes = Math.round(0.2 * 1024 * 1024);
    const limit = maxPieceSamples(maxBytes);

    const progress: number[] = [];
    const seen: number[] = [];
    const result = await engineWith({ OPENAI_SPEECH_MAX_MB: "0.2" }).transcribe(audio, {
      language: "en-US",
      diarize: false,
      onProgress: (fraction) => progress.push(fraction),
      onSegments: (segments) => seen.push(segments.length),
    });

    const pieces = fake.requests;
    expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(audio.samples / limit));
    for (const piece of pieces) expect(piece.fileBytes).toBeLessThanOrEqual(maxBytes);
    const total = pieces.reduce((sum, piece) => sum + piece.durationSec, 0);
    expect(total).toBeCloseTo(audio.durationSec, 3);

    // Every cut falls in a quiet moment; in digital silence whenever the search reached some.
    const speechLevel = rms(speech, 0, speech.length);
    let start = 0;
    let inSilence = 0;
    for (const piece of pieces.slice(0, -1)) {
      const cut = start + Math.round(piece.durationSec * PCM_SAMPLE_RATE);
      expect(cut - start).toBeGreaterThanOrEqual(limit / 2);
      const level = rms(samples, cut - 800, cut + 800);
      expect(level).toBeLessThan(speechLevel * 0.25);
      const searchFrom = start + limit - Math.floor(limit / 2);
      let silentFrame = false;
      for (let at = searchFrom; at + 1600 <= start + limit && !silentFrame; at += 160) {
        silentFrame = rms(samples, at, at + 1600) === 0;
      }
      if (silentFrame) {
        expect(level).toBe(0);
        inSilence++;
      }
      start = cut;
    }
    expect(inSilence).toBeGreaterThan(0);

    // Segments in order, each inside its piece, covering the whole duration.
    let offset = 0;
    let segmentIndex = 0;
    for (const [index, piece] of pieces.entries()) {
      const count = Math.max(1, Math.ceil(piece.durationSec / FAKE_SEGMENT_SEC));
      for (let m = 1; m <= count; m++) {
        const segment = result.segments[segmentIndex++]!;
        expect(segment.text).toBe(fakeSpeechText(index + 1, m));
        expect(segment.start).toBeGreaterThanOrEqual(offset - 1e-6);
        expect(segment.end).toBeLessThanOrEqual(offset + piece.durationSec + 1e-6);
      }
      offset += piece.durationSec;
    }
    expect(result.segments).toHaveLength(segmentIndex);
    for (let i = 1; i < result.segments.length; i++) {
      expect(result.segments[i]!.start).toBeGreaterThanOrEqual(result.segments[i - 1]!.end - 1e-6);
    }
    expect(result.segments[0]!.start).toBe(0);
    expect(result.segments.at(-1)!.end).toBeCloseTo(audio.durationSec, 3);

    expect(progress).toHaveLength(pieces.length);
    expect(progress.at(-1)).toBe(1);
    progress.forEach((fraction, index) => expect(fraction).toBeCloseTo((index + 1) / pieces.length, 6));
    expect(seen).toHaveLength(pieces.length);
  });

  it("cuts at the quietest 100 ms", () => {
    const tone = (seconds: number) =>
      Float32Array.from({ length: seconds * PCM_SAMPLE_RATE }, (_, i) => 0.5 * Math.sin(i / 5));
    const gapStart = 2 * PCM_SAMPLE_RATE;
    const samples = concat([tone(2), new Float32Array(PCM_SAMPLE_RATE / 5), tone(2)]);
    const cut = quietestCut(Buffer.from(float32ToInt16(samples)));
    expect(cut).toBeGreaterThanOrEqual(gapStart + 800);
    expect(cut).toBeLessThanOrEqual(gapStart + PCM_SAMPLE_RATE / 5 - 800);
  });

  it("uses an Azure OpenAI deployment with its path, api-version and api-key header", async () => {
    const config = parseConfig({
      NODE_ENV: "test",
      SPEECH_PROVIDER: "openai-compatible",
      AZURE_OPENAI_SPEECH_DEPLOYMENT: "whisper-eu",
      AZURE_OPENAI_ENDPOINT: fake.url,
      AZURE_OPENAI_API_KEY: key,
    }).speech;
    const engine = createSpeechEngine(config);
    expect(engine.info.id).toBe("openai-compatible:whisper-eu");
    const result = await engine.transcribe(jfk, { language: "en-US", diarize: false });
    expect(result.segments[0]!.text).toBe(fakeSpeechText(1, 1));
    const request = fake.requests[0]!;
    expect(request.path).toBe("/openai/deployments/whisper-eu/audio/transcriptions");
    expect(request.query["api-version"]).toBe("2024-10-21");
    expect(request.headers["api-key"]).toBe(key);
    expect(request.fields.model).toBe("whisper-eu");
  });

  it("fails fast with engine_unavailable when the key is refused", async () => {
    fake.handler = () => ({ status: 401, message: "Incorrect API key provided." });
    const engine = engineWith();
    const started = Date.now();
    const error = await rejection(engine.transcribe(jfk, { language: "en", diarize: false }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("engine_unavailable");
    expect((error as AppError).message).toMatch(/API key/);
    expect((error as AppError).message).not.toContain(key);
    expect(fake.requests).toHaveLength(1);
    expect(engine.status()).toMatchObject({ ready: false, state: "failed" });
  });

  it("checks at start-up, at no cost, that the service answers", async () => {
    // The fake has no model list: any answer but a refusal or a fault will do.
    await expect(engineWith().check(AbortSignal.timeout(5_000))).resolves.toBeUndefined();
    expect(fake.requests).toHaveLength(0);
    const unreachable = await rejection(
      engineWith({ OPENAI_SPEECH_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1` }).check(
        AbortSignal.timeout(5_000),
      ),
    );
    expect(unreachable).toBeInstanceOf(AppError);
    expect((unreachable as AppError).message).toMatch(/could not be reached: check its URL/);
  });

  it("waits as Retry-After says on 429, then succeeds", async () => {
    fake.handler = (_, index) =>
      index === 0 ? { status: 429, headers: { "Retry-After": "1" } } : { ok: true };
    const started = Date.now();
    const result = await engineWith().transcribe(jfk, { language: "en", diarize: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.requests).toHaveLength(2);
    expect(result.segments[0]!.text).toBe(fakeSpeechText(1, 1));
  });

  it("retries 5xx and dropped connections, then succeeds", async () => {
    fake.handler = (_, index) => (index < 2 ? { status: 500 } : { ok: true });
    const result = await engineWith().transcribe(jfk, { language: "en", diarize: false });
    expect(fake.requests).toHaveLength(3);
    expect(result.segments).toHaveLength(Math.ceil(jfk.durationSec / FAKE_SEGMENT_SEC));

    fake.reset();
    fake.handler = (_, index) => (index === 0 ? { drop: true } : { ok: true });
    await engineWith().transcribe(jfk, { language: "en", diarize: false });
    expect(fake.requests).toHaveLength(2);
  });

  it("gives up after its retries with rate_limited, engine_failed or engine_unavailable", async () => {
    const tuning = { maxRetries: 1 };
    const attempt = async (engine: OpenAiSpeechEngine) =>
      (await rejection(engine.transcribe(jfk, { language: "en", diarize: false }))) as AppError;

    fake.handler = () => ({ status: 429, headers: { "Retry-After-Ms": "10" } });
    expect((await attempt(engineWith({}, tuning))).code).toBe("rate_limited");
    expect(fake.requests).toHaveLength(2);

    fake.reset();
    fake.handler = () => ({ status: 503, headers: { "Retry-After-Ms": "10" } });
    expect((await attempt(engineWith({}, tuning))).code).toBe("engine_failed");

    fake.reset();
    fake.handler = () => ({ drop: true });
    expect((await attempt(engineWith({}, { maxRetries: 0 }))).code).toBe("engine_unavailable");

    const port = await closedPort();
    const refused = engineWith({ OPENAI_SPEECH_BASE_URL: `http://127.0.0.1:${port}/v1` }, { maxRetries: 0 });
    const error = await attempt(refused);
    expect(error.code).toBe("engine_unavailable");
    expect(error.message).toMatch(/could not be reached/);
  });

  it.each([400, 413, 415])(
    "answers unprocessable when the service refuses the audio (%i)",
    async (status) => {
      fake.handler = () => ({ status });
      const error = await rejection(engineWith().transcribe(jfk, { language: "en", diarize: false }));
      expect((error as AppError).code).toBe("unprocessable");
      expect(fake.requests).toHaveLength(1);
    },
  );

  it("stops on abort and rejects with an AbortError", async () => {
    const controller = new AbortController();
    const samples = concat(Array.from({ length: 4 }, () => new Float32Array(10 * PCM_SAMPLE_RATE)));
    const audio = pcmFile(samples, "silence.pcm");
    const error = await rejection(
      engineWith({ OPENAI_SPEECH_MAX_MB: "0.2" }).transcribe(audio, {
        language: "en",
        diarize: false,
        signal: controller.signal,
        onSegments: () => controller.abort(),
      }),
    );
    expect((error as Error).name).toBe("AbortError");
    expect(fake.requests).toHaveLength(1);
  });

  it("abandons a request in flight on abort", async () => {
    fake.handler = () => ({ ok: true, delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await rejection(
      engineWith().transcribe(jfk, { language: "en", diarize: false, signal: controller.signal }),
    );
    expect((error as Error).name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.requests).toHaveLength(1);
  });

  it("runs an uploaded file's job through the API", async () => {
    await configure({
      SPEECH_PROVIDER: "openai-compatible",
      OPENAI_SPEECH_BASE_URL: `${fake.url}/v1`,
      OPENAI_SPEECH_MODEL: "whisper-1",
      OPENAI_SPEECH_API_KEY: key,
    });
    try {
      const response = await upload(readFixture("jfk.wav"), {
        name: "jfk.wav",
        fields: { language: "auto" },
      });
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const { body, progress } = await waitForJob(id);
      expect(body.status).toBe("succeeded");
      const transcript = body.transcript as {
        engine: string;
        language: string;
        segments: Array<{ text: string }>;
      };
      expect(transcript.engine).toBe("openai-compatible:whisper-1");
      expect(transcript.language).toBe("en");
      expect(transcript.segments[0]!.text).toBe(fakeSpeechText(1, 1));
      expect(progress.at(-1)).toBe(1);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await configure({
        SPEECH_PROVIDER: undefined,
        OPENAI_SPEECH_BASE_URL: undefined,
        OPENAI_SPEECH_MODEL: undefined,
        OPENAI_SPEECH_API_KEY: undefined,
      });
    }
  });
});
