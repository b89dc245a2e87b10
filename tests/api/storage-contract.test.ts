// The storage contracts (lib/storage/types.ts), run against a real Azurite (recordings in Blob Storage,
// transcripts in Table Storage) and against the in-memory doubles; then what only Azure has: big
// bodies overflowing to a blob, and failures mapped to AppErrors.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "@/lib/domain/errors";
import type { Segment } from "@/lib/speech/types";
import { createAzureStorage } from "@/lib/storage/azure/azure-storage";
import { INLINE_PROPERTY_LIMIT } from "@/lib/storage/azure/table-transcript-store";
import { createMemoryStorage } from "@/lib/storage/memory/memory-storage";
import type { RecordingMetadata, Storage, StoredTranscript } from "@/lib/storage/types";
import { createId } from "@/lib/util/ids";
import { fixtures } from "../helpers/api";
import { blobNames, freePorts, rawClients, readAll, rowKeys, uniqueSuffix } from "../helpers/storage";

const connectionString = process.env.AZURE_STORAGE_CONNECTION_STRING!;
const suffix = uniqueSuffix();
const names = {
  recordingsContainer: `contract-rec-${suffix}`,
  transcriptsContainer: `contract-trn-${suffix}`,
  transcriptsTable: `contract${suffix}`,
  liveContainer: `contract-live-${suffix}`,
};
const owner = process.env.STORAGE_OWNER!;
const jfkPath = path.join(fixtures, "jfk.wav");
const jfk = fs.readFileSync(jfkPath);
const unicodeName = "Réunion d’équipe 🎙.wav";

let azure: Storage;
/** The store under test: Azure, or the in-memory doubles inside their `describe.each` case. */
let storage: Storage;
let raw: ReturnType<typeof rawClients>;
let workDir: string;

type NewTranscript = Omit<StoredTranscript, "etag">;

beforeAll(async () => {
  expect(connectionString).toMatch(/BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/);
  azure = await createAzureStorage(connectionString, names, { provider: "azurite" });
  storage = azure;
  raw = rawClients(connectionString, names.transcriptsTable);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "storage-contract-"));
});

afterAll(async () => {
  await azure.close();
  await Promise.allSettled([
    raw.blobs.getContainerClient(names.recordingsContainer).deleteIfExists(),
    raw.blobs.getContainerClient(names.transcriptsContainer).deleteIfExists(),
    raw.blobs.getContainerClient(names.liveContainer).deleteIfExists(),
    raw.table.deleteTable(),
  ]);
  fs.rmSync(workDir, { recursive: true, force: true });
});

function recording(overrides: Partial<RecordingMetadata> = {}): RecordingMetadata {
  return {
    id: createId(),
    name: "jfk.wav",
    createdAt: new Date().toISOString(),
    durationSec: null,
    sizeBytes: jfk.length,
    contentType: "audio/wav",
    language: "en-US",
    transcriptionId: createId(),
    ...overrides,
  };
}

/** Writes `bytes` to a real file and uploads it as a recording. */
async function uploadBytes(who: string, metadata: RecordingMetadata, bytes: Buffer): Promise<void> {
  const file = path.join(workDir, `${metadata.id}.bin`);
  fs.writeFileSync(file, bytes);
  await storage.recordings.uploadFile(who, metadata, file);
}

