// Sign-in in a real server process (the test server, which gates requests and the live socket the
// way server.ts does): HOST defaults to loopback and the start-up warning; with AUTH_MODE=password,
// API requests without a session are 401 and pages go to the sign-in page; the live socket needs a
// session and keeps each user's sessions their own, through a crash and the recovery after it; and
// no password, hash or cookie ever reaches the logs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspectWav } from "@/lib/audio/wav";
import { readFixture } from "../helpers/api";
import { pollUntil, startTestServer, type AppProcess } from "../helpers/app-process";
import { makeSecret, makeUser, type TestUser } from "../helpers/auth";
import { connectLive, startFrame } from "../helpers/live-client";
import { freePorts } from "../helpers/storage";

const jfk = readFixture("jfk.wav");
const header = inspectWav(jfk, jfk.length);
if ("problem" in header || header.dataOffset === null) throw new Error("jfk.wav has no readable header");
const speech = jfk.subarray(header.dataOffset);

let dataDir: string;
let ports: { blob: number; queue: number; table: number };
let alice: TestUser;
let bob: TestUser;
let secret: string;
const running = new Set<AppProcess>();
/** Every process started, for the log checks. */
const started: AppProcess[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "auth-server-"));
  const [blob, queue, table] = await freePorts(3);
  ports = { blob: blob!, queue: queue!, table: table! };
  [alice, bob] = await Promise.all([makeUser("alice"), makeUser("bob")]);
  secret = makeSecret();
});

afterAll(async () => {
  for (const child of running) {
    child.kill("SIGKILL");
    await child.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  const server = await startTestServer({
    dataDir,
    ports,
    env: { SPEECH_PROVIDER: "fake", LIVE_RESUME_SEC: "1", ...env },
  });
  running.add(server.process);
  started.push(server.process);
  return server;
}

async function stop(child: AppProcess, signal: NodeJS.Signals = "SIGTERM") {
  child.kill(signal);
  await child.exited;
  running.delete(child);
}

const passwordMode = () => ({
  AUTH_MODE: "password",
  AUTH_USERS: `${alice.entry},${bob.entry}`,
  AUTH_SECRET: secret,
});

describe("where the server listens", () => {
  it("listens on loopback by default, and warns when HOST opens it to others without sign-in", async () => {
    const local = await start({});
    const ready = local.process.lines.find((line) => line.message === "test server ready")!;
    expect(ready.address).toBe("127.0.0.1");
    expect(local.process.lines.some((line) => line.level === "warn")).toBe(false);
    await stop(local.process);

    const open = await start({ HOST: "0.0.0.0" });
    const warning = open.process.lines.find(
      (line) => line.message === "listening beyond this machine without sign-in",
    );
    expect(warning).toMatchObject({ level: "warn", host: "0.0.0.0" });
    expect(String(warning?.hint)).toMatch(/AUTH_MODE=password/);
    await stop(open.process);

    const signedIn = await start({ HOST: "0.0.0.0", ...passwordMode(), TRUST_PROXY: "true" });
    expect(signedIn.process.lines.some((line) => line.level === "warn")).toBe(false);
    await stop(signedIn.process);
  });
});

describe("password sign-in in a running server", () => {
  it("gates requests and the live socket, and keeps live sessions per user through a crash", async () => {
    let server = await start(passwordMode());
    let base = `http://127.0.0.1:${server.port}`;
    const live = () => `ws://127.0.0.1:${server.port}/api/live`;

    // Without a session: 401 for the API, the sign-in page for pages, health stays open.
    const anonymous = await fetch(`${base}/api/jobs`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "unauthorized" } });
    const page = await fetch(`${base}/recordings?q=x`, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/recordings?q=x")}`);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    await expect(connectLive(live())).rejects.toMatchObject({ status: 401 });

    const signIn = async (user: TestUser, password = user.password) =>
      fetch(`${base}/api/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: user.name, password }),
      });
    expect((await signIn(alice, "wrong password")).status).toBe(401);
    const aliceCookie = (await signIn(alice)).headers.get("set-cookie")!.split(";")[0]!;
    const bobCookie = (await signIn(bob)).headers.get("set-cookie")!.split(";")[0]!;
    expect((await fetch(`${base}/api/jobs`, { headers: { cookie: aliceCookie } })).status).toBe(200);
    await expect(
      connectLive(live(), { cookie: `${aliceCookie.split("=")[0]}=v1.forged.mac` }),
    ).rejects.toMatchObject({
      status: 401,
    });

    // Alice's live session: Bob cannot take it over, Alice can resume it.
    const first = await connectLive(live(), { cookie: aliceCookie });
    first.sendJson(startFrame());
    const { sessionId } = await first.next("ready");
    const sent = speech.subarray(0, 16_000 * 2 * 3);
    await first.sendPcm(sent, { paceMs: 2 });
    first.ws.terminate();
    await first.closed;
    const thief = await connectLive(live(), { cookie: bobCookie });
    thief.sendJson(startFrame({ resume: { sessionId, offset: sent.length / 2 } }));
    expect(await thief.next("error")).toMatchObject({ code: "session_not_found" });
    const resumed = await connectLive(live(), { cookie: aliceCookie });
    resumed.sendJson(startFrame({ resume: { sessionId, offset: sent.length / 2 } }));
    expect(await resumed.next("ready")).toMatchObject({ sessionId });
    const more = speech.subarray(sent.length, sent.length + 16_000 * 2 * 5);
    await resumed.sendPcm(more, { paceMs: 2 });
    // Wait until it is stored, then the server dies with the session open.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await stop(server.process, "SIGKILL");

    // After the restart the session is recovered as Alice's recording, and only hers.
    server = await start(passwordMode());
    base = `http://127.0.0.1:${server.port}`;
    const jobsOf = async (cookie: string) =>
      (
        (await (await fetch(`${base}/api/jobs`, { headers: { cookie } })).json()) as {
          items: Array<{ id: string; recordingId: string; status: string }>;
        }
      ).items;
    const job = await pollUntil(
      async () =>
        (await jobsOf(aliceCookie)).find(
          (item) => item.recordingId === sessionId && item.status === "succeeded",
        ) ?? null,
      30_000,
      "Alice's recovered session transcribed",
      200,
    );
    expect((await jobsOf(bobCookie)).map((item) => item.recordingId)).not.toContain(sessionId);
    expect(
      (await fetch(`${base}/api/transcriptions/${job.id}`, { headers: { cookie: aliceCookie } })).status,
    ).toBe(200);
    expect(
      (await fetch(`${base}/api/transcriptions/${job.id}`, { headers: { cookie: bobCookie } })).status,
    ).toBe(404);

    await stop(server.process);
    const logs = started.map((child) => child.output()).join("\n");
    expect(logs).toContain("sign-in failed");
    for (const secretText of [
      alice.password,
      bob.password,
      secret,
      aliceCookie.split("=")[1]!,
      alice.entry.split(":")[2]!,
    ]) {
      expect(logs).not.toContain(secretText);
    }
  });
});
