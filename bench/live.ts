// npm run bench:live: real speech streamed through the live socket at real-time pace, by 1 and by
// 3 sessions at once, with and without a file transcription running on the same server. Prints
// JSON (latency from speech onset to its first partial and from an utterance's end to its final
// segment, p50/p95; final WER against the same audio transcribed as a file; the server's CPU and
// peak RSS) and writes bench/results/live.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeToPcm } from "@/lib/audio/ffmpeg";
import { readPcm } from "@/lib/audio/pcm";
import { encodeWav } from "@/lib/audio/wav";
import { parseConfig } from "@/lib/config";
import { pollUntil, startTestServer } from "../tests/helpers/app-process";
import { connectLive, startFrame, type LiveClient } from "../tests/helpers/live-client";
import { freePorts } from "../tests/helpers/storage";
import { createWerScorer, sharedEvalDir } from "./score";

const root = path.resolve(__dirname, "..");
const RATE = 16_000;
const FRAME_SAMPLES = 1_600;
const GAP_SEC = 1.5;

interface Manifest {
  files: Array<{ id: string; path: string; kind: string; group: string; duration_s: number; ref?: string }>;
}

/** One clip placed in a session's stream: where its speech starts and ends (stream seconds). */
interface Placed {
  id: string;
  reference: string;
  start: number;
  onset: number;
  end: number;
}

interface Stream {
  pcm: Int16Array;
  clips: Placed[];
}

/** Clips of read speech with references, 4–17 s each, a different set for each session. */
function pickClips(sessions: number, perSession: number) {
  const manifest = JSON.parse(fs.readFileSync(path.join(sharedEvalDir, "manifest.json"), "utf8")) as Manifest;
  const clips = manifest.files.filter(
    (file) => file.kind === "wer" && file.ref && file.duration_s >= 4 && file.duration_s <= 17,
  );
  if (clips.length < sessions * perSession) throw new Error("not enough clips in the shared evaluation set");
  return Array.from({ length: sessions }, (_, index) =>
    clips.slice(index * perSession, (index + 1) * perSession).map((clip) => ({
      id: clip.id,
      file: path.join(sharedEvalDir, clip.path),
      reference: fs.readFileSync(path.join(sharedEvalDir, clip.ref!), "utf8").trim(),
    })),
  );
}

/** Joins clips with pauses into one 16-bit stream, noting where each clip's speech lies. */
async function buildStream(
  clips: Array<{ id: string; file: string; reference: string }>,
  workDir: string,
  ffmpegPath?: string,
): Promise<Stream> {
  const parts: Float32Array[] = [new Float32Array(RATE)];
  const placed: Placed[] = [];
  let at = RATE;
  for (const clip of clips) {
    const audio = await decodeToPcm(clip.file, path.join(workDir, `${clip.id}.pcm`), {
      ffmpegPath,
      maxDurationSec: 600,
    });
    const samples = await readPcm(audio, 0, audio.samples);
    const { first, last } = voicedSpan(samples);
    placed.push({
      id: clip.id,
      reference: clip.reference,
      start: at / RATE,
      onset: (at + first) / RATE,
      end: (at + last) / RATE,
    });
    parts.push(samples, new Float32Array(Math.round(GAP_SEC * RATE)));
    at += samples.length + Math.round(GAP_SEC * RATE);
  }
  const pcm = new Int16Array(at);
  let offset = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++)
      pcm[offset + i] = Math.max(-32768, Math.min(32767, part[i]! * 32768));
    offset += part.length;
  }
  return { pcm, clips: placed };
}

/** First and last sample of 20 ms frames louder than a tenth of the clip's loudest frame. */
function voicedSpan(samples: Float32Array): { first: number; last: number } {
  const frame = 320;
  const levels: number[] = [];
  for (let at = 0; at + frame <= samples.length; at += frame) {
    let sum = 0;
    for (let i = at; i < at + frame; i++) sum += samples[i]! ** 2;
    levels.push(Math.sqrt(sum / frame));
  }
  const threshold = Math.max(...levels) / 10;
  const first = levels.findIndex((level) => level >= threshold);
  const last = levels.length - 1 - [...levels].reverse().findIndex((level) => level >= threshold);
  return { first: first * frame, last: (last + 1) * frame };
}

interface SessionResult {
  firstPartialSec: number[];
  finalSec: number[];
  text: string;
  reference: string;
  stopToSavedSec: number;
  partials: number;
}

