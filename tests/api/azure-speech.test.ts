// The Azure AI Speech engine against local fakes of the service: files through the fast
// transcription REST API (the multipart request, speakers, language identification, long audio in
// pieces, retries and refusals mapped to our error codes); files through the real Speech SDK where
// an endpoint has no fast transcription; live streams through the SDK (partials, finals,
// diarization); and SDK failures (refused key, throttling, dropped or silent service, abort) that
// must end in our error codes without hanging.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PcmAudio } from "@/lib/audio/pcm";
import { int16ToFloat32 } from "@/lib/audio/pcm";
import { parseConfig, type AzureSpeechConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { createSpeechEngine, type LiveEvent, type Segment, type SpeechEngine } from "@/lib/speech";
import { AzureSpeechEngine, type AzureEngineTuning } from "@/lib/speech/azure/azure-engine";
import { DEFAULT_MAX_SPEAKERS } from "@/lib/speech/azure/fast-transcription";
import { fastPhraseText, fastSpeaker } from "../helpers/fake-azure-fast-transcription";
import { FakeAzureSpeech, fakePhraseText, fakeSegments } from "../helpers/fake-azure-speech";
import { configure, readFixture, upload, waitForJob } from "../helpers/api";

const key = "azure-speech-key-0123456789abcdef";
let fake: FakeAzureSpeech;
let workDir: string;

beforeAll(async () => {
  fake = await FakeAzureSpeech.start();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "azure-speech-"));
});

