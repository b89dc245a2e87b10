// Jobs through the API with the real engine and Azurite: the list, segments while running,
// cancel within 2 s keeping the recording, retry, queue positions, and dismissing a failed job.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GET as listJobsRoute } from "@/app/api/jobs/route";
import { DELETE as deleteRoute } from "@/app/api/transcriptions/[id]/route";
import { POST as retryRoute } from "@/app/api/transcriptions/[id]/retry/route";
import { jobListSchema, transcriptionViewSchema } from "@/lib/contract";
import { pruneSucceededJobs } from "@/lib/services/transcriptions";
import { configure, currentContext, fetchJob, readFixture, upload, waitForJob } from "../helpers/api";
import { runFfmpeg } from "../helpers/ffmpeg";

let workDir: string;
let longAudio: Buffer;

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const at = (id: string, suffix = "") => `http://localhost/api/transcriptions/${id}${suffix}`;

async function listJobs() {
  const response = await listJobsRoute(new Request("http://localhost/api/jobs"), {});
  expect(response.status).toBe(200);
  return jobListSchema.parse(await response.json()).items;
}

async function cancel(id: string) {
  return deleteRoute(new Request(at(id), { method: "DELETE" }), params(id));
}

async function retry(id: string) {
  return retryRoute(new Request(at(id, "/retry"), { method: "POST" }), params(id));
}

async function started(response: Response): Promise<{ id: string; recordingId: string }> {
  expect(response.status).toBe(202);
  return (await response.json()) as { id: string; recordingId: string };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-jobs-"));
  const long = path.join(workDir, "long.wav");
  runFfmpeg(["-stream_loop", "9", "-i", path.join(__dirname, "..", "fixtures", "jfk.wav"), long]);
  longAudio = fs.readFileSync(long);
  await configure({ DATA_DIR: path.join(workDir, "data") });
});

afterAll(async () => {
  await configure({});
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("transcription jobs", () => {
  it("shows the words decoded so far, cancels a running job within 2 s, keeps its recording, and retries it", async () => {
    const { id, recordingId } = await started(await upload(longAudio, { name: "Long talk.wav" }));
    const running = await until(
      async () => transcriptionViewSchema.parse((await fetchJob(id)).body),
      (view) => view.status === "running" && (view.segmentsSoFar?.length ?? 0) > 0,
    );
    expect(running).toMatchObject({ title: "Long talk", stage: "transcribing", attempts: 1 });
    expect(running.segmentsSoFar![0]!.text.toLowerCase()).toContain("fellow americans");
    expect(running.durationSec).toBeGreaterThan(100);

    const asked = Date.now();
    const response = await cancel(id);
    expect(response.status).toBe(200);
    expect(transcriptionViewSchema.parse(await response.json())).toMatchObject({ status: "cancelled" });
    // The job lets go at once: inference runs in the engine's own thread, which drops the rest of the
    // audio after the window it is decoding.
    const { services, owner } = await currentContext();
    await until(
      async () => services.worker?.snapshot(owner, id),
      (snapshot) => snapshot === null,
      2_000,
    );
    expect(Date.now() - asked).toBeLessThan(2_000);
    expect((await fetchJob(id)).body).toMatchObject({ status: "cancelled", stage: "done" });
    expect(await services.storage.recordings.get(owner, recordingId)).not.toBeNull();
    expect(await services.storage.transcripts.get(owner, id)).toBeNull();
    expect((await listJobs()).find((job) => job.id === id)).toMatchObject({ status: "cancelled" });

    expect((await retry(id)).status).toBe(202);
    const { body } = await waitForJob(id);
    expect(body).toMatchObject({ status: "succeeded", attempts: 1 });
    expect((body.transcript as { text: string }).text.toLowerCase().match(/fellow americans/g)).toHaveLength(
      10,
    );
    // Only a failed or cancelled job can be retried.
    const again = await retry(id);
    expect(again.status).toBe(409);
  });

  it("lists queued jobs with their place in the queue, running first", async () => {
    const first = await started(await upload(longAudio, { name: "first.wav" }));
    const second = await started(await upload(readFixture("jfk.wav"), { name: "second.wav" }));
    const third = await started(await upload(readFixture("jfk.wav"), { name: "third.wav" }));
    const jobs = await until(listJobs, (items) => items[0]?.id === first.id && items[0].status === "running");
    const queued = jobs.filter((job) => job.status === "queued");
    expect(queued.map((job) => [job.id, job.position])).toEqual([
      [second.id, 1],
      [third.id, 2],
    ]);
    for (const job of [first, second, third]) {
      expect((await waitForJob(job.id)).body.status).toBe("succeeded");
    }
    const done = await listJobs();
    expect(
      done.filter((job) => [first.id, second.id, third.id].includes(job.id)).map((job) => job.status),
    ).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("dismisses a failed job with its recording, and says why a retry cannot help", async () => {
    // An ID3 tag followed by bytes that hold no MPEG audio: stored as an MP3, undecodable.
    const broken = Buffer.concat([Buffer.from("ID3"), Buffer.alloc(40_000, 0x55)]);
    const response = await upload(broken, { name: "broken.mp3", type: "audio/mpeg" });
    if (response.status !== 202) {
      // Rejected before it was stored: nothing to dismiss.
      expect(response.status).toBe(422);
      return;
    }
    const { id, recordingId } = (await response.json()) as { id: string; recordingId: string };
    const { body } = await waitForJob(id);
    expect(body).toMatchObject({ status: "failed", error: { code: "undecodable_audio" } });
    expect((await retry(id)).status).toBe(202);
    expect((await waitForJob(id)).body).toMatchObject({ status: "failed", attempts: 1 });

    expect((await cancel(id)).status).toBe(204);
    const { services, owner } = await currentContext();
    expect(await services.storage.recordings.get(owner, recordingId)).toBeNull();
    expect((await fetchJob(id)).status).toBe(404);
    expect((await cancel(id)).status).toBe(404);
  });

  it("removes the records of jobs that succeeded over a week ago, and only those", async () => {
    const { services, owner } = await currentContext();
    const long = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
    const recent = new Date().toISOString();
    const base = {
      owner,
      recordingId: "abcdefghij0000000",
      title: "old",
      language: "en-US",
      settings: { diarize: false },
      stage: "done" as const,
      progress: 1,
      attempts: 1,
      createdAt: long,
      updatedAt: long,
    };
    await services.jobs.records.create({
      ...base,
      id: "prune00000000old1",
      status: "succeeded",
      finishedAt: long,
    });
    await services.jobs.records.create({
      ...base,
      id: "prune00000000new1",
      status: "succeeded",
      finishedAt: recent,
    });
    await services.jobs.records.create({
      ...base,
      id: "prune00000000bad1",
      status: "failed",
      finishedAt: long,
    });
    expect(await pruneSucceededJobs(services)).toBe(1);
    expect(await services.jobs.records.get(owner, "prune00000000old1")).toBeNull();
    expect(await services.jobs.records.get(owner, "prune00000000new1")).not.toBeNull();
    expect(await services.jobs.records.get(owner, "prune00000000bad1")).not.toBeNull();
  });
});
