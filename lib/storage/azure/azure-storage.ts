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

/** How to reach the account: a connection string (keys or SAS, Azurite) or Entra ID by account name. */
export type StorageTarget = string | { accountName: string };

const blobRetry = { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000, tryTimeoutInMs: 120_000 };
const tableRetry = { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 };

/**
 * Azure Storage (or Azurite). Retries are few and short so that an unreachable account fails a
 * request in seconds with a clear 503 rather than hanging.
 */
export async function createAzureStorage(
  target: StorageTarget,
  names: StorageNames,
  options: { provider: string; onClose?: () => Promise<void> },
): Promise<Storage> {
  let blobService: BlobServiceClient;
  let table: TableClient;
  if (typeof target === "string") {
    blobService = BlobServiceClient.fromConnectionString(target, { retryOptions: blobRetry });
    table = TableClient.fromConnectionString(target, names.transcriptsTable, {
      allowInsecureConnection: /DefaultEndpointsProtocol=http;|Endpoint=http:/.test(target),
      retryOptions: tableRetry,
    });
  } else {
    const { DefaultAzureCredential } = await import("@azure/identity");
    const credential = new DefaultAzureCredential();
    blobService = new BlobServiceClient(`https://${target.accountName}.blob.core.windows.net`, credential, {
      retryOptions: blobRetry,
    });
    table = new TableClient(
      `https://${target.accountName}.table.core.windows.net`,
      names.transcriptsTable,
      credential,
      {
        retryOptions: tableRetry,
      },
    );
  }
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