async function listAllRecordings(who: string, limit = 100): Promise<RecordingMetadata[]> {
  const all: RecordingMetadata[] = [];
  let cursor: string | null = null;
  do {
    const page = await storage.recordings.list(who, { cursor, limit });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Resolves with the AppError a promise rejects with; fails if it resolves or rejects with something else. */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ rejected: error }),
  );
  if (!("rejected" in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
  expect(outcome.rejected).toBeInstanceOf(AppError);
  return outcome.rejected as AppError;
}

const sentences = [
  "Thanks everyone for joining, let’s start with the quarterly numbers before we move on to hiring.",
  "Revenue in the third quarter came in at 4.2 million euros, which is about 12 percent above plan.",
  "The café on the ground floor will close for renovation from Monday, so plan your coffee accordingly.",
  "I’d like to flag a risk: the supplier in Kraków has not confirmed the delivery date for the sensors.",
  "Can you share the slides afterwards? I missed the part about the naïve forecasting model.",
  "We tested the new onboarding flow with twenty users and most of them finished it in under four minutes.",
  "The data centre migration is scheduled for the weekend of the fourteenth, with a rollback plan ready.",
  "Support tickets dropped by a third after we fixed the password reset email — that’s a big win.",
  "Let’s park that discussion and come back to it once legal has reviewed the contract wording.",
  "Our Zürich office asked whether the training budget can be moved to the next financial year.",
  "The prototype runs at thirty frames per second on the older phones, which is better than we hoped.",
  "Please make sure every action item has an owner and a due date before we close the meeting.",
  "Marketing wants the launch to coincide with the trade fair in São Paulo at the end of next month.",
  "We are still seeing intermittent timeouts on the payment API between two and three in the morning.",
  "Honestly, I think we should hire two junior engineers rather than one senior contractor.",
  "The customer survey had a response rate of 38 percent, the highest we have ever recorded.",
];

/** A realistic three-hour meeting: ~2,500 timed segments, two speakers, a few accented words. */
function longSegments(count = 2_500): Segment[] {
  return Array.from({ length: count }, (_, i) => {
    const start = Math.round(i * 4.32 * 100) / 100;
    const first = sentences[(i * 7) % sentences.length]!;
    const second = sentences[(i * 11 + 3) % sentences.length]!;
    return {
      start,
      end: Math.round((start + 4.1) * 100) / 100,
      text: i % 3 === 0 ? `${first} ${second}` : first,
      speaker: `SPEAKER_${i % 2}`,
    };
  });
}

function transcript(overrides: Partial<NewTranscript> = {}): NewTranscript {
  const segments: Segment[] = [
    { start: 0, end: 3.5, text: "And so, my fellow Americans,", speaker: "SPEAKER_0" },
    {
      start: 3.5,
      end: 11,
      text: "ask not what your country can do for you — café ’🎙’.",
      speaker: "SPEAKER_1",
    },
  ];
  const now = new Date().toISOString();
  return {
    id: createId(),
    recordingId: createId(),
    title: "Réunion d’équipe 🎙",
    text: segments.map((segment) => segment.text).join(" "),
    segments,
    language: "en-US",
    durationSec: 11.05,
    engine: "local-whisper-tiny.en",
    settings: { diarize: true },
    summary: "A short speech about service.",
    createdAt: now,
    updatedAt: now,
    processingMs: 1_234,
    uncovered: [{ start: 3.2, end: 4.6, reason: "no_words" }],
    ...overrides,
  };
}

function bigTranscript(overrides: Partial<NewTranscript> = {}): NewTranscript {
  const segments = longSegments();
  return transcript({
    segments,
    text: segments.map((segment) => segment.text).join(" "),
    durationSec: segments.at(-1)!.end,
    summary: "Quarterly numbers, hiring, the data centre migration and the launch in São Paulo.",
    ...overrides,
  });
}

interface RawEntity {
  text?: string;
  segments?: string;
  summary?: string;
  bodyBlob?: string;
  preview?: string;
}

async function rawEntity(who: string, id: string): Promise<RawEntity> {
  return raw.table.getEntity<RawEntity>(who, id);
}

async function bodyBlobs(who: string, id: string): Promise<string[]> {
  return blobNames(raw.blobs, names.transcriptsContainer, { prefix: `${who}/${id}/` });
}

const backends: Array<{ name: string; isAzure: boolean; create: () => Storage }> = [
  { name: "Azure Storage (Azurite)", isAzure: true, create: () => azure },
  { name: "in-memory doubles", isAzure: false, create: () => createMemoryStorage() },
];

describe.each(backends)("$name", ({ isAzure, create }) => {
  beforeAll(() => {
    storage = create();
  });

  afterAll(async () => {
    if (storage !== azure) await storage.close();
    storage = azure;
  });

  describe("RecordingStore", () => {
    const stored = recording({ name: unicodeName, language: "fr-FR", durationSec: null });

    beforeAll(async () => {
      await storage.recordings.uploadFile(owner, stored, jfkPath);
    });

    it("keeps the metadata, unicode name included, and lists the recording", async () => {
      expect(await storage.recordings.get(owner, stored.id)).toEqual(stored);
      const listed = await listAllRecordings(owner);
      expect(listed.map((item) => item.id)).toContain(stored.id);
      expect(listed.find((item) => item.id === stored.id)).toEqual(stored);
    });

    it("downloads the whole file byte for byte", async () => {
      const download = await storage.recordings.download(owner, stored.id);
      expect(download).not.toBeNull();
      expect(download!.contentType).toBe("audio/wav");
      expect(download!.totalBytes).toBe(jfk.length);
      expect(download!.range).toBeUndefined();
      expect((await readAll(download!.stream)).equals(jfk)).toBe(true);
    });

    it("downloads an inclusive byte range", async () => {
      const download = await storage.recordings.download(owner, stored.id, { start: 100, end: 1099 });
      const bytes = await readAll(download!.stream);
      expect(bytes.length).toBe(1_000);
      expect(bytes.equals(jfk.subarray(100, 1_100))).toBe(true);
      expect(download!.range).toEqual({ start: 100, end: 1_099 });
      expect(download!.totalBytes).toBe(jfk.length);
    });

    it("downloads an open-ended range to the end of the file", async () => {
      const download = await storage.recordings.download(owner, stored.id, { start: 5_000 });
      const bytes = await readAll(download!.stream);
      expect(bytes.equals(jfk.subarray(5_000))).toBe(true);
      expect(download!.range).toEqual({ start: 5_000, end: jfk.length - 1 });
    });

    it("downloads a single byte and clamps a range that runs past the end", async () => {
      const one = await storage.recordings.download(owner, stored.id, { start: 0, end: 0 });
      expect((await readAll(one!.stream)).equals(jfk.subarray(0, 1))).toBe(true);
      const past = await storage.recordings.download(owner, stored.id, {
        start: jfk.length - 10,
        end: 10 ** 9,
      });
      expect((await readAll(past!.stream)).equals(jfk.subarray(jfk.length - 10))).toBe(true);
      expect(past!.range).toEqual({ start: jfk.length - 10, end: jfk.length - 1 });
    });

    it("copies the recording to a local file", async () => {
      const target = path.join(workDir, "copy.wav");
      await storage.recordings.downloadToFile(owner, stored.id, target);
      expect(fs.readFileSync(target).equals(jfk)).toBe(true);
    });

    it("merges metadata updates and leaves the other fields alone", async () => {
      await storage.recordings.updateMetadata(owner, stored.id, { durationSec: 11.05 });
      expect(await storage.recordings.get(owner, stored.id)).toEqual({ ...stored, durationSec: 11.05 });
      await storage.recordings.updateMetadata(owner, stored.id, { transcriptionId: null, language: "de-DE" });
      expect(await storage.recordings.get(owner, stored.id)).toEqual({
        ...stored,
        durationSec: 11.05,
        transcriptionId: null,
        language: "de-DE",
      });
      // The audio itself is untouched by metadata writes.
      const download = await storage.recordings.download(owner, stored.id);
      expect((await readAll(download!.stream)).equals(jfk)).toBe(true);
    });

    it("answers null / not_found for a recording that does not exist", async () => {
      const missing = createId();
      expect(await storage.recordings.get(owner, missing)).toBeNull();
      expect(await storage.recordings.download(owner, missing)).toBeNull();
      const error = await appErrorOf(storage.recordings.updateMetadata(owner, missing, { durationSec: 1 }));
      expect(error.code).toBe("not_found");
      const copy = await appErrorOf(
        storage.recordings.downloadToFile(owner, missing, path.join(workDir, "missing.wav")),
      );
      expect(copy.code).toBe("not_found");
    });

    it("deletes a recording, and deleting it again is harmless", async () => {
      const doomed = recording({ name: unicodeName });
      await storage.recordings.uploadFile(owner, doomed, jfkPath);
      expect(await storage.recordings.get(owner, doomed.id)).not.toBeNull();

      await storage.recordings.delete(owner, doomed.id);
      expect(await storage.recordings.get(owner, doomed.id)).toBeNull();
      expect(await storage.recordings.download(owner, doomed.id)).toBeNull();
      expect((await listAllRecordings(owner)).map((item) => item.id)).not.toContain(doomed.id);
      if (isAzure) {
        expect(
          await blobNames(raw.blobs, names.recordingsContainer, { prefix: `${owner}/${doomed.id}/` }),
        ).toEqual([]);
      }
      await expect(storage.recordings.delete(owner, doomed.id)).resolves.toBeUndefined();

      // Two deletes racing each other: the one that finds the blob gone must not fail either.
      const raced = recording();
      await storage.recordings.uploadFile(owner, raced, jfkPath);
      await expect(
        Promise.all([storage.recordings.delete(owner, raced.id), storage.recordings.delete(owner, raced.id)]),
      ).resolves.toEqual([undefined, undefined]);
      expect(await storage.recordings.get(owner, raced.id)).toBeNull();
      // The other recording is still there.
      expect(await storage.recordings.get(owner, stored.id)).not.toBeNull();
    });

    it("keeps owners apart, even when one owner's name starts with the other's", async () => {
      const neighbour = `${owner}-b`;
      const theirs = recording({ name: "theirs.wav" });
      await storage.recordings.uploadFile(neighbour, theirs, jfkPath);

      const mine = await listAllRecordings(owner);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.map((item) => item.id)).not.toContain(theirs.id);
      expect((await listAllRecordings(neighbour)).map((item) => item.id)).toEqual([theirs.id]);
      expect(await storage.recordings.get(owner, theirs.id)).toBeNull();
      expect(await storage.recordings.download(owner, theirs.id)).toBeNull();
      await storage.recordings.delete(owner, theirs.id);
      expect(await storage.recordings.get(neighbour, theirs.id)).toEqual(theirs);
      expect(await storage.recordings.get(neighbour, stored.id)).toBeNull();
    });
  });

  describe("LiveAudioStore", () => {
    it("appends audio at its offset, once, and lists it with its metadata until deleted", async () => {
      const id = createId();
      const metadata = {
        id,
        transcriptionId: createId(),
        name: "Live – 10:15.wav",
        createdAt: new Date().toISOString(),
        language: "en-US",
        diarize: true,
      };
      await storage.live.create(owner, metadata);
      const first = Buffer.from([1, 2, 3, 4]);
      const second = Buffer.from([5, 6]);
      await storage.live.append(owner, id, first, 0);
      await storage.live.append(owner, id, second, 4);
      // A retry of an append that landed changes nothing.
      await storage.live.append(owner, id, second, 4);
      await expect(storage.live.append(owner, id, Buffer.from([9, 9]), 2)).rejects.toBeInstanceOf(AppError);

      const entry = await storage.live.get(owner, id);
      expect(entry).toMatchObject({ owner, metadata, sizeBytes: 6 });
      expect(Date.now() - entry!.lastWriteAt.getTime()).toBeLessThan(60_000);
      expect((await storage.live.list()).map((listed) => listed.metadata.id)).toContain(id);
      const file = path.join(workDir, `${id}.pcm`);
      await storage.live.downloadToFile(owner, id, file);
      expect(fs.readFileSync(file)).toEqual(Buffer.from([1, 2, 3, 4, 5, 6]));

      await storage.live.delete(owner, id);
      await storage.live.delete(owner, id);
      expect(await storage.live.get(owner, id)).toBeNull();
      expect((await storage.live.list()).map((listed) => listed.metadata.id)).not.toContain(id);
    });
  });

  describe("RecordingStore paging", () => {
    const pagingOwner = `${owner}-paging`;

    it("lists 7 recordings newest first in pages of 3, 3 and 1", async () => {
      const base = Date.now();
      const ids = Array.from({ length: 7 }, (_, i) => createId(base + i * 1_000));
      // Upload in an order unrelated to age, so the listing order must come from the ids.
      for (const i of [3, 0, 6, 2, 5, 1, 4]) {
        await uploadBytes(
          pagingOwner,
          recording({ id: ids[i]!, name: `part ${i}.wav`, sizeBytes: 1_000 + i }),
          jfk.subarray(0, 1_000 + i),
        );
      }
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const page = await storage.recordings.list(pagingOwner, { cursor, limit: 3 });
        pages.push(page.items.map((item) => item.id));
        for (const item of page.items) expect(item.sizeBytes).toBe(1_000 + ids.indexOf(item.id));
        cursor = page.nextCursor;
        expect(pages.length).toBeLessThanOrEqual(4);
      } while (cursor);

      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      const seen = pages.flat();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...ids].reverse());
    });
  });

  describe("TranscriptStore", () => {
    it("creates a transcript and reads every field back", async () => {
      const created = transcript();
      const saved = await storage.transcripts.create(owner, created);
      expect(saved.etag).toMatch(/\S/);
      expect(saved).toEqual({ ...created, etag: saved.etag });
      const loaded = await storage.transcripts.get(owner, created.id);
      expect(loaded).toEqual({ ...created, etag: saved.etag });
    });

    it("reads back a transcript without the optional fields", async () => {
      const bare = transcript({ settings: { diarize: false }, segments: [], text: "" });
      delete bare.summary;
      delete bare.processingMs;
      delete bare.uncovered;
      const saved = await storage.transcripts.create(owner, bare);
      const loaded = await storage.transcripts.get(owner, bare.id);
      expect(loaded).toEqual({ ...bare, etag: saved.etag });
      expect(loaded).not.toHaveProperty("summary");
      expect(loaded).not.toHaveProperty("processingMs");
      expect(loaded).not.toHaveProperty("uncovered");
    });

    it("refuses to create the same id twice with `conflict` and keeps the first", async () => {
      const first = transcript();
      const saved = await storage.transcripts.create(owner, first);
      const error = await appErrorOf(storage.transcripts.create(owner, { ...first, text: "Overwritten?" }));
      expect(error.code).toBe("conflict");
      expect(error.status).toBe(409);
      expect(await storage.transcripts.get(owner, first.id)).toEqual({ ...first, etag: saved.etag });
    });

    it("replaces with the current etag and refuses a stale one with `precondition_failed`", async () => {
      const original = transcript();
      const v1 = await storage.transcripts.create(owner, original);
      const edited = {
        ...original,
        text: "Edited once.",
        updatedAt: new Date(Date.now() + 1_000).toISOString(),
      };
      const v2 = await storage.transcripts.replace(owner, edited, v1.etag);
      expect(v2.etag).toMatch(/\S/);
      expect(v2.etag).not.toBe(v1.etag);
      expect(await storage.transcripts.get(owner, original.id)).toEqual({ ...edited, etag: v2.etag });

      const error = await appErrorOf(
        storage.transcripts.replace(owner, { ...original, text: "Lost update" }, v1.etag),
      );
      expect(error.code).toBe("precondition_failed");
      expect(error.status).toBe(412);
      const current = await storage.transcripts.get(owner, original.id);
      expect(current?.text).toBe("Edited once.");
      expect(current?.etag).toBe(v2.etag);

      // The etag that `get` hands out is good for the next replace.
      const v3 = await storage.transcripts.replace(owner, { ...edited, title: "Renamed" }, current!.etag);
      expect((await storage.transcripts.get(owner, original.id))?.title).toBe("Renamed");
      expect(v3.etag).not.toBe(v2.etag);
    });

    it("answers null / not_found for a transcript that does not exist", async () => {
      const missing = transcript();
      expect(await storage.transcripts.get(owner, missing.id)).toBeNull();
      const error = await appErrorOf(storage.transcripts.replace(owner, missing, 'W/"whatever"'));
      expect(error.code).toBe("not_found");
    });

    it("deletes a transcript, and deleting it again is harmless", async () => {
      const doomed = transcript();
      await storage.transcripts.create(owner, doomed);
      await storage.transcripts.delete(owner, doomed.id);
      expect(await storage.transcripts.get(owner, doomed.id)).toBeNull();
      if (isAzure) expect(await rowKeys(raw.table, owner)).not.toContain(doomed.id);
      await expect(storage.transcripts.delete(owner, doomed.id)).resolves.toBeUndefined();
    });
  });

  describe("TranscriptStore listing and scanning", () => {
    const listOwner = `${owner}-list`;
    const base = Date.now();
    const all = [0, 1, 2, 3, 4].map((i) =>
      (i === 2 ? bigTranscript : transcript)({
        id: createId(base + i * 1_000),
        title: `Meeting ${i}`,
        createdAt: new Date(base + i * 1_000).toISOString(),
      }),
    );
    const etags = new Map<string, string>();

    beforeAll(async () => {
      // Saved in an order unrelated to age.
      for (const i of [2, 4, 0, 3, 1]) {
        const saved = await storage.transcripts.create(listOwner, all[i]!);
        etags.set(saved.id, saved.etag);
      }
    });

    it("lists headers newest first, `limit` at a time, without bodies", async () => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const page = await storage.transcripts.list(listOwner, { cursor, limit: 2 });
        pages.push(page.items.map((item) => item.id));
        for (const header of page.items) {
          const source = all.find((t) => t.id === header.id)!;
          expect(header).toEqual({
            id: source.id,
            recordingId: source.recordingId,
            title: source.title,
            createdAt: source.createdAt,
            updatedAt: source.updatedAt,
            durationSec: source.durationSec,
            language: source.language,
            engine: source.engine,
            etag: etags.get(source.id),
          });
        }
        cursor = page.nextCursor;
        expect(pages.length).toBeLessThanOrEqual(4);
      } while (cursor);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(all.map((t) => t.id).reverse());
    });

    it("scans every transcript with its body (overflowed ones included), newest first", async () => {
      const scanned: StoredTranscript[] = [];
      for await (const item of storage.transcripts.scan(listOwner)) scanned.push(item);
      expect(scanned.map((item) => item.id)).toEqual(all.map((t) => t.id).reverse());
      for (const item of scanned) {
        const source = all.find((t) => t.id === item.id)!;
        expect(item).toEqual({ ...source, etag: etags.get(source.id) });
      }
    });

    it("lists and scans nothing for an owner without transcripts", async () => {
      expect(await storage.transcripts.list(`${owner}-nobody`, { limit: 5 })).toEqual({
        items: [],
        nextCursor: null,
      });
      const scanned: StoredTranscript[] = [];
      for await (const item of storage.transcripts.scan(`${owner}-nobody`)) scanned.push(item);
      expect(scanned).toEqual([]);
    });
  });
});

