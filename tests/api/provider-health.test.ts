// A chosen cloud provider without usable settings (missing or malformed) does not stop the server:
// /api/health is degraded and names the provider and the variables to set (never a secret), work
// that needs it is refused at once with the error envelope, and the rest of the app works. The
// start-up checks (no cost, once) say whether configured providers answer; /api/health only
// reports what they said.
import fs from "node:fs";
import type { ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { GET as healthRoute } from "@/app/api/health/route";
import { POST as emailRoute } from "@/app/api/transcriptions/[id]/email/route";
import { POST as summaryRoute } from "@/app/api/transcriptions/[id]/summary/route";
import { healthReportSchema, type HealthReport } from "@/lib/contract";
import { AppError } from "@/lib/domain/errors";
import { runProviderChecks } from "@/lib/services/provider-checks";
import { createId } from "@/lib/util/ids";
import { configure, currentContext, readFixture, upload } from "../helpers/api";
import { startTestServer, type AppProcess } from "../helpers/app-process";
import { closedPort, FakeChatService } from "../helpers/fake-openai";
import { closeServer, listenOnLoopback } from "../helpers/loopback-server";
import { freePorts } from "../helpers/storage";

/** Looks like a key, is not one: it must never appear in an answer. */
const secret = "not-a-real-key-3f9a1c0b";
const jfk = readFixture("jfk.wav");
let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-provider-health-"));
});

