// The live socket (/api/live) behind a bare node:http server, on the services of the composition
// root with real Azurite storage and the deterministic fake engine: the protocol's happy path,
// every rejected input (each an `error` frame with its code and a clean close, what was received
// kept), resuming after a dropped connection without losing or doubling audio, and a dropped
// session that nobody resumes being saved on its own.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { inspectWav } from "@/lib/audio/wav";
import { createLiveSocketHandler, LIVE_PATH } from "@/lib/http/live-socket";
import { upgradeContext, type Services } from "@/lib/services";
import { configure, currentContext, readFixture } from "../helpers/api";
import { pollUntil } from "../helpers/app-process";
import { connectLive, startFrame, type LiveClient } from "../helpers/live-client";

const jfk = readFixture("jfk.wav");
const header = inspectWav(jfk, jfk.length);
if ("problem" in header || header.dataOffset === null) throw new Error("jfk.wav has no readable header");
/** 11 s of speech as raw 16 kHz 16-bit mono PCM. */
const speech = jfk.subarray(header.dataOffset);
const samples = (seconds: number) => Math.round(seconds * 16_000);
const bytes = (seconds: number) => samples(seconds) * 2;

let server: http.Server;
let url: string;
let services: Services;
const clients: LiveClient[] = [];

async function startServer(settings: Record<string, string | undefined> = {}) {
  services = await configure({ SPEECH_PROVIDER: "fake", LIVE_RESUME_SEC: "1", ...settings });
  const handler = createLiveSocketHandler(upgradeContext);
  server = http.createServer((_request, response) => response.writeHead(404).end());
  server.on("upgrade", (request, socket, head) => {
    if (request.url === LIVE_PATH) handler.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  server.on("close", () => handler.close());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${LIVE_PATH}`;
}

async function stopServer() {
  for (const client of clients.splice(0)) client.ws.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function connect(headers: Record<string, string> = {}) {
  const client = await connectLive(url, headers);
  clients.push(client);
  return client;
}

/** The stored recording's audio (WAV) and the transcript of a saved session. */
async function savedSession(saved: { recordingId: string; transcriptionId: string }) {
  const { owner } = await currentContext();
  const recording = await services.storage.recordings.get(owner, saved.recordingId);
  const transcript = await services.storage.transcripts.get(owner, saved.transcriptionId);
  const download = await services.storage.recordings.download(owner, saved.recordingId);
  const chunks: Buffer[] = [];
  for await (const chunk of download!.stream) chunks.push(chunk as Buffer);
  return { recording, transcript, wav: Buffer.concat(chunks) };
}

/** The PCM of a stored WAV recording (its header checked). */
function pcmOf(wav: Buffer): Buffer {
  const info = inspectWav(wav, wav.length);
  if ("problem" in info || info.dataOffset === null)
    throw new Error("the stored recording is not a valid WAV");
  expect(info).toMatchObject({ sampleRate: 16_000, channels: 1 });
  return wav.subarray(info.dataOffset);
}

async function liveAudioLeft(): Promise<number> {
  return (await services.storage.live.list()).length;
}

describe("the live socket", () => {
  beforeAll(() => startServer());
  afterAll(() => stopServer());

  it("streams partials and finals, and on stop saves a recording and transcript like an upload's", async () => {
    const client = await connect();
    client.sendJson(startFrame({ diarize: false }));
    const ready = await client.next("ready");
    expect(ready).toEqual({ type: "ready", sessionId: expect.any(String), offset: 0 });
    await client.sendPcm(speech);
    await client.next("final");
    client.sendJson({ type: "stop" });
    const saved = await client.next("saved");
    expect(await client.closed).toMatchObject({ code: 1000 });

    expect(saved.recordingId).toBe(ready.sessionId);
    const partials = client.messages.filter((message) => message.type === "partial");
    const finals = client.messages.flatMap((message) => (message.type === "final" ? [message.segment] : []));
    expect(partials.length).toBeGreaterThan(10);
    // The fake engine closes a segment per 5 s: 11 s give three.
    expect(finals.map((segment) => segment.text)).toEqual([
      "Live segment 1.",
      "Live segment 2.",
      "Live segment 3.",
    ]);
    const savedAt = client.messages.findIndex((message) => message.type === "saved");
    expect(savedAt).toBe(client.messages.length - 1);

    const { recording, transcript, wav } = await savedSession(saved);
    expect(recording).toMatchObject({
      id: saved.recordingId,
      transcriptionId: saved.transcriptionId,
      contentType: "audio/wav",
      source: "live",
      durationSec: Math.round((speech.length / 32_000) * 100) / 100,
    });
    expect(pcmOf(wav).equals(speech)).toBe(true);
    expect(transcript).toMatchObject({
      id: saved.transcriptionId,
      recordingId: saved.recordingId,
      engine: "fake",
      text: finals.map((segment) => segment.text).join(" "),
      segments: finals,
      title: expect.stringMatching(/^Live \d{4}-\d\d-\d\d \d\d:\d\d$/),
    });
    expect(await liveAudioLeft()).toBe(0);
  });

  it("keeps the audio in storage while the session runs, at most about a second behind", async () => {
    const client = await connect();
    client.sendJson(startFrame());
    const { sessionId } = await client.next("ready");
    await client.sendPcm(speech.subarray(0, bytes(3)));
    const { owner } = await currentContext();
    const stored = await pollUntil(
      async () => {
        const entry = await services.storage.live.get(owner, sessionId);
        return entry && entry.sizeBytes === bytes(3) ? entry : null;
      },
      2_000,
      "the live audio in storage",
    );
    expect(stored.metadata).toMatchObject({ id: sessionId, language: "en-US" });
    client.sendJson({ type: "stop" });
    await client.next("saved");
  });

  it("refuses audio before start", async () => {
    const client = await connect();
    client.ws.send(speech.subarray(0, 3_200));
    expect(await client.next("error")).toMatchObject({ code: "audio_before_start" });
    expect(await client.closed).toMatchObject({ code: 1008 });
  });

  it.each([
    ["not JSON", "hello", "invalid_message"],
    ["a stop before start", JSON.stringify({ type: "stop" }), "invalid_message"],
    ["an unknown type", JSON.stringify({ type: "begin" }), "invalid_message"],
    ["a bad language", JSON.stringify(startFrame({ language: "en_US!" })), "invalid_message"],
    ["another sample rate", JSON.stringify(startFrame({ sampleRate: 44_100 })), "unsupported_audio"],
    ["another encoding", JSON.stringify(startFrame({ encoding: "opus" })), "unsupported_audio"],
  ])("refuses %s as the first frame", async (_name, frame, code) => {
    const client = await connect();
    client.ws.send(frame);
    const error = await client.next("error");
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
    expect((await client.closed).code).toBe(code === "unsupported_audio" ? 1003 : 1008);
  });

  it.each([
    ["over the frame limit", 70_000],
    ["of an odd length", 3_201],
  ])("ends a session on a frame %s, keeping what came before", async (_name, size) => {
    const client = await connect();
    client.sendJson(startFrame());
    await client.next("ready");
    await client.sendPcm(speech.subarray(0, bytes(2)));
    client.ws.send(Buffer.alloc(size));
    expect(await client.next("error")).toMatchObject({ code: "frame_too_large" });
    const saved = await client.next("saved");
    expect((await client.closed).code).toBe(1009);
    const { recording, wav } = await savedSession(saved);
    expect(recording?.source).toBe("live");
    expect(pcmOf(wav).equals(speech.subarray(0, bytes(2)))).toBe(true);
  });

  it("ends a session whose audio runs far ahead of the clock, keeping a minute of it", async () => {
    const client = await connect();
    client.sendJson(startFrame());
    await client.next("ready");
    const flood = Buffer.concat(Array.from({ length: 7 }, () => speech));
    await client.sendPcm(flood, { frameSamples: 16_000 });
    expect(await client.next("error")).toMatchObject({ code: "audio_too_fast" });
    const saved = await client.next("saved");
    expect((await client.closed).code).toBe(1008);
    const { recording } = await savedSession(saved);
    expect(recording!.durationSec).toBeGreaterThanOrEqual(60);
    expect(recording!.durationSec).toBeLessThan(65);
  });

  it("refuses a resume that claims a gap longer than a dropped connection allows", async () => {
    const first = await connect();
    first.sendJson(startFrame());
    const { sessionId } = await first.next("ready");
    await first.sendPcm(speech.subarray(0, bytes(1)));
    first.ws.terminate();
    const second = await connect();
    second.sendJson(startFrame({ resume: { sessionId, offset: samples(3600) } }));
    await second.next("ready");
    await second.sendPcm(speech.subarray(0, bytes(1)));
    expect(await second.next("error")).toMatchObject({ code: "audio_too_fast" });
    const saved = await second.next("saved");
    const { recording } = await savedSession(saved);
    expect(recording!.durationSec).toBe(1);
  });

  it("refuses a resume of a session it does not know", async () => {
    const client = await connect();
    client.sendJson(startFrame({ resume: { sessionId: "nope", offset: 0 } }));
    expect(await client.next("error")).toMatchObject({ code: "session_not_found" });
    expect((await client.closed).code).toBe(1008);
  });

  it("refuses a page of another site", async () => {
    await expect(connect({ Origin: "https://evil.example" })).rejects.toMatchObject({ status: 403 });
    const own = await connect({ Origin: new URL(url.replace("ws:", "http:")).origin });
    own.sendJson(startFrame());
    await own.next("ready");
    own.sendJson({ type: "stop" });
    await own.next("saved");
  });

  it("resumes a dropped session from its offset without losing or doubling audio", async () => {
    const first = await connect();
    first.sendJson(startFrame());
    const { sessionId } = await first.next("ready");
    await first.sendPcm(speech.subarray(0, bytes(2)));
    // Wait until the server holds it all, then cut the connection without a close handshake.
    const { owner } = await currentContext();
    await pollUntil(
      async () => ((await services.storage.live.get(owner, sessionId))?.sizeBytes === bytes(2) ? true : null),
      3_000,
      "the first 2 s stored",
    );
    first.ws.terminate();
    await first.closed;

    // The client resends from 1.5 s (it cannot know what arrived): the overlap is skipped.
    const second = await connect();
    second.sendJson(startFrame({ resume: { sessionId, offset: samples(1.5) } }));
    expect(await second.next("ready")).toEqual({ type: "ready", sessionId, offset: samples(2) });
    await second.sendPcm(speech.subarray(bytes(1.5), bytes(6)));
    second.sendJson({ type: "stop" });
    const saved = await second.next("saved");
    expect(saved.recordingId).toBe(sessionId);
    const { wav, transcript } = await savedSession(saved);
    expect(pcmOf(wav).equals(speech.subarray(0, bytes(6)))).toBe(true);
    expect(transcript?.segments.map((segment) => segment.text)).toEqual([
      "Live segment 1.",
      "Live segment 2.",
    ]);
  });

  it("saves a dropped session its client does not resume", async () => {
    const client = await connect();
    client.sendJson(startFrame());
    const { sessionId } = await client.next("ready");
    await client.sendPcm(speech.subarray(0, bytes(4)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.ws.terminate();
    const { owner } = await currentContext();
    const recording = await pollUntil(
      () => services.storage.recordings.get(owner, sessionId),
      10_000,
      "the dropped session's recording",
      100,
    );
    expect(recording).toMatchObject({ source: "live", durationSec: 4 });
    const transcript = await services.storage.transcripts.get(owner, recording.transcriptionId!);
    expect(transcript?.segments.length).toBeGreaterThan(0);
    // The session's audio goes once its recording and transcript are stored (a moment later).
    await pollUntil(
      async () => ((await liveAudioLeft()) === 0 ? true : null),
      10_000,
      "the session's live audio to be removed",
      100,
    );
  });
});

describe("live limits", () => {
  afterEach(() => stopServer());

  it("refuses a session over the configured number at once", async () => {
    await startServer({ LIVE_MAX_SESSIONS: "1" });
    const first = await connect();
    first.sendJson(startFrame());
    await first.next("ready");
    const second = await connect();
    second.sendJson(startFrame());
    const error = await second.next("error");
    expect(error.code).toBe("too_many_sessions");
    expect(error.message).toMatch(/1 live session at once/);
    expect((await second.closed).code).toBe(1013);
    // Once the first ends, a new one is taken.
    first.sendJson({ type: "stop" });
    await first.next("saved");
    const third = await connect();
    third.sendJson(startFrame());
    await third.next("ready");
    third.sendJson({ type: "stop" });
    await third.next("saved");
  });

  it("ends a session at the configured length, keeping the audio up to it", async () => {
    await startServer({ LIVE_MAX_MINUTES: "0.05" });
    const client = await connect();
    client.sendJson(startFrame());
    await client.next("ready");
    await client.sendPcm(speech.subarray(0, bytes(5)));
    const error = await client.next("error");
    expect(error).toMatchObject({ code: "session_too_long" });
    const saved = await client.next("saved");
    expect((await client.closed).code).toBe(1008);
    const { recording, wav } = await savedSession(saved);
    expect(recording?.durationSec).toBe(3);
    expect(pcmOf(wav).equals(speech.subarray(0, bytes(3)))).toBe(true);
  });
});

describe("a live engine that fails mid-session", () => {
  let closeServices: (() => Promise<void>) | null = null;
  afterAll(async () => {
    await stopServer();
    await closeServices?.();
  });

  it("tells the client, keeps the audio and queues the recording's transcription as a job", async () => {
    const { createServices, closeServices: close } = await import("@/lib/services");
    const { parseConfig } = await import("@/lib/config");
    const { FakeSpeechEngine } = await import("@/lib/speech/fake/fake-engine");
    const { AppError } = await import("@/lib/domain/errors");
    const engine = new FakeSpeechEngine();
    let pushed = 0;
    engine.startLive = () => ({
      push: async (chunk) => {
        pushed += chunk.length;
        if (pushed > samples(1)) throw new AppError("engine_failed", "The model stopped.");
      },
      finish: async () => [],
      close: () => undefined,
    });
    const { owner } = await currentContext();
    const own = await createServices(
      parseConfig({ ...process.env, SPEECH_PROVIDER: "fake", LOG_LEVEL: "silent" }),
      {
        engine,
      },
    );
    closeServices = () => close(own);
    const handler = createLiveSocketHandler(async () => ({ services: own, owner }));
    server = http.createServer((_request, response) => response.writeHead(404).end());
    server.on("upgrade", (request, socket, head) => handler.handleUpgrade(request, socket, head));
    server.on("close", () => handler.close());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${LIVE_PATH}`;

    const client = await connect();
    client.sendJson(startFrame());
    await client.next("ready");
    await client.sendPcm(speech.subarray(0, bytes(3)));
    const error = await client.next("error");
    expect(error).toMatchObject({ code: "engine_failed", message: "The model stopped." });
    const saved = await client.next("saved");
    expect((await client.closed).code).toBe(1011);

    const recording = await own.storage.recordings.get(owner, saved.recordingId);
    expect(recording).toMatchObject({ source: "live", transcriptionId: saved.transcriptionId });
    expect(recording!.durationSec).toBeGreaterThan(1);
    expect(await own.storage.transcripts.get(owner, saved.transcriptionId)).toBeNull();
    expect(await own.jobs.records.get(owner, saved.transcriptionId)).toMatchObject({
      status: "queued",
      recordingId: saved.recordingId,
    });
  });
});