describe("TranscriptStore overflow of big bodies to a blob", () => {
  it("saves and loads a three-hour transcript through an overflow blob", async () => {
    const big = bigTranscript();
    expect(big.segments.length).toBe(2_500);
    expect(big.text.length).toBeGreaterThan(150_000);
    expect(Buffer.byteLength(JSON.stringify(big.segments))).toBeGreaterThan(400_000);

    const saved = await storage.transcripts.create(owner, big);
    const loaded = await storage.transcripts.get(owner, big.id);
    expect(loaded?.text).toBe(big.text);
    expect(loaded?.segments).toEqual(big.segments);
    expect(loaded).toEqual({ ...big, etag: saved.etag });

    const entity = await rawEntity(owner, big.id);
    expect(entity.text).toBeUndefined();
    expect(entity.segments).toBeUndefined();
    expect(entity.bodyBlob).toEqual(expect.stringMatching(new RegExp(`^${owner}/${big.id}/`)));
    expect(entity.preview).toBe(big.text.slice(0, entity.preview!.length));
    expect(await bodyBlobs(owner, big.id)).toEqual([entity.bodyBlob]);
    const body = await raw.blobs
      .getContainerClient(names.transcriptsContainer)
      .getBlobClient(entity.bodyBlob!)
      .downloadToBuffer();
    expect(JSON.parse(body.toString("utf8"))).toMatchObject({ text: big.text });
  });

  it("moves a body back inline when it shrinks, out again when it grows, and deletes old blobs", async () => {
    const big = bigTranscript();
    const v1 = await storage.transcripts.create(owner, big);
    const firstBlob = (await rawEntity(owner, big.id)).bodyBlob!;
    expect(firstBlob).toBeTruthy();

    const short = { ...big, text: "Short now.", segments: [{ start: 0, end: 1, text: "Short now." }] };
    const v2 = await storage.transcripts.replace(owner, short, v1.etag);
    const inline = await rawEntity(owner, big.id);
    expect(inline.bodyBlob).toBeUndefined();
    expect(inline.text).toBe("Short now.");
    expect(await bodyBlobs(owner, big.id)).toEqual([]);
    expect(await storage.transcripts.get(owner, big.id)).toEqual({ ...short, etag: v2.etag });

    const grown = bigTranscript({ id: big.id, recordingId: big.recordingId, title: "Grown again" });
    const v3 = await storage.transcripts.replace(owner, grown, v2.etag);
    const secondBlob = (await rawEntity(owner, big.id)).bodyBlob!;
    expect(secondBlob).toBeTruthy();
    expect(await bodyBlobs(owner, big.id)).toEqual([secondBlob]);

    // Big to big: the new body replaces the old blob rather than piling up next to it.
    const edited = { ...grown, text: `${grown.text} Addendum.` };
    const v4 = await storage.transcripts.replace(owner, edited, v3.etag);
    const thirdBlob = (await rawEntity(owner, big.id)).bodyBlob!;
    expect(thirdBlob).not.toBe(secondBlob);
    expect(await bodyBlobs(owner, big.id)).toEqual([thirdBlob]);
    expect((await storage.transcripts.get(owner, big.id))?.text).toBe(edited.text);

    await storage.transcripts.delete(owner, big.id);
    expect(await storage.transcripts.get(owner, big.id)).toBeNull();
    expect(await bodyBlobs(owner, big.id)).toEqual([]);
    expect(v4.etag).toMatch(/\S/);
  });

  it("leaves no overflow blob behind when a big create hits `conflict` or a big replace a stale etag", async () => {
    const big = bigTranscript();
    const v1 = await storage.transcripts.create(owner, big);
    const blob = (await rawEntity(owner, big.id)).bodyBlob!;

    expect((await appErrorOf(storage.transcripts.create(owner, big))).code).toBe("conflict");
    expect(await bodyBlobs(owner, big.id)).toEqual([blob]);

    await storage.transcripts.replace(owner, { ...big, title: "v2" }, v1.etag);
    const current = (await rawEntity(owner, big.id)).bodyBlob!;
    const stale = await appErrorOf(storage.transcripts.replace(owner, { ...big, title: "stale" }, v1.etag));
    expect(stale.code).toBe("precondition_failed");
    expect(await bodyBlobs(owner, big.id)).toEqual([current]);
    expect((await storage.transcripts.get(owner, big.id))?.title).toBe("v2");
  });

  it("keeps a body of exactly the inline limit inline and overflows one character more", async () => {
    // Accented and non-Latin letters: the limit counts characters, not UTF-8 bytes.
    const pattern = "Der Kaffee ist fertig, café für alle — 会議は三時に始まります。 ";
    const text = pattern
      .repeat(Math.ceil(INLINE_PROPERTY_LIMIT / pattern.length))
      .slice(0, INLINE_PROPERTY_LIMIT);
    expect(text.length).toBe(INLINE_PROPERTY_LIMIT);

    const atLimit = transcript({ text, segments: [{ start: 0, end: 600, text: text.slice(0, 500) }] });
    const saved = await storage.transcripts.create(owner, atLimit);
    const entity = await rawEntity(owner, atLimit.id);
    expect(entity.bodyBlob).toBeUndefined();
    expect(entity.text).toBe(text);
    expect(await bodyBlobs(owner, atLimit.id)).toEqual([]);
    expect(await storage.transcripts.get(owner, atLimit.id)).toEqual({ ...atLimit, etag: saved.etag });

    const over = transcript({ text: `${text}!`, segments: atLimit.segments });
    const savedOver = await storage.transcripts.create(owner, over);
    expect((await rawEntity(owner, over.id)).bodyBlob).toBeTruthy();
    expect(await storage.transcripts.get(owner, over.id)).toEqual({ ...over, etag: savedOver.etag });
  });

  it("overflows when only the summary is big", async () => {
    const summary = sentences.join(" ").repeat(40);
    expect(summary.length).toBeGreaterThan(INLINE_PROPERTY_LIMIT);
    const t = transcript({ summary });
    const saved = await storage.transcripts.create(owner, t);
    const entity = await rawEntity(owner, t.id);
    expect(entity.bodyBlob).toBeTruthy();
    expect(entity.summary).toBeUndefined();
    expect(await storage.transcripts.get(owner, t.id)).toEqual({ ...t, etag: saved.etag });
  });
});

