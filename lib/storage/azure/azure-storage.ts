import { createBlobService, createTableClient, type StorageTarget } from "@/lib/azure/clients";
import type { Storage } from "../types";
import { BlobLiveAudioStore } from "./blob-live-audio-store";
import { BlobRecordingStore } from "./blob-recording-store";
import { mapStorageError } from "@/lib/azure/storage-errors";
import { TableTranscriptStore } from "./table-transcript-store";

/** Names of the containers and table used. */
export interface StorageNames {
  recordingsContainer: string;
  transcriptsContainer: string;
  transcriptsTable: string;
  liveContainer: string;
}

/**
 * Azure Storage (or Azurite). `flush` makes what was written survive a crash of this process: a
 * no-op on Azure, whose acknowledgements are durable; the embedded emulator's own otherwise.
 */
export async function createAzureStorage(
  target: StorageTarget,
  names: StorageNames,
  options: {
    provider: string;
    flush?: (scope?: "blobs") => Promise<void>;
    onClose?: () => Promise<void>;
  },
): Promise<Storage> {
  const blobService = await createBlobService(target);
  const table = await createTableClient(target, names.transcriptsTable);
  const recordings = new BlobRecordingStore(blobService.getContainerClient(names.recordingsContainer));
  const transcripts = new TableTranscriptStore(
    table,
    blobService.getContainerClient(names.transcriptsContainer),
  );
  const live = new BlobLiveAudioStore(blobService.getContainerClient(names.liveContainer));
  return {
    recordings,
    transcripts,
    live,
    target,
    async flush(scope) {
      await options.flush?.(scope);
    },
    async health() {
      try {
        await blobService.getContainerClient(names.recordingsContainer).exists();
        return { ready: true, provider: options.provider };
      } catch (error) {
        return {
          ready: false,
          provider: options.provider,
          error: mapStorageError(error, "checking storage").message,
        };
      }
    },
    async close() {
      await options.onClose?.();
    },
  };
}
