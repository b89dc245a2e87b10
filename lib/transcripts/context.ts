import path from "node:path";
import { getConfig, type AppConfig } from "@/lib/config";
import { createJobQueue, type JobQueue } from "@/lib/jobs";
import { getSpeechEngine, type SpeechEngine } from "@/lib/speech";
import { createRecordingStore, type RecordingStore } from "@/lib/storage";

/** Everything the service layer works with, built once per process. */
export interface ServiceContext {
  config: AppConfig;
  engine: SpeechEngine;
  recordings: RecordingStore;
  jobs: JobQueue;
  /** Scratch space for uploads and decoded audio. */
  tempDir: string;
}

const globalKey = Symbol.for("transcribe.services");
type Holder = { [globalKey]?: ServiceContext };

/** The process-wide service context (shared by the custom server and Next's route bundles). */
export function getServices(): ServiceContext {
  const holder = globalThis as Holder;
  if (!holder[globalKey]) {
    const config = getConfig();
    holder[globalKey] = {
      config,
      engine: getSpeechEngine(config),
      recordings: createRecordingStore(config),
      jobs: createJobQueue(config),
      tempDir: path.join(config.dataDir, "tmp"),
    };
  }
  return holder[globalKey];
}

/** Drops the cached context so the next call rebuilds it from fresh configuration (tests). */
export function resetServices(): void {
  delete (globalThis as Holder)[globalKey];
}
