/**
 * Client-side view of the HTTP API (see DESIGN.md, "HTTP API"). Shapes the server defines are
 * re-exported from there as types only (erased at build time, so no server code reaches the browser).
 */
import type { OutboxEntry } from "@/lib/email/types";
import type { JobStatus } from "@/lib/jobs/types";
import type { Segment, UncoveredSpeech } from "@/lib/speech/types";
import type { Page, RecordingMetadata } from "@/lib/storage/types";
import type { TranscriptListItem } from "@/lib/transcripts/library";
import type { TranscriptionView } from "@/lib/transcripts/transcriptions";
import type { Transcript } from "@/lib/transcripts/types";

export type {
  JobStatus,
  OutboxEntry as OutboxMessage,
  Page,
  Segment,
  Transcript,
  TranscriptListItem,
  UncoveredSpeech,
};
export type Recording = RecordingMetadata;
export type JobSnapshot = TranscriptionView;
export type OutboxAttachment = OutboxEntry["attachments"][number];

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
