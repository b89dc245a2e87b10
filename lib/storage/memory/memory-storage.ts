import fs from "node:fs/promises";
import { Readable } from "node:stream";
import { AppError } from "@/lib/domain/errors";
import type { RecordingMetadata, StoredTranscript, TranscriptHeader } from "@/lib/domain/transcript";
import type {
  LiveAudioEntry,
  LiveAudioMetadata,
  LiveAudioStore,
  Page,
  RecordingDownload,
  RecordingStore,
  Storage,
  TranscriptStore,
} from "../types";

/** Ids sort newest first as strings, so every listing is in key order; the cursor is the last key. */
function pageOf<T>(sorted: Array<[string, T]>, cursor: string | null | undefined, limit: number): Page<T> {
  const rest = cursor ? sorted.filter(([key]) => key > cursor) : sorted;
  const items = rest.slice(0, limit);
  const more = rest.length > limit;
  return { items: items.map(([, value]) => value), nextCursor: more ? items.at(-1)![0] : null };
}

function sortedEntries<T>(map: Map<string, T> | undefined): Array<[string, T]> {
  return [...(map ?? new Map<string, T>()).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function partition<T>(owners: Map<string, Map<string, T>>, owner: string): Map<string, T> {
  let map = owners.get(owner);
  if (!map) owners.set(owner, (map = new Map()));
  return map;
}

/** Recordings kept in this process's memory: the same contract as Blob Storage, for tests. */
export class MemoryRecordingStore implements RecordingStore {
  private readonly owners = new Map<string, Map<string, { metadata: RecordingMetadata; bytes: Buffer }>>();

  async uploadFile(owner: string, metadata: RecordingMetadata, sourcePath: string): Promise<void> {
    const bytes = await fs.readFile(sourcePath);
    partition(this.owners, owner).set(metadata.id, { metadata: structuredClone(metadata), bytes });
  }

  async updateMetadata(
    owner: string,
    id: string,
    patch: Partial<Omit<RecordingMetadata, "id" | "name">>,
  ): Promise<void> {
    const entry = this.owners.get(owner)?.get(id);
    if (!entry) throw new AppError("not_found", "No recording has this id.");
    entry.metadata = { ...entry.metadata, ...structuredClone(patch) };
  }

  async get(owner: string, id: string): Promise<RecordingMetadata | null> {
    const entry = this.owners.get(owner)?.get(id);
    return entry ? structuredClone(entry.metadata) : null;
  }

  async list(
    owner: string,
    options: { cursor?: string | null; limit: number },
  ): Promise<Page<RecordingMetadata>> {
    const entries = sortedEntries(this.owners.get(owner)).map(([id, entry]): [string, RecordingMetadata] => [
      id,
      structuredClone(entry.metadata),
    ]);
    return pageOf(entries, options.cursor, options.limit);
  }

  async download(
    owner: string,
    id: string,
    range?: { start: number; end?: number },
  ): Promise<RecordingDownload | null> {
    const entry = this.owners.get(owner)?.get(id);
    if (!entry) return null;
    const totalBytes = entry.bytes.length;
    const contentType = entry.metadata.contentType;
    if (!range) return { stream: Readable.from([entry.bytes]), contentType, totalBytes };
    const end = Math.min(range.end ?? totalBytes - 1, totalBytes - 1);
    return {
      stream: Readable.from([entry.bytes.subarray(range.start, end + 1)]),
      contentType,
      totalBytes,
      range: { start: range.start, end },
    };
  }

  async downloadToFile(owner: string, id: string, targetPath: string): Promise<void> {
    const entry = this.owners.get(owner)?.get(id);
    if (!entry) throw new AppError("not_found", "No recording has this id.");
    await fs.writeFile(targetPath, entry.bytes);
  }

  async delete(owner: string, id: string): Promise<void> {
    this.owners.get(owner)?.delete(id);
  }
}

type NewTranscript = Omit<StoredTranscript, "etag">;

/** Transcripts kept in this process's memory: the same contract as Table Storage, for tests. */
export class MemoryTranscriptStore implements TranscriptStore {
  private readonly owners = new Map<string, Map<string, StoredTranscript>>();
  private version = 0;

  async create(owner: string, transcript: NewTranscript): Promise<StoredTranscript> {
    const rows = partition(this.owners, owner);
    if (rows.has(transcript.id)) throw new AppError("conflict", "A transcript with this id exists already.");
    return this.write(rows, transcript);
  }

  async replace(owner: string, transcript: NewTranscript, etag: string): Promise<StoredTranscript> {
    const rows = partition(this.owners, owner);
    const current = rows.get(transcript.id);
    if (!current) throw new AppError("not_found", "No transcription has this id.");
    if (current.etag !== etag) {
      throw new AppError(
        "precondition_failed",
        "Someone else changed this transcript. Reload to see their version.",
      );
    }
    return this.write(rows, transcript);
  }

  async get(owner: string, id: string): Promise<StoredTranscript | null> {
    const row = this.owners.get(owner)?.get(id);
    return row ? structuredClone(row) : null;
  }

  async list(
    owner: string,
    options: { cursor?: string | null; limit: number },
  ): Promise<Page<TranscriptHeader>> {
    const headers = sortedEntries(this.owners.get(owner)).map(([id, row]): [string, TranscriptHeader] => {
      const { recordingId, title, createdAt, updatedAt, durationSec, language, engine, etag } = row;
      return [id, { id, recordingId, title, createdAt, updatedAt, durationSec, language, engine, etag }];
    });
    return pageOf(headers, options.cursor, options.limit);
  }

  async *scan(owner: string): AsyncIterable<StoredTranscript> {
    for (const [, row] of sortedEntries(this.owners.get(owner))) yield structuredClone(row);
  }

  async delete(owner: string, id: string): Promise<void> {
    this.owners.get(owner)?.delete(id);
  }

  private write(rows: Map<string, StoredTranscript>, transcript: NewTranscript): StoredTranscript {
    const stored = { ...structuredClone(transcript), etag: `W/"memory-${++this.version}"` };
    rows.set(transcript.id, stored);
    return structuredClone(stored);
  }
}

/** Live session audio kept in this process's memory: the same contract as append blobs, for tests. */
export class MemoryLiveAudioStore implements LiveAudioStore {
  private readonly entries = new Map<
    string,
    { owner: string; metadata: LiveAudioMetadata; chunks: Buffer[]; size: number; at: Date }
  >();

  async create(owner: string, metadata: LiveAudioMetadata): Promise<void> {
    const key = `${owner}/${metadata.id}`;
    if (this.entries.has(key)) throw new AppError("conflict", "This live session exists already.");
    this.entries.set(key, {
      owner,
      metadata: structuredClone(metadata),
      chunks: [],
      size: 0,
      at: new Date(),
    });
  }

  async append(owner: string, id: string, bytes: Buffer, at: number): Promise<void> {
    const entry = this.entries.get(`${owner}/${id}`);
    if (!entry) throw new AppError("not_found", "No live session has this id.");
    if (entry.size === at + bytes.length) return;
    if (entry.size !== at) throw new AppError("precondition_failed", "The live audio is not at this offset.");
    entry.chunks.push(Buffer.from(bytes));
    entry.size += bytes.length;
    entry.at = new Date();
  }

  async get(owner: string, id: string): Promise<LiveAudioEntry | null> {
    const entry = this.entries.get(`${owner}/${id}`);
    return entry ? toEntry(entry) : null;
  }

  async list(): Promise<LiveAudioEntry[]> {
    return [...this.entries.values()].map(toEntry);
  }

  async downloadToFile(owner: string, id: string, targetPath: string): Promise<void> {
    const entry = this.entries.get(`${owner}/${id}`);
    if (!entry) throw new AppError("not_found", "No live session has this id.");
    await fs.writeFile(targetPath, Buffer.concat(entry.chunks));
  }

  async delete(owner: string, id: string): Promise<void> {
    this.entries.delete(`${owner}/${id}`);
  }
}

function toEntry(entry: {
  owner: string;
  metadata: LiveAudioMetadata;
  size: number;
  at: Date;
}): LiveAudioEntry {
  return {
    owner: entry.owner,
    metadata: structuredClone(entry.metadata),
    sizeBytes: entry.size,
    lastWriteAt: entry.at,
  };
}

/** Storage in this process's memory (tests): nothing to start, nothing to reach. */
export function createMemoryStorage(): Storage {
  return {
    recordings: new MemoryRecordingStore(),
    transcripts: new MemoryTranscriptStore(),
    live: new MemoryLiveAudioStore(),
    target: null,
    flush: async () => {},
    health: async () => ({ ready: true, provider: "memory" }),
    close: async () => {},
  };
}
