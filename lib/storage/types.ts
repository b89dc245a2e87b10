/** Metadata kept with every stored recording. */
export interface RecordingMetadata {
  id: string;
  /** Sanitised display name (never used as a path). */
  name: string;
  createdAt: string;
  durationSec: number | null;
  sizeBytes: number;
  contentType: string;
  language: string;
  transcriptionId: string | null;
}

/** Where uploaded and recorded audio is kept. */
export interface RecordingStore {
  /** Moves a finished temporary file into the store (the file is consumed). */
  saveFromFile(owner: string, metadata: RecordingMetadata, sourcePath: string): Promise<void>;
  /** Updates metadata fields of a stored recording. */
  updateMetadata(owner: string, id: string, patch: Partial<Omit<RecordingMetadata, "id">>): Promise<void>;
  /** Metadata of one recording, or null. */
  get(owner: string, id: string): Promise<RecordingMetadata | null>;
  /** A local path to read the audio from (the embedded store keeps files on disk). */
  localPath(owner: string, id: string): Promise<string | null>;
  /** Removes a recording; missing ones are ignored. */
  delete(owner: string, id: string): Promise<void>;
  /** Whether the store can be used now. */
  health(): Promise<{ ready: boolean; provider: string; error?: string }>;
}
