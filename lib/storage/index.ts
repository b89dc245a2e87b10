import path from "node:path";
import type { AppConfig } from "@/lib/config";
import { FilesystemRecordingStore } from "./filesystem/filesystem-recording-store";
import type { RecordingStore } from "./types";

export type * from "./types";

/** Builds the recording store for this configuration. */
export function createRecordingStore(config: AppConfig): RecordingStore {
  return new FilesystemRecordingStore(path.join(config.dataDir, "recordings"));
}
