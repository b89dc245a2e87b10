import type { AppConfig } from "@/lib/config";
import type { SpeechEngine } from "@/lib/speech";
import type { Services } from "./context";

/** What `GET /api/health` reports. */
export interface HealthReport {
  status: "ok" | "starting" | "degraded";
  engines: {
    speech: {
      id: string;
      name: string;
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
  summary: { id: string; name: string; local: boolean } | null;
  email: { provider: string; outbox: boolean } | null;
  limits: { maxUploadBytes: number; maxDurationSec: number };
  /** Live transcription: whether this server takes sessions, how many at once, and how long. */
  live: { available: boolean; maxSessions: number; maxSessionSec: number; active: number };
}

/**
 * Readiness of the engine and storage; starts loading the engine if nobody has yet. `services` is
 * null when they could not be built (storage did not start): the report then says so.
 */
export async function getHealth(input: {
  config: Pick<AppConfig, "audio" | "storage" | "live">;
  engine: SpeechEngine;
  services: Services | null;
}): Promise<HealthReport> {
  const { config, engine, services } = input;
  const speech = engine.status();
  if (speech.state === "idle") void engine.warmUp().catch(() => undefined);
  const storage = services
    ? await services.storage.health()
    : { ready: false, provider: config.storage.provider, error: "Storage could not be started." };
  const status = speech.state === "failed" || !storage.ready ? "degraded" : speech.ready ? "ok" : "starting";
  return {
    status,
    engines: { speech: { ...engine.info, ...speech } },
    storage,
    summary: services ? { ...services.summarizer.info } : null,
    email: services
      ? { provider: services.email.sender.info.id, outbox: services.email.outbox !== null }
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
