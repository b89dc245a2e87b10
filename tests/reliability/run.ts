// npm run test:reliability: the production server (a `next build` is needed) against hostile and
// broken input, concurrency, a storage outage and a crash, with real speech, real ffmpeg and a
// real Azurite that this script owns (so it can stop it). Prints a summary table and exits 1 when
// any case failed or anything accepted was lost.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { encodeWav, inspectWav } from "@/lib/audio/wav";
import { startEmbeddedAzurite, type EmbeddedAzurite } from "@/lib/storage/azurite/embedded-azurite";
import { baseEnv, pollUntil, projectRoot, startAppProcess, type AppProcess } from "../helpers/app-process";
import { freePort } from "../helpers/storage";
import { wordErrorRate } from "../helpers/wer";
import { abortedUpload, multipart, request, slowUpload, type RawReply } from "./http";

interface Row {
  section: string;
  name: string;
  expected: string;
  got: string;
  passed: boolean;
}

const rows: Row[] = [];
let lost = 0;
const fixtures = path.join(projectRoot, "tests", "fixtures");
const readFixture = (name: string) => fs.readFileSync(path.join(fixtures, name));
const jfk = readFixture("jfk.wav");

function record(section: string, name: string, expected: string, got: string, passed: boolean) {
  rows.push({ section, name, expected, got, passed });
  const mark = passed ? "ok  " : "FAIL";
  console.log(`${mark} ${section} · ${name}: expected ${expected}, got ${got}`);
}

