import type { ErrorCode } from "@/lib/domain/errors";
import type { Transcript, TranscriptSettings } from "@/lib/domain/transcript";

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

/** A transcription job as the API shows it. */
export interface TranscriptionJob {
  id: string;
  owner: string;
  recordingId: string;
  title: string;
  /** The language asked for (`auto` only with an engine that detects it). */
  language: string;
  settings: TranscriptSettings;
  status: JobStatus;
  /** Fraction of the audio processed, 0..1. */
  progress: number;
  error?: { code: ErrorCode; message: string };
  transcript?: Transcript;
  createdAt: string;
  updatedAt: string;
  /**
   * The upload's own copy of the audio, owned by the job from the moment it is queued (absent for
   * a job resumed after a restart, which downloads the stored recording instead).
   */
  sourcePath?: string;
}

/** Keeps jobs and runs them in the background. */
export interface JobQueue {
  /** Records a new job and schedules `work` for it. */
  enqueue(job: TranscriptionJob, work: JobWork): Promise<void>;
  get(id: string): Promise<TranscriptionJob | null>;
  /** Jobs waiting or running, oldest first. */
  active(): Promise<TranscriptionJob[]>;
}

/** Reports progress of a running job. */
export interface JobContext {
  signal: AbortSignal;
  reportProgress(fraction: number): void;
}

/** The work of one job: resolves with the transcript or rejects with an `AppError`. */
export type JobWork = (job: TranscriptionJob, context: JobContext) => Promise<Transcript>;
