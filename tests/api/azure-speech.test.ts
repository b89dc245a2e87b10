// The Azure AI Speech engine through the real Speech SDK against a local fake of the service's
// WebSocket endpoint: file and live transcription, diarization, language detection, the key on
// the wire, and failures (refused key, throttling, dropped or silent service, abort) that must
// end in our error codes without hanging.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PcmAudio } from "@/lib/audio/pcm";
import { int16ToFloat32 } from "@/lib/audio/pcm";
import { parseConfig, type AzureSpeechConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { createSpeechEngine, type LiveEvent, type SpeechEngine } from "@/lib/speech";
import { AzureSpeechEngine } from "@/lib/speech/azure/azure-engine";
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

describe("Azure speech engine: files", () => {
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
      new Set(["Guest-1", "Guest-2"]),
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

  it("authenticates with an Entra ID token instead of the key, renewing it before it expires", async () => {
    const resourceId =
      "/subscriptions/0000/resourceGroups/speech-rg/providers/Microsoft.CognitiveServices/accounts/my-speech";
    const scopes: Array<string | string[]> = [];
    let issued = 0;
    const credential = {
      getToken: (scope: string | string[]) => {
        scopes.push(scope);
        issued++;
        // The first token is about to expire: the next session must get a new one.
        const lifetime = issued === 1 ? 60_000 : 3_600_000;
        return Promise.resolve({ token: `entra-token-${issued}`, expiresOnTimestamp: Date.now() + lifetime });
      },
    };
    const config = parseConfig({
      NODE_ENV: "test",
      SPEECH_PROVIDER: "azure",
      AZURE_SPEECH_USE_ENTRA_ID: "true",
      AZURE_SPEECH_RESOURCE_ID: resourceId,
      AZURE_SPEECH_ENDPOINT: fake.endpoint(),
    }).speech;
    if (!("azure" in config)) throw new Error("expected the azure provider, configured");
    const engine = new AzureSpeechEngine(config.azure, { credential });

    const result = await engine.transcribe(pcmFile(2.5).audio, { language: "en-US", diarize: false });
    await engine.transcribe(pcmFile(1).audio, { language: "en-US", diarize: false });
    await engine.transcribe(pcmFile(1).audio, { language: "en-US", diarize: false });

    expect(result.segments.map((segment) => segment.text)).toEqual([fakePhraseText(0)]);
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
    expect(fake.connections).toHaveLength(0);
  });

  it("fails an uploaded file's job at once when the key is refused, without retrying it", async () => {
    fake.expectedKey = "the-right-key";
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
    } finally {
      await configure({
        SPEECH_PROVIDER: undefined,
        AZURE_SPEECH_KEY: undefined,
        AZURE_SPEECH_ENDPOINT: undefined,
      });
    }
  });

  it("goes through the upload API: the job's transcript comes from Azure", async () => {
    fake.expectedKey = key;
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
      const { body, progress } = await waitForJob(id);
      expect(body.status).toBe("succeeded");
      const transcript = body.transcript as { engine: string; segments: unknown[]; language: string };
      expect(transcript.engine).toBe("azure-speech");
      expect(transcript.segments).toEqual(fakeSegments(11, 2));
      expect(progress.at(-1)).toBe(1);
    } finally {
      await configure({
        SPEECH_PROVIDER: undefined,
        AZURE_SPEECH_KEY: undefined,
        AZURE_SPEECH_ENDPOINT: undefined,
      });
    }
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
});

describe("Azure speech engine: failures", () => {
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

  it("rejects when nothing listens at the endpoint", async () => {
    const closed = await FakeAzureSpeech.start();
    const endpoint = closed.endpoint();
    await closed.close();
    const engine = new AzureSpeechEngine(azureConfig({ AZURE_SPEECH_ENDPOINT: endpoint }), {
      stallTimeoutMs: 5000,
    });

    const error = await appError(engine.transcribe(pcmFile(1).audio, { language: "en-US", diarize: false }));

    expect(error.code).toBe("engine_unavailable");
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
