import type { BlobItem, ContainerClient } from "@azure/storage-blob";
import { Readable } from "node:stream";
import type { Page, RecordingDownload, RecordingMetadata, RecordingStore } from "../types";
import { createOnce, mapStorageError } from "@/lib/azure/storage-errors";

const BLOCK_SIZE = 8 * 1024 * 1024;

/** Recordings as block blobs `<owner>/<recordingId>/<name>` with their metadata, in one container. */
export class BlobRecordingStore implements RecordingStore {
  private readonly ensureContainer = createOnce(() => this.container.createIfNotExists(), "opening storage");

  constructor(private readonly container: ContainerClient) {}

  async uploadFile(owner: string, metadata: RecordingMetadata, sourcePath: string): Promise<void> {
    await this.ensureContainer();
    const blob = this.container.getBlockBlobClient(`${owner}/${metadata.id}/${metadata.name}`);
    try {
      await blob.uploadFile(sourcePath, {
        blockSize: BLOCK_SIZE,
        concurrency: 4,
        blobHTTPHeaders: { blobContentType: metadata.contentType },
        metadata: toBlobMetadata(metadata),
      });
    } catch (error) {
      await blob.deleteIfExists().catch(() => retryCleanup(blob));
      throw mapStorageError(error, "storing the recording");
    }
  }

  async updateMetadata(owner: string, id: string, patch: Partial<Omit<RecordingMetadata, "id" | "name">>) {
    const item = await this.find(owner, id);
    if (!item) throw mapStorageError({ statusCode: 404 }, "updating the recording");
    const current = fromBlobItem(item);
    try {
      await this.container.getBlobClient(item.name).setMetadata(toBlobMetadata({ ...current, ...patch }));
    } catch (error) {
      throw mapStorageError(error, "updating the recording");
    }
  }

  async get(owner: string, id: string): Promise<RecordingMetadata | null> {
    const item = await this.find(owner, id);
    return item ? fromBlobItem(item) : null;
  }

  async list(
    owner: string,
    options: { cursor?: string | null; limit: number },
  ): Promise<Page<RecordingMetadata>> {
    await this.ensureContainer();
    try {
      const pages = this.container
        .listBlobsFlat({ prefix: `${owner}/`, includeMetadata: true })
        .byPage({ maxPageSize: options.limit, continuationToken: options.cursor ?? undefined });
      const page = (await pages.next()).value;
      if (!page) return { items: [], nextCursor: null };
      return {
        items: page.segment.blobItems.map(fromBlobItem),
        nextCursor: page.continuationToken || null,
      };
    } catch (error) {
      throw mapStorageError(error, "listing recordings");
    }
  }

  async download(
    owner: string,
    id: string,
    range?: { start: number; end?: number },
  ): Promise<RecordingDownload | null> {
    const item = await this.find(owner, id);
    if (!item) return null;
    const totalBytes = item.properties.contentLength ?? 0;
    const contentType = item.properties.contentType ?? "application/octet-stream";
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? totalBytes - 1, totalBytes - 1);
    try {
      const response = await this.container
        .getBlobClient(item.name)
        .download(start, totalBytes === 0 ? undefined : end - start + 1);
      const body = response.readableStreamBody;
      const stream = body ? Readable.from(body as AsyncIterable<Buffer>) : Readable.from([]);
      return { stream, contentType, totalBytes, ...(range ? { range: { start, end } } : {}) };
    } catch (error) {
      throw mapStorageError(error, "reading the recording");
    }
  }

  async downloadToFile(owner: string, id: string, targetPath: string): Promise<void> {
    const item = await this.find(owner, id);
    if (!item) throw mapStorageError({ statusCode: 404 }, "reading the recording");
    try {
      await this.container.getBlobClient(item.name).downloadToFile(targetPath);
    } catch (error) {
      throw mapStorageError(error, "reading the recording");
    }
  }

  async delete(owner: string, id: string): Promise<void> {
    await this.ensureContainer();
    try {
      for await (const item of this.container.listBlobsFlat({ prefix: `${owner}/${id}/` })) {
        await this.container.deleteBlob(item.name, { deleteSnapshots: "include" }).catch((error: unknown) => {
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        });
      }
    } catch (error) {
      throw mapStorageError(error, "deleting the recording");
    }
  }

  private async find(owner: string, id: string): Promise<BlobItem | null> {
    await this.ensureContainer();
    try {
      for await (const item of this.container.listBlobsFlat({
        prefix: `${owner}/${id}/`,
        includeMetadata: true,
      })) {
        return item;
      }
      return null;
    } catch (error) {
      throw mapStorageError(error, "reading the recording");
    }
  }
}

const CLEANUP_INTERVAL_MS = 2_000;
const CLEANUP_ATTEMPTS = 300;

/**
 * The upload may have landed even though its answer was lost; while storage is down the first
 * delete fails too. Keep trying in the background (about ten minutes) so no orphan stays.
 */
function retryCleanup(blob: { deleteIfExists(): Promise<unknown> }, attempt = 1): void {
  if (attempt > CLEANUP_ATTEMPTS) return;
  const timer = setTimeout(() => {
    blob.deleteIfExists().catch(() => retryCleanup(blob, attempt + 1));
  }, CLEANUP_INTERVAL_MS);
  timer.unref();
}

function toBlobMetadata(metadata: Omit<RecordingMetadata, "id">): Record<string, string> {
  const out: Record<string, string> = {
    name: encodeURIComponent(metadata.name),
    createdat: metadata.createdAt,
    sizebytes: String(metadata.sizeBytes),
    contenttype: metadata.contentType,
    language: metadata.language,
  };
  if (metadata.durationSec !== null) out.durationsec = String(metadata.durationSec);
  if (metadata.transcriptionId) out.transcriptionid = metadata.transcriptionId;
  if (metadata.diarize !== undefined) out.diarize = String(metadata.diarize);
  if (metadata.speakers !== undefined) out.speakers = String(metadata.speakers);
  if (metadata.transcriptionError) out.transcriptionerror = metadata.transcriptionError;
  if (metadata.source) out.source = metadata.source;
  return out;
}

function fromBlobItem(item: BlobItem): RecordingMetadata {
  const meta = item.metadata ?? {};
  const [, id = "", ...nameParts] = item.name.split("/");
  const duration = meta.durationsec === undefined ? null : Number(meta.durationsec);
  const speakers = speakerCount(meta.speakers);
  return {
    id,
    name: meta.name ? safeDecode(meta.name) : nameParts.join("/"),
    createdAt: meta.createdat ?? item.properties.createdOn?.toISOString() ?? "",
    durationSec: duration !== null && Number.isFinite(duration) ? duration : null,
    sizeBytes: item.properties.contentLength ?? Number(meta.sizebytes ?? 0),
    contentType: meta.contenttype ?? item.properties.contentType ?? "application/octet-stream",
    language: meta.language ?? "",
    transcriptionId: meta.transcriptionid ?? null,
    ...(meta.diarize !== undefined ? { diarize: meta.diarize === "true" } : {}),
    ...(speakers !== undefined ? { speakers } : {}),
    ...(meta.transcriptionerror ? { transcriptionError: meta.transcriptionerror } : {}),
    ...(meta.source === "live" ? { source: "live" as const } : {}),
  };
}

/** A stored speaker count, or undefined when absent or not a count (metadata edited by hand). */
export function speakerCount(value: string | undefined): number | undefined {
  const count = Number(value);
  return value !== undefined && Number.isInteger(count) && count >= 1 ? count : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
