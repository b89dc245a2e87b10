// A server process killed with SIGKILL, then started again on the same data folder, with the
// default storage (the embedded Azurite, persisted there): killed right after it answered 202,
// while a job runs, and while an upload is still arriving. Each time the restart finishes every
// accepted job exactly once, keeps nothing half-stored, and leaves no temporary file behind.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { DEV_ACCOUNT } from "@/lib/storage/azurite/embedded-azurite";
import { baseEnv, pollUntil, startAppProcess, type AppProcess } from "../helpers/app-process";
import { fixtures, readFixture } from "../helpers/api";
import { runFfmpeg } from "../helpers/ffmpeg";
import { blobNames, freePorts, rawClients, rowKeys } from "../helpers/storage";

const owner = "crash-test";
// The app's default names: each case has an Azurite of its own.
const names = { recordings: "recordings", transcriptsBodies: "transcripts", transcripts: "transcripts" };
const jobsTable = "jobs";
const jobsQueue = "transcriptions";

let workDir: string;
let ports: { blob: number; queue: number; table: number };
let long: Buffer;
const jfk = readFixture("jfk.wav");
/** Servers still running when a test fails: stopped in afterEach. */
const running = new Set<AppProcess>();

interface Server {
  process: AppProcess;
  base: string;
}

/** Starts the server script on `dataDir` (its Azurite on this file's fixed ports) and waits until it takes requests. */
async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<Server> {
  const child = startAppProcess("tests/helpers/crash-server.ts", {
    ...baseEnv(),
    DATA_DIR: dataDir,
    STORAGE_PROVIDER: "azurite",
    AZURITE_BLOB_PORT: String(ports.blob),
    AZURITE_QUEUE_PORT: String(ports.queue),
    AZURITE_TABLE_PORT: String(ports.table),
    STORAGE_OWNER: owner,
    // A job whose worker died is taken again after this long.
    JOBS_VISIBILITY_SEC: "3",
    SPEECH_PROVIDER: "local",
    // Two servers never run at once here; one thread leaves the other core to Jest's other worker.
    SPEECH_THREADS: "1",
    LOG_LEVEL: "info",
    ...env,
  });
  running.add(child);
  const ready = await child.waitForLine((line) => line.message === "test server ready", 60_000, "start-up");

  return { process: child, base: `http://127.0.0.1:${String(ready.port)}` };
}

async function kill(server: Server): Promise<void> {
  server.process.kill("SIGKILL");
  const { signal } = await server.process.exited;
  expect(signal).toBe("SIGKILL");
  running.delete(server.process);
}

async function stop(server: Server): Promise<void> {
  server.process.kill("SIGTERM");
  const { code } = await server.process.exited;
  running.delete(server.process);
  expect(code).toBe(0);
}

function uploadForm(audio: Buffer, name: string): FormData {
  const form = new FormData();
  form.set("audio", new File([new Uint8Array(audio)], name, { type: "audio/wav" }));
  form.set("language", "en-US");
  return form;
}

async function getJob(server: Server, id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.base}/api/transcriptions/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function waitForSuccess(server: Server, id: string): Promise<Record<string, unknown>> {
  const job = await pollUntil(
    async () => {
      const body = await getJob(server, id);
      if (body.status === "failed" || body.status === "cancelled") {
        throw new Error(`job ${id} ended ${String(body.status)}: ${JSON.stringify(body.error)}`);
      }
      return body.status === "succeeded" ? body : null;
    },
    60_000,
    `job ${id} to succeed`,
    50,
  );
  return job;
}

function connectionString(): string {
  return [
    "DefaultEndpointsProtocol=http",
    `AccountName=${DEV_ACCOUNT.name}`,
    `AccountKey=${DEV_ACCOUNT.key}`,
    `BlobEndpoint=http://127.0.0.1:${ports.blob}/${DEV_ACCOUNT.name}`,
    `QueueEndpoint=http://127.0.0.1:${ports.queue}/${DEV_ACCOUNT.name}`,
    `TableEndpoint=http://127.0.0.1:${ports.table}/${DEV_ACCOUNT.name}`,
  ].join(";");
}