afterAll(async () => {
  await fake.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

// A session that ended, well or not, must not leave the SDK connecting again behind it.
afterEach(async () => {
  const count = fake.connections.length;
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(fake.connections.length).toBe(count);
});

function azureConfig(overrides: Record<string, string> = {}): AzureSpeechConfig {
  const speech = parseConfig({
    NODE_ENV: "test",
    SPEECH_PROVIDER: "azure",
    AZURE_SPEECH_KEY: key,
    AZURE_SPEECH_ENDPOINT: fake.endpoint(),
    ...overrides,
  }).speech;
  if (!("azure" in speech)) throw new Error("expected the azure provider, configured");
  return speech.azure;
}

/** An engine with quick retries (unless a test asks otherwise). */
function engineWith(
  overrides: Record<string, string> = {},
  tuning: AzureEngineTuning = {},
): AzureSpeechEngine {
  return new AzureSpeechEngine(azureConfig(overrides), { retryDelayMs: 5, ...tuning });
}

/** The engine as the factory builds it from the environment. */
function configuredEngine(): SpeechEngine {
  return createSpeechEngine(
    parseConfig({
      NODE_ENV: "test",
      SPEECH_PROVIDER: "azure",
      AZURE_SPEECH_KEY: key,
      AZURE_SPEECH_ENDPOINT: fake.endpoint(),
    }).speech,
  );
}

let lastFile = 0;

/** A PCM file of deterministic noise (every sample distinct enough to catch a reordering). */
function pcmFile(seconds: number): { audio: PcmAudio; bytes: Buffer } {
  const samples = Math.round(seconds * 16_000);
  const bytes = Buffer.alloc(samples * 2);
  let state = 12345;
  for (let i = 0; i < samples; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    bytes.writeInt16LE((state % 20_000) - 10_000, i * 2);
  }
  const file = path.join(workDir, `audio-${++lastFile}.pcm`);
  fs.writeFileSync(file, bytes);
  return { audio: { path: file, sampleRate: 16_000, samples, durationSec: samples / 16_000 }, bytes };
}

/**
 * A PCM file that is silent but for bursts of noise (sound, to the fake) at the given times in
 * seconds, every sample of a burst distinct enough to catch a reordering.
 */
function burstsFile(seconds: number, bursts: Array<[number, number]>): { audio: PcmAudio; bytes: Buffer } {
  const samples = Math.round(seconds * 16_000);
  const bytes = Buffer.alloc(samples * 2);
  let state = 4242;
  for (const [from, to] of bursts) {
    for (let i = Math.round(from * 16_000); i < Math.round(to * 16_000); i++) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      bytes.writeInt16LE((state % 16_000) - 8_000, i * 2);
    }
  }
  const file = path.join(workDir, `audio-${++lastFile}.pcm`);
  fs.writeFileSync(file, bytes);
  return { audio: { path: file, sampleRate: 16_000, samples, durationSec: samples / 16_000 }, bytes };
}

/** `count` bursts of `length` seconds, one every `every` seconds from `first`. */
function regularBursts(count: number, first: number, every: number, length: number): Array<[number, number]> {
  return Array.from({ length: count }, (_, index) => [first + index * every, first + index * every + length]);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Pushes audio to a live transcription in 100 ms chunks. */
async function pushAll(live: { push(samples: Float32Array): Promise<void> }, bytes: Buffer) {
  const samples = int16ToFloat32(bytes);
  for (let at = 0; at < samples.length; at += 1_600) await live.push(samples.slice(at, at + 1_600));
}

/** An Entra ID credential whose first token is about to expire, so the next use must renew it. */
function renewingCredential() {
  const scopes: Array<string | string[]> = [];
  let issued = 0;
  const credential = {
    getToken: (scope: string | string[]) => {
      scopes.push(scope);
      issued++;
      const lifetime = issued === 1 ? 60_000 : 3_600_000;
      return Promise.resolve({ token: `entra-token-${issued}`, expiresOnTimestamp: Date.now() + lifetime });
    },
  };
  return { credential, scopes };
}

describe("Azure speech engine: files through fast transcription", () => {
  it("sends one multipart request with a 16 kHz mono WAV and its definition, and maps the phrases at the audio's sound", async () => {
    const engine = configuredEngine();
    expect(engine.info).toMatchObject({ id: "azure-speech", name: "Azure AI Speech", multilingual: true });
    expect(engine.status()).toMatchObject({ ready: true, state: "ready" });
    const bursts: Array<[number, number]> = [
      [0.5, 2],
      [3, 4.2],
      [5, 6.5],
    ];
    const { audio, bytes } = burstsFile(7, bursts);
    const progress: number[] = [];
    const seen: number[] = [];

    const result = await engine.transcribe(audio, {
      language: "en-US",
      diarize: false,
      onProgress: (fraction) => progress.push(fraction),
      onSegments: (segments) => seen.push(segments.length),
    });

    expect(result.segments).toEqual(
      bursts.map(([start, end], index) => ({ start, end, text: fastPhraseText(index) })),
    );
    expect(result.text).toBe(bursts.map((_, index) => fastPhraseText(index)).join(" "));
    expect(result.language).toBe("en-US");
    expect(result.durationSec).toBe(7);
    expect(progress).toEqual([0, 1]);
    expect(seen).toEqual([3]);

    const [request, ...others] = fake.fast.requests;
    expect(others).toHaveLength(0);
    expect(request).toMatchObject({
      method: "POST",
      path: "/speechtotext/transcriptions:transcribe",
      status: 200,
    });
    expect(request!.query.get("api-version")).toBe("2024-11-15");
    expect(request!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(request!.key).toBe(key);
    expect(request!.authorization).toBeUndefined();
    expect(request!.definition).toEqual({ locales: ["en-US"], profanityFilterMode: "Masked" });
    // The audio arrived whole, as a 16-bit mono WAV at 16 kHz, and the answer is about that audio.
    expect(request!.audio).toMatchObject({
      contentType: "audio/wav",
      sampleRate: 16_000,
      channels: 1,
      bitsPerSample: 16,
      durationMs: 7000,
    });
    expect(Buffer.from(request!.audio!.pcm.buffer).equals(bytes)).toBe(true);
    expect((request!.answer as { durationMilliseconds: number }).durationMilliseconds).toBe(7000);
    // Files no longer go through the real-time service, and the key stays out of the result.
    expect(fake.connections).toHaveLength(0);
    expect(JSON.stringify(result)).not.toContain(key);
  });

  it("labels speakers in order of appearance, asking for at most the number of speakers given", async () => {
    const engine = engineWith();
    const { audio } = burstsFile(13, regularBursts(6, 0.5, 2, 1.2));

    const three = await engine.transcribe(audio, { language: "en-US", diarize: true, speakers: 3 });
    const unknown = await engine.transcribe(audio, { language: "en-US", diarize: true });
    const one = await engine.transcribe(audio, { language: "en-US", diarize: true, speakers: 1 });
    const many = await engine.transcribe(audio, { language: "en-US", diarize: true, speakers: 80 });
    const none = await engine.transcribe(audio, { language: "en-US", diarize: false, speakers: 3 });

    expect(fake.fast.requests.map((request) => request.definition?.diarization)).toEqual([
      { enabled: true, maxSpeakers: 3 },
      { enabled: true, maxSpeakers: DEFAULT_MAX_SPEAKERS },
      undefined,
      { enabled: true, maxSpeakers: 35 },
      undefined,
    ]);
    // The service numbers the speakers 1, 2, 0, 1, 2, 0: the labels follow their first appearance.
    expect([0, 1, 2, 3, 4, 5].map((index) => fastSpeaker(index, 3))).toEqual([1, 2, 0, 1, 2, 0]);
    expect(three.segments.map((segment) => segment.speaker)).toEqual([
      "Speaker 1",
      "Speaker 2",
      "Speaker 3",
      "Speaker 1",
      "Speaker 2",
      "Speaker 3",
    ]);
    expect(new Set(unknown.segments.map((segment) => segment.speaker)).size).toBe(6);
    expect(one.segments.every((segment) => segment.speaker === "Speaker 1")).toBe(true);
    expect(many.segments.map((segment) => segment.speaker)).toHaveLength(6);
    expect(none.segments.some((segment) => "speaker" in segment)).toBe(false);
    expect(three.segments.map(({ start, end, text }) => ({ start, end, text }))).toEqual(none.segments);
  });

  it("sends the configured candidates for `auto` and keeps the locale the service heard", async () => {
    fake.fast.detectedLanguage = "de-DE";
    const engine = engineWith({ AZURE_SPEECH_AUTO_LANGUAGES: "en-US, de-DE" });
    const { audio } = burstsFile(3, [[0.5, 2.5]]);

    const detected = await engine.transcribe(audio, { language: "auto", diarize: false });
    const bare = await engine.transcribe(audio, { language: "fr", diarize: false });

    expect(fake.fast.requests.map((request) => request.definition?.locales)).toEqual([
      ["en-US", "de-DE"],
      ["fr-FR"],
    ]);
    expect(detected.language).toBe("de-DE");
    expect(detected.segments.map((segment) => segment.text)).toEqual([fastPhraseText(0)]);
    expect(bare.language).toBe("fr-FR");
  });

  it("asks for the configured profanity handling (masked by default)", async () => {
    const { audio } = burstsFile(1, [[0.2, 0.8]]);
    await engineWith().transcribe(audio, { language: "en-US", diarize: false });
    await engineWith({ AZURE_SPEECH_PROFANITY: "raw" }).transcribe(audio, {
      language: "en-US",
      diarize: false,
    });
    await engineWith({ AZURE_SPEECH_PROFANITY: "removed" }).transcribe(audio, {
      language: "en-US",
      diarize: false,
    });

    expect(fake.fast.requests.map((request) => request.definition?.profanityFilterMode)).toEqual([
      "Masked",
      "None",
      "Removed",
    ]);
  });

  it("authenticates with an Entra ID access token as a Bearer token, renewing it before it expires", async () => {
    const resourceId =
      "/subscriptions/0000/resourceGroups/speech-rg/providers/Microsoft.CognitiveServices/accounts/my-speech";
    const { credential, scopes } = renewingCredential();
    const config = parseConfig({
      NODE_ENV: "test",
      SPEECH_PROVIDER: "azure",
      AZURE_SPEECH_USE_ENTRA_ID: "true",
      AZURE_SPEECH_RESOURCE_ID: resourceId,
      // A custom-domain endpoint: the REST API takes Entra ID tokens only there.
      AZURE_SPEECH_ENDPOINT: fake.endpoint("/"),
    }).speech;
    if (!("azure" in config)) throw new Error("expected the azure provider, configured");
    const engine = new AzureSpeechEngine(config.azure, { credential });
    const { audio } = burstsFile(3, [[0.5, 2.5]]);

    const result = await engine.transcribe(audio, { language: "en-US", diarize: false });
    await engine.transcribe(audio, { language: "en-US", diarize: false });
    await engine.transcribe(audio, { language: "en-US", diarize: false });

    expect(result.segments.map((segment) => segment.text)).toEqual([fastPhraseText(0)]);
    expect(scopes).toEqual([
      "https://cognitiveservices.azure.com/.default",
      "https://cognitiveservices.azure.com/.default",
    ]);
    expect(fake.fast.requests.map((request) => request.authorization)).toEqual([
      "Bearer entra-token-1",
      "Bearer entra-token-2",
      "Bearer entra-token-2",
    ]);
    expect(fake.fast.requests.every((request) => request.key === undefined)).toBe(true);
  });

  it("reports an Entra ID credential that gives no token as engine_rejected", async () => {
    const config: AzureSpeechConfig = {
      ...azureConfig(),
      key: undefined,
      entraIdResourceId:
        "/subscriptions/0/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a",
    };
    const credential = { getToken: () => Promise.reject(new Error("no identity here")) };
    const engine = new AzureSpeechEngine(config, { credential });

    const error = await appError(engine.transcribe(pcmFile(1).audio, { language: "en-US", diarize: false }));

    expect(error.code).toBe("engine_rejected");
    expect(engine.status()).toMatchObject({ ready: false, state: "failed" });
    expect(fake.fast.requests).toHaveLength(0);
    expect(fake.connections).toHaveLength(0);
  });

  it("sends long audio in pieces cut in its pauses and joins their phrases at the pieces' offsets", async () => {
    const engine = engineWith({}, { maxPieceSec: 10 });
    const bursts = regularBursts(13, 0.3, 2, 1.2);
    const { audio, bytes } = burstsFile(26, bursts);
    const progress: number[] = [];
    const seen: number[] = [];

    const result = await engine.transcribe(audio, {
      language: "en-US",
      diarize: true,
      speakers: 2,
      onProgress: (fraction) => progress.push(fraction),
      onSegments: (segments) => seen.push(segments.length),
    });

    const pieces = fake.fast.requests.map((request) => request.audio!);
    expect(pieces).toHaveLength(3);
    for (const piece of pieces) expect(piece.durationMs).toBeLessThanOrEqual(10_000);
    // The pieces are the audio, in order, nothing lost or doubled, and every cut falls in a pause.
    expect(Buffer.concat(pieces.map((piece) => Buffer.from(piece.pcm.buffer))).equals(bytes)).toBe(true);
    let cut = 0;
    for (const piece of pieces.slice(0, -1)) {
      cut += piece.samples;
      expect(bytes.readInt16LE(cut * 2)).toBe(0);
      expect(bytes.readInt16LE((cut - 1) * 2)).toBe(0);
    }
    // Each phrase lands where its sound is in the whole file (the fake sees 20 ms frames).
    expect(result.segments).toHaveLength(bursts.length);
    result.segments.forEach((segment, index) => {
      expect(segment.start).toBeCloseTo(bursts[index]![0], 1);
      expect(Math.abs(segment.start - bursts[index]![0])).toBeLessThanOrEqual(0.021);
      expect(Math.abs(segment.end - bursts[index]![1])).toBeLessThanOrEqual(0.021);
      expect(segment.end).toBeGreaterThan(segment.start);
      if (index > 0) expect(segment.start).toBeGreaterThanOrEqual(result.segments[index - 1]!.end);
    });
    expect(result.durationSec).toBe(26);
    expect(progress).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(seen).toHaveLength(3);
    // The service numbers speakers per request: no label is shared by two pieces.
    const labelsOfPiece = (index: number) => {
      const start = pieces.slice(0, index).reduce((sum, piece) => sum + piece.durationMs / 1000, 0);
      const end = start + pieces[index]!.durationMs / 1000;
      return new Set(
        result.segments
          .filter((segment) => segment.start >= start && segment.start < end)
          .map((s) => s.speaker),
      );
    };
    const [first, second, third] = [0, 1, 2].map(labelsOfPiece);
    expect(first!.size).toBe(2);
    for (const label of second!) expect(first!.has(label)).toBe(false);
    for (const label of third!) expect(first!.has(label) || second!.has(label)).toBe(false);
  });

  it("retries a throttled request after the Retry-After the service asks for, in seconds or as a date", async () => {
    // Without Retry-After the engine would retry after 5 ms: the waits below are the service's.
    fake.fast.failures = [{ status: 429, retryAfter: "1" }];
    const engine = engineWith();
    const { audio } = burstsFile(2, [[0.5, 1.5]]);

    const result = await engine.transcribe(audio, { language: "en-US", diarize: false });

    expect(result.segments).toHaveLength(1);
    expect(fake.fast.requests.map((request) => request.status)).toEqual([429, 200]);
    expect(fake.fast.requests[1]!.at - fake.fast.requests[0]!.at).toBeGreaterThanOrEqual(900);

    fake.fast.reset();
    fake.fast.failures = [{ status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() }];
    await engine.transcribe(audio, { language: "en-US", diarize: false });
    expect(fake.fast.requests.map((request) => request.status)).toEqual([503, 200]);
    expect(fake.fast.requests[1]!.at - fake.fast.requests[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("retries failing requests with backoff a bounded number of times, then reports the last failure", async () => {
    const engine = engineWith({}, { maxRetries: 2 });
    const { audio } = burstsFile(2, [[0.5, 1.5]]);

    fake.fast.failures = [{ status: 500 }];
    await engine.transcribe(audio, { language: "en-US", diarize: false });
    expect(fake.fast.requests.map((request) => request.status)).toEqual([500, 200]);

    fake.fast.reset();
    fake.fast.failures = [{ status: 503 }, { status: 502 }, { status: 500 }, { status: 500 }];
    const unavailable = await appError(engine.transcribe(audio, { language: "en-US", diarize: false }));
    expect(unavailable.code).toBe("engine_unavailable");
    expect(fake.fast.requests).toHaveLength(3);

    fake.fast.reset();
    fake.fast.failures = [{ status: 429 }, { status: 429 }, { status: 429 }];
    const throttled = await appError(engine.transcribe(audio, { language: "en-US", diarize: false }));
    expect(throttled.code).toBe("rate_limited");
    expect(throttled.status).toBe(429);
    expect(fake.fast.requests).toHaveLength(3);

    // A wait longer than the engine holds a job for is left to the job's own retry.
    fake.fast.reset();
    fake.fast.failures = [{ status: 429, retryAfter: "3600" }];
    expect((await appError(engine.transcribe(audio, { language: "en-US", diarize: false }))).code).toBe(
      "rate_limited",
    );
    expect(fake.fast.requests).toHaveLength(1);
  });

  it.each([
    [400, "unprocessable"],
    [415, "unprocessable"],
    [422, "unprocessable"],
    [403, "engine_rejected"],
    [409, "engine_failed"],
  ] as const)("maps a %d answer to %s without retrying it", async (status, code) => {
    fake.fast.failures = [{ status }];
    const error = await appError(
      engineWith().transcribe(burstsFile(2, [[0.5, 1.5]]).audio, { language: "en-US", diarize: false }),
    );
    expect(error.code).toBe(code);
    expect(fake.fast.requests).toHaveLength(1);
  });

  it("reports a refused key as engine_rejected (502) naming what to check, and the status says so until it works", async () => {
    fake.fast.expectedKey = "the-right-key";
    const engine = engineWith();
    const { audio } = burstsFile(2, [[0.5, 1.5]]);

    const error = await appError(engine.transcribe(audio, { language: "en-US", diarize: false }));

    expect(error.code).toBe("engine_rejected");
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/key or region is wrong .*AZURE_SPEECH_KEY.*AZURE_SPEECH_ENDPOINT/);
    expect(error.message).not.toContain(key);
    expect(String((error.cause as Error).message)).toMatch(/401.*invalid subscription key/);
    expect(fake.fast.requests).toHaveLength(1);
    expect(engine.status()).toMatchObject({ ready: false, state: "failed" });

    fake.fast.expectedKey = key;
    await engine.transcribe(audio, { language: "en-US", diarize: false });
    expect(engine.status()).toMatchObject({ ready: true, state: "ready" });
  });

  it("stops at once when aborted while it waits to retry", async () => {
    fake.fast.failures = [{ status: 429, retryAfter: "30" }];
    const controller = new AbortController();
    const started = Date.now();
    const pending = rejection(
      engineWith().transcribe(burstsFile(2, [[0.5, 1.5]]).audio, {
        language: "en-US",
        diarize: false,
        signal: controller.signal,
      }),
    );
    await waitFor(() => fake.fast.requests.length === 1);
    controller.abort();

    expect(((await pending) as Error).name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.fast.requests).toHaveLength(1);
  });

  it("rejects when nothing listens at the endpoint", async () => {
    const closed = await FakeAzureSpeech.start();
    const endpoint = closed.endpoint();
    await closed.close();
    const engine = engineWith({ AZURE_SPEECH_ENDPOINT: endpoint }, { stallTimeoutMs: 5000 });

    const error = await appError(engine.transcribe(pcmFile(1).audio, { language: "en-US", diarize: false }));

    expect(error.code).toBe("engine_unavailable");
  });

  it("falls back to real-time recognition where the endpoint has no fast transcription, and remembers it", async () => {
    fake.fast.offered = false;
    const engine = engineWith();

    const first = await engine.transcribe(pcmFile(7).audio, { language: "en-US", diarize: false });
    const second = await engine.transcribe(pcmFile(3).audio, { language: "en-US", diarize: false });

    expect(first.segments).toEqual(fakeSegments(7, 2));
    expect(second.segments).toEqual(fakeSegments(3, 2));
    expect(fake.fast.requests.map((request) => request.status)).toEqual([404]);
    expect(fake.connections).toHaveLength(2);
  });

  it("goes through the upload API: the job's transcript, with speakers, comes from fast transcription", async () => {
    fake.fast.expectedKey = key;
    await configure({
      SPEECH_PROVIDER: "azure",
      AZURE_SPEECH_KEY: key,
      AZURE_SPEECH_ENDPOINT: fake.endpoint(),
    });
    try {
      const response = await upload(readFixture("jfk.wav"), {
        name: "jfk.wav",
        fields: { language: "en-US", diarize: "true" },
      });
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const { body, progress } = await waitForJob(id);
      expect(body.status).toBe("succeeded");
      const transcript = body.transcript as {
        engine: string;
        language: string;
        durationSec: number;
        settings: { diarize: boolean };
        segments: Array<{ start: number; end: number; text: string; speaker?: string }>;
      };
      expect(transcript).toMatchObject({
        engine: "azure-speech",
        language: "en-US",
        settings: { diarize: true },
      });
      expect(progress.at(-1)).toBe(1);

      const [request, ...others] = fake.fast.requests;
      expect(others).toHaveLength(0);
      expect(request!.definition?.diarization).toEqual({ enabled: true, maxSpeakers: DEFAULT_MAX_SPEAKERS });
      expect(request!.audio!.durationMs / 1000).toBeCloseTo(transcript.durationSec, 1);
      // One segment per phrase the service found in the recording's sound, in order, with speakers.
      const phrases = (request!.answer as { phrases: Array<{ offsetMilliseconds: number; text: string }> })
        .phrases;
      expect(phrases.length).toBeGreaterThan(1);
      expect(transcript.segments.map((segment) => segment.text)).toEqual(
        phrases.map((phrase) => phrase.text),
      );
      expect(transcript.segments.map((segment) => segment.start)).toEqual(
        phrases.map((phrase) => phrase.offsetMilliseconds / 1000),
      );
      for (const segment of transcript.segments) {
        expect(segment.speaker).toMatch(/^Speaker \d+$/);
        expect(segment.end).toBeLessThanOrEqual(transcript.durationSec + 0.01);
      }
      expect(transcript.segments[0]!.speaker).toBe("Speaker 1");
      expect(fake.connections).toHaveLength(0);
    } finally {
      await configure({
        SPEECH_PROVIDER: undefined,
        AZURE_SPEECH_KEY: undefined,
        AZURE_SPEECH_ENDPOINT: undefined,
      });
    }
  });

  it("fails an uploaded file's job at once when the key is refused, without retrying it", async () => {
    fake.fast.expectedKey = "the-right-key";
    await configure({
      SPEECH_PROVIDER: "azure",
      AZURE_SPEECH_KEY: key,
      AZURE_SPEECH_ENDPOINT: fake.endpoint(),
    });
    try {
      const response = await upload(readFixture("jfk.wav"), {
        name: "jfk.wav",
        fields: { language: "en-US" },
      });
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const { body } = await waitForJob(id);
      expect(body.status).toBe("failed");
      expect(body.error).toMatchObject({ code: "engine_rejected" });
      expect(body.attempts).toBe(1);
      expect(JSON.stringify(body)).not.toContain(key);
      expect(fake.fast.requests).toHaveLength(1);
    } finally {
      await configure({
        SPEECH_PROVIDER: undefined,
        AZURE_SPEECH_KEY: undefined,
        AZURE_SPEECH_ENDPOINT: undefined,
      });
    }
  });
});

describe("Azure speech engine: files through real-time recognition (no fast transcription at the endpoint)", () => {
  beforeEach(() => {
    fake.fast.offered = false;
  });

  it("transcribes a file into the service's phrases, with times from its ticks and progress to 1", async () => {
    const engine = configuredEngine();
    expect(engine.info).toMatchObject({ id: "azure-speech", name: "Azure AI Speech", multilingual: true });
    expect(engine.status()).toMatchObject({ ready: true, state: "ready" });
    const { audio, bytes } = pcmFile(7);
    const progress: number[] = [];
    const seen: number[] = [];

    const result = await engine.transcribe(audio, {
      language: "en-US",
      diarize: false,
      onProgress: (fraction) => progress.push(fraction),
      onSegments: (segments) => seen.push(segments.length),
    });

    const expected = fakeSegments(7, 2);
    expect(expected.map((segment) => [segment.start, segment.end])).toEqual([
      [0.2, 1.8],
      [2.2, 3.8],
      [4.2, 5.8],
      [6.2, 6.8],
    ]);
    expect(result.segments).toEqual(expected);
    expect(result.text).toBe(expected.map((segment) => segment.text).join(" "));
    expect(result.language).toBe("en-US");
    expect(result.durationSec).toBe(7);
    expect(progress.at(-1)).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(seen).toEqual([1, 2, 3, 4]);

    const [connection, ...others] = fake.connections;
    expect(others).toHaveLength(0);
    // The audio arrived as written, after a WAV header describing 16 kHz 16-bit mono.
    expect(connection!.audio.equals(bytes)).toBe(true);
    expect(connection!.ended).toBe(true);
    const wav = connection!.wavHeader!;
    expect(wav.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect([wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)]).toEqual([1, 16_000, 16]);
    // The key went to the service, not into the result; the language and detailed output were asked for.
    expect(connection!.key).toBe(key);
    expect(connection!.query.get("language")).toBe("en-US");
    expect(connection!.query.get("format")).toBe("detailed");
    expect(connection!.texts.map((text) => text.path).slice(0, 2)).toEqual([
      "speech.config",
      "speech.context",
    ]);
    expect(JSON.stringify(result)).not.toContain(key);
    // The session is closed once the service answered for all of it.
    await waitFor(() => connection!.closed);
  });

  it("detects the language among the configured candidates for `auto`", async () => {
    fake.detectedLanguage = "de-DE";
    const engine = new AzureSpeechEngine(azureConfig({ AZURE_SPEECH_AUTO_LANGUAGES: "en-US, de-DE" }));
    const { audio } = pcmFile(2.5);

    const result = await engine.transcribe(audio, { language: "auto", diarize: false });

    expect(result.language).toBe("de-DE");
    expect(result.segments.map((segment) => segment.text)).toEqual([fakePhraseText(0)]);
    const context = contextOf(0);
    expect(context.languageId).toMatchObject({ languages: ["en-US", "de-DE"] });
    expect(fake.connections[0]!.query.get("lidEnabled")).toBe("true");
  });

  it("labels speakers through the conversation transcriber when asked to diarize", async () => {
    const engine = configuredEngine();
    const { audio } = pcmFile(5);

    const result = await engine.transcribe(audio, { language: "en-US", diarize: true });

    expect(result.segments).toEqual(fakeSegments(5, 2, true));
    expect(new Set(result.segments.map((segment) => segment.speaker))).toEqual(
      new Set(["Speaker 1", "Speaker 2"]),
    );
    expect(contextOf(0).phraseDetection).toMatchObject({ speakerDiarization: { mode: "Anonymous" } });
  });

  it("asks for the configured profanity handling (masked by default)", async () => {
    await configuredEngine().transcribe(pcmFile(1).audio, { language: "en-US", diarize: false });
    await new AzureSpeechEngine(azureConfig({ AZURE_SPEECH_PROFANITY: "raw" })).transcribe(pcmFile(1).audio, {
      language: "en-US",
      diarize: false,
    });
    await new AzureSpeechEngine(azureConfig({ AZURE_SPEECH_PROFANITY: "removed" })).transcribe(
      pcmFile(1).audio,
      { language: "en-US", diarize: false },
    );

    expect(fake.connections.map((connection) => connection.query.get("profanity"))).toEqual([
      "masked",
      "raw",
      "removed",
    ]);
  });
});

describe("Azure speech engine: live", () => {
  it("relays partials then finals, in order, and finish resolves with the finals", async () => {
    const engine = configuredEngine();
    const events: LiveEvent[] = [];
    const live = engine.startLive!({
      language: "en-US",
      diarize: false,
      emit: (event) => events.push(event),
    });
    const { bytes } = pcmFile(5.5);

    await pushAll(live, bytes);
    const finals = await live.finish();

    expect(finals).toEqual(fakeSegments(5.5, 2));
    expect(events.filter((event) => event.type === "final").map((event) => event.segment)).toEqual(finals);
    // Each final comes after partials of the same utterance, which grow word by word.
    let partials: Array<Extract<LiveEvent, { type: "partial" }>> = [];
    for (const event of events) {
      if (event.type === "partial") {
        partials.push(event);
        continue;
      }
      expect(partials.length).toBeGreaterThan(0);
      for (const partial of partials) {
        expect(partial.start).toBe(event.segment.start);
        expect(partial.stable).toBe("");
        expect(event.segment.text.toLowerCase().replace(/\./g, "")).toContain(partial.text);
      }
      partials = [];
    }
    // The audio the service received is what was pushed (floats back to the same 16-bit samples).
    expect(fake.connections[0]!.audio.equals(bytes)).toBe(true);
    expect(fake.connections[0]!.key).toBe(key);
  });

  it("gives finals with speakers when diarizing", async () => {
    const engine = configuredEngine();
    const live = engine.startLive!({ language: "en-US", diarize: true, emit: () => undefined });
    await pushAll(live, pcmFile(4.5).bytes);

    const finals = await live.finish();

    expect(finals).toEqual(fakeSegments(4.5, 2, true));
    expect(fake.connections[0]!.path).toBe("/speech/recognition/conversation/cognitiveservices/v1");
  });

  it("stops at once on close: nothing more is emitted and the connection goes", async () => {
    const engine = configuredEngine();
    const events: LiveEvent[] = [];
    const live = engine.startLive!({
      language: "en-US",
      diarize: false,
      emit: (event) => events.push(event),
    });
    await pushAll(live, pcmFile(2.5).bytes);
    await waitFor(() => events.some((event) => event.type === "final"));

    live.close();
    const count = events.length;
    await live.push(new Float32Array(16_000));

    await waitFor(() => fake.connections[0]!.closed);
    expect(events).toHaveLength(count);
  });

  it("rejects the next push or finish with an AppError once the service failed", async () => {
    fake.mode = { kind: "status", status: "TooManyRequests", afterSec: 1 };
    const engine = configuredEngine();
    const live = engine.startLive!({ language: "en-US", diarize: false, emit: () => undefined });
    await pushAll(live, pcmFile(2).bytes);
    await waitFor(() => fake.connections[0]?.closed === true);

    const pushed = await appError(live.push(new Float32Array(1_600)));
    expect(pushed.code).toBe("rate_limited");
    expect((await appError(live.finish())).code).toBe("rate_limited");
  });

  it("authenticates the SDK with an Entra ID token instead of the key, renewing it before it expires", async () => {
    const resourceId =
      "/subscriptions/0000/resourceGroups/speech-rg/providers/Microsoft.CognitiveServices/accounts/my-speech";
    const { credential, scopes } = renewingCredential();
    const config = parseConfig({
      NODE_ENV: "test",
      SPEECH_PROVIDER: "azure",
      AZURE_SPEECH_USE_ENTRA_ID: "true",
      AZURE_SPEECH_RESOURCE_ID: resourceId,
      AZURE_SPEECH_ENDPOINT: fake.endpoint(),
    }).speech;
    if (!("azure" in config)) throw new Error("expected the azure provider, configured");
    const engine = new AzureSpeechEngine(config.azure, { credential });

    const finals: Segment[][] = [];
    for (const seconds of [2.5, 1, 1]) {
      const live = engine.startLive({ language: "en-US", diarize: false, emit: () => undefined });
      await pushAll(live, pcmFile(seconds).bytes);
      finals.push(await live.finish());
    }

    expect(finals[0]!.map((segment) => segment.text)).toEqual([fakePhraseText(0)]);
    expect(scopes).toEqual([
      "https://cognitiveservices.azure.com/.default",
      "https://cognitiveservices.azure.com/.default",
    ]);
    // The SDK on Node sends the token as the `Authorization` query parameter of the WebSocket URL.
    expect(fake.connections.map((connection) => connection.authorization)).toEqual([
      `Bearer aad#${resourceId}#entra-token-1`,
      `Bearer aad#${resourceId}#entra-token-2`,
      `Bearer aad#${resourceId}#entra-token-2`,
    ]);
    expect(fake.connections.every((connection) => connection.key === undefined)).toBe(true);
  });
});

describe("Azure speech engine: real-time failures", () => {
  beforeEach(() => {
    fake.fast.offered = false;
  });

  it("reports a refused key as engine_rejected (502) without hanging, and the status says so until it works", async () => {
    fake.expectedKey = "the-right-key";
    const engine = configuredEngine();
    const started = Date.now();

    const error = await appError(engine.transcribe(pcmFile(3).audio, { language: "en-US", diarize: false }));

    expect(error.code).toBe("engine_rejected");
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/key or region is wrong/);
    expect(error.message).not.toContain(key);
    expect(String((error.cause as Error).message)).not.toContain(key);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fake.connections.every((connection) => connection.refused)).toBe(true);
    expect(engine.status()).toMatchObject({ ready: false, state: "failed" });

    fake.expectedKey = key;
    await engine.transcribe(pcmFile(1).audio, { language: "en-US", diarize: false });
    expect(engine.status()).toMatchObject({ ready: true, state: "ready" });
  });

  it("fails a live session whose key is refused", async () => {
    fake.expectedKey = "the-right-key";
    const live = configuredEngine().startLive!({ language: "en-US", diarize: false, emit: () => undefined });
    await live.push(new Float32Array(16_000));

    const error = await appError(live.finish());

    expect(error.code).toBe("engine_rejected");
  });

  it.each([
    [403, "engine_rejected"],
    [429, "rate_limited"],
  ] as const)("maps a %d on the upgrade to %s", async (status, code) => {
    fake.mode = { kind: "reject", status };
    const error = await appError(
      configuredEngine().transcribe(pcmFile(1).audio, { language: "en-US", diarize: false }),
    );
    expect(error.code).toBe(code);
  });

  it.each([
    ["TooManyRequests", "rate_limited"],
    ["Forbidden", "engine_rejected"],
    ["BadRequest", "unprocessable"],
    ["Error", "engine_failed"],
  ] as const)("maps a %s phrase status to %s", async (status, code) => {
    fake.mode = { kind: "status", status, afterSec: 0.5 };
    const error = await appError(
      configuredEngine().transcribe(pcmFile(2).audio, { language: "en-US", diarize: false }),
    );
    expect(error.code).toBe(code);
  });

  it("rejects when the service drops the connection mid-stream and cannot be reached again", async () => {
    // Past the SDK's first 5 s, sent at once, it paces the audio: the drop comes while it still sends.
    fake.mode = { kind: "drop", afterSec: 6 };
    const started = Date.now();

    const error = await appError(
      configuredEngine().transcribe(pcmFile(12).audio, { language: "en-US", diarize: false }),
    );

    expect(error.code).toBe("engine_unavailable");
    expect(error.message).toMatch(/connection .* was lost/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fake.connections.length).toBeGreaterThan(1);
    expect(fake.connections.slice(1).every((connection) => connection.refused)).toBe(true);
  });

  it("rejects when the connection drops after the audio ended (the SDK does not reconnect then)", async () => {
    fake.mode = { kind: "drop" };
    const engine = new AzureSpeechEngine(azureConfig(), { stallTimeoutMs: 1500 });
    const started = Date.now();

    const error = await appError(engine.transcribe(pcmFile(2).audio, { language: "en-US", diarize: false }));

    expect(error.code).toBe("engine_unavailable");
    expect(error.message).toMatch(/connection .* was lost/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("rejects when the service stops answering", async () => {
    fake.mode = { kind: "stall" };
    const engine = new AzureSpeechEngine(azureConfig(), { stallTimeoutMs: 1500 });
    const started = Date.now();

    const error = await appError(engine.transcribe(pcmFile(2).audio, { language: "en-US", diarize: false }));

    expect(error.code).toBe("engine_unavailable");
    expect(error.message).toMatch(/stopped answering/);
    expect(Date.now() - started).toBeLessThan(10_000);
    await waitFor(() => fake.connections[0]!.closed);
  });

  it("stops on abort and rejects with an AbortError", async () => {
    const engine = configuredEngine();
    const controller = new AbortController();
    const started = Date.now();

    const error = await rejection(
      engine.transcribe(pcmFile(30).audio, {
        language: "en-US",
        diarize: false,
        signal: controller.signal,
        onSegments: () => controller.abort(),
      }),
    );

    expect((error as Error).name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor(() => fake.connections[0]!.closed);
    expect(fake.connections[0]!.audio.length).toBeLessThan(30 * 32_000);
  });
});

function contextOf(index: number): {
  languageId?: { languages?: string[] };
  phraseDetection?: Record<string, unknown>;
} {
  const text = fake.connections[index]!.texts.find((message) => message.path === "speech.context");
  return JSON.parse(text!.body) as ReturnType<typeof contextOf>;
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
