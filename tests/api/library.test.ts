// The library through its route handlers: saved transcripts, edits with If-Match, search, exports,
// recordings with ranged audio, and deletion, over real speech and a real Azurite.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { foldText } from "@/lib/services/search";
import { configure, readFixture, upload, waitForJob } from "../helpers/api";
import {
  deleteRecording,
  deleteTranscript,
  expectError,
  exportAll,
  exportTranscript,
  getTranscript,
  json,
  listRecordings,
  listTranscripts,
  parseCsv,
  putTranscript,
  recordingAudio,
  readSpeech,
  walkPages,
  type ListItem,
  type Page,
  type RecordingItem,
  type SavedTranscript,
} from "../helpers/library";

const jfk = readFixture("jfk.wav");
let workDir: string;

interface Made {
  id: string;
  recordingId: string;
  bytes: Buffer;
}

/** The three transcripts of this file, uploaded oldest first: a (jfk), b and c (synthetic speech). */
const made: { a: Made; b: Made; c: Made } = {} as never;

async function startUpload(bytes: Buffer, name: string): Promise<Made> {
  const response = await upload(bytes, { name, fields: { language: "en-US" } });
  expect(response.status).toBe(202);
  const { id, recordingId } = (await response.json()) as { id: string; recordingId: string };
  return { id, recordingId, bytes };
}

async function fetchSaved(id: string): Promise<SavedTranscript> {
  const response = await getTranscript(id);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { status: string; transcript: SavedTranscript };
  expect(body.status).toBe("succeeded");
  expect(response.headers.get("etag")).toBe(body.transcript.etag);
  return body.transcript;
}

/** Saves an edit with the current version and returns the saved transcript. */
async function edit(id: string, body: { text: string; title?: string }): Promise<SavedTranscript> {
  const current = await fetchSaved(id);
  const response = await putTranscript(id, body, current.etag);
  expect(response.status).toBe(200);
  return ((await response.json()) as { transcript: SavedTranscript }).transcript;
}

async function search(q: string, extra: Record<string, string | number> = {}): Promise<Page<ListItem>> {
  const response = await listTranscripts({ q, ...extra });
  expect(response.status).toBe(200);
  return json<Page<ListItem>>(response);
}

async function recordings(): Promise<RecordingItem[]> {
  const response = await listRecordings();
  expect(response.status).toBe(200);
  return (await json<Page<RecordingItem>>(response)).items;
}

/** Every marked span of a search result, folded the way the search folds text. */
function markedTerms(item: ListItem): string[] {
  return (item.matches ?? []).map(([a, b]) => foldText(item.snippet!.slice(a, b)));
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-library-"));
  await configure({
    DATA_DIR: path.join(workDir, "data"),
    UPLOAD_MAX_MB: undefined,
    AUDIO_MAX_MINUTES: undefined,
  });
  // Uploaded one after the other so that their order (newest first) is known.
  made.a = await startUpload(jfk, "../../evil/Meeting notes.wav");
  made.b = await startUpload(readSpeech("paris", "The weather in Paris was lovely today."), "paris.wav");
  made.c = await startUpload(
    readSpeech("kitchen", "Please order more coffee for the office kitchen."),
    "kitchen.wav",
  );
  const jobs = await Promise.all([made.a, made.b, made.c].map((m) => waitForJob(m.id)));
  for (const job of jobs) expect(job.body.status).toBe("succeeded");
});