describe("storage that does not answer", () => {
  let dead: Storage;

  beforeAll(async () => {
    const [blobPort, queuePort, tablePort] = await freePorts(3);
    const deadConnection = connectionString
      .replace(/(BlobEndpoint=http:\/\/127\.0\.0\.1:)\d+/, `$1${blobPort}`)
      .replace(/(QueueEndpoint=http:\/\/127\.0\.0\.1:)\d+/, `$1${queuePort}`)
      .replace(/(TableEndpoint=http:\/\/127\.0\.0\.1:)\d+/, `$1${tablePort}`);
    expect(deadConnection).not.toBe(connectionString);
    dead = await createAzureStorage(deadConnection, names, { provider: "azurite" });
  });

  async function expectUnavailable(operation: () => Promise<unknown>) {
    const started = Date.now();
    const error = await appErrorOf(operation());
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error.code).toBe("storage_unavailable");
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/not reachable/i);
    expect(error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  }

  it("maps a refused connection to `storage_unavailable` (503) within seconds", async () => {
    await expectUnavailable(() => dead.recordings.list(owner, { limit: 5 }));
    await expectUnavailable(() => dead.recordings.get(owner, createId()));
    await expectUnavailable(() => dead.recordings.uploadFile(owner, recording(), jfkPath));
    await expectUnavailable(() => dead.transcripts.get(owner, createId()));
    await expectUnavailable(() => dead.transcripts.list(owner, { limit: 5 }));
    await expectUnavailable(() => dead.transcripts.create(owner, transcript()));
  });

  it("reports itself not ready", async () => {
    const started = Date.now();
    const health = await dead.health();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(health).toEqual({
      ready: false,
      provider: "azurite",
      error: expect.stringMatching(/not reachable/i),
    });
    expect(await storage.health()).toEqual({ ready: true, provider: "azurite" });
  });
});
