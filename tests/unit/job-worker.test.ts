// The worker loop against the memory doubles of the job table and queue (same visibility and
// ETag rules as Azure's): each job done once, retries, poison, cancel, a hold held elsewhere,
// shutdown.
import { AppError } from "@/lib/domain/errors";
import { createMemoryJobs } from "@/lib/jobs/memory/memory-jobs";
import type { JobRecord, Jobs } from "@/lib/jobs/types";
import { startWorker, type JobHandler, type Worker } from "@/lib/jobs/worker";

const owner = "tester";
let jobs: Jobs;
const workers: Worker[] = [];

beforeEach(() => {
  jobs = createMemoryJobs();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

function start(
  handle: JobHandler,
  options: { id?: string; visibilitySec?: number; concurrency?: number } = {},
) {
  const worker = startWorker({
    jobs,
    workerId: options.id ?? `worker-${workers.length + 1}`,
    concurrency: options.concurrency ?? 1,
    visibilitySec: options.visibilitySec ?? 2,
    maxAttempts: 3,
    handle,
    idleMs: 10,
    heartbeatMs: 40,
    retryDelaysSec: [0],
  });
  workers.push(worker);
  return worker;
}

async function queue(id: string, patch: Partial<JobRecord> = {}): Promise<void> {
  const now = new Date().toISOString();
  await jobs.records.create({
    id,
    owner,
    recordingId: `rec-${id}`,
    title: id,
    language: "en-US",
    settings: { diarize: false },
    status: "queued",
    stage: "queued",
    progress: 0,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
    ...patch,
  });
  await jobs.queue.send({ owner, id });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const record = (id: string) => jobs.records.get(owner, id);
const settled = (value: JobRecord | null) =>
  value !== null && ["succeeded", "failed", "cancelled"].includes(value.status);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the job worker", () => {
  it("runs a job once, reports progress on its record, and deletes its message", async () => {
    const seen: number[] = [];
    start(async (job, { report }) => {
      report({ stage: "transcribing", progress: 0.5, segmentsSoFar: [{ start: 0, end: 1, text: "Hello" }] });
      seen.push((await record(job.id))!.attempts);
      await sleep(150);
      const midway = await record(job.id);
      expect(midway).toMatchObject({ stage: "transcribing", progress: 0.5, status: "running" });
      expect(midway!.segmentsSoFar).toEqual([{ start: 0, end: 1, text: "Hello" }]);
    });
    await queue("a");
    const done = await until(() => record("a"), settled);
    expect(done).toMatchObject({ status: "succeeded", stage: "done", progress: 1, attempts: 1 });
    expect(done!.workerId).toBeUndefined();
    expect(done!.segmentsSoFar).toBeUndefined();
    expect(done!.finishedAt).toBeDefined();
    expect(seen).toEqual([1]);
    expect(await jobs.queue.length()).toBe(0);
  });

  it("never runs a job twice for a duplicate message, nor two workers one job", async () => {
    const runs = new Map<string, number>();
    const handle: JobHandler = async (job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await sleep(20 + Math.random() * 40);
    };
    start(handle, { id: "one", concurrency: 2 });
    start(handle, { id: "two", concurrency: 2 });
    const ids = Array.from({ length: 10 }, (_, index) => `job-${index}`);
    for (const id of ids) await queue(id);
    // Duplicates of some messages, as an at-least-once queue may deliver.
    for (const id of ids.slice(0, 4)) await jobs.queue.send({ owner, id });
    await until(
      async () => Promise.all(ids.map(record)),
      (records) => records.every(settled),
    );
    await until(
      () => jobs.queue.length(),
      (length) => length === 0,
    );
    expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
    for (const id of ids) expect(await record(id)).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("tries a failing job again, then fails it for good after 3 attempts with the last error", async () => {
    let calls = 0;
    start(
      async () => {
        calls++;
        throw new AppError("storage_unavailable", `Storage is not reachable (attempt ${calls}).`);
      },
      { visibilitySec: 1 },
    );
    await queue("flaky");
    const failed = await until(() => record("flaky"), settled, 20_000);
    expect(failed).toMatchObject({
      status: "failed",
      attempts: 3,
      error: { code: "storage_unavailable", message: "Storage is not reachable (attempt 3)." },
    });
    expect(calls).toBe(3);
    expect(await jobs.queue.length()).toBe(0);
  });

  it("fails a job at once on an error a retry cannot fix", async () => {
    let calls = 0;
    start(async () => {
      calls++;
      throw new AppError("undecodable_audio", "This file holds no audio that can be decoded.");
    });
    await queue("broken");
    expect(await until(() => record("broken"), settled)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "undecodable_audio" },
    });
    expect(calls).toBe(1);
  });

  it("takes over a job whose worker died, and poisons one that keeps dying", async () => {
    const expired = new Date(Date.now() - 1_000).toISOString();
    const crashed = {
      status: "running" as const,
      stage: "transcribing" as const,
      workerId: "gone",
      leaseUntil: expired,
    };
    await queue("orphan", { ...crashed, attempts: 1 });
    await queue("cursed", { ...crashed, attempts: 3 });
    const ran: string[] = [];
    start(async (job) => {
      ran.push(job.id);
    });
    expect(await until(() => record("orphan"), settled)).toMatchObject({ status: "succeeded", attempts: 2 });
    const cursed = await until(() => record("cursed"), settled);
    expect(cursed).toMatchObject({ status: "failed", attempts: 3, error: { code: "internal" } });
    expect(cursed!.error!.message).toMatch(/stopped 3 times/);
    expect(ran).toEqual(["orphan"]);
  });

  it("leaves alone a job another live worker holds", async () => {
    const lease = new Date(Date.now() + 60_000).toISOString();
    await queue("held", {
      status: "running",
      stage: "transcribing",
      attempts: 1,
      workerId: "alive",
      leaseUntil: lease,
    });
    let calls = 0;
    start(async () => {
      calls++;
    });
    await sleep(300);
    expect(calls).toBe(0);
    expect(await record("held")).toMatchObject({ status: "running", workerId: "alive", attempts: 1 });
    expect(await jobs.queue.length()).toBe(1);
  });

  it("stops a running job soon after its record is cancelled, and keeps it cancelled", async () => {
    let aborted = 0;
    start(async (_job, { signal }) => {
      await new Promise<void>((_, reject) =>
        signal.addEventListener("abort", () => {
          aborted = Date.now();
          reject(signal.reason as Error);
        }),
      );
    });
    await queue("long");
    const running = await until(
      () => record("long"),
      (value) => value?.status === "running",
    );
    const cancelledAt = Date.now();
    await jobs.records.update({ ...running!, status: "cancelled", stage: "done", workerId: undefined });
    await until(
      async () => aborted,
      (value) => value > 0,
      2_000,
    );
    expect(aborted - cancelledAt).toBeLessThan(2_000);
    await until(
      () => jobs.queue.length(),
      (length) => length === 0,
    );
    expect(await record("long")).toMatchObject({ status: "cancelled", attempts: 1 });
  });

  it("cancels at once a job it runs itself", async () => {
    let aborted = false;
    const worker = start(async (_job, { signal }) => {
      await new Promise<void>((_, reject) =>
        signal.addEventListener("abort", () => {
          aborted = true;
          reject(signal.reason as Error);
        }),
      );
    });
    await queue("mine");
    await until(
      () => record("mine"),
      (value) => value?.status === "running",
    );
    expect(worker.cancel(owner, "mine")).toBe(true);
    expect(aborted).toBe(true);
    expect(worker.cancel(owner, "other")).toBe(false);
  });

  it("hands running jobs back to the queue when it stops, without counting an attempt", async () => {
    const worker = start(
      (_job, { signal }) =>
        new Promise<void>((_, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason as Error)),
        ),
      { visibilitySec: 30 },
    );
    await queue("handed-back");
    await until(
      () => record("handed-back"),
      (value) => value?.status === "running",
    );
    await worker.stop();
    workers.splice(workers.indexOf(worker), 1);
    expect(await record("handed-back")).toMatchObject({ status: "queued", stage: "queued", attempts: 0 });
    // Visible again at once, although it was taken with a 30 s hiding.
    expect(await jobs.queue.receive(1)).not.toBeNull();
  });
});