/** Streams one session at real-time pace and times what comes back. */
async function runSession(url: string, stream: Stream): Promise<SessionResult> {
  const client: LiveClient = await connectLive(url);
  const arrivals: Array<{ at: number; message: LiveClient["messages"][number] }> = [];
  client.ws.on("message", () => arrivals.push({ at: performance.now(), message: client.messages.at(-1)! }));
  client.sendJson(startFrame());
  await client.next("ready");
  const started = performance.now();
  const sentAt = (streamSec: number) => started + streamSec * 1000;
  for (let at = 0, index = 0; at < stream.pcm.length; at += FRAME_SAMPLES, index++) {
    const due = started + ((at + FRAME_SAMPLES) / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const frame = stream.pcm.subarray(at, at + FRAME_SAMPLES);
    client.ws.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
  }
  const stopped = performance.now();
  client.sendJson({ type: "stop" });
  await client.next("saved", 120_000);
  const stopToSavedSec = (performance.now() - stopped) / 1000;

  const firstPartialSec: number[] = [];
  const finalSec: number[] = [];
  for (const clip of stream.clips) {
    // A frame carries its audio up to its end: the onset sample left at its frame's end.
    const onsetSent = sentAt(Math.ceil((clip.onset * RATE) / FRAME_SAMPLES) * (FRAME_SAMPLES / RATE));
    const partial = arrivals.find(
      ({ at, message }) => at >= onsetSent && message.type === "partial" && message.start >= clip.start - 0.5,
    );
    if (partial) firstPartialSec.push((partial.at - onsetSent) / 1000);
    const endSent = sentAt(Math.ceil((clip.end * RATE) / FRAME_SAMPLES) * (FRAME_SAMPLES / RATE));
    const finals = arrivals.filter(
      ({ message }) =>
        message.type === "final" && message.segment.start < clip.end && message.segment.end > clip.end - 1.5,
    );
    const last = finals.at(-1);
    if (last) finalSec.push(Math.max(0, (last.at - endSent) / 1000));
  }
  const text = client.messages
    .flatMap((message) => (message.type === "final" ? [message.segment.text] : []))
    .join(" ");
  return {
    firstPartialSec,
    finalSec,
    text,
    reference: stream.clips.map((clip) => clip.reference).join(" "),
    stopToSavedSec,
    partials: client.messages.filter((message) => message.type === "partial").length,
  };
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!, 2);
}

