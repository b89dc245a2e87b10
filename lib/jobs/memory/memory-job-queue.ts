import { toAppError } from "@/lib/domain/errors";
import { logger } from "@/lib/log";
import { TaskQueue } from "@/lib/util/serial-queue";
import type { JobQueue, JobWork, TranscriptionJob } from "../types";

const FINISHED_RETENTION_MS = 6 * 60 * 60 * 1000;

/** Jobs kept in this process's memory and run in it, `concurrency` at a time. */
export class MemoryJobQueue implements JobQueue {
  private readonly jobs = new Map<string, TranscriptionJob>();
  private readonly runner: TaskQueue;

  constructor(concurrency: number) {
    this.runner = new TaskQueue(concurrency);
  }

  async enqueue(job: TranscriptionJob, work: JobWork): Promise<void> {
    this.prune();
    this.jobs.set(job.id, { ...job, status: "queued", progress: 0 });
    void this.runner.run(() => this.execute(job.id, work));
  }

  async get(id: string): Promise<TranscriptionJob | null> {
    const job = this.jobs.get(id);
    return job ? structuredClone(job) : null;
  }

  async active(): Promise<TranscriptionJob[]> {
    return [...this.jobs.values()].filter((job) => job.status === "queued" || job.status === "running");
  }

  private async execute(id: string, work: JobWork): Promise<void> {
    const controller = new AbortController();
    this.update(id, { status: "running", progress: 0 });
    const started = Date.now();
    try {
      const job = this.jobs.get(id);
      if (!job) return;
      const transcript = await work(structuredClone(job), {
        signal: controller.signal,
        reportProgress: (fraction) => this.update(id, { progress: clamp(fraction) }),
      });
      this.update(id, { status: "succeeded", progress: 1, transcript });
      logger.info("transcription finished", { jobId: id, ms: Date.now() - started });
    } catch (error) {
      const appError = toAppError(error);
      this.update(id, { status: "failed", error: { code: appError.code, message: appError.message } });
      logger.warn("transcription failed", {
        jobId: id,
        code: appError.code,
        cause: String(appError.cause ?? ""),
      });
    }
  }

  private update(id: string, patch: Partial<TranscriptionJob>): void {
    const job = this.jobs.get(id);
    if (job) this.jobs.set(id, { ...job, ...patch, updatedAt: new Date().toISOString() });
  }

  private prune(): void {
    const cutoff = Date.now() - FINISHED_RETENTION_MS;
    for (const [id, job] of this.jobs) {
      const finished = job.status === "succeeded" || job.status === "failed";
      if (finished && Date.parse(job.updatedAt) < cutoff) this.jobs.delete(id);
    }
  }
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
}
