import { createQueueClient, createTableClient, type StorageTarget } from "@/lib/azure/clients";
import type { JobsConfig } from "@/lib/config";
import { StorageWorkQueue } from "./azure/storage-work-queue";
import { TableJobStore } from "./azure/table-job-store";
import { createMemoryJobs } from "./memory/memory-jobs";
import type { Jobs } from "./types";

export type * from "./types";
export { FINAL_STATUSES } from "./types";

/**
 * The job records and queue: a table and a queue on the storage account (Azurite or Azure), or
 * memory doubles when storage itself is in memory (tests).
 */
export async function createJobs(config: JobsConfig, target: StorageTarget | null): Promise<Jobs> {
  if (target === null) return createMemoryJobs();
  const [table, queue] = await Promise.all([
    createTableClient(target, config.table),
    createQueueClient(target, config.queue),
  ]);
  return { records: new TableJobStore(table), queue: new StorageWorkQueue(queue) };
}