function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/** CPU seconds (process and finished children) and peak RSS of a process (Linux). */
function usage(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuSec = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0) / 100;
  return { rssMb: rss, cpuSec };
}

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-live-"));
  const config = parseConfig(process.env);
  const score = createWerScorer(workDir);
  const perSession = Number(process.env.BENCH_LIVE_CLIPS ?? 6);
  const streams = await Promise.all(
    pickClips(3, perSession).map((clips, index) =>
      buildStream(clips, fs.mkdtempSync(path.join(workDir, `s${index}-`)), config.audio.ffmpegPath),
    ),
  );
  const longFile = path.join(sharedEvalDir, "hard/long_concat_5min46s.opus");
  const [blob, queue, table] = await freePorts(3);
  const started = await startTestServer({
    dataDir: path.join(workDir, "data"),
    ports: { blob: blob!, queue: queue!, table: table! },
    env: { SPEECH_THREADS: "2", SPEECH_PRELOAD: "true", LIVE_MAX_SESSIONS: "3", LOG_LEVEL: "warn" },
    timeoutMs: 120_000,
  });
  const server = started.process;
  try {
    const base = `127.0.0.1:${started.port}`;
    const url = `ws://${base}/api/live`;

    // The same audio as files: the WER live transcription is held against.
    const fileWer: number[] = [];
    for (const [index, stream] of streams.entries()) {
      const form = new FormData();
      form.set("audio", new File([new Uint8Array(encodeWav(stream.pcm, RATE))], `stream-${index}.wav`));
      form.set("language", "en-US");
      const { id } = (await (
        await fetch(`http://${base}/api/transcriptions`, { method: "POST", body: form })
      ).json()) as {
        id: string;
      };
      const done = await pollUntil(
        async () => {
          const body = (await (await fetch(`http://${base}/api/transcriptions/${id}`)).json()) as {
            status: string;
            transcript?: { text: string };
          };
          return body.status === "succeeded" || body.status === "failed" ? body : null;
        },
        300_000,
        "the file transcription",
        250,
      );
      fileWer.push(score(stream.clips.map((clip) => clip.reference).join(" "), done.transcript?.text ?? ""));
    }

    // BENCH_LIVE_ONLY=3 or 3+file runs one scenario.
    const only = process.env.BENCH_LIVE_ONLY;
    const scenarios = [
      { sessions: 1, fileJob: false },
      { sessions: 3, fileJob: false },
      { sessions: 1, fileJob: true },
      { sessions: 3, fileJob: true },
    ].filter((scenario) => !only || only === `${scenario.sessions}${scenario.fileJob ? "+file" : ""}`);
    const results = [];
    for (const scenario of scenarios) {
      if (scenario.fileJob) {
        if (!fs.existsSync(longFile)) throw new Error(`missing ${longFile}`);
        // Four copies of a 5 min 46 s file, one after another: file work for the whole scenario.
        for (let copy = 0; copy < 4; copy++) {
          const form = new FormData();
          form.set("audio", new File([new Uint8Array(fs.readFileSync(longFile))], `long-${copy}.opus`));
          form.set("language", "en-US");
          const response = await fetch(`http://${base}/api/transcriptions`, { method: "POST", body: form });
          if (response.status !== 202) throw new Error(`file job refused: ${response.status}`);
        }
        // Let it start decoding before the sessions begin.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
      }
      const before = usage(server.pid);
      let peakRssMb = before.rssMb;
      const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, usage(server.pid).rssMb)), 250);
      const wallStart = performance.now();
      const sessions = await Promise.all(
        streams.slice(0, scenario.sessions).map((stream) => runSession(url, stream)),
      );
      const wallSec = (performance.now() - wallStart) / 1000;
      const fileJobsLeft = scenario.fileJob
        ? (
            (await (await fetch(`http://${base}/api/jobs`)).json()) as { items: Array<{ status: string }> }
          ).items.filter((item) => item.status === "running" || item.status === "queued").length
        : 0;
      clearInterval(sampler);
      const after = usage(server.pid);
      const firstPartial = sessions.flatMap((session) => session.firstPartialSec);
      const final = sessions.flatMap((session) => session.finalSec);
      const liveWer = sessions.map((session) => score(session.reference, session.text));
      const audioSec = streams
        .slice(0, scenario.sessions)
        .reduce((sum, stream) => sum + stream.pcm.length / RATE, 0);
      results.push({
        ...scenario,
        audioSec: round(audioSec, 1),
        firstPartialSec: {
          p50: percentile(firstPartial, 50),
          p95: percentile(firstPartial, 95),
          n: firstPartial.length,
        },
        finalSec: { p50: percentile(final, 50), p95: percentile(final, 95), n: final.length },
        clipsWithoutPartial: sessions.reduce(
          (sum, session, index) => sum + streams[index]!.clips.length - session.firstPartialSec.length,
          0,
        ),
        partialsPerSession: sessions.map((session) => session.partials),
        stopToSavedSec: sessions.map((session) => round(session.stopToSavedSec)),
        keptUp: sessions.every((session) => session.stopToSavedSec < 3),
        liveWer: liveWer.map((wer) => round(wer, 4)),
        fileWer: fileWer.slice(0, scenario.sessions).map((wer) => round(wer, 4)),
        fileJobsLeftAtEnd: fileJobsLeft,
        cpuCores: round((after.cpuSec - before.cpuSec) / wallSec, 2),
        peakRssMb: Math.round(peakRssMb),
      });
      if (scenario.fileJob) {
        // The file job is left to finish alone before the next scenario.
        await pollUntil(
          async () => {
            const { items } = (await (await fetch(`http://${base}/api/jobs`)).json()) as {
              items: Array<{ status: string }>;
            };
            return items.some((item) => item.status === "running" || item.status === "queued") ? null : true;
          },
          900_000,
          "the file job",
          1_000,
        );
      }
    }
    const report = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      clipsPerSession: perSession,
      results,
    };
    const json = JSON.stringify(report, null, 2);
    console.log(json);
    fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
    fs.writeFileSync(path.join(root, "bench/results/live.json"), json + "\n");
  } finally {
    server.kill("SIGTERM");
    await server.exited;
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
