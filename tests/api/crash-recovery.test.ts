// A server process killed with SIGKILL and started again on the same data folder, with the
// default storage (the embedded Azurite, persisted there): killed right after it answered 202,
// while a job runs, after it saved a transcript but before the job said so, and while an upload
// is still arriving. One data folder goes through all five lives in turn (each start costs a few
// seconds); after each restart every accepted job is done exactly once, nothing is half-stored,
// and no temporary file is left.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { QueueClient } from "@azure/storage-queue";
import { pollUntil, startTestServer, type AppProcess } from "../helpers/app-process";
import { fixtures, readFixture } from "../helpers/api";
import { runFfmpeg } from "../helpers/ffmpeg";
import { azuriteConnectionString, blobNames, freePorts, rawClients, rowKeys } from "../helpers/storage";

const owner = "crash-test";
// The app's default names: the Azurite is this file's own.
const names = { recordings: "recordings", transcriptsBodies: "transcripts", transcripts: "transcripts" };
const jobsTable = "jobs";
const jobsQueue = "transcriptions";

let workDir: string;
let ports: { blob: number; queue: number; table: number };
let dataDir: string;
let long: Buffer;
const jfk = readFixture("jfk.wav");
/** Jobs answered with 202 so far, with the bytes uploaded. */
const accepted: Array<{ id: string; audio: Buffer }> = [];
/** The server of the current life. */
let server: Server;
/** Servers still running when a test fails: stopped in afterEach. */
const running = new Set<AppProcess>();

interface Server {
  process: AppProcess;
  base: string;
}

/** Starts the server script on the data folder (its Azurite on this file's fixed ports) and waits until it takes requests. */
async function startServerProcess(env: Record<string, string> = {}): Promise<Server> {
  // A job whose worker died is taken again after JOBS_VISIBILITY_SEC. Two servers never run at
  // once here; the engine's one thread leaves the other core to Jest's other worker.
  const server = await startTestServer({
    dataDir,
    ports,
    env: { STORAGE_OWNER: owner, JOBS_VISIBILITY_SEC: "3", ...env },
  });
  running.add(server.process);
  return { process: server.process, base: `http://127.0.0.1:${server.port}` };
}

async function kill(): Promise<void> {
  server.process.kill("SIGKILL");
  const { signal } = await server.process.exited;
  expect(signal).toBe("SIGKILL");
  running.delete(server.process);
}

async function stop(): Promise<void> {
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
  return azuriteConnectionString(ports);
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
 * (each process has `tmp/<pid>`; uploads arrive in `tmp/<pid>/uploads`). With no live process,
 * only files count: a stopped process may leave its empty folder.
 */
function leftInTmp(livePid: number | null): string[] {
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
    const full = path.join(root, entry.name);
    if (!entry.isDirectory()) found.push(entry.name);
    else if (livePid === null || entry.name === String(livePid)) visit(full);
    else found.push(`${entry.name}/`);
  }
  return found;
}

function filesIn(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

/**
 * Every job accepted so far done by the current server, each with exactly one transcript and one
 * complete recording; no other job, recording or transcript stored, no message, no temporary file.
 */
async function expectAllDoneOnce(): Promise<Array<Record<string, unknown>>> {
  const jobs = [];
  for (const { id } of accepted) jobs.push(await waitForSuccess(server, id));
  const ids = accepted.map(({ id }) => id).sort();
  const state = await stored();
  expect(state.transcripts.sort()).toEqual(ids);
  expect(state.jobs.sort()).toEqual(ids);
  expect(state.recordings).toHaveLength(accepted.length);
  const { table } = rawClients(connectionString(), names.transcripts);
  const bodies: string[] = [];
  for (const [index, { id, audio }] of accepted.entries()) {
    const transcript = jobs[index]!.transcript as { text: string; recordingId: string; id: string };
    expect(transcript.id).toBe(id);
    expect(transcript.text.toLowerCase()).toContain("fellow americans");
    // Committed, with every byte sent.
    const [name, ...more] = state.recordings.filter((blob) =>
      blob.startsWith(`${owner}/${transcript.recordingId}/`),
    );
    expect({ id, more }).toEqual({ id, more: [] });
    const properties = await state.blobs
      .getContainerClient(names.recordings)
      .getBlobClient(name!)
      .getProperties();
    expect(properties.contentLength).toBe(audio.length);
    const entity = await table.getEntity<{ bodyBlob?: string }>(owner, id);
    if (entity.bodyBlob) bodies.push(entity.bodyBlob);
  }
  // A transcript body blob only where an entity names it.
  expect(state.transcriptBodies.sort()).toEqual(bodies.sort());

  // A job's message is deleted right after its record says it is done.
  const queue = new QueueClient(connectionString(), jobsQueue);
  await pollUntil(
    async () => ((await queue.getProperties()).approximateMessagesCount === 0 ? true : null),
    10_000,
    "the jobs' messages to be deleted",
    50,
  );
  expect(leftInTmp(server.process.pid)).toEqual([]);
  return jobs;
}

async function accept(audio: Buffer, name: string): Promise<string> {
  const response = await fetch(`${server.base}/api/transcriptions`, {
    method: "POST",
    body: uploadForm(audio, name),
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  accepted.push({ id, audio });
  return id;
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "crash-recovery-"));
  dataDir = path.join(workDir, "data");
  const [blob, queue, table] = await freePorts(3);
  ports = { blob: blob!, queue: queue!, table: table! };
  // 66 s of speech: a few seconds of transcription with one thread, with progress on the way.
  const longPath = path.join(workDir, "long.wav");
  runFfmpeg(["-stream_loop", "5", "-i", path.join(fixtures, "jfk.wav"), longPath]);
  long = fs.readFileSync(longPath);
});

