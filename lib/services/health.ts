import type { AppConfig, ProviderProblem } from "@/lib/config";
import type { SpeechEngine } from "@/lib/speech";
import type { ProviderCheckResult, Services } from "./context";

/**
 * Whether a provider can be used: `configured` is false when the chosen provider's settings are
 * missing or malformed (`error` names the variables to set, never a value); `reachable` is what it
 * answered to its check at start-up (absent until checked, or when there is nothing to ask).
 */
interface ProviderState {
  configured: boolean;
  reachable?: boolean;
}

/** What `GET /api/health` reports. */
export interface HealthReport {
  status: "ok" | "starting" | "degraded";
  engines: {
    speech: ProviderState & {
      id: string;
      name: string;
      /** The configured `SPEECH_PROVIDER`. */
      provider: string;
      ready: boolean;
      state: string;
      languages: string[];
      multilingual: boolean;
      diarization: boolean;
      loadMs?: number;
      error?: string;
    };
  };
  storage: { ready: boolean; provider: string; error?: string };
  summary:
    (ProviderState & { id: string; name: string; local: boolean; ready: boolean; error?: string }) | null;
  email:
    | (ProviderState & { provider: string; name: string; outbox: boolean; ready: boolean; error?: string })
    | null;
  limits: { maxUploadBytes: number; maxDurationSec: number };
  /** Live transcription: whether this server takes sessions, how many at once, and how long. */
  live: { available: boolean; maxSessions: number; maxSessionSec: number; active: number };
}

/**
 * Readiness of the engine, storage, summariser and e-mail; starts loading the engine if nobody has
 * yet. Makes no outbound call: providers' reachability is what they answered at start-up
 * (`services.checks`). `services` is null when they could not be built (storage did not start):
 * the report then says so.
 */
export async function getHealth(input: {
  config: Pick<AppConfig, "audio" | "storage" | "live" | "speech" | "summary" | "email">;
  engine: SpeechEngine;
  services: Services | null;
}): Promise<HealthReport> {
  const { config, engine, services } = input;
  const speech = engine.status();
  if (speech.state === "idle") void engine.warmUp().catch(() => undefined);
  const storage = services
    ? await services.storage.health()
    : { ready: false, provider: config.storage.provider, error: "Storage could not be started." };
  const problems = {
    speech: problemOf(config.speech),
    summary: problemOf(config.summary),
    email: problemOf(config.email),
  };
  const checks = {
    speech: services?.checks.get("speech"),
    summary: services?.checks.get("summary"),
    email: services?.checks.get("email"),
  };
  const misconfigured = problems.speech !== null || problems.summary !== null || problems.email !== null;
  const status =
    speech.state === "failed" || !storage.ready || misconfigured
      ? "degraded"
      : speech.ready
        ? "ok"
        : "starting";
  const speechError = speech.error ?? failedCheck(checks.speech);
  return {
    status,
    engines: {
      speech: {
        ...engine.info,
        ...speech,
        ...(speechError !== undefined ? { error: speechError } : {}),
        provider: config.speech.provider,
        ...providerState(problems.speech, checks.speech),
      },
    },
    storage,
    summary: services
      ? {
          ...services.summarizer.info,
          ...providerState(problems.summary, checks.summary),
          ...usable(problems.summary, checks.summary),
        }
      : null,
    email: services
      ? {
          provider: services.email.sender.info.id,
          name: services.email.sender.info.name,
          outbox: services.email.outbox !== null,
          ...providerState(problems.email, checks.email),
          ...usable(problems.email, checks.email),
        }
      : null,
    limits: { maxUploadBytes: config.audio.maxUploadBytes, maxDurationSec: config.audio.maxDurationSec },
    live: {
      available: config.live.maxSessions > 0 && typeof engine.startLive === "function",
      maxSessions: config.live.maxSessions,
      maxSessionSec: config.live.maxSessionSec,
      active: services?.live.count ?? 0,
    },
  };
}

function problemOf(slice: object): ProviderProblem | null {
  return "problem" in slice ? (slice.problem as ProviderProblem) : null;
}

function failedCheck(check: ProviderCheckResult | undefined): string | undefined {
  return check && !check.reachable ? check.error : undefined;
}

function providerState(
  problem: ProviderProblem | null,
  check: ProviderCheckResult | undefined,
): ProviderState {
  return { configured: problem === null, ...(check ? { reachable: check.reachable } : {}) };
}

/** Ready unless misconfigured or unreachable at start-up, with the reason. */
function usable(
  problem: ProviderProblem | null,
  check: ProviderCheckResult | undefined,
): { ready: boolean; error?: string } {
  if (problem) return { ready: false, error: problem.message };
  const error = failedCheck(check);
  return error !== undefined ? { ready: false, error } : { ready: true };
}
