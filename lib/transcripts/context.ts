import path from "node:path";
import { getConfig, type AppConfig } from "@/lib/config";
import { createEmailSender, type EmailSender, type Outbox } from "@/lib/email";
import { RateLimiter } from "@/lib/http/rate-limit";
import { createJobQueue, type JobQueue } from "@/lib/jobs";
import { getSpeechEngine, type SpeechEngine } from "@/lib/speech";
import { createStorage, type Storage } from "@/lib/storage";
import { createSummarizer, type Summarizer } from "@/lib/summary";

/** Everything the service layer works with, built once per process. */
export interface ServiceContext {
  config: AppConfig;
  engine: SpeechEngine;
  storage: Storage;
  jobs: JobQueue;
  summarizer: Summarizer;
  email: { sender: EmailSender; outbox: Outbox | null; limiter: RateLimiter };
  /** Partition of every record until sign-in exists. */
  owner: string;
  /** Scratch space for uploads and decoded audio. */
  tempDir: string;
}

const globalKey = Symbol.for("transcribe.services");
type Holder = { [globalKey]?: Promise<ServiceContext> };

/** The process-wide service context (shared by the custom server and Next's route bundles). */
export function getServices(): Promise<ServiceContext> {
  const holder = globalThis as Holder;
  holder[globalKey] ??= buildServices().catch((error: unknown) => {
    delete holder[globalKey];
    throw error;
  });
  return holder[globalKey];
}

async function buildServices(): Promise<ServiceContext> {
  const config = getConfig();
  const [storage, summarizer, email] = await Promise.all([
    createStorage(config),
    createSummarizer(config.summary),
    createEmailSender(config),
  ]);
  return {
    config,
    engine: getSpeechEngine(config),
    storage,
    jobs: createJobQueue(config),
    summarizer,
    email: { ...email, limiter: new RateLimiter(config.email.ratePerHour, 60 * 60 * 1000) },
    owner: config.storage.owner,
    tempDir: path.join(config.dataDir, "tmp"),
  };
}

/** Stops what the context started (the embedded emulator) and forgets it. */
export async function closeServices(): Promise<void> {
  const holder = globalThis as Holder;
  const current = holder[globalKey];
  delete holder[globalKey];
  if (current) await (await current.catch(() => null))?.storage.close();
}
