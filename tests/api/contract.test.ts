// The HTTP contract against real answers: every response of the route handlers, over real speech
// and a real Azurite, parses with the schema the browser client uses for it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ZodType } from "zod";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as outboxRoute } from "@/app/api/outbox/route";
import { POST as emailRoute } from "@/app/api/transcriptions/[id]/email/route";
import { POST as summaryRoute } from "@/app/api/transcriptions/[id]/summary/route";
import {
  emailResultSchema,
  errorEnvelopeSchema,
  healthReportSchema,
  outboxListSchema,
  recordingPageSchema,
  savedTranscriptSchema,
  startedTranscriptionSchema,
  summaryEventSchema,
  summaryResultSchema,
  transcriptionViewSchema,
  transcriptPageSchema,
} from "@/lib/contract";
import { configure, readFixture, upload, waitForJob } from "../helpers/api";
import { getTranscript, listRecordings, listTranscripts, putTranscript } from "../helpers/library";

let workDir: string;
let id: string;

const params = (value: string) => ({ params: Promise.resolve({ id: value }) });

/** Parses a response body with `schema`, failing with zod's issues when it does not match. */
async function parseWith<T>(schema: ZodType<T>, response: Response): Promise<T> {
  return schema.parse(await response.json());
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-contract-"));
  await configure({ DATA_DIR: path.join(workDir, "data"), EMAIL_PROVIDER: "outbox" });
  const response = await upload(readFixture("jfk.wav"), { name: "jfk.wav", fields: { language: "en-US" } });
  expect(response.status).toBe(202);
  id = (await parseWith(startedTranscriptionSchema, response)).id;
  expect((await waitForJob(id)).body.status).toBe("succeeded");
});

afterAll(async () => {
  await configure({ EMAIL_PROVIDER: undefined });
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("the contract accepts the server's answers", () => {
  it("a finished transcription, with its transcript", async () => {
    const view = await parseWith(transcriptionViewSchema, await getTranscript(id));
    expect(view.status).toBe("succeeded");
    expect(view.transcript?.segments.length).toBeGreaterThan(0);
    expect(view.transcript?.etag).toBeTruthy();
  });

  it("transcript listings and search results", async () => {
    const page = await parseWith(transcriptPageSchema, await listTranscripts());
    expect(page.items.map((item) => item.id)).toContain(id);
    const found = await parseWith(transcriptPageSchema, await listTranscripts({ q: "country" }));
    expect(found.items[0]?.snippet).toBeTruthy();
    expect(found.items[0]?.matches?.length).toBeGreaterThan(0);
  });

  it("recordings", async () => {
    const page = await parseWith(recordingPageSchema, await listRecordings());
    expect(page.items[0]?.transcriptionId).toBe(id);
  });

  it("a saved edit", async () => {
    const { transcript } = transcriptionViewSchema.parse(await (await getTranscript(id)).json());
    const response = await putTranscript(id, { text: `${transcript!.text} Edited.` }, transcript!.etag);
    expect(response.status).toBe(200);
    expect((await parseWith(savedTranscriptSchema, response)).transcript.text).toMatch(/Edited\.$/);
  });

  it("a summary, as JSON and as an NDJSON stream", async () => {
    const url = `http://localhost/api/transcriptions/${id}/summary`;
    const plain = await summaryRoute(new Request(url, { method: "POST" }), params(id));
    expect((await parseWith(summaryResultSchema, plain)).summary).toBeTruthy();
    const streamed = await summaryRoute(
      new Request(url, { method: "POST", headers: { Accept: "application/x-ndjson" } }),
      params(id),
    );
    const lines = (await streamed.text()).split("\n").filter(Boolean);
    const events = lines.map((line) => summaryEventSchema.parse(JSON.parse(line)));
    expect(events.at(-1)?.type).toBe("done");
  });

  it("an e-mail and the outbox that kept it", async () => {
    const sent = await emailRoute(
      new Request(`http://localhost/api/transcriptions/${id}/email`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ to: "someone@example.com" }),
      }),
      params(id),
    );
    expect(sent.status).toBe(202);
    await parseWith(emailResultSchema, sent);
    const { items } = await parseWith(
      outboxListSchema,
      await outboxRoute(new Request("http://localhost/api/outbox"), {}),
    );
    expect(items[0]?.attachments.length).toBeGreaterThan(0);
  });

  it("the health report", async () => {
    const health = await parseWith(
      healthReportSchema,
      await healthRoute(new Request("http://localhost/api/health"), {}),
    );
    expect(health.summary?.id).toBe("local");
    expect(health.email?.provider).toBe("outbox");
  });

  it("the error envelope", async () => {
    const response = await getTranscript("0000000000000000a");
    expect(response.status).toBe(404);
    expect((await parseWith(errorEnvelopeSchema, response)).error.code).toBe("not_found");
  });
});
