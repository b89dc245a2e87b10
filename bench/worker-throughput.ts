// npm run bench:workers: how fast `npm run worker` processes drain a batch of queued recordings,
// one process against two, and how the engine's threads are best split on this machine.
// Prints JSON and writes bench/results/worker-throughput.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { POST } from "@/app/api/transcriptions/route";
import { parseConfig } from "@/lib/config";
import type { JobRecord } from "@/lib/jobs";
import { getProcessServices, startProcessServices, stopProcessServices, systemContext } from "@/lib/services";
import { startEmbeddedAzurite } from "@/lib/storage/azurite/embedded-azurite";
import { baseEnv, pollUntil, startAppProcess, type AppProcess } from "../tests/helpers/app-process";
import { sharedEvalDir } from "./score";

const root = path.resolve(__dirname, "..");

/** Real speech from the shared evaluation set: meetings, conversations, read speech, in several formats. */
const evalClips = [
  "diarization/ami_dev00.wav",
  "diarization/ami_dev01.wav",
  "diarization/ami_trn07.wav",
  "diarization/ami_trn08.wav",
  "diarization/pyannote_sample.wav",
  "diarization/synthetic_conversation_7spk.wav",
  "diarization/picovoice_3spk.wav",
  "hard/formats/ls1221-135766-0001.mp3",
  "hard/formats/ls1221-135766-0001.opus",
  "hard/formats/ls1221-135766-0001.m4a",
  "hard/jfk_over_music_snr5.wav",
  "wer/librispeech_2412-153948-0000.flac",
];

/** How the work is split: processes × engine threads each × jobs at once per process. */
interface Setup {
  workers: number;
  threads: number;
  concurrency: number;
}

const setups: Setup[] = [
  { workers: 1, threads: 2, concurrency: 1 },
  { workers: 2, threads: 1, concurrency: 1 },
  { workers: 1, threads: 2, concurrency: 2 },
  { workers: 1, threads: 1, concurrency: 1 },
  { workers: 2, threads: 2, concurrency: 1 },
];

function pickClips(): { label: string; files: string[] } {
  const files = evalClips.map((clip) => path.join(sharedEvalDir, clip));
  if (files.every((file) => fs.existsSync(file))) {
    return { label: `${files.length} clips of the shared evaluation set`, files };
  }
  // Without the shared evaluation set: the bundled fixtures, four times over.
  const fixtures = ["jfk.wav", "paris.wav", "kitchen.wav"].map((name) =>
    path.join(root, "tests/fixtures", name),
  );
  return { label: "tests/fixtures jfk, paris, kitchen ×4", files: [0, 1, 2, 3].flatMap(() => fixtures) };
}

/**
 * Peak resident memory (VmHWM) of a live process, and the CPU seconds it and its finished children
 * (ffmpeg) used so far (Linux).
 */
function processUsage(pid: number): { peakRssMb: number | null; cpuSec: number | null } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    // Fields after the command name (which may hold spaces): utime, stime, cutime, cstime are the 12th to 15th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
    return {
      peakRssMb: hwm ? Math.round(Number(hwm[1]) / 1024) : null,
      // Linux counts CPU time in ticks of 1/100 s (USER_HZ).
      cpuSec: Number.isFinite(ticks) ? round(ticks / 100, 1) : null,
    };
  } catch {
    return { peakRssMb: null, cpuSec: null };
  }
}

