import { TableClient } from "@azure/data-tables";
import { type QueueClient, QueueServiceClient } from "@azure/storage-queue";
import { BlobServiceClient } from "@azure/storage-blob";

/** How to reach a storage account: a connection string (keys or SAS, Azurite) or Entra ID by account name. */
export type StorageTarget = string | { accountName: string };

const blobRetry = { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000, tryTimeoutInMs: 120_000 };
const tableRetry = { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 };
const queueRetry = { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000, tryTimeoutInMs: 30_000 };

// Retries are few and short so that an unreachable account fails a request in seconds with a
// clear 503 rather than hanging.

async function entraCredential() {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential();
}

/** The Blob service of the account. */
export async function createBlobService(target: StorageTarget): Promise<BlobServiceClient> {
  if (typeof target === "string") {
    return BlobServiceClient.fromConnectionString(target, { retryOptions: blobRetry });
  }
  return new BlobServiceClient(
    `https://${target.accountName}.blob.core.windows.net`,
    await entraCredential(),
    {
      retryOptions: blobRetry,
    },
  );
}

/** One table of the account. */
export async function createTableClient(target: StorageTarget, table: string): Promise<TableClient> {
  if (typeof target === "string") {
    return TableClient.fromConnectionString(target, table, {
      allowInsecureConnection: /DefaultEndpointsProtocol=http;|Endpoint=http:/.test(target),
      retryOptions: tableRetry,
    });
  }
  return new TableClient(
    `https://${target.accountName}.table.core.windows.net`,
    table,
    await entraCredential(),
    {
      retryOptions: tableRetry,
    },
  );
}

/** One queue of the account. */
export async function createQueueClient(target: StorageTarget, queue: string): Promise<QueueClient> {
  if (typeof target === "string") {
    return QueueServiceClient.fromConnectionString(target, { retryOptions: queueRetry }).getQueueClient(
      queue,
    );
  }
  return new QueueServiceClient(
    `https://${target.accountName}.queue.core.windows.net`,
    await entraCredential(),
    {
      retryOptions: queueRetry,
    },
  ).getQueueClient(queue);
}
