// Cloud summaries (Azure OpenAI and OpenAI-compatible servers) against a local fake speaking the
// chat-completions wire format, then through POST /api/transcriptions/:id/summary.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { createSummarizer, type Summarizer } from "@/lib/summary";
import { chunkSystemPrompt, summarySystemPrompt } from "@/lib/summary/prompt";
import { POST as summaryRoute } from "@/app/api/transcriptions/[id]/summary/route";
import { GET as getTranscriptRoute } from "@/app/api/transcriptions/[id]/route";
import { closedPort, defaultDeltas, FakeChatService, type RecordedRequest } from "../helpers/fake-openai";
import { configure, readFixture, upload, waitForJob } from "../helpers/api";

const jfkText = readFixture("jfk.txt").toString("utf8").trim();
const azureKey = "azure-key-0123456789abcdef";
const openAiKey = "sk-test-0123456789abcdef";
let fake: FakeChatService;

beforeAll(async () => {
  fake = await FakeChatService.start();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => fake.reset());

function azureSummarizer(overrides: Record<string, string> = {}): Promise<Summarizer> {
  return createSummarizer(
    parseConfig({
      SUMMARY_PROVIDER: "azure-openai",
      AZURE_OPENAI_ENDPOINT: fake.url,
      AZURE_OPENAI_API_KEY: azureKey,
      AZURE_OPENAI_DEPLOYMENT: "summaries-4o",
      AZURE_OPENAI_API_VERSION: "2025-01-01-preview",
      ...overrides,
    }).summary,
  );
}

function openAiSummarizer(overrides: Record<string, string> = {}): Promise<Summarizer> {
  return createSummarizer(
    parseConfig({
      SUMMARY_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: `${fake.url}/v1`,
      OPENAI_API_KEY: openAiKey,
      OPENAI_MODEL: "llama3.1:8b",
      ...overrides,
    }).summary,
  );
}

/** Runs a summary that must fail and returns the AppError. */
async function failure(summarizer: Summarizer, text = jfkText): Promise<AppError> {
  const error: unknown = await summarizer.summarize({ title: "jfk", text, language: "en-US" }).then(
    () => new Error("the summary unexpectedly succeeded"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

function expectReadable(error: AppError, ...secrets: string[]) {
  expect(error.message.length).toBeGreaterThan(20);
  expect(error.message).toMatch(/^[A-Z]/);
  expect(error.message).not.toMatch(/at .*\.(ts|js):\d+|\[object Object\]|undefined/);
  for (const secret of secrets) {
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.toEnvelope())).not.toContain(secret);
  }
}

function userMessage(request: RecordedRequest): string {
  const message = request.body?.messages.find((m) => m.role === "user");
  return message?.content ?? "";
}

describe("Azure OpenAI summariser", () => {
  it("streams from the deployment's chat-completions route with the api-key header", async () => {
    const deltas: string[] = [];
    const summary = await (
      await azureSummarizer()
    ).summarize({ title: "jfk", text: jfkText, language: "en-US" }, { onDelta: (text) => deltas.push(text) });

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/openai/deployments/summaries-4o/chat/completions");
    expect(request.query["api-version"]).toBe("2025-01-01-preview");
    expect(request.headers["api-key"]).toBe(azureKey);
    expect(request.headers.authorization ?? "").not.toContain(azureKey);
    expect(request.headers["content-type"]).toMatch(/^application\/json/);
    expect(request.body).toMatchObject({ stream: true });
    expect(request.body!.messages).toEqual([
      { role: "system", content: summarySystemPrompt },
      { role: "user", content: expect.stringContaining(jfkText) as string },
    ]);
    expect(userMessage(request)).toContain("jfk");

    expect(deltas).toEqual(defaultDeltas);
    expect(summary).toBe(deltas.join(""));
  });

  it("reports a deployment the service does not know as unavailable", async () => {
    fake.handler = () => ({ status: 404, message: "The API deployment for this resource does not exist." });
    const error = await failure(await azureSummarizer({ SUMMARY_MAX_RETRIES: "0" }));
    expect(error.code).toBe("summary_unavailable");
    expect(error.message).toMatch(/Azure OpenAI/);
    expectReadable(error, azureKey);
  });

  // Bug: the `openai` package's AzureOpenAI reads OPENAI_BASE_URL from the environment when no
  // baseURL is passed, then refuses `endpoint` ("baseURL and endpoint are mutually exclusive").
  // A deployment that keeps OPENAI_BASE_URL (a variable this app itself reads for the
  // openai-compatible provider) in its .env while choosing SUMMARY_PROVIDER=azure-openai cannot
  // build its services at all: every route answers 500. Fix in lib/summary/index.ts, in the
  // `new AzureOpenAI({...})` options (line 17): add `baseURL: null,` so the environment is ignored.
  it("ignores a leftover OPENAI_BASE_URL in the environment", async () => {
    const previous = process.env.OPENAI_BASE_URL;
    process.env.OPENAI_BASE_URL = "http://127.0.0.1:9/v1";
    try {
      const summary = await (
        await azureSummarizer()
      ).summarize({ title: "jfk", text: jfkText, language: "en-US" });
      expect(summary).toBe(defaultDeltas.join(""));
      expect(fake.requests.map((r) => r.path)).toEqual(["/openai/deployments/summaries-4o/chat/completions"]);
    } finally {
      if (previous === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = previous;
    }
  });
});

describe("OpenAI-compatible summariser", () => {
  it("calls /v1/chat/completions under the base URL with a bearer key and the model", async () => {
    const deltas: string[] = [];
    const summary = await (
      await openAiSummarizer()
    ).summarize({ title: "jfk", text: jfkText, language: "en-US" }, { onDelta: (text) => deltas.push(text) });
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe(`Bearer ${openAiKey}`);
    expect(request.headers["api-key"]).toBeUndefined();
    expect(request.body).toMatchObject({ model: "llama3.1:8b", stream: true });
    expect(request.body!.messages[0]).toEqual({ role: "system", content: summarySystemPrompt });
    expect(userMessage(request)).toContain(jfkText);
    expect(deltas).toEqual(defaultDeltas);
    expect(summary).toBe(deltas.join(""));
  });

  it("maps a long transcript to notes per part, then streams one summary of the notes", async () => {
    const sentences = [
      "The board approved a budget of forty-eight thousand dollars for the redesign.",
      "The deadline for the first release is the fourteenth of March.",
      "Marco will write the test plan for the checkout flow by Friday.",
      "The tablet layout was dropped from this release to save two weeks.",
      "Priya will ask the agency for a revised quote without the tablet screens.",
      "The beta testers need the build two weeks before the deadline.",
    ];
    const text = Array.from({ length: 12 }, (_, round) =>
      sentences.map((s) => s.replace(/\.$/, ` in round ${round + 1}.`)).join(" "),
    ).join("\n");
    expect(text.length).toBeGreaterThan(5000);

    fake.handler = (request, index) =>
      request.body?.stream
        ? { content: ["Overview: ", "all parts."] }
        : { content: `- note ${index + 1} of the map step` };
    const deltas: string[] = [];
    const summary = await (
      await openAiSummarizer({ SUMMARY_CHUNK_CHARS: "2000" })
    ).summarize(
      { title: "Weekly sync", text, language: "en-US" },
      { onDelta: (delta) => deltas.push(delta) },
    );

    const maps = fake.requests.slice(0, -1);
    const reduce = fake.requests.at(-1)!;
    expect(maps.length).toBeGreaterThanOrEqual(3);
    const parts = maps.map((request, i) => {
      expect(request.body?.stream).toBeFalsy();
      expect(request.body!.messages[0]).toEqual({ role: "system", content: chunkSystemPrompt });
      const content = userMessage(request);
      expect(content).toContain(`Part ${i + 1} of ${maps.length}`);
      const part = content.split("Transcript part:\n")[1] ?? "";
      expect(part.length).toBeGreaterThan(500);
      expect(part.length).toBeLessThanOrEqual(2000);
      return part;
    });
    // Every part is a piece of the transcript, and together they are all of it, in order.
    expect(parts.join(" ")).toBe(text.replace(/\s+/g, " ").trim());

    expect(reduce.body?.stream).toBe(true);
    expect(reduce.body!.messages[0]).toEqual({ role: "system", content: summarySystemPrompt });
    const reduceMessage = userMessage(reduce);
    maps.forEach((_, i) => expect(reduceMessage).toContain(`- note ${i + 1} of the map step`));
    expect(reduceMessage).not.toContain("in round 1.");
    expect(deltas).toEqual(["Overview: ", "all parts."]);
    expect(summary).toBe("Overview: all parts.");
  });

  it.each([
    ["retry-after-ms: 10", { "retry-after-ms": "10" }],
    ["retry-after: 0", { "retry-after": "0" }],
  ])("retries 429 (%s) and then succeeds", async (_label, headers) => {
    fake.handler = (_request, index) => (index < 2 ? { status: 429, headers } : { content: defaultDeltas });
    const summary = await (
      await openAiSummarizer({ SUMMARY_MAX_RETRIES: "3" })
    ).summarize({
      title: "jfk",
      text: jfkText,
      language: "en-US",
    });
    expect(summary).toBe(defaultDeltas.join(""));
    expect(fake.requests).toHaveLength(3);
  });

  it("gives up on a failing service after SUMMARY_MAX_RETRIES retries with summary_failed", async () => {
    fake.handler = () => ({ status: 500, message: "The server had an error while processing your request." });
    const error = await failure(await openAiSummarizer({ SUMMARY_MAX_RETRIES: "1" }));
    expect(fake.requests).toHaveLength(2);
    expect(error.code).toBe("summary_failed");
    expect(error.message).toMatch(/500/);
    expectReadable(error, openAiKey);
  });

  it("reports a service that stays rate limited as rate_limited", async () => {
    fake.handler = () => ({ status: 429, headers: { "retry-after-ms": "10" } });
    const error = await failure(await openAiSummarizer({ SUMMARY_MAX_RETRIES: "2" }));
    expect(fake.requests).toHaveLength(3);
    expect(error.code).toBe("rate_limited");
    expectReadable(error, openAiKey);
  });

  it("reports rejected credentials as summary_unavailable without retrying", async () => {
    fake.handler = () => ({ status: 401, message: `Incorrect API key provided: ${openAiKey}.` });
    const error = await failure(await openAiSummarizer({ SUMMARY_MAX_RETRIES: "2" }));
    expect(fake.requests).toHaveLength(1);
    expect(error.code).toBe("summary_unavailable");
    expect(error.message).toMatch(/credentials|key/i);
    expectReadable(error, openAiKey);
  });

  it("reports a closed port as summary_unavailable", async () => {
    const port = await closedPort();
    const error = await failure(
      await openAiSummarizer({ OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, SUMMARY_MAX_RETRIES: "0" }),
    );
    expect(error.code).toBe("summary_unavailable");
    expect(error.message).toMatch(/could not be reached/);
    expectReadable(error, openAiKey);
  });

  it("refuses an empty transcript without calling the service", async () => {
    const error = await failure(await openAiSummarizer(), "  \n ");
    expect(error.code).toBe("empty_transcript");
    expect(fake.requests).toHaveLength(0);
  });
});

describe("POST /api/transcriptions/:id/summary with an OpenAI-compatible service", () => {
  let workDir: string;
  let id: string;

  const params = () => ({ params: Promise.resolve({ id }) });

  async function summarize(accept?: string): Promise<Response> {
    return summaryRoute(
      new Request(`http://localhost/api/transcriptions/${id}/summary`, {
        method: "POST",
        headers: accept ? { accept } : {},
      }),
      params(),
    );
  }

  async function ndjson(response: Response): Promise<Array<Record<string, unknown>>> {
    const text = await response.text();
    expect(text.endsWith("\n")).toBe(true);
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async function saved(): Promise<{ text: string; summary?: string; etag: string }> {
    const response = await getTranscriptRoute(
      new Request(`http://localhost/api/transcriptions/${id}`),
      params(),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { transcript: { text: string; summary?: string; etag: string } };
    return body.transcript;
  }

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-summary-"));
    await configure({
      DATA_DIR: path.join(workDir, "data"),
      SUMMARY_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: `${fake.url}/v1`,
      OPENAI_API_KEY: openAiKey,
      OPENAI_MODEL: "llama3.1:8b",
      SUMMARY_MAX_RETRIES: "0",
    });
    const response = await upload(readFixture("jfk.wav"), { name: "jfk.wav", fields: { language: "en-US" } });
    expect(response.status).toBe(202);
    id = ((await response.json()) as { id: string }).id;
    const { body } = await waitForJob(id);
    expect(body.status).toBe("succeeded");
  });

  afterAll(async () => {
    await configure({
      DATA_DIR: undefined,
      SUMMARY_PROVIDER: undefined,
      OPENAI_BASE_URL: undefined,
      OPENAI_API_KEY: undefined,
      OPENAI_MODEL: undefined,
      SUMMARY_MAX_RETRIES: undefined,
    });
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("streams NDJSON deltas, then done with the summary and a new etag, and saves it", async () => {
    const before = await saved();
    const response = await summarize("application/x-ndjson");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const events = await ndjson(response);

    const deltas = events.filter((e) => e.type === "delta");
    expect(deltas.map((e) => e.text)).toEqual(defaultDeltas);
    const done = events.at(-1)!;
    expect(done).toEqual({
      type: "done",
      summary: defaultDeltas.join(""),
      etag: expect.any(String) as string,
    });
    expect(events.map((e) => e.type)).toEqual([...defaultDeltas.map(() => "delta"), "done"]);
    expect(done.etag).not.toBe(before.etag);

    // The service saw the transcript as saved.
    expect(userMessage(fake.requests[0]!)).toContain(before.text);
    const after = await saved();
    expect(after.summary).toBe(defaultDeltas.join(""));
    expect(after.etag).toBe(done.etag);
    expect(after.text).toBe(before.text);
  });

  it("answers JSON { summary, etag } without the NDJSON Accept header", async () => {
    fake.handler = () => ({ content: ["Overview: ", "a short ", "speech."] });
    const before = await saved();
    const response = await summarize();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { summary: string; etag: string };
    expect(body.summary).toBe("Overview: a short speech.");
    expect(body.etag).not.toBe(before.etag);
    expect(response.headers.get("etag")).toBe(body.etag);
    const after = await saved();
    expect(after).toMatchObject({ summary: body.summary, etag: body.etag, text: before.text });
  });

  it("streams an error event when the service fails and leaves the transcript as it was", async () => {
    fake.handler = () => ({ status: 500 });
    const before = await saved();
    const events = await ndjson(await summarize("application/x-ndjson"));
    expect(events).toEqual([
      { type: "error", code: "summary_failed", message: expect.any(String) as string },
    ]);
    expect(String(events[0]!.message)).toMatch(/could not summarise/);
    expect(await saved()).toEqual(before);

    fake.handler = () => ({ status: 401 });
    const unavailable = await ndjson(await summarize("application/x-ndjson"));
    expect(unavailable).toMatchObject([{ type: "error", code: "summary_unavailable" }]);
    expect(JSON.stringify(unavailable)).not.toContain(openAiKey);
    expect(await saved()).toEqual(before);
  });

  it("answers a JSON error envelope when the service fails without streaming", async () => {
    fake.handler = () => ({ status: 429, headers: { "retry-after-ms": "10" } });
    const before = await saved();
    const response = await summarize();
    expect(response.status).toBe(429);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/rate limited/);
    expect(await saved()).toEqual(before);
  });

  it("answers 404 for an unknown transcript without calling the service", async () => {
    const response = await summaryRoute(
      new Request("http://localhost/api/transcriptions/0000000000000000a/summary", { method: "POST" }),
      { params: Promise.resolve({ id: "0000000000000000a" }) },
    );
    expect(response.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
  });
});
