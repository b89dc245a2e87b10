// A server process killed with SIGKILL in the middle of a live session, with the default storage
// (the embedded Azurite, persisted in the data folder) and the local engine: the audio that had
// arrived a second before the kill is in storage, and once the server is back the session is
// recovered on its own as a normal recording (marked live, every byte of it) whose transcript is
// made from the audio; a resume of the cut session is refused, and nothing is left behind.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspectWav } from "@/lib/audio/wav";
import { readFixture } from "../helpers/api";
import { pollUntil, startTestServer, type AppProcess } from "../helpers/app-process";
import { connectLive, startFrame } from "../helpers/live-client";
import { azuriteConnectionString, blobNames, freePorts, rawClients } from "../helpers/storage";

const owner = "live-restart";
const jfk = readFixture("jfk.wav");
const header = inspectWav(jfk, jfk.length);
if ("problem" in header || header.dataOffset === null) throw new Error("jfk.wav has no readable header");
const speech = jfk.subarray(header.dataOffset);

let dataDir: string;
let ports: { blob: number; queue: number; table: number };
const running = new Set<AppProcess>();

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "live-restart-"));
  const [blob, queue, table] = await freePorts(3);
  ports = { blob: blob!, queue: queue!, table: table! };
});

afterAll(async () => {
  for (const child of running) {
    child.kill("SIGKILL");
    await child.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startServer() {
  const server = await startTestServer({
    dataDir,
    ports,
    env: { STORAGE_OWNER: owner, LIVE_RESUME_SEC: "1" },
  });
  running.add(server.process);
  return server;
}

function connectionString(): string {
  return azuriteConnectionString(ports);
}

describe("a server restart in the middle of a live session", () => {
  it("recovers the session as a recording with its transcript", async () => {
    const first = await startServer();
    const client = await connectLive(`ws://127.0.0.1:${first.port}/api/live`);
    client.sendJson(startFrame());
    const { sessionId } = await client.next("ready");
    const sent = speech.subarray(0, 16_000 * 2 * 8);
    await client.sendPcm(sent, { paceMs: 5 });
    // At most a second behind: everything sent is stored within a second or so.
    const { blobs } = rawClients(connectionString(), "transcripts");
    const live = blobs.getContainerClient("live").getAppendBlobClient(`${owner}/${sessionId}.pcm`);
    await pollUntil(
      async () => ((await live.getProperties()).contentLength === sent.length ? true : null),
      3_000,
      "the live audio stored",
      50,
    );
    // Azurite's index is saved with it, so the kill loses nothing.
    await new Promise((resolve) => setTimeout(resolve, 600));
    first.process.kill("SIGKILL");
    await first.process.exited;
    running.delete(first.process);
    expect((await client.closed).code).toBe(1006);

    const second = await startServer();
    const resumed = await connectLive(`ws://127.0.0.1:${second.port}/api/live`);
    resumed.sendJson(startFrame({ resume: { sessionId, offset: sent.length / 2 } }));
    expect(await resumed.next("error")).toMatchObject({ code: "session_not_found" });

    const base = `http://127.0.0.1:${second.port}`;
    const job = await pollUntil(
      async () => {
        const response = await fetch(`${base}/api/jobs`);
        const { items } = (await response.json()) as { items: Array<{ id: string; recordingId: string }> };
        return items.find((item) => item.recordingId === sessionId) ?? null;
      },
      30_000,
      "the recovered session's job",
      200,
    );
    const done = await pollUntil(
      async () => {
        const body = (await (await fetch(`${base}/api/transcriptions/${job.id}`)).json()) as {
          status: string;
          transcript?: { text: string; recordingId: string };
        };
        if (body.status === "failed") throw new Error(`the job failed: ${JSON.stringify(body)}`);
        return body.status === "succeeded" ? body : null;
      },
      60_000,
      "the recovered session's transcript",
      200,
    );
    expect(done.transcript?.recordingId).toBe(sessionId);
    expect(done.transcript?.text.toLowerCase()).toContain("ask not what your country");

    const names = await blobNames(blobs, "recordings", { prefix: `${owner}/${sessionId}/` });
    expect(names).toHaveLength(1);
    const recording = blobs.getContainerClient("recordings").getBlobClient(names[0]!);
    const properties = await recording.getProperties();
    expect(properties.metadata).toMatchObject({ source: "live", transcriptionid: job.id });
    const wav = await recording.downloadToBuffer();
    expect(wav.subarray(44).equals(sent)).toBe(true);
    expect(await live.exists()).toBe(false);

    second.process.kill("SIGTERM");
    expect((await second.process.exited).code).toBe(0);
    running.delete(second.process);
  });
});