/** What the running server's Azurite holds, read behind the app's back. */
async function stored() {
  const { blobs, table: transcripts } = rawClients(connectionString(), names.transcripts);
  const { table: jobs } = rawClients(connectionString(), jobsTable);
  return {
    recordings: await blobNames(blobs, names.recordings, { prefix: `${owner}/`, uncommitted: true }),
    transcriptBodies: await blobNames(blobs, names.transcriptsBodies, { prefix: `${owner}/` }),
    transcripts: await rowKeys(transcripts, owner),
    jobs: await rowKeys(jobs, owner),
    blobs,
  };
}

/**
 * Files under the data folder's `tmp/`, and folders there of processes other than `livePid`
 * (each process has `tmp/<pid>`; uploads arrive in `tmp/<pid>/uploads`).
 */
function leftInTmp(dataDir: string, livePid: number): string[] {
  const root = path.join(dataDir, "tmp");
  if (!fs.existsSync(root)) return [];
  const found: string[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else found.push(path.relative(root, full));
    }
  };
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name === String(livePid)) visit(path.join(root, entry.name));
    else found.push(entry.name + (entry.isDirectory() ? "/" : ""));
  }
  return found;
}

function filesIn(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

/** Exactly one transcript for `id`, its recording complete, and nothing else stored or left over. */
async function expectDoneOnce(server: Server, dataDir: string, id: string, audio: Buffer) {
  const job = await waitForSuccess(server, id);
  const transcript = job.transcript as { text: string; recordingId: string; id: string };
  expect(transcript.id).toBe(id);
  expect(transcript.text.toLowerCase()).toContain("fellow americans");

  const state = await stored();
  expect(state.transcripts.filter((key) => key === id)).toHaveLength(1);
  expect(state.jobs).toEqual([id]);
  // One recording, committed, with every byte sent; a transcript body blob only if its entity names it.
  expect(state.recordings).toHaveLength(1);
  expect(state.recordings[0]).toMatch(new RegExp(`^${owner}/${transcript.recordingId}/`));
  const properties = await state.blobs
    .getContainerClient(names.recordings)
    .getBlobClient(state.recordings[0]!)
    .getProperties();
  expect(properties.contentLength).toBe(audio.length);
  const entity = await rawClients(connectionString(), names.transcripts).table.getEntity<{
    bodyBlob?: string;
  }>(owner, id);
  expect(state.transcriptBodies).toEqual(entity.bodyBlob ? [entity.bodyBlob] : []);

  // The job's message is gone once it is final (deleted right after the record says so).
  const { QueueClient } = await import("@azure/storage-queue");
  const queue = new QueueClient(connectionString(), jobsQueue);
  await pollUntil(
    async () => ((await queue.getProperties()).approximateMessagesCount === 0 ? true : null),
    10_000,
    "the job's message to be deleted",
    50,
  );
  expect(leftInTmp(dataDir, server.process.pid)).toEqual([]);
  return job;
}

function caseDir(name: string): string {
  return path.join(workDir, name);
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "crash-recovery-"));
  const [blob, queue, table] = await freePorts(3);
  ports = { blob: blob!, queue: queue!, table: table! };
  // 66 s of speech: a few seconds of transcription with one thread, with progress on the way.
  const longPath = path.join(workDir, "long.wav");
  runFfmpeg(["-stream_loop", "5", "-i", path.join(fixtures, "jfk.wav"), longPath]);
  long = fs.readFileSync(longPath);
});