/** The error envelope of a reply, when it has one. */
function envelope(reply: RawReply): { code: string; message: string } | null {
  const error = (reply.json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string" && error.message.length > 5
    ? { code: error.code, message: error.message }
    : null;
}

/** A WAV of `seconds` of jfk.wav played again and again (16 kHz mono 16-bit). */
function longSpeech(seconds: number): Buffer {
  const info = inspectWav(jfk, jfk.length);
  if ("problem" in info || info.dataOffset === null) throw new Error("jfk.wav has no readable header");
  const data = jfk.subarray(info.dataOffset);
  const samples = new Int16Array(seconds * 16_000);
  const source = new Int16Array(
    data.buffer.slice(data.byteOffset, data.byteOffset + data.length - (data.length % 2)),
  );
  for (let at = 0; at < samples.length; at++) samples[at] = source[at % source.length]!;
  return encodeWav(samples, 16_000);
}

class Server {
  process!: AppProcess;
  constructor(
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  async start(): Promise<void> {
    this.process = startAppProcess("scripts/start.ts", this.env);
    await pollUntil(
      async () => {
        if (
          this.process.lines.some(
            (line) => line.level === "error" && line.message === "server failed to start",
          )
        )
          throw new Error(`the server did not start:\n${this.process.output()}`);
        return await request(this.port, "GET", "/api/health", { timeoutMs: 2_000 })
          .then((reply) => (reply.status === 200 ? true : null))
          .catch(() => null);
      },
      120_000,
      "the server to be healthy",
      250,
    );
  }

  async alive(): Promise<boolean> {
    const reply = await request(this.port, "GET", "/api/health", { timeoutMs: 10_000 }).catch(() => null);
    return reply !== null && (reply.status === 200 || reply.status === 503);
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    this.process.kill(signal);
    await this.process.exited;
  }
}

async function upload(
  server: Server,
  file: { name: string; type: string; data: Buffer },
  fields: Record<string, string> = { language: "en-US" },
  headers: Record<string, string> = {},
) {
  const form = multipart(fields, file);
  return request(server.port, "POST", "/api/transcriptions", {
    headers: { "content-type": form.contentType, origin: `http://127.0.0.1:${server.port}`, ...headers },
    body: form.body,
    timeoutMs: 60_000,
  });
}

async function waitForJob(server: Server, id: string, timeoutMs: number) {
  return pollUntil(
    async () => {
      const reply = await request(server.port, "GET", `/api/transcriptions/${id}`).catch(() => null);
      const body = reply?.json as { status?: string; transcript?: { text: string } } | null;
      return body && ["succeeded", "failed", "cancelled"].includes(body.status ?? "") ? body : null;
    },
    timeoutMs,
    `job ${id}`,
    250,
  );
}

/** One hostile or broken request: what it must answer (one of `statuses`, with the envelope). */
interface Case {
  name: string;
  statuses: number[];
  send: (server: Server) => Promise<RawReply>;
  /** The envelope is required unless the reply comes from below the app (Node's parser). */
  envelope?: boolean;
  /** Node's parser may answer and close at once, which a client can see as a reset. */
  closedIsFine?: boolean;
  check?: (reply: RawReply) => string | null;
}

/** An id of the right shape that names nothing. */
const unknownId = "0000000000nothing";

function hostileCases(port: number, savedId: string, etag: string, recordingId: string): Case[] {
  const own = `http://127.0.0.1:${port}`;
  const json = (body: unknown, extra: Record<string, string> = {}) => ({
    headers: { "content-type": "application/json", origin: own, ...extra },
    body: JSON.stringify(body),
  });
  const wav = (name: string, data: Buffer, type = "audio/wav") => ({ name, type, data });
  const send =
    (method: string, url: string, options: Parameters<typeof request>[3] = {}) =>
    (server: Server) =>
      request(server.port, method, url, options);
  const put = (body: unknown, headers: Record<string, string> = {}) =>
    send("PUT", `/api/transcriptions/${savedId}`, json(body, { "if-match": etag, ...headers }));
  return [
    // Uploads
    {
      name: "zero-byte file",
      statuses: [400, 415, 422],
      send: (s) => upload(s, wav("empty.wav", Buffer.alloc(0))),
    },
    {
      name: "text renamed .wav",
      statuses: [415, 422],
      send: (s) => upload(s, wav("notes.wav", Buffer.from("meeting notes, not audio\n".repeat(200)))),
    },
    {
      name: "truncated WAV",
      statuses: [415, 422],
      send: (s) => upload(s, wav("cut.wav", jfk.subarray(0, 60))),
    },
    {
      name: "random bytes as .mp3",
      statuses: [415, 422],
      send: (s) =>
        upload(
          s,
          wav(
            "noise.mp3",
            Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)),
            "audio/mpeg",
          ),
        ),
    },
    {
      name: "PNG renamed .m4a",
      statuses: [415, 422],
      send: (s) =>
        upload(
          s,
          wav(
            "photo.m4a",
            Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(4000)]),
            "audio/mp4",
          ),
        ),
    },
    {
      name: "file over the upload limit",
      statuses: [413],
      send: (s) =>
        upload(s, wav("big.wav", Buffer.concat([jfk.subarray(0, 44), Buffer.alloc(9 * 1024 * 1024)]))),
    },
    {
      name: "audio over the duration limit",
      statuses: [413],
      send: (s) => upload(s, wav("long.wav", longSpeech(200))),
    },
    {
      name: "no audio field",
      statuses: [400],
      send: (s) => {
        const form = multipart({ language: "en-US" });
        return request(s.port, "POST", "/api/transcriptions", {
          headers: { "content-type": form.contentType, origin: own },
          body: form.body,
        });
      },
    },
    {
      name: "bad language",
      statuses: [400],
      send: (s) => upload(s, wav("a.wav", jfk), { language: "../../etc" }),
    },
    { name: "bad diarize", statuses: [400], send: (s) => upload(s, wav("a.wav", jfk), { diarize: "maybe" }) },
    {
      name: "speakers 0",
      statuses: [400],
      send: (s) => upload(s, wav("a.wav", jfk), { diarize: "true", speakers: "0" }),
    },
    {
      name: "speakers not a number",
      statuses: [400],
      send: (s) => upload(s, wav("a.wav", jfk), { speakers: "abc" }),
    },
    {
      name: "upload as JSON",
      statuses: [400, 415],
      send: send("POST", "/api/transcriptions", json({ audio: "AAAA" })),
    },
    {
      name: "multipart with a broken boundary",
      statuses: [400],
      send: send("POST", "/api/transcriptions", {
        headers: { "content-type": "multipart/form-data; boundary=abc", origin: own },
        body: "--xyz\r\nnot really\r\n",
      }),
    },
    {
      name: "cross-site no-cors upload",
      statuses: [403],
      send: (s) =>
        upload(s, wav("a.wav", jfk), {}, { origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
    },
    // Reading
    { name: "unknown transcript", statuses: [404], send: send("GET", `/api/transcriptions/${unknownId}`) },
    {
      name: "malformed percent-encoding",
      statuses: [400, 404],
      send: send("GET", "/api/transcriptions/%E0%A4%A"),
    },
    {
      name: "5,000-character id",
      statuses: [400, 404, 414],
      send: send("GET", `/api/transcriptions/${"a".repeat(5000)}`),
    },
    { name: "limit -1", statuses: [400], send: send("GET", "/api/recordings?limit=-1") },
    { name: "limit 10^9", statuses: [400], send: send("GET", "/api/recordings?limit=1000000000") },
    {
      name: "cursor of 100 KB",
      statuses: [400, 414, 431],
      envelope: false,
      send: send("GET", `/api/recordings?cursor=${"z".repeat(100_000)}`),
    },
    {
      name: "export as .exe",
      statuses: [400],
      send: send("GET", `/api/transcriptions/${savedId}/export?format=exe`),
    },
    {
      name: "audio range past the end",
      statuses: [416],
      send: send("GET", `/api/recordings/${recordingId}/audio`, { headers: { range: "bytes=999999999-" } }),
    },
    {
      name: "unknown recording audio",
      statuses: [404],
      send: send("GET", `/api/recordings/${unknownId}/audio`),
    },
    {
      name: "unknown outbox entry",
      statuses: [404],
      send: send("GET", "/api/outbox/1700000000000-0badf00d"),
    },
    {
      name: "path traversal",
      statuses: [400, 404],
      envelope: false,
      send: send("GET", "/api/../../../../etc/passwd"),
    },
    // Writing
    { name: "PUT with a stale ETag", statuses: [412], send: put({ text: "x" }, { "if-match": '"stale"' }) },
    {
      name: "PUT without If-Match",
      statuses: [428],
      send: send("PUT", `/api/transcriptions/${savedId}`, json({ text: "x" })),
    },
    {
      name: "PUT as text/plain",
      statuses: [415],
      send: send("PUT", `/api/transcriptions/${savedId}`, {
        headers: { "content-type": "text/plain", origin: own, "if-match": etag },
        body: JSON.stringify({ summary: "overwritten" }),
      }),
    },
    {
      name: "PUT of 50 MB JSON",
      statuses: [413],
      send: put({ text: "x".repeat(50 * 1024 * 1024) }),
    },
    { name: "PUT with wrong types", statuses: [400], send: put({ text: 42, segments: "none" }) },
    {
      name: "PUT of malformed JSON",
      statuses: [400],
      send: send("PUT", `/api/transcriptions/${savedId}`, {
        headers: { "content-type": "application/json", origin: own, "if-match": etag },
        body: '{"text": "unterminated',
      }),
    },
    {
      name: "PUT nested 100,000 deep",
      statuses: [400, 413],
      send: send("PUT", `/api/transcriptions/${savedId}`, {
        headers: { "content-type": "application/json", origin: own, "if-match": etag },
        body: "[".repeat(100_000) + "]".repeat(100_000),
      }),
    },
    {
      name: "cross-site PUT",
      statuses: [403],
      send: put({ summary: "x" }, { origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
    },
    {
      name: "DELETE of an unknown transcript",
      statuses: [404],
      send: send("DELETE", `/api/transcriptions/${unknownId}`, { headers: { origin: own } }),
    },
    {
      name: "summary as text/plain",
      statuses: [415],
      send: send("POST", `/api/transcriptions/${savedId}/summary`, {
        headers: { "content-type": "text/plain", origin: own },
        body: "{}",
      }),
    },
    {
      name: "e-mail as text/plain",
      statuses: [415],
      send: send("POST", `/api/transcriptions/${savedId}/email`, {
        headers: { "content-type": "text/plain", origin: own },
        body: JSON.stringify({ to: "someone@example.com" }),
      }),
    },
    {
      name: "e-mail with a header injection",
      statuses: [400],
      send: send(
        "POST",
        `/api/transcriptions/${savedId}/email`,
        json({ to: "a@example.com\r\nBcc: b@example.com" }),
      ),
    },
    {
      name: "e-mail to no address",
      statuses: [400],
      send: send("POST", `/api/transcriptions/${savedId}/email`, json({ to: "not an address" })),
    },
    // Protocol
    { name: "TRACE", statuses: [405], send: send("TRACE", "/api/health") },
    {
      name: "PATCH where only GET exists",
      statuses: [405],
      send: send("PATCH", "/api/recordings", json({})),
    },
    {
      name: "a 64 KB header",
      statuses: [431],
      envelope: false,
      closedIsFine: true,
      send: send("GET", "/api/health", { headers: { "x-padding": "p".repeat(64 * 1024) } }),
    },
    {
      name: "rebinding Host",
      statuses: [200, 403, 421],
      send: send("GET", "/api/recordings", { headers: { host: "attacker.example" } }),
      check: (reply) =>
        reply.status === 200
          ? "answered for a foreign Host (acceptable only while listening on loopback)"
          : null,
    },
  ];
}

async function runHostile(server: Server) {
  const section = "hostile input";
  const saved = await upload(server, { name: "jfk.wav", type: "audio/wav", data: jfk });
  const { id } = saved.json as { id: string };
  const done = await waitForJob(server, id, 120_000);
  if (done.status !== "succeeded") throw new Error("the reference upload did not succeed");
  const transcript = (await request(server.port, "GET", `/api/transcriptions/${id}`)).json as {
    transcript: { etag: string; recordingId: string };
  };
  const cases = hostileCases(server.port, id, transcript.transcript.etag, transcript.transcript.recordingId);
  for (const item of cases) {
    let reply: RawReply | null = null;
    let failure = "";
    try {
      reply = await item.send(server);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const alive = await server.alive();
    const problems: string[] = [];
    if (!reply) {
      if (!(item.closedIsFine && /ECONNRESET|socket hang up/.test(failure)))
        problems.push(`no reply (${failure})`);
    } else {
      if (!item.statuses.includes(reply.status)) problems.push(`status ${reply.status}`);
      if (reply.status >= 400 && item.envelope !== false && !envelope(reply))
        problems.push("no error envelope");
      const note = item.check?.(reply);
      if (note) problems.push(note);
    }
    if (!alive) problems.push("server down");
    const got = reply
      ? `${reply.status}${envelope(reply) ? ` ${envelope(reply)!.code}` : ""}`
      : "connection closed";
    record(
      section,
      item.name,
      `${item.statuses.join("/")} + live server`,
      problems.length ? `${got}; ${problems.join(", ")}` : got,
      problems.length === 0,
    );
  }

  // Connections that misbehave.
  const slow = await slowUpload(server.port, { dripSec: 5, giveUpSec: 120 });
  record(
    section,
    "upload that drips then stalls",
    "closed within 120 s",
    `${slow.outcome} after ${slow.afterSec.toFixed(0)} s`,
    slow.outcome !== "still open" && (await server.alive()),
  );
  const before = (
    (await request(server.port, "GET", "/api/recordings?limit=200")).json as { items: unknown[] }
  ).items.length;
  const form = multipart({ language: "en-US" }, { name: "cut.wav", type: "audio/wav", data: jfk });
  await abortedUpload(
    server.port,
    `POST /api/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:${server.port}\r\nContent-Type: ${form.contentType}\r\nContent-Length: ${form.body.length}\r\n\r\n`,
    form.body.subarray(0, Math.floor(form.body.length / 2)),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = (
    (await request(server.port, "GET", "/api/recordings?limit=200")).json as { items: unknown[] }
  ).items.length;
  record(
    section,
    "upload aborted halfway",
    "nothing stored, live server",
    `${after - before} stored`,
    after === before && (await server.alive()),
  );

  const refused = await new Promise<string>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/live`, {
      headers: { origin: "https://evil.example" },
    });
    ws.on("unexpected-response", (_req, res) => resolve(String(res.statusCode)));
    ws.on("open", () => {
      ws.close();
      resolve("open");
    });
    ws.on("error", () => resolve("error"));
  });
  record(section, "live socket from another site", "403", refused, refused === "403");
  const garbage = await new Promise<string>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/live`, {
      headers: { origin: `http://127.0.0.1:${server.port}` },
    });
    ws.on("open", () => ws.send("not json"));
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string; code?: string };
      if (message.type === "error") resolve(message.code ?? "error");
    });
    ws.on("close", () => resolve("closed without an error frame"));
    ws.on("error", () => resolve("socket error"));
  });
  record(
    section,
    "live socket fed garbage",
    "invalid_message",
    garbage,
    garbage === "invalid_message" && (await server.alive()),
  );
}

