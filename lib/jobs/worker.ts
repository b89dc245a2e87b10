import { AppError, isLastingFailure, toAppError } from "@/lib/domain/errors";
import type { Segment } from "@/lib/domain/transcript";
import { logger } from "@/lib/log";
import { FINAL_STATUSES, type JobRecord, type JobStage, type Jobs, type ReceivedMessage } from "./types";

/** What a running job reports; written to its record at the next heartbeat. */
export interface JobReport {
  stage?: JobStage;
  progress?: number;
  durationSec?: number;
  segmentsSoFar?: Segment[];
}

/** Handed to the work of one job. */
export interface JobRunContext {
  /** Aborted when the job is cancelled, taken over by another worker, or the worker stops. */
  signal: AbortSignal;
  report(update: JobReport): void;
}

/**
 * The work of one job: resolves once its result is stored (that makes the job done), rejects with
 * an `AppError`. Errors with a 4xx status (but `rate_limited`) and `engine_rejected` fail the job at
 * once; others are tried again.
 */
export type JobHandler = (record: JobRecord, context: JobRunContext) => Promise<void>;

/** How a worker runs. */
export interface WorkerOptions {
  jobs: Jobs;
  /** Unique among the workers sharing the storage (host, process, start). */
  workerId: string;
  concurrency: number;
  visibilitySec: number;
  maxAttempts: number;
  handle: JobHandler;
  /** Wait after an empty poll of the queue. */
  idleMs?: number;
  /** How often progress is written and cancellation looked for. */
  heartbeatMs?: number;
  /** Wait before the 1st, 2nd, … retry of a failed attempt (whole seconds, as the queue takes them). */
  retryDelaysSec?: number[];
}

/** A running worker loop. */
export interface Worker {
  readonly id: string;
  /** Looks at the queue now rather than after the idle wait (a job was just queued here). */
  wake(): void;
  /** What a job this worker runs has reported so far (fresher than its record), or null. */
  /**
   * A job this worker runs, as its record will read after the next heartbeat (its latest reports
   * merged in), or null: a poll of a job running here needs no storage read.
   */
  snapshot(owner: string, id: string): JobRecord | null;
  /** Stops the job at once if this worker runs it; true when it did. */
  cancel(owner: string, id: string): boolean;
  /** Stops taking work; running jobs are handed back to the queue (not counted as attempts). */
  stop(): Promise<void>;
}

type StopReason = "cancelled" | "lost" | "shutdown";

/** How often the segments decoded so far are written to a running job's record. */
const SEGMENTS_EVERY_MS = 3_000;

interface RunningJob {
  controller: AbortController;
  /** Everything reported so far, merged. */
  latest: JobReport;
  /** The record as last written by this worker. */
  record: JobRecord;
  reason: StopReason | null;
  message: ReceivedMessage;
}

/**
 * Takes job messages from the queue and runs them, `concurrency` at a time. The record decides:
 * a worker claims a job by a conditional update (attempts + 1, its id, a lease), renews the lease
 * and the message's hiding while it works, and deletes the message only once the job is final.
 * A message for a job that is final or held by a live worker is dropped or hidden again, so a
 * duplicate never runs a job twice; a message whose worker died reappears and the job is claimed
 * again, up to `maxAttempts` attempts.
 */
