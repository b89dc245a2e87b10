import type { Readable } from "node:stream";
import type { StorageTarget } from "@/lib/azure/clients";
import type { RecordingMetadata, StoredTranscript, TranscriptHeader } from "@/lib/domain/transcript";

export type { RecordingMetadata, StoredTranscript, TranscriptHeader };

/** One page of a listing, newest first. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A byte range of a stored recording. */
export interface RecordingDownload {
  stream: Readable;
  contentType: string;
  /** Size of the whole file. */
  totalBytes: number;
  /** Inclusive byte range sent, when a range was asked for. */
  range?: { start: number; end: number };
}

/** Where uploaded and recorded audio is kept (Blob Storage: `<owner>/<recordingId>/<name>`). */
export interface RecordingStore {
  /** Streams a local file into the store with its metadata; on failure nothing is left behind. */
  uploadFile(owner: string, metadata: RecordingMetadata, sourcePath: string): Promise<void>;
  /** Merges metadata fields into a stored recording. */
  updateMetadata(
    owner: string,
    id: string,
    patch: Partial<Omit<RecordingMetadata, "id" | "name">>,
  ): Promise<void>;
  /** Metadata of one recording, or null. */
  get(owner: string, id: string): Promise<RecordingMetadata | null>;
  /** Newest first, `limit` at a time. */
  list(owner: string, options: { cursor?: string | null; limit: number }): Promise<Page<RecordingMetadata>>;
  /** The audio, whole or a byte range (`end` inclusive); null when missing. */
  download(
    owner: string,
    id: string,
    range?: { start: number; end?: number },
  ): Promise<RecordingDownload | null>;
  /** Copies the audio to a local file (for ffmpeg). */
  downloadToFile(owner: string, id: string, targetPath: string): Promise<void>;
  /** Removes a recording; missing ones are ignored. */
  delete(owner: string, id: string): Promise<void>;
}

/** Saved transcripts (Table Storage, PartitionKey = owner, RowKey = id; big bodies overflow to a blob). */
export interface TranscriptStore {
  /** Inserts a new transcript; fails with `conflict` if the id exists. */
  create(owner: string, transcript: Omit<StoredTranscript, "etag">): Promise<StoredTranscript>;
  /** Replaces a transcript if its version is still `etag`; else `precondition_failed`. */
  replace(owner: string, transcript: Omit<StoredTranscript, "etag">, etag: string): Promise<StoredTranscript>;
  get(owner: string, id: string): Promise<StoredTranscript | null>;
  /** Newest first, without bodies. */
  list(owner: string, options: { cursor?: string | null; limit: number }): Promise<Page<TranscriptHeader>>;
  /** Every transcript with its body, newest first, a page at a time (exports, search). */
  scan(owner: string): AsyncIterable<StoredTranscript>;
  /** Removes a transcript and its overflow blob; missing ones are ignored. */
  delete(owner: string, id: string): Promise<void>;
}

/** What is kept with a live session's audio while it is recorded. */
export interface LiveAudioMetadata {
  /** The session id, and the id of the recording it becomes. */
  id: string;
  /** Id of the transcript it becomes. */
  transcriptionId: string;
  /** Display name of the recording it becomes. */
  name: string;
  createdAt: string;
  language: string;
  diarize: boolean;
  /** How many speakers the person said there are (with `diarize`). */
  speakers?: number;
}

/** A live session's audio as kept, with its size and its last write. */
export interface LiveAudioEntry {
  owner: string;
  metadata: LiveAudioMetadata;
  sizeBytes: number;
  lastWriteAt: Date;
}

/**
 * Audio of live sessions while they run: raw 16 kHz 16-bit mono PCM appended as it arrives
 * (append blobs `<owner>/<id>.pcm`), kept until the session becomes a recording.
 */
export interface LiveAudioStore {
  /** Starts an empty session audio. */
  create(owner: string, metadata: LiveAudioMetadata): Promise<void>;
  /**
   * Appends `bytes` at byte offset `at`, which must be the stored length; an append that already
   * landed (a retry after a lost answer) is not written twice.
   */
  append(owner: string, id: string, bytes: Buffer, at: number): Promise<void>;
  /** One session's audio, or null. */
  get(owner: string, id: string): Promise<LiveAudioEntry | null>;
  /** Every session audio still kept, of every owner. */
  list(): Promise<LiveAudioEntry[]>;
  /** Copies the audio to a local file. */
  downloadToFile(owner: string, id: string, targetPath: string): Promise<void>;
  /** Removes a session's audio; missing ones are ignored. */
  delete(owner: string, id: string): Promise<void>;
}

/** The storage of one deployment. */
export interface Storage {
  recordings: RecordingStore;
  transcripts: TranscriptStore;
  live: LiveAudioStore;
  /** The account, for other services on it (the job table and queue); null for memory storage. */
  target: StorageTarget | null;
  /**
   * Resolves once every write acknowledged so far survives a crash of this process. Azure's
   * acknowledgements already do; the embedded emulator writes its index behind, so it saves now.
   * `blobs` limits that to blob writes (cheaper: live audio is flushed every second).
   */
  flush(scope?: "blobs"): Promise<void>;
  /** Whether storage answers now. */
  health(): Promise<{ ready: boolean; provider: string; error?: string }>;
  /** Releases what was started (the embedded emulator). */
  close(): Promise<void>;
}