async function runConcurrent(server: Server) {
  const section = "concurrency";
  const clips = ["jfk", "kitchen", "paris"].map((name) => ({
    name,
    data: readFixture(`${name}.wav`),
    text: readFixture(`${name}.txt`).toString("utf8"),
  }));
  // Each clip alone first: a transcript made under load must say the same.
  const alone = new Map<string, string>();
  for (const clip of clips) {
    const reply = await upload(server, { name: `${clip.name}.wav`, type: "audio/wav", data: clip.data });
    const job = await waitForJob(server, (reply.json as { id: string }).id, 120_000);
    alone.set(clip.name, job.transcript?.text ?? "");
  }
  const uploads = Array.from({ length: 20 }, (_, i) => clips[i % clips.length]!);
  const replies = await Promise.all(
    uploads.map((clip, i) =>
      upload(server, { name: `${clip.name}-${i}.wav`, type: "audio/wav", data: clip.data }),
    ),
  );
  const accepted = replies.filter((reply) => reply.status === 202);
  record(section, "20 uploads at once", "20 × 202", `${accepted.length} × 202`, accepted.length === 20);
  const results = await Promise.all(
    replies.map(async (reply, i) => {
      if (reply.status !== 202) return false;
      const job = await waitForJob(server, (reply.json as { id: string }).id, 300_000).catch(() => null);
      if (job?.status !== "succeeded") return false;
      const text = job.transcript?.text ?? "";
      return text === alone.get(uploads[i]!.name) && wordErrorRate(uploads[i]!.text, text) <= 0.5;
    }),
  );
  const correct = results.filter(Boolean).length;
  lost += accepted.length - correct;
  record(
    section,
    "20 transcripts",
    "20 as each clip alone (WER ≤ 50 %)",
    `${correct} correct`,
    correct === 20,
  );
}

