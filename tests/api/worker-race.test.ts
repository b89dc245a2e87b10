// Two `npm run worker` processes on one storage account (an Azurite started here) race for ten
// queued jobs: each job runs once, on one of them, both take part, and SIGTERM stops them cleanly.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { QueueClient } from "@azure/storage-queue";
import { startEmbeddedAzurite, type EmbeddedAzurite } from "@/lib/storage/azurite/embedded-azurite";
import { baseEnv, pollUntil, startAppProcess, type AppProcess } from "../helpers/app-process";
import { configure, fetchJob, fixtures, readFixture, upload } from "../helpers/api";
import { rawClients, rowKeys } from "../helpers/storage";
import { wordErrorRate } from "../helpers/wer";

const clips = ["jfk", "paris", "kitchen"].map((name) => ({
  name,
  audio: readFixture(`${name}.wav`),
  text: fs.readFileSync(path.join(fixtures, `${name}.txt`), "utf8"),
}));
const owner = process.env.STORAGE_OWNER!;
const jobCount = 10;

let workDir: string;
let azurite: EmbeddedAzurite;
let workers: AppProcess[] = [];

function startWorkerProcess(): AppProcess {
  return startAppProcess("scripts/worker.ts", {
    ...baseEnv(),
    DATA_DIR: path.join(workDir, "workers"),
    STORAGE_PROVIDER: "azure",
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    STORAGE_OWNER: owner,
    JOBS_TABLE: process.env.JOBS_TABLE!,
    JOBS_QUEUE: process.env.JOBS_QUEUE!,
    SPEECH_PROVIDER: "local",
    // Two processes on CI's two cores.
    SPEECH_THREADS: "1",
    LOG_LEVEL: "info",
  });
}

function finishedJobIds(worker: AppProcess): string[] {
  return worker.lines
    .filter((line) => line.message === "transcription finished")
    .map((line) => String(line.jobId));
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "worker-race-"));
  azurite = await startEmbeddedAzurite({ location: path.join(workDir, "azurite"), inMemory: true });
  // This process only queues: the two worker processes run every job.
  await configure({
    STORAGE_PROVIDER: "azure",
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    JOBS_WORKER: "off",
  });
});

afterAll(async () => {
  for (const worker of workers) {
    worker.kill("SIGKILL");
    await worker.exited;
  }
  await configure({ AZURE_STORAGE_CONNECTION_STRING: undefined, JOBS_WORKER: undefined });
  await azurite.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

it("runs each of ten jobs exactly once across two worker processes", async () => {
  // What a crashed worker left (a process that has exited): removed when a worker starts.
  const dead = spawnSync(process.execPath, ["-e", ""]).pid;
  const orphan = path.join(workDir, "workers", "tmp", String(dead));
  fs.mkdirSync(orphan, { recursive: true });
  fs.writeFileSync(path.join(orphan, "job.pcm"), Buffer.alloc(1024));
  workers = [startWorkerProcess(), startWorkerProcess()];
  // Both listen before anything is queued, so neither can take every job before the other starts.
  await Promise.all(
    workers.map((worker) =>
      worker.waitForLine((line) => line.message === "worker started", 60_000, "worker start-up"),
    ),
  );

  const queued: Array<{ id: string; clip: (typeof clips)[number] }> = [];
  for (let index = 0; index < jobCount; index++) {
    const clip = clips[index % clips.length]!;
    const response = await upload(clip.audio, { name: `${clip.name}-${index}.wav` });
    expect(response.status).toBe(202);
    queued.push({ id: ((await response.json()) as { id: string }).id, clip });
  }

  const jobs = await pollUntil(
    async () => {
      const bodies = await Promise.all(queued.map(async ({ id }) => (await fetchJob(id)).body));
      const ended = bodies.filter((body) => body.status !== "queued" && body.status !== "running");
      const failed = ended.find((body) => body.status !== "succeeded");
      if (failed) throw new Error(`job ${String(failed.id)} ended ${String(failed.status)}`);
      return ended.length === jobCount ? bodies : null;
    },
    90_000,
    "all ten jobs to succeed",
    100,
  );

  for (const [index, job] of jobs.entries()) {
    const { id, clip } = queued[index]!;
    expect({ id: job.id, status: job.status, attempts: job.attempts }).toEqual({
      id,
      status: "succeeded",
      attempts: 1,
    });
    // The transcript is of this job's own recording: nearer its words than any other clip's.
    const text = (job.transcript as { text: string }).text;
    const nearest = [...clips].sort((a, b) => wordErrorRate(a.text, text) - wordErrorRate(b.text, text))[0]!;
    expect({ id, transcript: text, nearest: nearest.name }).toEqual({
      id,
      transcript: text,
      nearest: clip.name,
    });
  }
  const ids = queued.map(({ id }) => id).sort();
  const { table } = rawClients(azurite.connectionString, "transcripts");
  expect((await rowKeys(table, owner)).sort()).toEqual(ids);

  // Each job finished in exactly one worker, and each worker finished some.
  const perWorker = workers.map(finishedJobIds);
  expect(perWorker.flat().sort()).toEqual(ids);
  for (const finished of perWorker) expect(finished.length).toBeGreaterThan(0);

  const queue = new QueueClient(azurite.connectionString, process.env.JOBS_QUEUE!);
  await pollUntil(
    async () => ((await queue.getProperties()).approximateMessagesCount === 0 ? true : null),
    10_000,
    "the queue to be empty",
    50,
  );

  for (const worker of workers) worker.kill("SIGTERM");
  const exits = await Promise.all(workers.map((worker) => worker.exited));
  expect(exits).toEqual([
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);
  for (const worker of workers) {
    expect(
      worker.lines.some((line) => line.message === "worker stopping; running jobs go back to the queue"),
    ).toBe(true);
    expect(worker.lines.filter((line) => line.level === "warn" || line.level === "error")).toEqual([]);
  }
  expect(fs.existsSync(orphan)).toBe(false);
  // Neither left a temporary file.
  const tmp = path.join(workDir, "workers", "tmp");
  const left = fs.existsSync(tmp)
    ? fs.readdirSync(tmp, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
    : [];
  expect(left.map((entry) => entry.name)).toEqual([]);
});
