// npm run bench: engine and end-to-end speed, WER, memory and start-up time, printed as JSON.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { decodeToPcm, resolveFfmpeg } from "@/lib/audio/ffmpeg";
import { loadConfig } from "@/lib/config";
import { createSpeechEngine } from "@/lib/speech";
import { buildIfNeeded } from "../scripts/build-if-needed";
import { createWerScorer, sharedEvalDir } from "./score";
import { benchStressSet, type StressReport } from "./stress-bench";

const root = path.resolve(__dirname, "..");
const evalDir = path.join(sharedEvalDir, "hard");

const candidates = [
  {
    audio: path.join(evalDir, "long_concat_5min46s.mp3"),
    reference: path.join(evalDir, "long_concat_5min46s.txt"),
  },
];

function pickInput(workDir: string) {
  const found = candidates.find((candidate) => fs.existsSync(candidate.audio));
  if (found) return { ...found, label: path.basename(found.audio) };
  // Without the shared evaluation set: five minutes of the bundled fixture, looped.
  const audio = path.join(workDir, "jfk-looped.wav");
  execFileSync(resolveFfmpeg(loadConfig().audio.ffmpegPath).path, [
    "-loglevel",
    "error",
    "-y",
    "-stream_loop",
    "27",
    "-i",
    path.join(root, "tests/fixtures/jfk.wav"),
    audio,
  ]);
  return { audio, reference: null, label: "jfk.wav looped 28x" };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function peakRssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function benchEngine(audioPath: string, workDir: string) {
  const config = loadConfig();
  const engine = createSpeechEngine(config.speech);
  const loadStart = performance.now();
  await engine.warmUp();
  const modelLoadMs = performance.now() - loadStart;
  const decodeStart = performance.now();
  const pcm = await decodeToPcm(audioPath, path.join(workDir, "bench.pcm"), {
    ffmpegPath: config.audio.ffmpegPath,
    maxDurationSec: 4 * 3600,
  });
  const decodeMs = performance.now() - decodeStart;
  const runStart = performance.now();
  const result = await engine.transcribe(pcm, { language: "en-US", diarize: false });
  const engineMs = performance.now() - runStart;
  return {
    engine,
    pcm,
    result,
    modelLoadMs,
    decodeMs,
    engineMs,
    rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
}

async function benchServer(audioPath: string, workDir: string) {
  const port = await freePort();
  const started = performance.now();
  // node itself (not the tsx CLI, which forks) so that the pid below is the server's.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server.ts")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: path.join(workDir, "data"),
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => ((await fetch(`${base}/api/health`)).status < 500 ? true : null), 60_000);
    const listeningMs = performance.now() - started;
    await waitFor(async () => {
      const health = (await (await fetch(`${base}/api/health`)).json()) as {
        engines: { speech: { ready: boolean } };
      };
      return health.engines.speech.ready ? true : null;
    }, 60_000);
    const readyMs = performance.now() - started;

    const bytes = fs.readFileSync(audioPath);
    const form = new FormData();
    form.set("audio", new Blob([new Uint8Array(bytes)]), path.basename(audioPath));
    form.set("language", "en-US");
    const uploadStart = performance.now();
    const response = await fetch(`${base}/api/transcriptions`, { method: "POST", body: form });
    if (response.status !== 202)
      throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    const acceptedMs = performance.now() - uploadStart;
    const done = await waitFor(
      async () => {
        const job = (await (await fetch(`${base}/api/transcriptions/${id}`)).json()) as {
          status: string;
          transcript?: { text: string; durationSec: number };
          error?: unknown;
        };
        if (job.status === "failed") throw new Error(`job failed: ${JSON.stringify(job.error)}`);
        return job.status === "succeeded" ? job : null;
        // Four polls a second (the page polls once a second): the server answers polls while the
        // engine works, so a faster poll would measure the polling. The finish is seen at most
        // 250 ms late, which only lowers the figure.
      },
      600_000,
      250,
    );
    const endToEndMs = performance.now() - uploadStart;
    return {
      listeningMs,
      readyMs,
      acceptedMs,
      endToEndMs,
      transcript: done.transcript!,
      serverPeakRssMb: peakRssMb(child.pid!),
    };
  } finally {
    child.kill("SIGTERM");
  }
}

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-bench-"));
  try {
    buildIfNeeded(root);
    const input = pickInput(workDir);
    const reference = input.reference ? fs.readFileSync(input.reference, "utf8") : null;
    const engine = await benchEngine(input.audio, workDir);
    const server = await benchServer(input.audio, workDir);
    const scoreWer = createWerScorer(workDir);
    const stress = await benchStressSet({ engine: engine.engine, workDir, scoreWer });
    const audioSec = engine.pcm.durationSec;
    const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memoryGb: round(os.totalmem() / 1024 ** 3),
      },
      input: { file: input.label, audioSec: round(audioSec, 2) },
      engine: {
        id: "local-whisper-tiny.en",
        threads: loadConfig().speech.threads,
        modelLoadMs: round(engine.modelLoadMs, 0),
        ffmpegDecodeMs: round(engine.decodeMs, 0),
        transcribeMs: round(engine.engineMs, 0),
        realTimeFactor: round(audioSec / (engine.engineMs / 1000)),
        wer: reference ? round(scoreWer(reference, engine.result.text) * 100, 2) : null,
        processRssMb: engine.rssMb,
        decoding: engine.result.decoding ?? null,
        uncovered: engine.result.uncovered ?? [],
      },
      endToEnd: {
        serverListeningMs: round(server.listeningMs, 0),
        engineReadyAfterStartMs: round(server.readyMs, 0),
        uploadAcceptedMs: round(server.acceptedMs, 0),
        uploadToTranscriptMs: round(server.endToEndMs, 0),
        realTimeFactor: round(audioSec / (server.endToEndMs / 1000)),
        wer: reference ? round(scoreWer(reference, server.transcript.text) * 100, 2) : null,
        serverPeakRssMb: server.serverPeakRssMb,
      },
      stress: summarizeStress(stress),
      targets: { endToEndRealTimeFactor: 40, serverPeakRssMb: 700, engineReadyAfterStartMs: 5000 },
    };
    console.log(JSON.stringify(results, null, 2));
    fs.writeFileSync(path.join(root, "bench", "results.json"), JSON.stringify(results, null, 2) + "\n");
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The stress set's totals and one short line of figures per file. */
function summarizeStress(report: StressReport) {
  return {
    ...report.summary,
    files: report.files.map((file) => ({
      id: file.id,
      kind: file.kind,
      format: file.format,
      audioSec: file.audioSec,
      realTimeFactor: file.realTimeFactor,
      wer: file.wer,
      words: `${file.words}/${file.maxWords}`,
      longestRepeat: file.longestRepeat,
      uncoveredPieces: file.uncoveredPieces,
      engineUncovered: file.engineUncovered,
      retried: file.decoding?.retried ?? 0,
      gapsFilled: file.decoding?.gapsFilled ?? 0,
      loopsCut: file.decoding?.loopsCut ?? 0,
      failed: file.failed,
    })),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