async function runStorageOutage(
  server: Server,
  azurite: () => EmbeddedAzurite,
  restart: () => Promise<void>,
  stop: () => Promise<void>,
) {
  const section = "storage outage";
  const before = await upload(server, { name: "before.wav", type: "audio/wav", data: jfk });
  const beforeId = (before.json as { id: string }).id;
  await waitForJob(server, beforeId, 120_000);
  await stop();
  const listing = await request(server.port, "GET", "/api/recordings");
  const listingEnvelope = envelope(listing);
  record(
    section,
    "library while storage is down",
    "503 storage_unavailable",
    `${listing.status} ${listingEnvelope?.code ?? ""}`,
    listing.status === 503 && listingEnvelope?.code === "storage_unavailable",
  );
  const during = await upload(server, { name: "during.wav", type: "audio/wav", data: jfk });
  record(
    section,
    "upload while storage is down",
    "503 with a message",
    `${during.status} ${envelope(during)?.code ?? ""}`,
    during.status === 503 && envelope(during) !== null,
  );
  const health = await request(server.port, "GET", "/api/health");
  record(section, "health while storage is down", "503 degraded", `${health.status}`, health.status === 503);
  await restart();
  void azurite;
  const recovered = await pollUntil(
    async () =>
      (await request(server.port, "GET", "/api/recordings").catch(() => null))?.status === 200 ? true : null,
    60_000,
    "the library after storage returns",
    500,
  ).catch(() => false);
  record(
    section,
    "library after storage returns",
    "200 within 60 s",
    recovered ? "200" : "not recovered",
    recovered === true,
  );
  const after = await upload(server, { name: "after.wav", type: "audio/wav", data: jfk });
  const afterJob =
    after.status === 202 ? await waitForJob(server, (after.json as { id: string }).id, 120_000) : null;
  record(
    section,
    "upload after storage returns",
    "transcribed",
    afterJob?.status ?? String(after.status),
    afterJob?.status === "succeeded",
  );
  const stillThere = await request(server.port, "GET", `/api/transcriptions/${beforeId}`);
  const kept = (stillThere.json as { status?: string }).status === "succeeded";
  if (!kept) lost += 1;
  record(
    section,
    "transcript saved before the outage",
    "still there",
    kept ? "there" : `${stillThere.status}`,
    kept,
  );
}

