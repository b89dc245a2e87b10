// npm run worker: the transcription job loop as a process of its own, against shared storage.
import { loadConfig, type AppConfig } from "@/lib/config";
import { logger } from "@/lib/log";
import { closeServices, createServices, startServicesWorker } from "@/lib/services";
import { runStartupTasks } from "@/lib/services/startup";
import { exitOnSignals } from "@/lib/util/exit-on-signals";

/** Why this configuration cannot feed a separate worker, or null when it can. */
export function workerStorageProblem(config: AppConfig): string | null {
  switch (config.storage.provider) {
    case "azure":
      return null;
    case "azurite":
      return (
        "A separate worker needs storage it can share with the server. Set STORAGE_PROVIDER=azure and " +
        "AZURE_STORAGE_CONNECTION_STRING (or AZURE_STORAGE_ACCOUNT_NAME) to an Azure Storage account, or to " +
        "the server's Azurite (start the server with fixed AZURITE_*_PORT values). The server runs a worker " +
        "of its own by default, so one machine needs no separate worker."
      );
    case "memory":
      return "A separate worker cannot share memory storage with a server.";
  }
}

async function main() {
  const config = loadConfig();
  const problem =
    workerStorageProblem(config) ??
    ("problem" in config.speech
      ? `The speech engine is not configured: ${config.speech.problem.message}.`
      : null);
  if (problem) {
    logger.error("worker not started", { error: problem });
    process.exit(2);
  }
  const services = await createServices(config);
  await runStartupTasks(services, config.storage.owner, { queueOrphans: false });
  const started = Date.now();
  await services.engine.warmUp();
  startServicesWorker(services);
  logger.info("worker started", {
    workerId: services.worker?.id,
    engine: services.engine.info.id,
    concurrency: config.jobs.concurrency,
    ms: Date.now() - started,
  });
  // The worker's own timers do not hold the process open.
  const alive = setInterval(() => undefined, 60_000);
  exitOnSignals("worker stopping; running jobs go back to the queue", async () => {
    await closeServices(services);
    await services.engine.close?.();
    clearInterval(alive);
  });
}

if (process.argv[1] && /worker\.(ts|js)$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