afterAll(async () => {
  await configure(Object.fromEntries(Object.keys(unset).map((name) => [name, undefined])));
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Every setting these tests change, back to the test defaults. */
const unset: Record<string, undefined> = {
  SPEECH_PROVIDER: undefined,
  AZURE_SPEECH_KEY: undefined,
  AZURE_SPEECH_REGION: undefined,
  SUMMARY_PROVIDER: undefined,
  OPENAI_BASE_URL: undefined,
  OPENAI_MODEL: undefined,
  OPENAI_API_KEY: undefined,
  EMAIL_PROVIDER: undefined,
  SMTP_HOST: undefined,
  SMTP_PORT: undefined,
  DATA_DIR: undefined,
};

async function health(): Promise<{ status: number; text: string; body: HealthReport }> {
  const response = await healthRoute(new Request("http://localhost/api/health"), {});
  const text = await response.text();
  return { status: response.status, text, body: healthReportSchema.parse(JSON.parse(text)) };
}

describe("a speech provider without usable settings", () => {
  it("leaves the server up, degraded, naming the variable but never the key", async () => {
    await configure({
      ...unset,
      DATA_DIR: path.join(workDir, "data"),
      SPEECH_PROVIDER: "azure",
      AZURE_SPEECH_KEY: secret,
      AZURE_SPEECH_REGION: "westeurope",
    });
    const { status, text, body } = await health();
    expect(status).toBe(503);
    expect(body.status).toBe("degraded");
    expect(body.engines.speech).toMatchObject({
      id: "azure-speech",
      name: "Azure AI Speech",
      provider: "azure",
      configured: false,
      ready: false,
      state: "failed",
    });
    expect(body.engines.speech.error).toMatch(/^AZURE_SPEECH_KEY is not an Azure AI services key/);
    expect(text).not.toContain(secret);
    // The rest is as usual.
    expect(body.storage.ready).toBe(true);
    expect(body.summary).toMatchObject({ id: "local", configured: true, ready: true });
    expect(body.email).toMatchObject({ provider: "outbox", configured: true, ready: true });
    expect(body.live?.available).toBe(false);
  });

  it("names every missing variable", async () => {
    await configure({ AZURE_SPEECH_KEY: undefined, AZURE_SPEECH_REGION: undefined });
    const { body } = await health();
    expect(body.engines.speech.error).toBe(
      "SPEECH_PROVIDER=azure needs AZURE_SPEECH_KEY (or AZURE_SPEECH_USE_ENTRA_ID=true with AZURE_SPEECH_RESOURCE_ID) and AZURE_SPEECH_REGION (or AZURE_SPEECH_ENDPOINT)",
    );
  });

  it("refuses uploads at once with 503 engine_unavailable, storing nothing", async () => {
    const context = await currentContext();
    const before = await context.services.storage.recordings.list(context.owner, { limit: 100 });
    const response = await upload(jfk, { name: "meeting.wav" });
    expect(response.status).toBe(503);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("engine_unavailable");
    expect(error.message).toMatch(
      /^The speech engine \(Azure AI Speech\) is not configured: .*AZURE_SPEECH_KEY/,
    );
    const after = await context.services.storage.recordings.list(context.owner, { limit: 100 });
    expect(after.items).toHaveLength(before.items.length);
  });

  it("refuses live sessions with engine_unavailable", async () => {
    const context = await currentContext();
    const opened = await context.services.live
      .open(
        context,
        { type: "start", language: "auto", diarize: false, sampleRate: 16_000, encoding: "pcm_s16le" },
        () => undefined,
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(opened).toBeInstanceOf(AppError);
    expect((opened as AppError).code).toBe("engine_unavailable");
    expect((opened as AppError).message).toMatch(/not configured/);
  });
});

describe("a summariser and an e-mail sender without usable settings", () => {
  it("are named in /api/health, and summaries are refused with 503", async () => {
    await configure({
      ...unset,
      DATA_DIR: path.join(workDir, "data"),
      SUMMARY_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: "ftp://models.example.com",
      OPENAI_API_KEY: secret,
      EMAIL_PROVIDER: "smtp",
    });
    const { status, text, body } = await health();
    expect(status).toBe(503);
    expect(body.status).toBe("degraded");
    expect(body.engines.speech).toMatchObject({ provider: "local", configured: true });
    expect(body.summary).toMatchObject({
      id: "openai-compatible",
      configured: false,
      ready: false,
      error:
        "SUMMARY_PROVIDER=openai-compatible needs OPENAI_MODEL; OPENAI_BASE_URL: must be an http:// or https:// URL",
    });
    expect(body.email).toMatchObject({
      provider: "smtp",
      name: "SMTP",
      outbox: false,
      configured: false,
      ready: false,
      error: "EMAIL_PROVIDER=smtp needs SMTP_HOST",
    });
    expect(text).not.toContain(secret);

    // A saved transcript to summarise and send.
    const { services, owner } = await currentContext();
    const id = createId();
    const now = new Date().toISOString();
    await services.storage.transcripts.create(owner, {
      id,
      recordingId: createId(),
      title: "Notes",
      text: "Ask not what your country can do for you.",
      segments: [{ start: 0, end: 3, text: "Ask not what your country can do for you." }],
      language: "en-US",
      durationSec: 3,
      engine: "local-whisper-tiny.en",
      settings: { diarize: false },
      createdAt: now,
      updatedAt: now,
    });
    const params = { params: Promise.resolve({ id }) };
    const summary = await summaryRoute(
      new Request(`http://localhost/api/transcriptions/${id}/summary`, { method: "POST" }),
      params,
    );
    expect(summary.status).toBe(503);
    expect(await summary.json()).toEqual({
      error: {
        code: "summary_unavailable",
        message: expect.stringMatching(/^OpenAI-compatible endpoint is not configured: .*OPENAI_MODEL/),
      },
    });
    const email = await emailRoute(
      new Request(`http://localhost/api/transcriptions/${id}/email`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ to: "someone@example.com" }),
      }),
      params,
    );
    expect(email.status).toBe(503);
    expect(((await email.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "email_unavailable",
      message: expect.stringMatching(
        /^E-mail \(SMTP\) is not configured: EMAIL_PROVIDER=smtp needs SMTP_HOST/,
      ),
    });
  });
});

describe("start-up checks of configured providers", () => {
  let fake: FakeChatService;

  beforeAll(async () => {
    fake = await FakeChatService.start();
  });

  afterAll(async () => {
    await fake.close();
  });

  it("report an endpoint that answers, and one that cannot be reached, without degrading", async () => {
    const services = await configure({
      ...unset,
      DATA_DIR: path.join(workDir, "data"),
      SUMMARY_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: `${fake.url}/v1`,
      OPENAI_MODEL: "llama3.1:8b",
      EMAIL_PROVIDER: "smtp",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(await closedPort()),
    });
    expect((await health()).body.summary).not.toHaveProperty("reachable");
    fake.reset();
    await runProviderChecks(services);
    // One free request: the model list (the fake has none: any answer but a refusal will do).
    expect(fake.requests.map((request) => [request.method, request.path])).toEqual([["GET", "/v1/models"]]);
    const { status, body } = await health();
    expect(body.summary).toMatchObject({ configured: true, reachable: true, ready: true });
    expect(body.email).toMatchObject({ configured: true, reachable: false, ready: false });
    expect(body.email?.error).toMatch(/could not be reached: check SMTP_HOST and SMTP_PORT/);
    // A service that did not answer at start-up may come back: it is named, not fatal.
    expect(status).toBe(200);
    expect(body.status).not.toBe("degraded");
  });

  it("report a refused key", async () => {
    const { server, url } = await listenOnLoopback();
    server.on("request", (_request, response: ServerResponse) => {
      response.writeHead(401, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify({ error: { message: "Incorrect API key provided.", code: "invalid_api_key" } }),
      );
    });
    try {
      const services = await configure({
        OPENAI_BASE_URL: `${url}/v1`,
        OPENAI_API_KEY: "wrong",
        EMAIL_PROVIDER: undefined,
      });
      await runProviderChecks(services);
      const { body } = await health();
      expect(body.summary).toMatchObject({ reachable: false, ready: false });
      expect(body.summary?.error).toMatch(/refused the credentials \(error 401\)/);
      expect(body.email).not.toHaveProperty("reachable");
    } finally {
      await closeServer(server);
    }
  });
});

describe("the server process", () => {
  let server: AppProcess | null = null;

  afterAll(async () => {
    server?.kill("SIGKILL");
    await server?.exited;
  });

  it("starts with a misconfigured speech provider and says so in /api/health and its log", async () => {
    const [blob, queue, table] = await freePorts(3);
    const started = await startTestServer({
      dataDir: path.join(workDir, "process-data"),
      ports: { blob: blob!, queue: queue!, table: table! },
      env: { SPEECH_PROVIDER: "azure", AZURE_SPEECH_KEY: secret, AZURE_SPEECH_REGION: "West Europe" },
    });
    server = started.process;
    const response = await fetch(`http://127.0.0.1:${started.port}/api/health`);
    const text = await response.text();
    expect(response.status).toBe(503);
    const body = healthReportSchema.parse(JSON.parse(text));
    expect(body.engines.speech).toMatchObject({ provider: "azure", configured: false, state: "failed" });
    expect(body.engines.speech.error).toMatch(/AZURE_SPEECH_KEY is not an Azure AI services key/);
    expect(body.engines.speech.error).toMatch(/AZURE_SPEECH_REGION: must be an Azure region name/);
    expect(text).not.toContain(secret);
    expect(server.lines.some((line) => line.message === "provider not configured")).toBe(true);
    expect(server.output()).not.toContain(secret);

    const form = new FormData();
    form.set("audio", new File([new Uint8Array(jfk)], "jfk.wav", { type: "audio/wav" }));
    const refused = await fetch(`http://127.0.0.1:${started.port}/api/transcriptions`, {
      method: "POST",
      body: form,
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("engine_unavailable");
  });
});
