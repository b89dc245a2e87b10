// The route handlers' own protections, called directly as the other API tests do: cross-site
// requests replayed as a foreign page sends them, body types, JSON size and stalled bodies,
// concurrent uploads per client, Retry-After on 429s, request ids in error envelopes and
// Content-Length on audio. The same attacks through the real server: hardening-server.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { POST as postTranscription } from "@/app/api/transcriptions/route";
import { PUT as putTranscriptRoute } from "@/app/api/transcriptions/[id]/route";
import { POST as summaryRoute } from "@/app/api/transcriptions/[id]/summary/route";
import { POST as emailRoute } from "@/app/api/transcriptions/[id]/email/route";
import { DELETE as deleteRecordingRoute } from "@/app/api/recordings/[id]/route";
import { GET as outboxRoute } from "@/app/api/outbox/route";
import { errorEnvelopeSchema } from "@/lib/contract";
import { configure, readFixture, upload, waitForJob } from "../helpers/api";
import {
  expectError,
  getTranscript,
  listRecordings,
  recordingAudio,
  type SavedTranscript,
} from "../helpers/library";

const evil = { "sec-fetch-site": "cross-site", origin: "https://evil.example" };
let workDir: string;
let id: string;
let recordingId: string;
let clients = 0;

/** A client address no other test used (per-client limits start afresh). */
function freshClient(): string {
  return `203.0.113.${++clients}`;
}

const params = (value: string) => ({ params: Promise.resolve({ id: value }) });

/** The multipart body a `<form enctype="multipart/form-data">` or a `no-cors` fetch sends. */
function audioForm(): FormData {
  const form = new FormData();
  form.set("audio", new File([new Uint8Array(readFixture("jfk.wav"))], "jfk.wav", { type: "audio/wav" }));
  form.set("language", "en-US");
  return form;
}

/** A body that sends `first` and then nothing, never ending (a client that stalled). */
function stalledBody(first: string): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
  });
}

/** The start of a multipart upload that then stalls. */
function stalledUpload(client: string): Promise<Response> {
  const boundary = "stalled-boundary";
  return postTranscription(
    new Request("http://localhost/api/transcriptions", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "x-client-address": client },
      body: stalledBody(
        `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF`,
      ),
      duplex: "half",
    } as RequestInit),
    {},
  );
}

async function recordingCount(): Promise<number> {
  const response = await listRecordings({ limit: 100 });
  return ((await response.json()) as { items: unknown[] }).items.length;
}

async function outboxCount(): Promise<number> {
  const response = await outboxRoute(new Request("http://localhost/api/outbox"), {});
  return ((await response.json()) as { items: unknown[] }).items.length;
}

async function saved(): Promise<SavedTranscript> {
  return ((await (await getTranscript(id)).json()) as { transcript: SavedTranscript }).transcript;
}

function uploadTempFiles(): string[] {
  const folder = path.join(workDir, "data", "tmp");
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(path.join(dir, entry.name));
      else if (entry.name.startsWith("upload-")) found.push(entry.name);
    }
  };
  if (fs.existsSync(folder)) visit(folder);
  return found;
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-hardening-"));
  await configure({
    DATA_DIR: path.join(workDir, "data"),
    SPEECH_PROVIDER: "fake",
    BODY_IDLE_TIMEOUT_SEC: "0.5",
    UPLOADS_PER_CLIENT: "2",
    JSON_MAX_MB: "1",
  });
  const response = await upload(readFixture("jfk.wav"), { name: "jfk.wav", fields: { language: "en-US" } });
  expect(response.status).toBe(202);
  ({ id, recordingId } = (await response.json()) as { id: string; recordingId: string });
  expect((await waitForJob(id)).body.status).toBe("succeeded");
  const summary = await summaryRoute(
    new Request(`http://localhost/api/transcriptions/${id}/summary`, { method: "POST" }),
    params(id),
  );
  expect(summary.status).toBe(200);
});