afterEach(async () => {
  for (const child of running) {
    child.kill("SIGKILL");
    await child.exited;
  }
  running.clear();
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

it("keeps a job accepted with 202 when the server is killed the moment the answer arrives", async () => {
  const dataDir = caseDir("after-202");
  // No worker in the first life: nothing but the upload's own saving can have kept the job.
  const first = await startServerProcess(dataDir, { JOBS_WORKER: "off" });
  const response = await fetch(`${first.base}/api/transcriptions`, {
    method: "POST",
    body: uploadForm(jfk, "jfk.wav"),
  });
  // At once: Azurite saves its indexes by itself only every 5 s.
  first.process.kill("SIGKILL");
  expect(response.status).toBe(202);
  const id = response.headers.get("location")!.split("/").pop()!;
  await kill(first);

  const second = await startServerProcess(dataDir);
  const job = await expectDoneOnce(second, dataDir, id, jfk);
  expect(job.attempts).toBe(1);
  await stop(second);
});

it("finishes a job once when the server is killed while it transcribes", async () => {
  const dataDir = caseDir("mid-job");
  const first = await startServerProcess(dataDir);
  const response = await fetch(`${first.base}/api/transcriptions`, {
    method: "POST",
    body: uploadForm(long, "long.wav"),
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const seen = await pollUntil(
    async () => {
      const body = await getJob(first, id);
      if (body.status === "succeeded" || body.status === "failed") {
        throw new Error(`the job ended (${String(body.status)}) before the server could be killed under it`);
      }
      return body.status === "running" && (body.progress as number) > 0 ? body : null;
    },
    30_000,
    "the job to be running with progress",
    10,
  );
  await kill(first);
  expect(seen.progress).toBeLessThan(1);
  // The killed process left its decoded audio behind.
  expect(filesIn(path.join(dataDir, "tmp", String(first.process.pid)))).toContain(`${id}.pcm`);

  const second = await startServerProcess(dataDir);
  const job = await expectDoneOnce(second, dataDir, id, long);
  // 2 when the first claim reached the disk before the kill, 1 when it did not: either way one
  // attempt ran to the end.
  expect([1, 2]).toContain(job.attempts);
  await stop(second);
});

it("keeps one transcript when the server is killed after saving it, before the job says so", async () => {
  const dataDir = caseDir("after-transcript");
  const first = await startServerProcess(dataDir);
  const response = await fetch(`${first.base}/api/transcriptions`, {
    method: "POST",
    body: uploadForm(jfk, "jfk.wav"),
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  // Logged once the transcript is saved and flushed, before the job's record is marked done.
  await first.process.waitForLine(
    (line) => line.message === "transcription finished" && line.jobId === id,
    30_000,
    "the transcript to be saved",
  );
  await kill(first);

  const second = await startServerProcess(dataDir);
  const job = await expectDoneOnce(second, dataDir, id, jfk);
  expect([1, 2]).toContain(job.attempts);
  await stop(second);
});

it("stores nothing and answers nothing when the server is killed while the upload arrives", async () => {
  const dataDir = caseDir("during-upload");
  const first = await startServerProcess(dataDir);
  const boundary = "----crash-test-boundary";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen-US\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="long.wav"\r\n` +
      "Content-Type: audio/wav\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const sentBeforeKill = 256 * 1024;
  const request = http.request(`${first.base}/api/transcriptions`, {
    method: "POST",
    headers: {
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": String(head.length + long.length + tail.length),
    },
  });
  const outcome = new Promise<string>((resolve) => {
    request.once("response", (response) => resolve(`answered ${response.statusCode}`));
    request.once("error", (error) => resolve(`failed: ${error.message}`));
  });
  request.write(Buffer.concat([head, long.subarray(0, sentBeforeKill)]));
  // The rest of the body is never sent: kill once the server has spooled part of the file.
  const uploads = path.join(dataDir, "tmp", String(first.process.pid), "uploads");
  const spooled = await pollUntil(
    async () => {
      const [name] = filesIn(uploads);
      const size = name ? (fs.statSync(path.join(uploads, name), { throwIfNoEntry: false })?.size ?? 0) : 0;
      return size > 0 ? name! : null;
    },
    20_000,
    "the upload to reach the server's temporary file",
    5,
  );
  await kill(first);
  expect(await outcome).toMatch(/^failed: /);
  expect(filesIn(uploads)).toEqual([spooled]);

  const second = await startServerProcess(dataDir);
  const jobs = (await (await fetch(`${second.base}/api/jobs`)).json()) as { items: unknown[] };
  expect(jobs.items).toEqual([]);
  const state = await stored();
  expect({ recordings: state.recordings, transcripts: state.transcripts, jobs: state.jobs }).toEqual({
    recordings: [],
    transcripts: [],
    jobs: [],
  });
  expect(leftInTmp(dataDir, second.process.pid)).toEqual([]);

  // And the restarted server works.
  const response = await fetch(`${second.base}/api/transcriptions`, {
    method: "POST",
    body: uploadForm(jfk, "jfk.wav"),
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const job = await expectDoneOnce(second, dataDir, id, jfk);
  expect(job.attempts).toBe(1);
  await stop(second);
});
