import type { BlobItem, ContainerClient } from "@azure/storage-blob";
import type { LiveAudioEntry, LiveAudioMetadata, LiveAudioStore } from "../types";
import { createOnce, mapStorageError } from "@/lib/azure/storage-errors";
import { transcriptSettings } from "@/lib/domain/transcript";
import { createId } from "@/lib/util/ids";
import { speakerCount } from "./blob-recording-store";

/** Live sessions' audio as append blobs `<owner>/<id>.pcm` in their own container. */
export class BlobLiveAudioStore implements LiveAudioStore {
  private readonly ensureContainer = createOnce(() => this.container.createIfNotExists(), "opening storage");

  constructor(private readonly container: ContainerClient) {}

  async create(owner: string, metadata: LiveAudioMetadata): Promise<void> {
    await this.ensureContainer();
    try {
      await this.blob(owner, metadata.id).create({
        metadata: toBlobMetadata(metadata),
        blobHTTPHeaders: { blobContentType: "audio/L16; rate=16000; channels=1" },
      });
    } catch (error) {
      throw mapStorageError(error, "starting the live recording");
    }
  }

  async append(owner: string, id: string, bytes: Buffer, at: number): Promise<void> {
    const blob = this.blob(owner, id);
    try {
      await blob.appendBlock(bytes, bytes.length, { conditions: { appendPosition: at } });
    } catch (error) {
      // A retry of an append whose answer was lost finds its bytes already there.
      if ((error as { statusCode?: number }).statusCode === 412) {
        const size = await blob
          .getProperties()
          .then((properties) => properties.contentLength ?? -1)
          .catch(() => -1);
        if (size === at + bytes.length) return;
      }
      throw mapStorageError(error, "keeping the live audio");
    }
  }

  async get(owner: string, id: string): Promise<LiveAudioEntry | null> {
    await this.ensureContainer();
    try {
      for await (const item of this.container.listBlobsFlat({
        prefix: `${owner}/${id}.pcm`,
        includeMetadata: true,
      })) {
        return fromBlobItem(item);
      }
      return null;
    } catch (error) {
      throw mapStorageError(error, "reading the live audio");
    }
  }

  async list(): Promise<LiveAudioEntry[]> {
    await this.ensureContainer();
    try {
      const entries: LiveAudioEntry[] = [];
      for await (const item of this.container.listBlobsFlat({ includeMetadata: true })) {
        const entry = fromBlobItem(item);
        if (entry) entries.push(entry);
      }
      return entries;
    } catch (error) {
      throw mapStorageError(error, "listing live recordings");
    }
  }

  async downloadToFile(owner: string, id: string, targetPath: string): Promise<void> {
    try {
      await this.blob(owner, id).downloadToFile(targetPath);
    } catch (error) {
      throw mapStorageError(error, "reading the live audio");
    }
  }

  async delete(owner: string, id: string): Promise<void> {
    await this.ensureContainer();
    try {
      await this.blob(owner, id).deleteIfExists();
    } catch (error) {
      throw mapStorageError(error, "deleting the live audio");
    }
  }

  private blob(owner: string, id: string) {
    return this.container.getAppendBlobClient(`${owner}/${id}.pcm`);
  }
}

function toBlobMetadata(metadata: LiveAudioMetadata): Record<string, string> {
  return {
    name: encodeURIComponent(metadata.name),
    transcriptionid: metadata.transcriptionId,
    createdat: metadata.createdAt,
    language: metadata.language,
    diarize: String(metadata.diarize),
    ...(metadata.speakers !== undefined ? { speakers: String(metadata.speakers) } : {}),
  };
}

function fromBlobItem(item: BlobItem): LiveAudioEntry | null {
  const match = /^([^/]+)\/([^/]+)\.pcm$/.exec(item.name);
  if (!match) return null;
  const meta = item.metadata ?? {};
  const [, owner = "", id = ""] = match;
  return {
    owner,
    metadata: {
      id,
      transcriptionId: meta.transcriptionid ?? createId(),
      name: meta.name ? decodeURIComponent(meta.name) : `${id}.wav`,
      createdAt: meta.createdat ?? item.properties.createdOn?.toISOString() ?? new Date().toISOString(),
      language: meta.language ?? "auto",
      ...transcriptSettings(meta.diarize === "true", speakerCount(meta.speakers)),
    },
    sizeBytes: item.properties.contentLength ?? 0,
    lastWriteAt: item.properties.lastModified ?? new Date(0),
  };
}