function round(value: number, digits = 0): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function upload(file: string): Promise<string> {
  const form = new FormData();
  form.set("audio", new File([new Uint8Array(fs.readFileSync(file))], path.basename(file)));
  form.set("language", "en-US");
  const response = await POST(
    new Request("http://localhost/api/transcriptions", { method: "POST", body: form }),
    {},
  );
  if (response.status !== 202)
    throw new Error(`upload of ${file} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Starts the workers, queues every clip at once, waits until all are done, and measures. */
async function runSetup(
  setup: Setup,
  run: number,
  files: string[],
  connectionString: string,
  workDir: string,
) {
  const names = {
    table: `bench${setup.workers}w${setup.threads}t${setup.concurrency}c${run}`,
    queue: `bench-${run}-${setup.workers}-${setup.threads}-${setup.concurrency}`,
  };
  const appEnv = {
    ...baseEnv(),
    NODE_ENV: "production" as const,
    STORAGE_PROVIDER: "azure",
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    JOBS_TABLE: names.table,
    JOBS_QUEUE: names.queue,
    LOG_LEVEL: "info",
  };
  // This process only queues and watches.
  await startProcessServices(
    parseConfig({
      ...appEnv,
      DATA_DIR: path.join(workDir, "queue"),
      JOBS_WORKER: "off",
      SPEECH_PRELOAD: "false",
    }),
  );
  const services = await getProcessServices();
  const owner = systemContext(services).owner;

  const workers: AppProcess[] = [];
  for (let index = 0; index < setup.workers; index++) {
    workers.push(
      startAppProcess("scripts/worker.ts", {
        ...appEnv,
        DATA_DIR: path.join(workDir, `workers-${run}`),
        SPEECH_THREADS: String(setup.threads),
        JOBS_CONCURRENCY: String(setup.concurrency),
      }),
    );
  }
  try {
    await Promise.all(
      workers.map((worker) =>
        worker.waitForLine((line) => line.message === "worker started", 120_000, "worker start-up"),
      ),
    );
    const loadAverage = round(os.loadavg()[0]!, 2);
    const queueStart = performance.now();
    const ids: string[] = [];
    for (const file of files) ids.push(await upload(file));
    const queueMs = performance.now() - queueStart;

    const records = await pollUntil(
      async () => {
        const all = await Promise.all(ids.map((id) => services.jobs.records.get(owner, id)));
        const failed = all.find(
          (record) => record && (record.status === "failed" || record.status === "cancelled"),
        );
        if (failed)
          throw new Error(`job ${failed.id} ended ${failed.status}: ${failed.error?.message ?? ""}`);
        return all.every((record) => record?.status === "succeeded") ? (all as JobRecord[]) : null;
      },
      30 * 60_000,
      "every job to finish",
      100,
    );
    const perWorker = workers.map((worker) => ({
      jobs: worker.lines.filter((line) => line.message === "transcription finished").length,
      ...processUsage(worker.pid),
    }));

    const created = records.map((record) => Date.parse(record.createdAt));
    const finished = records.map((record) => Date.parse(record.finishedAt!));
    const wallSec = (Math.max(...finished) - Math.min(...created)) / 1000;
    // From the transcripts: a job record lacks durationSec when the job ends within one heartbeat.
    const transcripts = await Promise.all(ids.map((id) => services.storage.transcripts.get(owner, id)));
    const audioSec = transcripts.reduce((sum, transcript) => sum + (transcript?.durationSec ?? 0), 0);
    const latencies = records.map((record, index) => (finished[index]! - created[index]!) / 1000);
    const attempts = records.reduce((sum, record) => sum + record.attempts, 0);
    return {
      ...setup,
      run,
      loadAverage,
      jobs: records.length,
      attempts,
      audioSec: round(audioSec, 1),
      queueMs: round(queueMs),
      wallSec: round(wallSec, 2),
      audioSecPerWallSec: round(audioSec / wallSec, 1),
      latencySec: {
        min: round(Math.min(...latencies), 2),
        median: round(median(latencies), 2),
        max: round(Math.max(...latencies), 2),
      },
      perWorker,
    };
  } finally {
    for (const worker of workers) worker.kill("SIGTERM");
    await Promise.all(workers.map((worker) => worker.exited));
    await stopProcessServices();
  }
}

async function main() {
  const repeats = Number(process.env.BENCH_REPEATS ?? "2");
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "transcribe-worker-bench-"));
  const azurite = await startEmbeddedAzurite({ location: path.join(workDir, "azurite"), inMemory: true });
  try {
    const { label, files } = pickClips();
    const loadBefore = os.loadavg()[0]!;
    const runs: Array<Awaited<ReturnType<typeof runSetup>>> = [];
    for (let run = 1; run <= repeats; run++) {
      for (const setup of setups) {
        const result = await runSetup(setup, run, files, azurite.connectionString, workDir);
        console.error(
          `${setup.workers} worker(s) × ${setup.threads} thread(s) × ${setup.concurrency} job(s) at once, run ${run}: ` +
            `${result.wallSec} s, ${result.audioSecPerWallSec}× real time`,
        );
        runs.push(result);
      }
    }
    const summary = setups.map((setup) => {
      const mine = runs.filter(
        (run) =>
          run.workers === setup.workers &&
          run.threads === setup.threads &&
          run.concurrency === setup.concurrency,
      );
      return {
        ...setup,
        wallSec: median(mine.map((run) => run.wallSec)),
        audioSecPerWallSec: median(mine.map((run) => run.audioSecPerWallSec)),
        latencyMedianSec: median(mine.map((run) => run.latencySec.median)),
        latencyMaxSec: median(mine.map((run) => run.latencySec.max)),
        peakRssMbPerWorker: Math.max(
          ...mine.flatMap((run) => run.perWorker.map((worker) => worker.peakRssMb ?? 0)),
        ),
      };
    });
    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memoryGb: round(os.totalmem() / 1024 ** 3, 1),
        // Other work on the machine skews the figures: 1-minute load averages before and after.
        loadAverage: [round(loadBefore, 2), round(os.loadavg()[0]!, 2)],
      },
      input: { files: label, count: files.length, audioSec: runs[0]?.audioSec ?? 0 },
      storage: "Azurite in memory, in the benchmark process (which also queues the uploads)",
      engine: "local-whisper-tiny.en",
      repeats,
      summary,
      runs,
    };
    console.log(JSON.stringify(results, null, 2));
    const out = path.join(root, "bench", "results", "worker-throughput.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  } finally {
    await azurite.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
