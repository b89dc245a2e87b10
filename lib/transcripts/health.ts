import { getConfig } from "@/lib/config";
import { getSpeechEngine } from "@/lib/speech";
import { getServices } from "./context";

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
}

/** Readiness of the engine and storage; starts loading the engine if nobody has yet. */
export async function getHealth(): Promise<HealthReport> {
  const services = await getServices().catch(() => null);
  const config = getConfig();
  const engine = getSpeechEngine(config);
  const speech = engine.status();
  if (speech.state === "idle") void engine.warmUp().catch(() => undefined);
  const storage = services
    ? await services.storage.health()
    : {
        ready: false,
        provider: config.storage.connectionString ? "azure" : "azurite",
        error: "Storage could not be started.",
      };
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
  };
}
