// Nothing lost, nothing left behind when storage goes away: the upload route against a second,
// persisted Azurite that this file stops before, in the middle of and after an upload, then
// restarts on the same folder and ports; a proxy that loses the answer to a stored upload; and the
// embedded Azurite refusing a port that is taken.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import {
  startEmbeddedAzurite,
  type EmbeddedAzurite,
  type EmbeddedAzuriteOptions,
} from "@/lib/storage/azurite/embedded-azurite";
import { configure, fetchJob, fixtures, readFixture, upload, waitForJob } from "../helpers/api";
import { pollUntil } from "../helpers/app-process";
import { runFfmpeg } from "../helpers/ffmpeg";
import { blobNames, freePort, freePorts, rawClients, rowKeys } from "../helpers/storage";
import { processTempDir } from "@/lib/util/temp-dir";

const jfk = readFixture("jfk.wav");
const original = {
  JOBS_VISIBILITY_SEC: undefined,
  AZURE_STORAGE_CONNECTION_STRING: process.env.AZURE_STORAGE_CONNECTION_STRING,
  DATA_DIR: process.env.DATA_DIR,
};
// The app's default names: this Azurite is ours alone.
const recordingsContainer = "recordings";
const owner = process.env.STORAGE_OWNER!;
const transcriptsTable = "transcripts";

let workDir: string;
let dataDir: string;
let options: EmbeddedAzuriteOptions;
let azurite: EmbeddedAzurite | null = null;
let big: Buffer;
let longPath: string;

function uploadsDir(): string {
  return path.join(processTempDir(dataDir), "uploads");
}

function leftInUploads(): string[] {
  return fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()) : [];
}

/** Starts our Azurite on its fixed ports and folder, unless it is running already. */
async function startAzurite(): Promise<EmbeddedAzurite> {
  azurite ??= await startEmbeddedAzurite(options);
  return azurite;
}

async function stopAzurite(): Promise<void> {
  const running = azurite;
  azurite = null;
  await running?.stop();
}

/** Bytes in Azurite's blob extent files (where it streams a blob's data as the request arrives). */
function extentBytes(): number {
  const folder = path.join(options.location, "__blobstorage__");
  if (!fs.existsSync(folder)) return 0;
  let total = 0;
  for (const name of fs.readdirSync(folder)) {
    try {
      total += fs.statSync(path.join(folder, name)).size;
    } catch {
      // A file removed between readdir and stat.
    }
  }
  return total;
}

async function expectStorageUnavailable(response: Response): Promise<void> {
  const body = (await response.json()) as { error?: { code: string; message: string } };
  expect({ status: response.status, code: body.error?.code }).toEqual({
    status: 503,
    code: "storage_unavailable",
  });
  expect(body.error!.message).toMatch(/Storage is not reachable/);
  expect(body.error!.message).toMatch(/Nothing was saved/);
  expect(body.error!.message).not.toMatch(/ECONNREFUSED|ECONNRESET|127\.0\.0\.1|at .*\.(ts|js):\d+/);
}

/** What a restarted Azurite holds: committed and uncommitted recording blobs, transcript entities. */
async function storedState(connectionString: string) {
  const { blobs, table } = rawClients(connectionString, transcriptsTable);
  return {
    recordings: await blobNames(blobs, recordingsContainer),
    uncommitted: await blobNames(blobs, recordingsContainer, { uncommitted: true }),
    transcripts: await rowKeys(table),
  };
}

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "storage-outage-"));
  dataDir = path.join(workDir, "data");
  const [blobPort, queuePort, tablePort] = await freePorts(3);
  options = { location: path.join(workDir, "azurite"), blobPort, queuePort, tablePort, inMemory: false };
  // 99 s of speech as 48 kHz stereo float: ~38 MB. The SDK sends files up to 256 MiB as a single
  // Put Blob, so this is one long streaming request that Azurite writes to disk as it arrives.
  const bigPath = path.join(workDir, "big.wav");
  runFfmpeg([
    "-stream_loop",
    "8",
    "-i",
    path.join(fixtures, "jfk.wav"),
    "-ar",
    "48000",
    "-ac",
    "2",
    "-c:a",
    "pcm_f32le",
    bigPath,
  ]);
  big = fs.readFileSync(bigPath);
  // 66 s of speech at 16 kHz: a few seconds of transcription, with progress along the way.
  longPath = path.join(workDir, "long.wav");
  runFfmpeg(["-stream_loop", "5", "-i", path.join(fixtures, "jfk.wav"), longPath]);
  expect(big.length).toBeGreaterThan(30 * 1024 * 1024);

  await startAzurite();
  await configure({
    AZURE_STORAGE_CONNECTION_STRING: azurite!.connectionString,
    DATA_DIR: dataDir,
    JOBS_VISIBILITY_SEC: "5",
  });
});