async function runCrash(server: Server) {
  const section = "crash mid-job";
  const long = await upload(server, { name: "long.wav", type: "audio/wav", data: longSpeech(120) });
  const id = (long.json as { id: string }).id;
  await pollUntil(
    async () => {
      const body = (await request(server.port, "GET", `/api/transcriptions/${id}`)).json as {
        status: string;
        progress: number;
      };
      return body.status === "running" && body.progress > 0 ? true : null;
    },
    120_000,
    "the long job to run",
    100,
  );
  await server.stop("SIGKILL");
  record(section, "server killed while transcribing", "killed", "killed", true);
  await server.start();
  const job = await waitForJob(server, id, 300_000).catch(() => null);
  const done = job?.status === "succeeded";
  if (!done) lost += 1;
  record(section, "the job after restart", "succeeded", job?.status ?? "never finished", done);
  const words = (job?.transcript?.text ?? "")
    .toLowerCase()
    .replace(/[^a-z\s]/g, " ")
    .split(/\s+/)
    .join(" ");
  // 120 s of an 11 s clip: ten whole plays and most of an eleventh.
  const repeats = words.split("what your country can do for you").length - 1;
  record(
    section,
    "its transcript",
    "every play once (10–11)",
    `${repeats} plays`,
    repeats >= 10 && repeats <= 11,
  );
}

