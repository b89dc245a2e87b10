import type { JobsConfig } from "@/lib/config";
import { MemoryJobQueue } from "./memory/memory-job-queue";
import type { JobQueue } from "./types";

export type * from "./types";

/** Builds the job queue for this configuration. */
export function createJobQueue(config: JobsConfig): JobQueue {
  return new MemoryJobQueue(config.concurrency);
}
