// The composition root: builds every provider from its own config slice, and keeps the one set a
// process uses. Route handlers, server.ts and tests reach services only through this module.
import type { IncomingMessage } from "node:http";
import { resolveOwner, systemOwner } from "@/lib/auth/request-context";
import { loadConfig, type AppConfig } from "@/lib/config";
import { createEmailSender } from "@/lib/email";
import { RateLimiter } from "@/lib/http/rate-limit";
import { createJobs } from "@/lib/jobs";
import { logger, setLogLevel } from "@/lib/log";
import type { ServiceContext, Services } from "@/lib/services/context";
import { LiveSessions } from "@/lib/services/live-sessions";
import { getHealth, type HealthReport } from "@/lib/services/health";
import { startTranscriptionWorker } from "@/lib/services/transcriptions";
import { createSpeechEngine, type SpeechEngine } from "@/lib/speech";
import { createStorage } from "@/lib/storage";
import { createSummarizer } from "@/lib/summary";
import { processTempDir } from "@/lib/util/temp-dir";

export type { ServiceContext, Services };

/**
 * Builds every provider from its slice of `config`. Pass `engine` to share a loaded model
 * rather than build a second one. Rejects when storage cannot be started.
 */
export async function createServices(
  config: AppConfig,
  reuse: { engine?: SpeechEngine } = {},
): Promise<Services> {
  const [storage, summarizer, email] = await Promise.all([
    createStorage(config.storage),
    createSummarizer(config.summary),
    createEmailSender(config.email, { legacyOwner: systemOwner(config.storage) }),
  ]);
  const jobs = await createJobs(config.jobs, storage.target);
  const services: Services = {
    live: new LiveSessions(() => services),
    config,
    engine: reuse.engine ?? createSpeechEngine(config.speech),
    storage,
    jobs,
    worker: null,
    summarizer,
    email: { ...email, limiter: new RateLimiter(config.email.ratePerHour, 60 * 60 * 1000) },
    tempDir: processTempDir(config.dataDir),
    checks: new Map(),
  };
  return services;
}

/** Starts the set's own worker (it takes jobs from the queue until the set is closed). */
export function startServicesWorker(services: Services): void {
  services.worker ??= startTranscriptionWorker(services);
}

/** Stops what a service set started: its worker (running jobs go back to the queue), then the embedded emulator. */
export async function closeServices(services: Services): Promise<void> {
  await services.live.stopAll();
  await services.worker?.stop();
  services.worker = null;
  await services.storage.close();
}

/** The process's configuration, its one engine, and its services once built. */
interface ProcessState {
  config: AppConfig;
  engine: SpeechEngine;
  services: Promise<Services> | null;
}

const processKey = Symbol.for("transcribe.process-services");
// Next bundles each route handler apart from server.ts, so every bundle loads its own copy of this
// module; only a holder on globalThis lets them all share the one model and service set per process.
type Holder = { [processKey]?: ProcessState };

function holder(): Holder {
  return globalThis as Holder;
}

function servicesOf(state: ProcessState): Promise<Services> {
  state.services ??= createServices(state.config, { engine: state.engine })
    .then((services) => {
      if (state.config.jobs.worker !== "in-process") return services;
      if ("problem" in state.config.speech) {
        // Its jobs would only fail: they wait in the queue until the engine is configured.
        logger.warn("no transcription jobs are run: the speech engine is not configured", {
          problem: state.config.speech.problem.message,
        });
      } else {
        startServicesWorker(services);
      }
      return services;
    })
    .catch((error: unknown) => {
      // A storage that did not start is tried again by the next request.
      state.services = null;
      throw error;
    });
  return state.services;
}

function processState(): ProcessState {
  const current = holder()[processKey];
  if (current) return current;
  const config = loadConfig();
  setLogLevel(config.logLevel);
  const state: ProcessState = { config, engine: createSpeechEngine(config.speech), services: null };
  holder()[processKey] = state;
  return state;
}

/**
 * Makes `config` the process's configuration and builds its services (server start-up, tests),
 * closing the previous set. The loaded engine is kept while the speech settings are unchanged;
 * `reuse.engine` (tests) replaces it with one built elsewhere.
 */
export async function startProcessServices(
  config: AppConfig,
  reuse: { engine?: SpeechEngine } = {},
): Promise<Services> {
  const previous = holder()[processKey];
  delete holder()[processKey];
  const keepEngine =
    previous !== undefined &&
    (reuse.engine
      ? reuse.engine === previous.engine
      : JSON.stringify(previous.config.speech) === JSON.stringify(config.speech));
  if (previous) await stopState(previous, { closeEngine: !keepEngine });
  setLogLevel(config.logLevel);
  const state: ProcessState = {
    config,
    engine: keepEngine ? previous.engine : (reuse.engine ?? createSpeechEngine(config.speech)),
    services: null,
  };
  holder()[processKey] = state;
  return servicesOf(state);
}

/** Closes the process's services (shutdown, tests). */
export async function stopProcessServices(): Promise<void> {
  const current = holder()[processKey];
  delete holder()[processKey];
  if (current) await stopState(current, { closeEngine: true });
}

async function stopState(state: ProcessState, options: { closeEngine: boolean }): Promise<void> {
  const services = await state.services?.catch(() => null);
  if (services) await closeServices(services);
  if (options.closeEngine) await state.engine.close?.();
}

/** The process's services, built from the environment on first use if nothing started them. */
export function getProcessServices(): Promise<Services> {
  return servicesOf(processState());
}

/** The process's configuration (read from the environment on first use if nothing started the services; sign-in reads it without waiting for storage). */
export function getProcessConfig(): AppConfig {
  return processState().config;
}

/** The process's engine (built, not loaded, on first use). */
export function getProcessEngine(): SpeechEngine {
  return processState().engine;
}

/** What a route handler passes to the service layer: the services and the request's owner. */
export async function requestContext(request: Request): Promise<ServiceContext> {
  // Who is asking is settled first: a request nobody signed in for is 401 even while storage is down.
  const owner = resolveOwner(request, processState().config);
  return { services: await getProcessServices(), owner };
}

/** The context of a WebSocket upgrade (`/api/live`): the services and the request's owner. */
export async function upgradeContext(request: IncomingMessage): Promise<ServiceContext> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return requestContext(new Request(`http://localhost${request.url ?? "/"}`, { headers }));
}

/** The context of work no request started (resuming jobs at start-up). */
export function systemContext(services: Services): ServiceContext {
  return { services, owner: systemOwner(services.config.storage) };
}

/** `GET /api/health`: reported also when storage could not be started. */
export async function getProcessHealth(): Promise<HealthReport> {
  const state = processState();
  const services = await servicesOf(state).catch(() => null);
  return getHealth({ config: state.config, engine: state.engine, services });
}