async function main() {
  if (!fs.existsSync(path.join(projectRoot, ".next", "BUILD_ID"))) {
    console.error("No production build: run `npm run build` first.");
    process.exit(1);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-"));
  const azuriteDir = path.join(work, "azurite");
  let azurite = await startEmbeddedAzurite({ location: azuriteDir });
  const ports = azurite.ports;
  const port = await freePort();
  const server = new Server(port, {
    ...baseEnv(),
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: path.join(work, "data"),
    STORAGE_PROVIDER: "azure",
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    UPLOAD_MAX_MB: "8",
    // Twenty uploads at once come from this one client.
    UPLOADS_PER_CLIENT: "25",
    AUDIO_MAX_MINUTES: "3",
    JOBS_VISIBILITY_SEC: "5",
    LOG_LEVEL: "warn",
  });
  const started = Date.now();
  try {
    await server.start();
    await runHostile(server);
    await runConcurrent(server);
    await runStorageOutage(
      server,
      () => azurite,
      async () => {
        azurite = await startEmbeddedAzurite({
          location: azuriteDir,
          ...{ blobPort: ports.blob, queuePort: ports.queue, tablePort: ports.table },
        });
      },
      () => azurite.stop(),
    );
    await runCrash(server);
  } catch (error) {
    record(
      "suite",
      "ran to the end",
      "no error",
      error instanceof Error ? error.message : String(error),
      false,
    );
  } finally {
    await server.stop().catch(() => undefined);
    await azurite.stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }

  const sections = [...new Set(rows.map((row) => row.section))];
  const table = sections.map((section) => {
    const mine = rows.filter((row) => row.section === section);
    return { section, cases: mine.length, passed: mine.filter((row) => row.passed).length };
  });
  const total = { cases: rows.length, passed: rows.filter((row) => row.passed).length };
  console.log("\nsection            cases  passed");
  for (const line of table)
    console.log(
      `${line.section.padEnd(18)} ${String(line.cases).padStart(5)}  ${String(line.passed).padStart(6)}`,
    );
  console.log(`${"all".padEnd(18)} ${String(total.cases).padStart(5)}  ${String(total.passed).padStart(6)}`);
  console.log(`items lost: ${lost}    (${Math.round((Date.now() - started) / 1000)} s)`);
  const failed = rows.filter((row) => !row.passed);
  if (failed.length > 0 || lost > 0) {
    console.log("\nfailed:");
    for (const row of failed)
      console.log(`  ${row.section} · ${row.name}: expected ${row.expected}, got ${row.got}`);
    process.exit(1);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
