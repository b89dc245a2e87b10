/** Client-side view of the HTTP API (see DESIGN.md, "HTTP API"). */

export interface SpeechEngineHealth {
  /** Matches `Transcript.engine` for transcripts made by this engine. */
  id?: string;
  name: string;
  ready: boolean;
  languages: string[];
  multilingual: boolean;
  diarization: boolean;
  error?: string;
}

export type SummarizerId = "local" | "azure-openai" | "openai-compatible";

/** The configured summariser; `local` is true when nothing leaves the machine. */
export interface SummarizerHealth {
  id: SummarizerId;
  name: string;
  local: boolean;
}

/** The configured e-mail sender; `outbox` is true when messages are kept locally, not sent. */
export interface EmailHealth {
  provider: "outbox" | "smtp" | "resend";
  outbox: boolean;
}

export interface Health {
  status: "ok" | "starting" | "degraded";
  engines: { speech: SpeechEngineHealth };
  /** Optional; shown in the upload hints when the server reports it. */
  limits?: { maxUploadBytes?: number; maxDurationSec?: number };
  /** Null while the server's services are not up (or an older server). */
  summary: SummarizerHealth | null;
  email: EmailHealth | null;
}

export interface Segment {
  start: number;
  end: number;
  text: string;
  speaker?: string;
}

export interface Transcript {
  id: string;
  recordingId: string;
  title: string;
  text: string;
  segments: Segment[];
  language: string;
  durationSec: number;
  engine: string;
  settings: { language: string; diarize: boolean };
  summary?: string;
  createdAt: string;
  updatedAt: string;
  /** Version of the saved transcript; sent back as If-Match when saving edits. */
  etag?: string;
  /** Server-side processing time, when the server reports it. */
  processingMs?: number;
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export interface JobSnapshot {
  id: string;
  recordingId: string;
  status: JobStatus;
  progress: number;
  error?: { code: string; message: string };
  transcript?: Transcript;
}

export interface SubmitResult {
  id: string;
  status: JobStatus;
  recordingId: string;
}

export interface TranscriptionSettings {
  language: string;
  diarize: boolean;
}

export type AudioSource = "upload" | "recording";

export interface Recording {
  id: string;
  name: string;
  createdAt: string;
  durationSec: number | null;
  sizeBytes: number;
  contentType: string;
  language: string;
  transcriptionId: string | null;
}

export interface TranscriptListItem {
  id: string;
  recordingId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  durationSec: number;
  language: string;
  engine: string;
  snippet?: string;
  /** [start, end) character offsets into `snippet` to highlight. */
  matches?: Array<[number, number]>;
}

/** One page of a newest-first list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What the editor sends when saving; omitted fields keep their saved value. */
export interface TranscriptDraft {
  text: string;
  title?: string;
  /** An empty string removes the summary. */
  summary?: string;
  segments?: Segment[];
}

/** A finished summary: already saved with the transcript, whose version is now `etag`. */
export interface SummaryResult {
  summary: string;
  etag?: string;
}

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  sizeBytes: number;
}

/** A message the local outbox kept instead of sending it. */
export interface OutboxMessage {
  id: string;
  from: string;
  to: string;
  subject: string;
  createdAt: string;
  sizeBytes: number;
  /** The plain-text body. */
  text: string;
  attachments: OutboxAttachment[];
}