afterAll(async () => {
  await configure({
    DATA_DIR: undefined,
    SPEECH_PROVIDER: undefined,
    BODY_IDLE_TIMEOUT_SEC: undefined,
    UPLOADS_PER_CLIENT: undefined,
    JSON_MAX_MB: undefined,
  });
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("cross-site requests replayed against the route handlers", () => {
  it("a no-cors multipart POST from another site creates no recording", async () => {
    const before = await recordingCount();
    const response = await postTranscription(
      new Request("http://localhost/api/transcriptions", {
        method: "POST",
        headers: evil,
        body: audioForm(),
      }),
      {},
    );
    await expectError(response, 403, "cross_site");
    expect(await recordingCount()).toBe(before);
  });

  it("a text/plain POST cannot overwrite the saved summary", async () => {
    const before = await saved();
    const post = (headers: Record<string, string>) =>
      summaryRoute(
        new Request(`http://localhost/api/transcriptions/${id}/summary`, {
          method: "POST",
          headers,
          body: "x",
        }),
        params(id),
      );
    await expectError(await post({ ...evil, "content-type": "text/plain" }), 403, "cross_site");
    await expectError(
      await post({ "content-type": "text/plain;charset=UTF-8" }),
      415,
      "unsupported_media_type",
    );
    const after = await saved();
    expect(after.etag).toBe(before.etag);
  });

  it("the e-mail route does not parse a text/plain body, nor one from another site", async () => {
    const before = await outboxCount();
    const send = (headers: Record<string, string>) =>
      emailRoute(
        new Request(`http://localhost/api/transcriptions/${id}/email`, {
          method: "POST",
          headers: { "x-client-address": freshClient(), ...headers },
          body: JSON.stringify({ to: "victim@example.com" }),
        }),
        params(id),
      );
    await expectError(await send({ "content-type": "text/plain" }), 415, "unsupported_media_type");
    await expectError(
      await send({ "content-type": "application/x-www-form-urlencoded" }),
      415,
      "unsupported_media_type",
    );
    await expectError(await send({}), 415, "unsupported_media_type");
    await expectError(await send({ ...evil, "content-type": "application/json" }), 403, "cross_site");
    expect(await outboxCount()).toBe(before);
  });

  it("a DELETE from another site deletes nothing; the site's own page may", async () => {
    const refused = await deleteRecordingRoute(
      new Request(`http://localhost/api/recordings/${recordingId}`, { method: "DELETE", headers: evil }),
      params(recordingId),
    );
    await expectError(refused, 403, "cross_site");
    expect((await recordingAudio(recordingId)).status).toBe(200);
  });

  it("accepts the site's own pages (same origin) and clients that send no Origin", async () => {
    const response = await putTranscriptRoute(
      new Request(`http://localhost/api/transcriptions/${id}`, {
        method: "PUT",
        headers: {
          "content-type": "application/json",
          origin: "http://localhost",
          "sec-fetch-site": "same-origin",
          "if-match": (await saved()).etag,
        },
        body: JSON.stringify({ text: "Edited by its own page." }),
      }),
      params(id),
    );
    expect(response.status).toBe(200);
  });
});

describe("request bodies", () => {
  const put = (body: BodyInit, headers: Record<string, string> = {}) =>
    putTranscriptRoute(
      new Request(`http://localhost/api/transcriptions/${id}`, {
        method: "PUT",
        headers: { "content-type": "application/json", "if-match": "x", ...headers },
        body,
        duplex: "half",
      } as RequestInit),
      params(id),
    );

  it("refuses a JSON body over the limit by its Content-Length, before reading it", async () => {
    const big = JSON.stringify({ text: "a".repeat(2 * 1024 * 1024) });
    const message = await expectError(await put(big), 413, "payload_too_large");
    expect(message).toMatch(/limit of 1 MB/);
  });

  it("counts a body sent without a length and stops reading at the limit", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
      },
    });
    await expectError(await put(endless), 413, "payload_too_large");
    expect(pulled).toBeLessThan(3 * 1024 * 1024);
  });

  it("takes a body within the limit (and then checks it)", async () => {
    await expectError(await put(JSON.stringify({ text: "a".repeat(500_000) })), 412, "precondition_failed");
  });

  it("abandons a JSON body that stops arriving (408)", async () => {
    const started = Date.now();
    await expectError(await put(stalledBody('{"text":"')), 408, "request_timeout");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("abandons an upload that stops arriving, keeping nothing", async () => {
    const before = await recordingCount();
    await expectError(await stalledUpload(freshClient()), 408, "request_timeout");
    expect(await recordingCount()).toBe(before);
    expect(uploadTempFiles()).toEqual([]);
  });

  it("still answers 400 for JSON that is malformed", async () => {
    await expectError(await put("{not json"), 400, "bad_request");
  });
});

