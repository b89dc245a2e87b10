import type { AppConfig } from "@/lib/config";
import type { EmailSender, Outbox } from "@/lib/email";
import type { RateLimiter } from "@/lib/http/rate-limit";
import type { Jobs } from "@/lib/jobs";
import type { Worker } from "@/lib/jobs/worker";
import type { SpeechEngine } from "@/lib/speech";
import type { Storage } from "@/lib/storage";
import type { Summarizer } from "@/lib/summary";
import type { LiveSessions } from "./live-sessions";

/** The areas whose provider may be asked, once at start-up, whether it answers. */
export type CheckedArea = "speech" | "summary" | "email";

/** What a provider answered to its start-up check; `error` is safe to show. */
export interface ProviderCheckResult {
  reachable: boolean;
  error?: string;
}

/** Every provider of one process, built by the composition root (`lib/services.ts`). */
export interface Services {
  config: AppConfig;
  engine: SpeechEngine;
  storage: Storage;
  /** Job records and their queue. */
  jobs: Jobs;
  /** Live sessions of this process. */
  live: LiveSessions;
  /** This process's worker, when it runs one (the web server by default, `npm run worker`). */
  worker: Worker | null;
  summarizer: Summarizer;
  email: { sender: EmailSender; outbox: Outbox | null; limiter: RateLimiter };
  /** Scratch space for uploads and decoded audio. */
  tempDir: string;
  /** Answers of the start-up checks (see `runProviderChecks`), by area; empty until they ran. */
  checks: Map<CheckedArea, ProviderCheckResult>;
}

/** What a service function works with: the providers, and whose records it touches. */
export interface ServiceContext {
  services: Services;
  /** Storage partition of the caller (see `lib/auth/request-context.ts`). */
  owner: string;
}
