import { randomUUID } from "node:crypto";
import { odata, type TableClient, type TableEntityResult } from "@azure/data-tables";
import type { ContainerClient } from "@azure/storage-blob";
import { AppError } from "@/lib/domain/errors";
import { logger } from "@/lib/log";
import {
  transcriptSettings,
  type Segment,
  type TranscriptSettings,
  type UncoveredSpeech,
} from "@/lib/domain/transcript";
import type { Page, StoredTranscript, TranscriptHeader, TranscriptStore } from "../types";
import { createOnce, mapStorageError } from "@/lib/azure/storage-errors";

/**
 * Table Storage caps a string property at 64 KiB (32 K UTF-16 units) and an entity at 1 MiB.
 * Bodies bigger than this stay inline; anything larger moves, whole, to a JSON blob.
 */
export const INLINE_PROPERTY_LIMIT = 30_000;
const PREVIEW_LENGTH = 2_000;
/** Keeps the list well inside one 64 KiB property. */
const MAX_UNCOVERED = 500;

interface TranscriptEntity {
  partitionKey: string;
  rowKey: string;
  recordingId: string;
  title: string;
  language: string;
  durationSec: number;
  engine: string;
  settings: string;
  createdAt: string;
  updatedAt: string;
  processingMs?: number;
  /** JSON list of stretches of speech with no words (small: times only). */
  uncovered?: string;
  /** Inline body, when it fits. */
  text?: string;
  segments?: string;
  summary?: string;
  /** Name of the overflow blob holding `{ text, segments, summary }`, when it does not. */
  bodyBlob?: string;
  /** Start of the text (for listings) when the body overflowed. */
  preview?: string;
}

interface Body {
  text: string;
  segments: Segment[];
  summary?: string;
}

const headerFields = [
  "RowKey",
  "recordingId",
  "title",
  "createdAt",
  "updatedAt",
  "durationSec",
  "language",
  "engine",
];

/** Transcripts in one table, PartitionKey = owner and RowKey = time-sortable id; big bodies in blobs. */
export class TableTranscriptStore implements TranscriptStore {
  private readonly ensureReady = createOnce(
    () => Promise.all([this.table.createTable(), this.bodies.createIfNotExists()]),
    "opening storage",
  );

  constructor(
    private readonly table: TableClient,
    private readonly bodies: ContainerClient,
  ) {}

  async create(owner: string, transcript: Omit<StoredTranscript, "etag">): Promise<StoredTranscript> {
    await this.ensureReady();
    const { entity, newBlob } = await this.toEntity(owner, transcript);
    try {
      const result = await this.table.createEntity(entity);
      return { ...transcript, etag: result.etag ?? "" };
    } catch (error) {
      if (newBlob) await this.deleteBlob(newBlob);
      throw mapStorageError(error, "saving the transcript");
    }
  }

  async replace(
    owner: string,
    transcript: Omit<StoredTranscript, "etag">,
    etag: string,
  ): Promise<StoredTranscript> {
    await this.ensureReady();
    const previous = await this.getEntity(owner, transcript.id);
    if (!previous) throw mapStorageError({ statusCode: 404 }, "saving the transcript");
    if (previous.etag !== etag) throw mapStorageError({ statusCode: 412 }, "saving the transcript");
    const { entity, newBlob } = await this.toEntity(owner, transcript);
    try {
      const result = await this.table.updateEntity(entity, "Replace", { etag });
      if (previous.bodyBlob && previous.bodyBlob !== newBlob) await this.deleteBlob(previous.bodyBlob);
      return { ...transcript, etag: result.etag ?? "" };
    } catch (error) {
      if (newBlob) await this.deleteBlob(newBlob);
      throw mapStorageError(error, "saving the transcript");
    }
  }

  async get(owner: string, id: string): Promise<StoredTranscript | null> {
    await this.ensureReady();
    const entity = await this.getEntity(owner, id);
    return entity ? this.fromEntity(entity) : null;
  }

  async list(
    owner: string,
    options: { cursor?: string | null; limit: number },
  ): Promise<Page<TranscriptHeader>> {
    await this.ensureReady();
    if (options.cursor && !isTableCursor(options.cursor)) {
      throw new AppError(
        "validation_failed",
        "cursor: is not one this API issued; start again from the first page.",
      );
    }
    try {
      const pages = this.table
        .listEntities<TranscriptEntity>({
          queryOptions: { filter: odata`PartitionKey eq ${owner}`, select: headerFields },
        })
        .byPage({ maxPageSize: options.limit, continuationToken: options.cursor ?? undefined });
      const page = (await pages.next()).value;
      if (!page) return { items: [], nextCursor: null };
      return { items: page.map(toHeader), nextCursor: page.continuationToken ?? null };
    } catch (error) {
      throw mapStorageError(error, "listing transcripts");
    }
  }