afterAll(async () => {
  await configure(original);
  await stopAzurite();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("uploads while storage is away", () => {
  it("answers 503 storage_unavailable when storage is down before the request, and keeps nothing", async () => {
    await stopAzurite();
    const started = Date.now();
    const response = await upload(jfk, { name: "jfk.wav" });
    expect(Date.now() - started).toBeLessThan(15_000);
    await expectStorageUnavailable(response);
    expect(leftInUploads()).toEqual([]);
  });

  it("answers 503 when storage stops in the middle of the upload, and leaves nothing behind", async () => {
    const { connectionString } = await startAzurite();
    const before = extentBytes();
    let settled = false;
    const pending = upload(big, { name: "big.wav" }).finally(() => {
      settled = true;
    });
    // Wait until Azurite has written the first MiB of this upload into its extent files: the
    // multipart body has then been spooled and validated, the Put Blob is streaming, and most of
    // its ~38 MB are still to come (about 1.3 MB have arrived when the stop below begins, and it
    // takes ~10 ms). If the upload ever wins the race, the check after `await pending` says so.
    const deadline = Date.now() + 20_000;
    while (!settled && extentBytes() - before < 1024 * 1024) {
      if (Date.now() > deadline) throw new Error("Azurite never started receiving the upload");
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const received = extentBytes() - before;
    const stopStarted = Date.now();
    await stopAzurite();
    const stopMs = Date.now() - stopStarted;

    const response = await pending;
    if (response.status === 202) {
      throw new Error(
        `The upload finished (${received} of ${big.length} bytes seen before the stop) before Azurite ` +
          "stopped, so this test did not interrupt it: make the file bigger.",
      );
    }
    expect(received).toBeGreaterThanOrEqual(1024 * 1024);
    expect(received).toBeLessThan(big.length);
    expect(stopMs).toBeLessThan(10_000);
    expect(Date.now() - stopStarted).toBeLessThan(15_000);
    await expectStorageUnavailable(response);
    expect(leftInUploads()).toEqual([]);

    await startAzurite();
    expect(azurite!.connectionString).toBe(connectionString);
    expect(await storedState(connectionString)).toEqual({ recordings: [], uncommitted: [], transcripts: [] });
  });

  it("finishes a job that storage went away under, once storage is back", async () => {
    await startAzurite();
    const long = fs.readFileSync(longPath);
    const response = await upload(long, { name: "long.wav" });
    expect(response.status).toBe(202);
    const { id, recordingId } = (await response.json()) as { id: string; recordingId: string };
    // Progress above 0 means the audio was read from storage and the engine is at work.
    for (;;) {
      const { body } = await fetchJob(id);
      if (body.status === "succeeded" || body.status === "failed") {
        throw new Error(`The job ended (${String(body.status)}) before storage could be stopped under it.`);
      }
      if (body.status === "running" && (body.progress as number) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await stopAzurite();
    // The attempt fails when it stores the transcript (its worker answers for the job until
    // then, later on a loaded machine); from then on the job's state cannot be read.
    const during = await pollUntil(
      async () => {
        const job = await fetchJob(id);
        return job.status === 200 && job.body.status === "running" ? null : job;
      },
      60_000,
      "the attempt to fail without storage",
      100,
    );
    expect({ status: during.status, code: (during.body.error as { code?: string })?.code }).toEqual({
      status: 503,
      code: "storage_unavailable",
    });

    const { connectionString } = await startAzurite();
    // The job's message comes back when its hiding runs out, and the next attempt finishes it.
    const { body } = await waitForJob(id, 60_000);
    expect(body.status).toBe("succeeded");
    expect(body.attempts).toBe(2);
    expect((body.transcript as { text: string }).text.toLowerCase()).toContain("fellow americans");

    const { blobs } = rawClients(connectionString, transcriptsTable);
    const names = await blobNames(blobs, recordingsContainer, {
      prefix: `${owner}/${recordingId}/`,
    });
    expect(names).toHaveLength(1);
    const properties = await blobs
      .getContainerClient(recordingsContainer)
      .getBlobClient(names[0]!)
      .getProperties();
    expect(properties.contentLength).toBe(long.length);
    expect((await storedState(connectionString)).transcripts.filter((key) => key === id)).toHaveLength(1);
    const tmp = processTempDir(dataDir);
    const scratch = fs.existsSync(tmp) ? fs.readdirSync(tmp) : [];
    expect(scratch.filter((name) => name.startsWith(id))).toEqual([]);
  });

  it("works again once storage is back, without restarting the app", async () => {
    await startAzurite();
    const response = await upload(jfk, { name: "after the outage.wav" });
    expect(response.status).toBe(202);
    const started = (await response.json()) as { id: string; recordingId: string };
    const { body } = await waitForJob(started.id);
    expect(body.status).toBe("succeeded");
    expect((body.transcript as { text: string }).text.toLowerCase()).toContain("fellow americans");

    const state = await storedState(azurite!.connectionString);
    expect(state.recordings).toContain(`${owner}/${started.recordingId}/after the outage.wav`);
    expect(state.transcripts).toContain(started.id);
    expect(leftInUploads()).toEqual([]);
  });
});

/**
 * A TCP proxy in front of Azurite's blob endpoint. Once armed, it lets the PUT of a recording reach
 * Azurite but, instead of passing on Azurite's "201 Created", drops every connection and stops
 * listening: storage went away after it had saved the blob and before it could say so.
 */
class CutAfterCommitProxy {
  armed = false;
  tripped = false;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  get listening(): boolean {
    return this.server !== null;
  }

  async open(): Promise<void> {
    if (this.server) return;
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, "127.0.0.1");
      this.sockets.add(client).add(upstream);
      let recordingPut = false;
      client.on("data", (chunk: Buffer) => {
        if (this.armed && chunk.toString("latin1", 0, 40).startsWith("PUT /devstoreaccount1/recordings/")) {
          recordingPut = true;
        }
        upstream.write(chunk);
      });
      upstream.on("data", (chunk: Buffer) => {
        if (recordingPut && chunk.toString("latin1", 0, 12) === "HTTP/1.1 201") {
          this.tripped = true;
          void this.close();
          return;
        }
        client.write(chunk);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      for (const socket of [client, upstream]) socket.on("close", end).on("error", end);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("storage lost right after it stored the recording", () => {
  let proxy: CutAfterCommitProxy;
  let outcome: { status: number; code?: string; message?: string } | null = null;

  beforeAll(async () => {
    const { connectionString, ports } = await startAzurite();
    // The container exists already, so the only "201 Created" on the blob endpoint is the recording's PUT.
    await rawClients(connectionString, transcriptsTable)
      .blobs.getContainerClient(recordingsContainer)
      .createIfNotExists();
    proxy = new CutAfterCommitProxy(await freePort(), ports.blob);
    await proxy.open();
    await configure({
      AZURE_STORAGE_CONNECTION_STRING: connectionString.replace(
        /(BlobEndpoint=http:\/\/127\.0\.0\.1:)\d+/,
        `$1${proxy.port}`,
      ),
    });
  });

  afterAll(async () => {
    await proxy.close();
    await configure({ AZURE_STORAGE_CONNECTION_STRING: azurite?.connectionString });
  });

  it("answers 503 storage_unavailable and keeps no temporary file", async () => {
    proxy.armed = true;
    const response = await upload(jfk, { name: "orphan.wav" });
    expect(proxy.tripped).toBe(true);
    const body = (await response.clone().json()) as { error?: { code: string; message: string } };
    outcome = { status: response.status, code: body.error?.code, message: body.error?.message };
    await expectStorageUnavailable(response);
    expect(leftInUploads()).toEqual([]);
  });

  // Bug (lib/storage/azure/blob-recording-store.ts, uploadFile): the Put Blob reached Azurite and
  // was committed, only the answer was lost. uploadFile then tries `blob.deleteIfExists()` once,
  // which fails too (storage is still away) and is swallowed, so the app reports "Nothing was
  // saved" while a recording with a transcriptionId of a job that never existed stays behind and
  // shows up in the library once storage is back. Nobody ever retries the clean-up.
  it("removes that recording once storage answers again", async () => {
    expect(outcome?.code).toBe("storage_unavailable");
    proxy.armed = false;
    await proxy.open();
    const { blobs } = rawClients(azurite!.connectionString, transcriptsTable);
    const orphans = async () =>
      (await blobNames(blobs, recordingsContainer, { prefix: `${owner}/` })).filter((name) =>
        name.endsWith("/orphan.wav"),
      );
    const deadline = Date.now() + 5_000;
    while ((await orphans()).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await orphans()).toEqual([]);
  });
});

describe("embedded Azurite that cannot start", () => {
  const childScript = (mode: string, location: string) => `
import { startEmbeddedAzurite } from ${JSON.stringify(path.join(process.cwd(), "lib/storage/azurite/embedded-azurite"))};

async function main(): Promise<void> {
  const first = await startEmbeddedAzurite({ location: ${JSON.stringify(path.join(location, "a"))} });
  if (${JSON.stringify(mode === "port-taken")}) {
    const outcome = await startEmbeddedAzurite({
      location: ${JSON.stringify(path.join(location, "b"))},
      blobPort: first.ports.blob,
    }).then(
      async (second) => {
        await second.stop();
        return "started";
      },
      (error: unknown) => String(error),
    );
    console.log("second: " + outcome);
  }
  await first.stop();
  console.log("stopped");
}

void main();
`;

  /**
   * Runs a script in its own Node process: starts an Azurite, with "port-taken" tries a second one
   * on the first one's blob port, stops the first, then lets the process end by itself. Answers
   * what it printed and whether it exited within 5 s of the stop (killed otherwise).
   */
  async function runChild(mode: "alone" | "port-taken") {
    const script = path.join(workDir, `azurite-${mode}.ts`);
    fs.writeFileSync(script, childScript(mode, path.join(workDir, `child-${mode}`)));
    // One process (tsx's loader inside node, not its CLI wrapper), so killing it leaves nothing behind.
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let stoppedAt = 0;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!stoppedAt && output.includes("stopped")) stoppedAt = Date.now();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const started = Date.now();
    const exitedWithin5s = await new Promise<boolean>((resolve) => {
      const timer = setInterval(() => {
        const late = stoppedAt ? Date.now() - stoppedAt > 5_000 : Date.now() - started > 60_000;
        if (late) {
          clearInterval(timer);
          child.kill("SIGKILL");
          resolve(false);
        }
      }, 100);
      child.once("exit", () => {
        clearInterval(timer);
        resolve(true);
      });
    });
    return { output, exitedWithin5s };
  }

  let portTaken: Awaited<ReturnType<typeof runChild>> | null = null;

  it("starts, stops and lets the process exit (control for the cases below)", async () => {
    const run = await runChild("alone");
    expect(run.output.trim()).toBe("stopped");
    expect(run.exitedWithin5s).toBe(true);
  });

  it("refuses a port that is taken with EADDRINUSE, and the first one still stops", async () => {
    portTaken = await runChild("port-taken");
    expect(portTaken.output).toMatch(
      /^second: Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\nstopped\n$/,
    );
  });

  // Bug in lib/storage/azurite/embedded-azurite.ts: when a server fails to listen (port taken),
  // Azurite has already opened its stores and started its blob GC loop in beforeStart(), but the
  // catch block only closes the servers in `started`, so the failed one stays alive in the process
  // (timers, loaded databases, a mark-and-sweep loop over the data folder) and it cannot exit.
  it("leaves nothing running after refusing a taken port", () => {
    expect(portTaken).not.toBeNull();
    expect(portTaken!.exitedWithin5s).toBe(true);
  });
});