afterAll(async () => {
  for (const child of running) {
    child.kill("SIGKILL");
    await child.exited;
  }
  fs.rmSync(workDir, { recursive: true, force: true });
});

it("keeps a job accepted with 202 when the server is killed the moment the answer arrives", async () => {
  // No worker in this life: nothing but the upload's own saving can have kept the job.
  server = await startServerProcess({ JOBS_WORKER: "off" });
  const response = await fetch(`${server.base}/api/transcriptions`, {
    method: "POST",
    body: uploadForm(jfk, "jfk.wav"),
  });
  // At once: Azurite saves its indexes by itself only every 5 s.
  server.process.kill("SIGKILL");
  expect(response.status).toBe(202);
  accepted.push({ id: response.headers.get("location")!.split("/").pop()!, audio: jfk });
  await kill();

  server = await startServerProcess();
  const [job] = await expectAllDoneOnce();
  expect(job!.attempts).toBe(1);
});

it("finishes a job once when the server is killed while it transcribes", async () => {
  const id = await accept(long, "long.wav");
  const seen = await pollUntil(
    async () => {
      const body = await getJob(server, id);
      if (body.status === "succeeded" || body.status === "failed") {
        throw new Error(`the job ended (${String(body.status)}) before the server could be killed under it`);
      }
      return body.status === "running" && (body.progress as number) > 0 ? body : null;
    },
    30_000,
    "the job to be running with progress",
    10,
  );
  const killed = server.process.pid;
  await kill();
  expect(seen.progress).toBeLessThan(1);
  // The killed process left its decoded audio behind.
  expect(filesIn(path.join(dataDir, "tmp", String(killed)))).toContain(`${id}.pcm`);

  server = await startServerProcess();
  const jobs = await expectAllDoneOnce();
  // 2 when the first claim reached the disk before the kill, 1 when it did not: either way one
  // attempt ran to the end.
  expect([1, 2]).toContain(jobs.at(-1)!.attempts);
});

it("keeps one transcript when the server is killed after saving it, before the job says so", async () => {
  const id = await accept(jfk, "jfk again.wav");
  // Logged once the transcript is saved and flushed, before the job's record is marked done.
  await server.process.waitForLine(
    (line) => line.message === "transcription finished" && line.jobId === id,
    30_000,
    "the transcript to be saved",
  );
  await kill();

  server = await startServerProcess();
  const jobs = await expectAllDoneOnce();
  expect([1, 2]).toContain(jobs.at(-1)!.attempts);
});

it("stores nothing and answers nothing when the server is killed while the upload arrives", async () => {
  const boundary = "----crash-test-boundary";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen-US\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="long.wav"\r\n` +
      "Content-Type: audio/wav\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const request = http.request(`${server.base}/api/transcriptions`, {
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
  // The rest of the body is never sent: kill once the server has spooled part of the file.
  request.write(Buffer.concat([head, long.subarray(0, 256 * 1024)]));
  const uploads = path.join(dataDir, "tmp", String(server.process.pid), "uploads");
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
  await kill();
  expect(await outcome).toMatch(/^failed: /);
  expect(filesIn(uploads)).toEqual([spooled]);

  server = await startServerProcess();
  const listed = (await (await fetch(`${server.base}/api/jobs`)).json()) as { items: Array<{ id: string }> };
  expect(listed.items.map((item) => item.id).sort()).toEqual(accepted.map(({ id }) => id).sort());
  // Nothing of it was stored, and the partial upload was removed at start.
  await expectAllDoneOnce();
});

it("stops cleanly on SIGTERM after all that", async () => {
  await stop();
  expect(leftInTmp(null)).toEqual([]);
});
