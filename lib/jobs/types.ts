import type { ErrorCode } from "@/lib/domain/errors";
import type { Segment, TranscriptSettings } from "@/lib/domain/transcript";

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export type JobStage = "queued" | "decoding" | "transcribing" | "saving" | "done";

/** Statuses a job never leaves by itself (retry moves a failed or cancelled one back to `queued`). */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "cancelled"]);

/**
 * A transcription job as stored (Table Storage: PartitionKey = owner, RowKey = id). The record is
 * the truth about a job; queue messages only wake workers up. Every change is conditional on
 * `etag`, so two workers never both hold one job.
 */
export interface JobRecord {
  id: string;
  owner: string;
  recordingId: string;
  title: string;
  /** The language asked for (`auto` only with an engine that detects it). */
  language: string;
  settings: TranscriptSettings;
  status: JobStatus;
  stage: JobStage;
  /** Fraction of the audio processed, 0..1. */
  progress: number;
  /** Attempts started so far. */
  attempts: number;
  /** The final error, or while queued again the error of the last attempt. */
  error?: { code: ErrorCode; message: string };
  durationSec?: number;
  /** The worker holding the job while it runs, and until when its hold lasts without renewal. */
  workerId?: string;
  leaseUntil?: string;
  /** Segments decoded so far while running (the last ones, when there are too many to keep). */
  segmentsSoFar?: Segment[];
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  finishedAt?: string;
  /** Version of the stored record. */
  etag: string;
}

/** A job record without its version, as created. */
export type NewJobRecord = Omit<JobRecord, "etag">;

/** Where job records are kept. */
export interface JobStore {
  /** Stores a new record; `conflict` when the id exists. */
  create(record: NewJobRecord): Promise<JobRecord>;
  /** One record with its segments, or null. */
  get(owner: string, id: string): Promise<JobRecord | null>;
  /**
   * Replaces the record if it is still at `record.etag`; `precondition_failed` when someone
   * changed it in between, `not_found` when it is gone.
   */
  update(record: JobRecord): Promise<JobRecord>;
  /** An owner's records (without segments) created or finished since `since`, and all unfinished ones. */
  listByOwner(owner: string, since: string): Promise<JobRecord[]>;
  /** Every queued job of the deployment, in the order they were queued (by `updatedAt`): queue positions. */
  listQueued(): Promise<Array<Pick<JobRecord, "id" | "owner" | "updatedAt">>>;
  /** Jobs of the deployment that succeeded before `before` (their transcripts hold the result). */
  listSucceededBefore(before: string): Promise<Array<Pick<JobRecord, "id" | "owner">>>;
  /** Removes a record; missing ones are ignored. */
  delete(owner: string, id: string): Promise<void>;
}

/** What a queue message names: the job to look at. */
export interface JobMessage {
  owner: string;
  id: string;
}

/** A message taken from the queue, hidden from other workers until its visibility timeout. */
export interface ReceivedMessage {
  job: JobMessage;
  messageId: string;
  popReceipt: string;
  /** How many times the message was taken, this time included. */
  dequeueCount: number;
}

/** An at-least-once work queue (Azure Queue Storage): a message may come more than once. */
export interface WorkQueue {
  send(job: JobMessage): Promise<void>;
  /** Takes the next visible message, hiding it for `visibilitySec`; null when none is visible. */
  receive(visibilitySec: number): Promise<ReceivedMessage | null>;
  /**
   * Hides a held message for `visibilitySec` more from now (0 makes it visible at once). Returns the
   * message with its new receipt; `not_found` when the hold was lost (another worker took it).
   */
  extend(message: ReceivedMessage, visibilitySec: number): Promise<ReceivedMessage>;
  /** Removes a held message; one already gone is ignored. */
  delete(message: ReceivedMessage): Promise<void>;
  /** Messages in the queue, visible or not (approximate on Azure). */
  length(): Promise<number>;
}

/** The job records and their queue. */
export interface Jobs {
  records: JobStore;
  queue: WorkQueue;
}
