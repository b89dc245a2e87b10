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

export interface Health {
  status: "ok" | "starting" | "degraded";
  engines: { speech: SpeechEngineHealth };
  /** Optional; shown in the upload hints when the server reports it. */
  limits?: { maxUploadBytes?: number; maxDurationSec?: number };
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
  createdAt: string;
  updatedAt: string;
  /** Server-side processing time, when the server reports it. */
  processingMs?: number;
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export interface JobSnapshot {
  id: string;
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