describe("limits", () => {
  it("lets one client have only so many uploads in progress, answering 429 with Retry-After", async () => {
    const client = freshClient();
    const first = stalledUpload(client);
    const second = stalledUpload(client);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await postTranscription(
      new Request("http://localhost/api/transcriptions", {
        method: "POST",
        headers: { "x-client-address": client },
        body: audioForm(),
      }),
      {},
    );
    await expectError(third, 429, "too_many_uploads");
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client is not held up.
    const other = await postTranscription(
      new Request("http://localhost/api/transcriptions", {
        method: "POST",
        headers: { "x-client-address": freshClient() },
        body: audioForm(),
      }),
      {},
    );
    expect(other.status).toBe(202);
    // The stalled ones end (408) and give their slots back.
    expect((await first).status).toBe(408);
    expect((await second).status).toBe(408);
    const again = await postTranscription(
      new Request("http://localhost/api/transcriptions", {
        method: "POST",
        headers: { "x-client-address": client },
        body: audioForm(),
      }),
      {},
    );
    expect(again.status).toBe(202);
    const started = (await again.json()) as { id: string };
    await waitForJob(started.id);
  });

  it("sends Retry-After with the e-mail limit's 429", async () => {
    await configure({ EMAIL_RATE_LIMIT_PER_HOUR: "1" });
    try {
      const client = freshClient();
      const send = () =>
        emailRoute(
          new Request(`http://localhost/api/transcriptions/${id}/email`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-client-address": client },
            body: JSON.stringify({ to: "someone@example.com" }),
          }),
          params(id),
        );
      expect((await send()).status).toBe(202);
      const limited = await send();
      await expectError(limited, 429, "rate_limited");
      const wait = Number(limited.headers.get("retry-after"));
      expect(wait).toBeGreaterThan(60);
      expect(wait).toBeLessThanOrEqual(3600);
    } finally {
      await configure({ EMAIL_RATE_LIMIT_PER_HOUR: undefined });
    }
  });

  it("gives audio replies a Content-Length, whole and in ranges", async () => {
    const whole = await recordingAudio(recordingId);
    expect(whole.status).toBe(200);
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(whole.headers.get("content-length")).toBe(String(bytes.length));
    const part = await recordingAudio(recordingId, { range: "bytes=0-99" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-length")).toBe("100");
  });
});

describe("request ids in error envelopes", () => {
  it("puts the server's request id in the envelope, which the contract accepts", async () => {
    const response = await getTranscript("0000000000000000");
    const plain = errorEnvelopeSchema.parse(await response.json());
    expect(plain.error.requestId).toBeUndefined();

    const { GET } = await import("@/app/api/transcriptions/[id]/route");
    const traced = await GET(
      new Request("http://localhost/api/transcriptions/0000000000000000", {
        headers: { "x-request-id": "trace-0123456789" },
      }),
      params("0000000000000000"),
    );
    const body = errorEnvelopeSchema.parse(await traced.json());
    expect(body.error).toMatchObject({ code: expect.any(String), requestId: "trace-0123456789" });
  });
});