export function startWorker(options: WorkerOptions): Worker {
  const { jobs, workerId, concurrency, visibilitySec, maxAttempts, handle } = options;
  const idleMs = options.idleMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const retryDelaysSec = options.retryDelaysSec ?? [2, 10, 30];
  const running = new Map<string, RunningJob>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  /** Messages taken whose job is not yet claimed or dropped. */
  let pendingClaims = 0;
  let wakeUp: (() => void) | null = null;

  const key = (owner: string, id: string) => `${owner}/${id}`;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      // An idle worker alone does not keep the process alive (the server or the worker script does).
      const timer = setTimeout(done, ms).unref();
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  async function loop(): Promise<void> {
    while (!stopped) {
      if (running.size + pendingClaims >= concurrency) {
        await pause(idleMs);
        continue;
      }
      let message: ReceivedMessage | null = null;
      try {
        message = await jobs.queue.receive(visibilitySec);
      } catch (error) {
        logger.warn("job queue not readable", { workerId, error: toAppError(error).message });
        await pause(idleMs * 3);
        continue;
      }
      if (stopped) {
        if (message) await jobs.queue.extend(message, 0).catch(() => undefined);
        break;
      }
      if (!message) {
        await pause(idleMs);
        continue;
      }
      pendingClaims++;
      const task = consider(message)
        .catch((error: unknown) =>
          logger.warn("job message not handled", { workerId, error: toAppError(error).message }),
        )
        .finally(() => {
          inFlight.delete(task);
          wakeUp?.();
        });
      inFlight.add(task);
    }
  }

  /** Decides what a message means: drop it, wait for the worker holding its job, or run the job. */
  async function consider(message: ReceivedMessage): Promise<void> {
    let claimed: JobRecord | null = null;
    try {
      claimed = await claim(message);
    } finally {
      pendingClaims--;
    }
    if (claimed) await run(claimed, message);
  }

  async function claim(message: ReceivedMessage): Promise<JobRecord | null> {
    const { owner, id } = message.job;
    if (!owner || !id) {
      await jobs.queue.delete(message);
      return null;
    }
    const mine = running.get(key(owner, id));
    if (mine) {
      // Our own job's message came back (a renewal failed): hold it under its new receipt.
      mine.message = message;
      return null;
    }
    const record = await jobs.records.get(owner, id);
    if (!record || FINAL_STATUSES.has(record.status)) {
      await jobs.queue.delete(message);
      return null;
    }
    const now = Date.now();
    if (record.status === "running" && record.leaseUntil && Date.parse(record.leaseUntil) > now) {
      // Another worker holds the job: look again when its hold would run out.
      const waitSec = Math.ceil((Date.parse(record.leaseUntil) - now) / 1000) + 1;
      await jobs.queue.extend(message, Math.min(waitSec, visibilitySec)).catch(() => undefined);
      return null;
    }
    if (record.attempts >= maxAttempts) {
      await finish(record, {
        status: "failed",
        error: record.error ?? {
          code: "internal",
          message: `The transcription stopped ${record.attempts} times before it finished. The recording is kept; retry it later.`,
        },
      });
      await jobs.queue.delete(message);
      logger.warn("job failed for good", { jobId: id, attempts: record.attempts });
      return null;
    }
    const at = new Date(now).toISOString();
    try {
      return await jobs.records.update({
        ...record,
        status: "running",
        stage: "decoding",
        progress: 0,
        attempts: record.attempts + 1,
        workerId,
        leaseUntil: new Date(now + visibilitySec * 1000).toISOString(),
        startedAt: at,
        updatedAt: at,
        segmentsSoFar: undefined,
        finishedAt: undefined,
      });
    } catch (error) {
      // Someone changed the record first (another worker, a cancel): its handler goes on.
      if (error instanceof AppError && (error.code === "precondition_failed" || error.code === "not_found")) {
        return null;
      }
      throw error;
    }
  }

  async function run(claimed: JobRecord, message: ReceivedMessage): Promise<void> {
    const jobKey = key(claimed.owner, claimed.id);
    const job: RunningJob = {
      controller: new AbortController(),
      latest: {},
      record: claimed,
      reason: null,
      message,
    };
    running.set(jobKey, job);
    let record = claimed;
    let pending: JobReport = {};
    let lastRenewal = Date.now();
    let lastSegments = 0;
    let beating = true;

    const stopWith = (reason: StopReason) => {
      job.reason ??= reason;
      job.controller.abort(new AppError("conflict", `The job was ${reason}.`));
    };

    async function beat(): Promise<void> {
      const now = Date.now();
      const renew = now - lastRenewal >= (visibilitySec * 1000) / 3;
      // The text so far is the bulk of a record: it is written less often than progress.
      const { segmentsSoFar, ...small } = pending;
      const segmentsDue = segmentsSoFar !== undefined && now - lastSegments >= SEGMENTS_EVERY_MS;
      const news: JobReport = segmentsDue ? pending : small;
      const hasNews = Object.keys(news).length > 0;
      try {
        if (hasNews || renew) {
          pending = segmentsDue || segmentsSoFar === undefined ? {} : { segmentsSoFar };
          if (segmentsDue) lastSegments = now;
          try {
            record = job.record = await jobs.records.update({
              ...record,
              ...news,
              leaseUntil: new Date(now + visibilitySec * 1000).toISOString(),
              updatedAt: new Date(now).toISOString(),
            });
          } catch (error) {
            pending = { ...news, ...pending };
            throw error;
          }
        } else {
          const fresh = await jobs.records.get(record.owner, record.id);
          if (!fresh || fresh.status === "cancelled") stopWith("cancelled");
          else if (fresh.workerId !== workerId) stopWith("lost");
        }
        if (renew) {
          lastRenewal = now;
          job.message = await jobs.queue.extend(job.message, visibilitySec).catch(() => job.message);
        }
      } catch (error) {
        if (
          error instanceof AppError &&
          (error.code === "precondition_failed" || error.code === "not_found")
        ) {
          const fresh = await jobs.records.get(record.owner, record.id).catch(() => undefined);
          if (fresh === undefined) return;
          if (!fresh || fresh.status === "cancelled") stopWith("cancelled");
          else if (fresh.workerId !== workerId || fresh.status !== "running") stopWith("lost");
          else record = job.record = fresh;
        }
        // Storage that does not answer: the news waits for the next beat.
      }
    }

    let beatDone: Promise<void> = Promise.resolve();
    const schedule = () => {
      if (!beating) return;
      timer = setTimeout(() => {
        beatDone = beat().finally(schedule);
      }, heartbeatMs);
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    schedule();
    const stopBeating = async () => {
      beating = false;
      clearTimeout(timer);
      await beatDone;
    };

    try {
      await handle(structuredClone(claimed), {
        signal: job.controller.signal,
        report: (update) => {
          Object.assign(pending, update);
          Object.assign(job.latest, update);
        },
      });
      await stopBeating();
      // Reports since the last heartbeat (a short job may have had none) go in with the end.
      await finish({ ...record, ...pending }, { status: "succeeded", progress: 1 }, true);
      await jobs.queue.delete(job.message);
    } catch (error) {
      // The work has stopped: the job no longer counts as running here while its end is written.
      running.delete(jobKey);
      await stopBeating();
      await settleFailure({ ...record, ...pending }, job, error);
    } finally {
      running.delete(jobKey);
    }
  }

  async function settleFailure(record: JobRecord, job: RunningJob, error: unknown): Promise<void> {
    const reason = job.reason;
    if (reason === "cancelled") {
      // Usually the record says so already; a cancel that stopped the job here first says it now.
      await finish(record, { status: "cancelled" });
      await jobs.queue.delete(job.message);
      return;
    }
    if (reason === "lost") return;
    if (reason === "shutdown") {
      // Not the job's fault: hand it back as it was, for this or another worker to take at once.
      await finish(record, { status: "queued", progress: 0, attempts: Math.max(0, record.attempts - 1) });
      await jobs.queue.extend(job.message, 0).catch(() => undefined);
      return;
    }
    const appError = toAppError(error);
    const lasting = isLastingFailure(appError);
    const failure = { code: appError.code, message: appError.message };
    logger.warn("transcription attempt failed", {
      jobId: record.id,
      attempt: record.attempts,
      code: appError.code,
      cause: String(appError.cause ?? ""),
    });
    if (lasting || record.attempts >= maxAttempts) {
      await finish(record, { status: "failed", error: failure });
      await jobs.queue.delete(job.message);
      return;
    }
    await finish(record, { status: "queued", progress: 0, error: failure });
    const backoff = retryDelaysSec[Math.min(record.attempts, retryDelaysSec.length) - 1] ?? 0;
    await jobs.queue.extend(job.message, backoff).catch(() => undefined);
  }

  /**
   * Writes a job's new status. A concurrent change wins unless this worker still holds the job, or
   * `evenIfChanged` (the transcript is stored: the job succeeded whatever happened meanwhile).
   */
  async function finish(
    record: JobRecord,
    patch: Partial<JobRecord> & { status: JobRecord["status"] },
    evenIfChanged = false,
  ): Promise<void> {
    const at = new Date().toISOString();
    const final = FINAL_STATUSES.has(patch.status);
    let current = record;
    for (let tries = 0; tries < 5; tries++) {
      try {
        await jobs.records.update({
          ...current,
          ...patch,
          stage: final ? "done" : "queued",
          updatedAt: at,
          finishedAt: final ? at : undefined,
          workerId: undefined,
          leaseUntil: undefined,
          segmentsSoFar: undefined,
          ...(patch.status === "succeeded" ? { error: undefined } : {}),
        });
        return;
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "precondition_failed") throw error;
        const fresh = await jobs.records.get(record.owner, record.id);
        if (!fresh) return;
        const stillMine = fresh.status === "running" && fresh.workerId === workerId;
        if (!stillMine && !evenIfChanged) return;
        current = fresh;
      }
    }
  }

  const looping = loop();
  return {
    id: workerId,
    wake() {
      wakeUp?.();
    },
    snapshot(owner, id) {
      const job = running.get(key(owner, id));
      return job ? { ...job.record, ...job.latest } : null;
    },
    cancel(owner, id) {
      const job = running.get(key(owner, id));
      if (!job) return false;
      job.reason ??= "cancelled";
      job.controller.abort(new AppError("conflict", "The job was cancelled."));
      return true;
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      for (const job of running.values()) {
        job.reason ??= "shutdown";
        job.controller.abort(new AppError("conflict", "The worker is stopping."));
      }
      await looping;
      await Promise.allSettled([...inFlight]);
    },
  };
}
