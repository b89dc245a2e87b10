import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import type { Storage } from "../types";
import { BlobRecordingStore } from "./blob-recording-store";
import { mapStorageError } from "./storage-errors";
import { TableTranscriptStore } from "./table-transcript-store";

/** Names of the containers and table used. */
export interface StorageNames {
  recordingsContainer: string;
  transcriptsContainer: string;
  transcriptsTable: string;
}

/**
 * Azure Storage (or Azurite) from a connection string. Retries are few and short so that an
 * unreachable account fails a request in seconds with a clear 503 rather than hanging.
 */
export function createAzureStorage(
  connectionString: string,
  names: StorageNames,
  options: { provider: string; onClose?: () => Promise<void> },
): Storage {
  const blobService = BlobServiceClient.fromConnectionString(connectionString, {
    retryOptions: { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000, tryTimeoutInMs: 120_000 },
  });
  const table = TableClient.fromConnectionString(connectionString, names.transcriptsTable, {
    allowInsecureConnection:
      connectionString.includes("DefaultEndpointsProtocol=http;") || /Endpoint=http:/.test(connectionString),
    retryOptions: { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 },
  });
  const recordings = new BlobRecordingStore(blobService.getContainerClient(names.recordingsContainer));
  const transcripts = new TableTranscriptStore(
    table,
    blobService.getContainerClient(names.transcriptsContainer),
  );
  return {
    recordings,
    transcripts,
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