  async *scan(owner: string): AsyncIterable<StoredTranscript> {
    await this.ensureReady();
    let iterator;
    try {
      iterator = this.table.listEntities<TranscriptEntity>({
        queryOptions: { filter: odata`PartitionKey eq ${owner}` },
      });
    } catch (error) {
      throw mapStorageError(error, "reading transcripts");
    }
    try {
      for await (const entity of iterator) yield await this.fromEntity(entity);
    } catch (error) {
      throw mapStorageError(error, "reading transcripts");
    }
  }

  async delete(owner: string, id: string): Promise<void> {
    await this.ensureReady();
    const entity = await this.getEntity(owner, id);
    if (!entity) return;
    try {
      await this.table.deleteEntity(owner, id);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404)
        throw mapStorageError(error, "deleting the transcript");
    }
    if (entity.bodyBlob) await this.deleteBlob(entity.bodyBlob);
  }

  private async getEntity(owner: string, id: string): Promise<TableEntityResult<TranscriptEntity> | null> {
    try {
      return await this.table.getEntity<TranscriptEntity>(owner, id);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw mapStorageError(error, "reading the transcript");
    }
  }

  private async toEntity(owner: string, transcript: Omit<StoredTranscript, "etag">) {
    const segments = JSON.stringify(transcript.segments);
    const summary = transcript.summary ?? "";
    const fits = [transcript.text, segments, summary].every((value) => value.length <= INLINE_PROPERTY_LIMIT);
    const entity: TranscriptEntity = {
      partitionKey: owner,
      rowKey: transcript.id,
      recordingId: transcript.recordingId,
      title: transcript.title,
      language: transcript.language,
      durationSec: transcript.durationSec,
      engine: transcript.engine,
      settings: JSON.stringify(transcript.settings),
      createdAt: transcript.createdAt,
      updatedAt: transcript.updatedAt,
      ...(transcript.processingMs !== undefined ? { processingMs: transcript.processingMs } : {}),
      ...(transcript.uncovered?.length
        ? { uncovered: JSON.stringify(transcript.uncovered.slice(0, MAX_UNCOVERED)) }
        : {}),
    };
    if (fits) {
      return {
        entity: { ...entity, text: transcript.text, segments, ...(summary ? { summary } : {}) },
        newBlob: null,
      };
    }
    const name = `${owner}/${transcript.id}/${randomUUID()}.json`;
    const body: Body = {
      text: transcript.text,
      segments: transcript.segments,
      ...(summary ? { summary } : {}),
    };
    const data = Buffer.from(JSON.stringify(body));
    try {
      await this.bodies.getBlockBlobClient(name).upload(data, data.length, {
        blobHTTPHeaders: { blobContentType: "application/json" },
      });
    } catch (error) {
      await this.deleteBlob(name);
      throw mapStorageError(error, "saving the transcript");
    }
    return {
      entity: { ...entity, bodyBlob: name, preview: transcript.text.slice(0, PREVIEW_LENGTH) },
      newBlob: name,
    };
  }

  private async fromEntity(entity: TableEntityResult<TranscriptEntity>): Promise<StoredTranscript> {
    let body: Body;
    if (entity.bodyBlob) {
      try {
        const buffer = await this.bodies.getBlobClient(entity.bodyBlob).downloadToBuffer();
        body = JSON.parse(buffer.toString("utf8")) as Body;
      } catch (error) {
        throw mapStorageError(error, "reading the transcript");
      }
    } else {
      body = {
        text: entity.text ?? "",
        segments: entity.segments ? (JSON.parse(entity.segments) as Segment[]) : [],
        ...(entity.summary ? { summary: entity.summary } : {}),
      };
    }
    return {
      ...toHeader(entity),
      text: body.text,
      segments: body.segments,
      ...(body.summary ? { summary: body.summary } : {}),
      settings: settingsFrom(entity.settings),
      ...(entity.processingMs !== undefined ? { processingMs: entity.processingMs } : {}),
      ...(entity.uncovered ? { uncovered: JSON.parse(entity.uncovered) as UncoveredSpeech[] } : {}),
    };
  }

  private async deleteBlob(name: string): Promise<void> {
    try {
      await this.bodies.deleteBlob(name);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) {
        logger.warn("could not delete a transcript body blob", { blob: name, error: String(error) });
      }
    }
  }
}

/** True for continuation tokens the Table SDK issues (base64 JSON with the next keys). */
function isTableCursor(cursor: string): boolean {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64").toString("latin1")) as {
      nextPartitionKey?: unknown;
    };
    return typeof decoded === "object" && decoded !== null && typeof decoded.nextPartitionKey === "string";
  } catch {
    return false;
  }
}

function toHeader(entity: TableEntityResult<TranscriptEntity>): TranscriptHeader {
  return {
    id: entity.rowKey ?? "",
    recordingId: entity.recordingId,
    title: entity.title,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
    durationSec: Number(entity.durationSec),
    language: entity.language,
    engine: entity.engine,
    etag: entity.etag,
  };
}

/** Settings as stored; older rows also repeated the language, which now lives only on the transcript. */
function settingsFrom(json: string): TranscriptSettings {
  const parsed = JSON.parse(json) as Partial<TranscriptSettings>;
  return transcriptSettings(parsed.diarize === true, parsed.speakers);
}