afterAll(async () => {
  await configure({});
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("saved transcripts and their recordings", () => {
  it("GET /api/transcriptions/:id returns the saved transcript with its version", async () => {
    const response = await getTranscript(made.a.id);
    expect(response.status).toBe(200);
    const body = await json<{ id: string; status: string; progress: number; transcript: SavedTranscript }>(
      response,
    );
    expect(body).toMatchObject({ id: made.a.id, status: "succeeded", progress: 1 });
    const transcript = body.transcript;
    expect(transcript).toMatchObject({
      id: made.a.id,
      recordingId: made.a.recordingId,
      title: "Meeting notes",
      language: "en-US",
    });
    expect(transcript.text.toLowerCase()).toContain("fellow americans");
    expect(transcript.durationSec).toBeCloseTo(11, 0);
    expect(transcript.segments.length).toBeGreaterThan(0);
    expect(typeof transcript.etag).toBe("string");
    expect(transcript.etag.length).toBeGreaterThan(0);
    expect(response.headers.get("etag")).toBe(transcript.etag);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("GET /api/recordings lists each recording with its metadata and a sanitised name", async () => {
    const items = await recordings();
    expect(items.map((item) => item.id)).toEqual([
      made.c.recordingId,
      made.b.recordingId,
      made.a.recordingId,
    ]);
    const a = items.find((item) => item.id === made.a.recordingId)!;
    expect(a.name).toBe("Meeting notes.wav");
    expect(a.name).not.toMatch(/[\\/]|\.\./);
    expect(a).toMatchObject({
      sizeBytes: jfk.length,
      contentType: "audio/wav",
      language: "en-US",
      transcriptionId: made.a.id,
    });
    expect(a.durationSec).toBeCloseTo(11, 0);
    expect(Date.now() - Date.parse(a.createdAt)).toBeGreaterThanOrEqual(0);
    expect(Date.now() - Date.parse(a.createdAt)).toBeLessThan(10 * 60_000);
    const b = items.find((item) => item.id === made.b.recordingId)!;
    expect(b).toMatchObject({
      name: "paris.wav",
      sizeBytes: made.b.bytes.length,
      transcriptionId: made.b.id,
    });
    expect(b.durationSec).toBeGreaterThan(1);
    expect(b.durationSec).toBeLessThan(6);
    expect(Date.parse(items[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(items[1]!.createdAt));
    expect(Date.parse(items[1]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(items[2]!.createdAt));
  });

  it("GET /api/recordings pages with limit=1 through every recording once", async () => {
    const { items, pages } = await walkPages<RecordingItem>((cursor) => listRecordings({ limit: 1, cursor }));
    expect(items.map((item) => item.id)).toEqual([
      made.c.recordingId,
      made.b.recordingId,
      made.a.recordingId,
    ]);
    expect(pages).toBe(3);
  });
});

describe("GET /api/recordings/:id/audio", () => {
  it("serves the original bytes, inline, with Accept-Ranges", async () => {
    const response = await recordingAudio(made.a.recordingId);
    expect(response.status).toBe(200);
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("content-type")).toBe("audio/wav");
    expect(response.headers.get("content-length")).toBe(String(jfk.length));
    expect(response.headers.get("content-disposition")).toMatch(/^inline; filename="Meeting notes\.wav"/);
    expect(Buffer.from(await response.arrayBuffer()).equals(jfk)).toBe(true);
  });

  it("serves a byte range with 206 and Content-Range", async () => {
    const response = await recordingAudio(made.a.recordingId, { range: "bytes=0-99" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 0-99/${jfk.length}`);
    expect(response.headers.get("content-length")).toBe("100");
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBe(100);
    expect(body.equals(jfk.subarray(0, 100))).toBe(true);
  });

  it("serves a range in the middle and clamps an end past the file", async () => {
    const middle = await recordingAudio(made.a.recordingId, { range: "bytes=1000-1999" });
    expect(middle.status).toBe(206);
    expect(Buffer.from(await middle.arrayBuffer()).equals(jfk.subarray(1000, 2000))).toBe(true);
    const tail = await recordingAudio(made.a.recordingId, { range: `bytes=${jfk.length - 5}-99999999` });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${jfk.length - 5}-${jfk.length - 1}/${jfk.length}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(jfk.subarray(jfk.length - 5))).toBe(true);
  });

  it("serves a suffix range (the last 10 bytes)", async () => {
    const response = await recordingAudio(made.a.recordingId, { range: "bytes=-10" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(
      `bytes ${jfk.length - 10}-${jfk.length - 1}/${jfk.length}`,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(jfk.subarray(jfk.length - 10))).toBe(true);
  });

  it("answers 416 with the error envelope for a range past the end", async () => {
    const response = await recordingAudio(made.a.recordingId, { range: "bytes=999999999-" });
    await expectError(response, 416, "range_not_satisfiable");
  });

  // RFC 9110 §14.4: a 416 to a byte-range request SHOULD carry `Content-Range: bytes */<size>` so that the
  // client learns the real length. The route answers through withErrors' envelope without it.
  // Bug: app/api/recordings/[id]/audio/route.ts (and parseRange in lib/services/recordings.ts) - see report.
  it("tells the size in Content-Range on a 416", async () => {
    const response = await recordingAudio(made.a.recordingId, { range: "bytes=999999999-" });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${jfk.length}`);
  });

  it("serves the whole file for a Range header it does not understand", async () => {
    const response = await recordingAudio(made.a.recordingId, { range: "pages=1-2" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-range")).toBeNull();
    expect(Buffer.from(await response.arrayBuffer()).length).toBe(jfk.length);
  });

  it("offers the file as an attachment with ?download=1", async () => {
    const response = await recordingAudio(made.a.recordingId, { download: true });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="Meeting notes\.wav"/);
    expect(Buffer.from(await response.arrayBuffer()).equals(jfk)).toBe(true);
  });
});

describe("PUT /api/transcriptions/:id", () => {
  let before: SavedTranscript;

  beforeAll(async () => {
    before = await fetchSaved(made.a.id);
  });

  it("saves an edit of text and title with the current version and returns a new version", async () => {
    const text = "Ask not what your country can do for you. We met at the Café Central in Vienna.";
    const response = await putTranscript(made.a.id, { text, title: "Quarterly review" }, before.etag);
    expect(response.status).toBe(200);
    const { transcript } = (await response.json()) as { transcript: SavedTranscript };
    expect(transcript).toMatchObject({ id: made.a.id, text, title: "Quarterly review" });
    expect(transcript.etag).not.toBe(before.etag);
    expect(response.headers.get("etag")).toBe(transcript.etag);
    expect(Date.parse(transcript.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));

    const saved = await fetchSaved(made.a.id);
    expect(saved).toMatchObject({ text, title: "Quarterly review", etag: transcript.etag });
    // The segments follow the edited text and keep their times.
    expect(saved.segments.map((segment) => segment.text).join(" ")).toBe(text);
    expect(saved.segments[0]!.start).toBe(before.segments[0]!.start);
    expect(saved.createdAt).toBe(before.createdAt);
  });

  it("refuses a stale version with 412 and keeps the stored text", async () => {
    const current = await fetchSaved(made.a.id);
    expect(current.etag).not.toBe(before.etag);
    await expectError(
      await putTranscript(made.a.id, { text: "Overwritten by a stale tab." }, before.etag),
      412,
      "precondition_failed",
    );
    const after = await fetchSaved(made.a.id);
    expect(after.text).toBe(current.text);
    expect(after.etag).toBe(current.etag);
  });

  it("requires If-Match with 428", async () => {
    const current = await fetchSaved(made.a.id);
    await expectError(
      await putTranscript(made.a.id, { text: "No version sent." }),
      428,
      "precondition_required",
    );
    expect((await fetchSaved(made.a.id)).etag).toBe(current.etag);
  });

  it.each([
    ["empty", ""],
    ["whitespace-only", "  \n\t  "],
  ])("refuses %s text with 422 and writes nothing", async (_label, text) => {
    const current = await fetchSaved(made.a.id);
    await expectError(await putTranscript(made.a.id, { text }, current.etag), 422, "empty_transcript");
    const after = await fetchSaved(made.a.id);
    expect(after.etag).toBe(current.etag);
    expect(after.text).toBe(current.text);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const current = await fetchSaved(made.a.id);
    await expectError(await putTranscript(made.a.id, "text=hello", current.etag), 400, "bad_request");
    await expectError(await putTranscript(made.a.id, '{"text": "cut', current.etag), 400, "bad_request");
    expect((await fetchSaved(made.a.id)).etag).toBe(current.etag);
  });

  it.each([
    ["segments that are not a list", { text: "Hello.", segments: "0-1 Hello" }],
    ["a negative start", { text: "Hello.", segments: [{ start: -1, end: 1, text: "Hello." }] }],
    ["a segment without an end", { text: "Hello.", segments: [{ start: 0, text: "Hello." }] }],
    ["a segment whose text is a number", { text: "Hello.", segments: [{ start: 0, end: 1, text: 5 }] }],
    ["no text at all", { title: "Only a title" }],
    ["a blank title", { text: "Hello.", title: "   " }],
  ])("refuses %s with 400 and writes nothing", async (_label, body) => {
    const current = await fetchSaved(made.a.id);
    await expectError(await putTranscript(made.a.id, body, current.etag), 400, "validation_failed");
    expect((await fetchSaved(made.a.id)).etag).toBe(current.etag);
  });

  // A segment that ends before it starts is accepted and stored (editSchema checks each bound only).
  // Bug: lib/services/library.ts editSchema - see report.
  it("refuses a segment that ends before it starts", async () => {
    const current = await fetchSaved(made.a.id);
    const response = await putTranscript(
      made.a.id,
      { text: current.text, segments: [{ start: 5, end: 1, text: current.text }] },
      current.etag,
    );
    try {
      expect(response.status).toBe(400);
    } finally {
      // Restore the original segments if the bad edit went through, so later tests see them.
      if (response.status === 200) {
        const saved = await fetchSaved(made.a.id);
        await putTranscript(made.a.id, { text: before.text, segments: before.segments }, saved.etag);
      }
    }
  });

  it("saves segments with an edit", async () => {
    const current = await fetchSaved(made.a.id);
    const segments = current.segments.map((segment, index) =>
      index === 0 ? { ...segment, text: " Ask not." } : segment,
    );
    const text = segments.map((segment) => segment.text).join(" ");
    const response = await putTranscript(made.a.id, { text, segments }, current.etag);
    expect(response.status).toBe(200);
    const saved = await fetchSaved(made.a.id);
    expect(saved.segments[0]!.text).toBe(" Ask not.");
    expect(saved.text).toBe(text);
  });

  it("round-trips a text too long to keep inline and finds words at its end", async () => {
    const filler = Array.from({ length: 4_000 }, (_, i) => `word${i}`).join(" ");
    const long = `${filler} zanzibar`;
    expect(long.length).toBeGreaterThan(32_000);
    const saved = await edit(made.b.id, { text: long });
    expect(saved.text).toBe(long);
    expect((await fetchSaved(made.b.id)).text).toBe(long);
    const found = await search("Zanzibar");
    expect(found.items.map((item) => item.id)).toEqual([made.b.id]);
    const item = found.items[0]!;
    expect(item.snippet!.startsWith("…")).toBe(true);
    expect(item.snippet!.endsWith("zanzibar")).toBe(true);
    expect(markedTerms(item)).toEqual(["zanzibar"]);
  });
});

describe("GET /api/transcriptions (listing and search)", () => {
  beforeAll(async () => {
    // a: "Quarterly review" (title only) + Café/Vienna in the text, from the PUT tests.
    await edit(made.a.id, {
      text: "Ask not what your country can do for you. We met at the Café Central in Vienna to talk about budgets.",
    });
    await edit(made.b.id, {
      text: "The weather in Paris was lovely today; the budget for the trip is approved.",
    });
    await edit(made.c.id, {
      text: '=HYPERLINK("http://x","y") Please order more coffee for the office kitchen.',
      title: '=HYPERLINK("http://x","y")',
    });
  });

  it("lists newest first without q", async () => {
    const response = await listTranscripts();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { items, nextCursor } = await json<Page<ListItem & { text?: string; etag?: string }>>(response);
    expect(items.map((item) => item.id)).toEqual([made.c.id, made.b.id, made.a.id]);
    expect(nextCursor).toBeNull();
    expect(items[2]).toMatchObject({ title: "Quarterly review", recordingId: made.a.recordingId });
    for (const item of items) {
      expect(item.text).toBeUndefined();
      expect(item.snippet).toBeUndefined();
      expect(item.etag).toBeUndefined();
    }
    const created = items.map((item) => Date.parse(item.createdAt));
    expect([...created].sort((x, y) => y - x)).toEqual(created);
  });

  it("treats an empty or blank q as a plain listing", async () => {
    for (const q of ["", "   "]) {
      const page = await search(q);
      expect(page.items.map((item) => item.id)).toEqual([made.c.id, made.b.id, made.a.id]);
    }
  });

  it("pages with limit=1 through every transcript once", async () => {
    const { items, pages } = await walkPages<ListItem>((cursor) => listTranscripts({ limit: 1, cursor }));
    expect(items.map((item) => item.id)).toEqual([made.c.id, made.b.id, made.a.id]);
    expect(pages).toBe(3);
  });

  it("finds a word of the text, with a snippet that marks it exactly", async () => {
    const { items, nextCursor } = await search("vienna");
    expect(items.map((item) => item.id)).toEqual([made.a.id]);
    expect(nextCursor).toBeNull();
    const item = items[0]!;
    expect(item.title).toBe("Quarterly review");
    expect(item.snippet).toContain("Vienna");
    expect(item.matches).toHaveLength(1);
    const [a, b] = item.matches![0]!;
    expect(item.snippet!.slice(a, b).toLowerCase()).toBe("vienna");
  });

  it("finds a word of the title only", async () => {
    const { items } = await search("QUARTERLY");
    expect(items.map((item) => item.id)).toEqual([made.a.id]);
    expect(items[0]!.snippet).toContain("Ask not");
  });

  it("finds every transcript containing a word, newest first, marking each occurrence", async () => {
    const { items } = await search("budget");
    expect(items.map((item) => item.id)).toEqual([made.b.id, made.a.id]);
    for (const item of items) {
      expect(item.snippet!.toLowerCase()).toContain("budget");
      expect(item.matches!.length).toBeGreaterThan(0);
      for (const [a, b] of item.matches!) expect(item.snippet!.slice(a, b).toLowerCase()).toBe("budget");
    }
  });

  it("requires every word of a multi-word query, across title and text", async () => {
    expect((await search("budget paris")).items.map((item) => item.id)).toEqual([made.b.id]);
    expect((await search("Paris   BUDGET")).items.map((item) => item.id)).toEqual([made.b.id]);
    expect((await search("quarterly vienna")).items.map((item) => item.id)).toEqual([made.a.id]);
    expect((await search("budget kitchen")).items).toEqual([]);

    const item = (await search("weather approved")).items[0]!;
    expect(item.id).toBe(made.b.id);
    expect(markedTerms(item)).toEqual(["weather", "approved"]);
  });

  it("ignores case and accents on both sides", async () => {
    for (const q of ["cafe", "CAFE", "café", "CAFÉ central"]) {
      const { items } = await search(q);
      expect(items.map((item) => item.id)).toEqual([made.a.id]);
      const item = items[0]!;
      expect(item.snippet).toContain("Café");
      const marked = item.matches!.map(([a, b]) => item.snippet!.slice(a, b));
      expect(marked[0]).toBe("Café");
      expect(markedTerms(item)).toEqual(foldText(q).split(/\s+/));
    }
  });

  it("answers an empty page when nothing matches", async () => {
    expect(await search("xylophone")).toEqual({ items: [], nextCursor: null });
    expect(await search("vienna xylophone")).toEqual({ items: [], nextCursor: null });
  });

  it("pages search results with limit=1 and limit=2 without duplicates", async () => {
    const all = [made.c.id, made.b.id, made.a.id];
    const byOne = await walkPages<ListItem>((cursor) => listTranscripts({ q: "the", limit: 1, cursor }));
    expect(byOne.items.map((item) => item.id)).toEqual(all);
    expect(byOne.pageSizes).toEqual([1, 1, 1]);
    for (const item of byOne.items) expect(markedTerms(item)).toContain("the");
    const byTwo = await walkPages<ListItem>((cursor) => listTranscripts({ q: "THE", limit: 2, cursor }));
    expect(byTwo.items.map((item) => item.id)).toEqual(all);
    expect(byTwo.pageSizes).toEqual([2, 1]);
    const budget = await walkPages<ListItem>((cursor) => listTranscripts({ q: "budget", limit: 1, cursor }));
    expect(budget.items.map((item) => item.id)).toEqual([made.b.id, made.a.id]);
    expect(budget.pageSizes).toEqual([1, 1]);
  });

  it("refuses an invalid limit and a query over 200 characters with 400", async () => {
    for (const query of [{ limit: 0 }, { limit: 201 }, { limit: "ten" }, { q: "a".repeat(201) }]) {
      await expectError(await listTranscripts(query), 400, "validation_failed");
    }
  });

  // A cursor that is not one the API issued fails inside the Table SDK while decoding it (a SyntaxError
  // with no status code), which mapStorageError turns into 503 "storage is not reachable".
  // Bug: lib/storage/azure/table-transcript-store.ts list() - see report.
  it("refuses a forged cursor with 400, not 503", async () => {
    await expectError(await listTranscripts({ cursor: "not-a-cursor" }), 400, "validation_failed");
  });
});

describe("exports", () => {
  const disposition = /^attachment; filename="quarterly-review\.(txt|srt|vtt|json|csv|docx)"/;

  it.each([
    ["txt", "text/plain; charset=utf-8"],
    ["srt", "application/x-subrip"],
    ["vtt", "text/vtt; charset=utf-8"],
    ["json", "application/json"],
    ["csv", "text/csv; charset=utf-8"],
    ["docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
  ])("?format=%s answers the file as an attachment", async (format, contentType) => {
    const response = await exportTranscript(made.a.id, format);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(contentType);
    const header = response.headers.get("content-disposition") ?? "";
    expect(header).toMatch(disposition);
    expect(header).toContain(`.${format}"`);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBeGreaterThan(20);
    const saved = await fetchSaved(made.a.id);
    const text = body.toString("utf8");
    switch (format) {
      case "txt":
        expect(text.startsWith("Quarterly review\n\n")).toBe(true);
        expect(text).toContain(saved.text);
        break;
      case "srt":
        expect(text).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n/);
        expect(text.match(/-->/g)?.length).toBe(saved.segments.length);
        expect(text).toContain("Café Central in Vienna");
        break;
      case "vtt":
        expect(text).toMatch(/^WEBVTT\n\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n/);
        break;
      case "json": {
        const parsed = JSON.parse(text) as SavedTranscript;
        expect(parsed).toMatchObject({ id: made.a.id, text: saved.text, title: "Quarterly review" });
        expect(parsed.etag).toBeUndefined();
        break;
      }
      case "csv": {
        expect(text.startsWith("\uFEFF")).toBe(true);
        const rows = parseCsv(text.slice(1));
        expect(rows).toHaveLength(2);
        expect(rows[1]![0]).toBe(made.a.id);
        expect(rows[1]![6]).toBe(saved.text);
        break;
      }
      case "docx":
        expect(body.subarray(0, 2).toString("latin1")).toBe("PK");
        break;
    }
  });

  it("answers txt when no format is asked for", async () => {
    const response = await exportTranscript(made.a.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="quarterly-review\.txt"/,
    );
  });

  it("refuses an unknown format with 400", async () => {
    for (const format of ["pdf", "TXT", ""]) {
      await expectError(await exportTranscript(made.a.id, format), 400, "validation_failed");
    }
  });

  it("GET /api/transcriptions/export.csv has every saved transcript, formulas neutralised", async () => {
    const response = await exportAll();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="transcripts-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const csv = Buffer.from(await response.arrayBuffer()).toString("utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(["id", "title", "created", "duration", "language", "engine", "text", "summary"]);
    expect(rows.slice(1).map((row) => row[0])).toEqual([made.c.id, made.b.id, made.a.id]);
    for (const row of rows.slice(1)) expect(row).toHaveLength(8);

    const byId = new Map(rows.slice(1).map((row) => [row[0], row]));
    const a = byId.get(made.a.id)!;
    expect(a[1]).toBe("Quarterly review");
    expect(a[6]).toBe((await fetchSaved(made.a.id)).text);
    expect(a[6]).toContain("Café Central");
    expect(Number(a[3])).toBeCloseTo(11, 0);
    expect(a[4]).toBe("en-US");
    expect(new Date(a[2]!).toISOString()).toBe(a[2]);
    const c = byId.get(made.c.id)!;
    expect(c[1]).toBe(`'=HYPERLINK("http://x","y")`);
    expect(c[6]).toBe(`'=HYPERLINK("http://x","y") Please order more coffee for the office kitchen.`);
    expect(byId.get(made.b.id)![6]).toContain("budget for the trip");
  });
});

describe("deleting", () => {
  it("DELETE /api/recordings/:id removes the recording, its transcript and its audio", async () => {
    const response = await deleteRecording(made.b.recordingId);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectError(await getTranscript(made.b.id), 404, "not_found");
    await expectError(await recordingAudio(made.b.recordingId), 404, "not_found");
    await expectError(await exportTranscript(made.b.id, "txt"), 404, "not_found");
    expect((await recordings()).map((item) => item.id)).not.toContain(made.b.recordingId);
    expect((await search("paris")).items).toEqual([]);
    await expectError(await deleteRecording(made.b.recordingId), 404, "not_found");
  });

  it("DELETE /api/transcriptions/:id removes the transcript and its recording", async () => {
    const response = await deleteTranscript(made.c.id);
    expect(response.status).toBe(204);
    await expectError(await getTranscript(made.c.id), 404, "not_found");
    await expectError(await recordingAudio(made.c.recordingId), 404, "not_found");
    expect((await recordings()).map((item) => item.id)).toEqual([made.a.recordingId]);
    await expectError(await deleteTranscript(made.c.id), 404, "not_found");
    await expectError(await deleteRecording(made.c.recordingId), 404, "not_found");
  });

  it("leaves the rest of the library intact", async () => {
    const listing = await json<Page<ListItem>>(await listTranscripts());
    expect(listing.items.map((item) => item.id)).toEqual([made.a.id]);
    const rows = parseCsv(
      Buffer.from(await (await exportAll()).arrayBuffer())
        .toString("utf8")
        .slice(1),
    );
    expect(rows.slice(1).map((row) => row[0])).toEqual([made.a.id]);
    const audio = await recordingAudio(made.a.recordingId, { range: "bytes=0-3" });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).toString("latin1")).toBe("RIFF");
  });
});

describe("ids", () => {
  const malformed = [
    "..%2F..%2Fetc",
    "../../../etc/x",
    "ABCDEFGHIJKLMNOPQ",
    "0000000000000000",
    "0000000000000000a0",
    "a b",
  ];
  const unknown = "0000000000000000a";

  const routes: Array<[string, (id: string) => Promise<Response>]> = [
    ["GET /api/transcriptions/:id", (id) => getTranscript(id)],
    ["PUT /api/transcriptions/:id", (id) => putTranscript(id, { text: "Hello." }, 'W/"x"')],
    ["DELETE /api/transcriptions/:id", (id) => deleteTranscript(id)],
    ["GET /api/transcriptions/:id/export", (id) => exportTranscript(id, "txt")],
    ["DELETE /api/recordings/:id", (id) => deleteRecording(id)],
    ["GET /api/recordings/:id/audio", (id) => recordingAudio(id)],
    ["GET /api/recordings/:id/audio with a Range", (id) => recordingAudio(id, { range: "bytes=0-9" })],
  ];

  it.each(routes)("%s answers 400 for a malformed id and 404 for an unknown one", async (_label, call) => {
    for (const id of malformed) await expectError(await call(id), 400, "validation_failed");
    await expectError(await call(unknown), 404, "not_found");
  });

  it("does not let a recording id reach a transcript or the other way round", async () => {
    await expectError(await getTranscript(made.a.recordingId), 404, "not_found");
    await expectError(await recordingAudio(made.a.id), 404, "not_found");
    await expectError(await deleteRecording(made.a.id), 404, "not_found");
    await expectError(await deleteTranscript(made.a.recordingId), 404, "not_found");
    expect((await fetchSaved(made.a.id)).id).toBe(made.a.id);
  });
});