describe("the live socket with the local engine", () => {
  beforeAll(() =>
    startServer({ SPEECH_PROVIDER: undefined, LIVE_MAX_SESSIONS: undefined, LIVE_MAX_MINUTES: undefined }),
  );
  afterAll(() => stopServer());

  it("labels the saved finals with the speakers of the recorded audio when asked", async () => {
    const pcmOfFixture = (name: string) => {
      const wav = readFixture(name);
      const info = inspectWav(wav, wav.length);
      if ("problem" in info || info.dataOffset === null) throw new Error(`${name} has no readable header`);
      return wav.subarray(info.dataOffset);
    };
    const pause = Buffer.alloc(bytes(1));
    const turns = ["kitchen.wav", "jfk.wav", "paris.wav", "kitchen.wav"].map(pcmOfFixture);
    const conversation = Buffer.concat([pause, ...turns.flatMap((turn) => [turn, pause]), pause]);

    const client = await connect();
    client.sendJson(startFrame({ diarize: true }));
    await client.next("ready");
    await client.sendPcm(conversation, { paceMs: 5 });
    client.sendJson({ type: "stop" });
    const saved = await client.next("saved", 120_000);
    const finals = client.messages.flatMap((message) => (message.type === "final" ? [message.segment] : []));

    const { transcript } = await savedSession(saved);
    expect(transcript!.settings).toMatchObject({ diarize: true });
    expect(transcript!.segments.map((segment) => segment.text).join(" ")).toBe(
      finals.map((segment) => segment.text).join(" "),
    );
    const jfkStart = (pause.length + turns[0]!.length + pause.length) / 32_000;
    const jfkEnd = jfkStart + turns[1]!.length / 32_000;
    const speakerAt = (from: number, to: number) =>
      new Set(
        transcript!.segments
          .filter((segment) => segment.start < to && segment.end > from)
          .map((segment) => segment.speaker),
      );
    expect(speakerAt(0, jfkStart - 0.5)).toEqual(new Set(["Speaker 1"]));
    expect(speakerAt(jfkStart + 0.5, jfkEnd - 0.5)).toEqual(new Set(["Speaker 2"]));
    expect(speakerAt(jfkEnd + 0.5, conversation.length / 32_000)).toEqual(new Set(["Speaker 1"]));
  }, 150_000);
});
