import { odata, type TableClient, type TableEntityResult } from "@azure/data-tables";
import { createOnce, mapStorageError } from "@/lib/azure/storage-errors";
import type { ErrorCode } from "@/lib/domain/errors";
import { transcriptSettings, type Segment } from "@/lib/domain/transcript";
import type { JobRecord, JobStage, JobStatus, JobStore, NewJobRecord } from "../types";

/** A string property holds at most 32 K UTF-16 units; segments so far are split over a few. */
const CHUNK_CHARS = 30_000;
const MAX_CHUNKS = 12;

interface JobEntity {
  partitionKey: string;
  rowKey: string;
  RecordingId: string;
  Title: string;
  Language: string;
  Diarize: boolean;
  /** How many speakers were said to be in the recording (with `Diarize`). */
  Speakers?: number;
  Status: JobStatus;
  Stage: JobStage;
  Progress: number;
  Attempts: number;
  ErrorCode?: string;
  ErrorMessage?: string;
  DurationSec?: number;
  WorkerId?: string;
  LeaseUntil?: string;
  CreatedAt: string;
  StartedAt?: string;
  UpdatedAt: string;
  FinishedAt?: string;
  SegmentChunks?: number;
  [chunk: `Segments${number}`]: string | undefined;
}

const SUMMARY_COLUMNS = [
  "PartitionKey",
  "RowKey",
  "RecordingId",
  "Title",
  "Language",
  "Diarize",
  "Speakers",
  "Status",
  "Stage",
  "Progress",
  "Attempts",
  "ErrorCode",
  "ErrorMessage",
  "DurationSec",
  "WorkerId",
  "LeaseUntil",
  "CreatedAt",
  "StartedAt",
  "UpdatedAt",
  "FinishedAt",
];

/** Job records in one table: PartitionKey = owner, RowKey = job id. */
export class TableJobStore implements JobStore {
  private readonly ensureReady = createOnce(() => this.table.createTable(), "opening the job table");

  constructor(private readonly table: TableClient) {}

  async create(record: NewJobRecord): Promise<JobRecord> {
    await this.ensureReady();
    try {
      const result = await this.table.createEntity(toEntity(record));
      return { ...record, etag: result.etag ?? "" };
    } catch (error) {
      throw mapStorageError(error, "queuing the transcription");
    }
  }

  async get(owner: string, id: string): Promise<JobRecord | null> {
    await this.ensureReady();
    try {
      const entity = await this.table.getEntity<JobEntity>(owner, id);
      return fromEntity(entity);
    } catch (error) {
      const mapped = mapStorageError(error, "reading the job");
      if (mapped.code === "not_found") return null;
      throw mapped;
    }
  }

  async update(record: JobRecord): Promise<JobRecord> {
    await this.ensureReady();
    const { etag, ...rest } = record;
    try {
      const result = await this.table.updateEntity(toEntity(rest), "Replace", { etag });
      return { ...record, etag: result.etag ?? "" };
    } catch (error) {
      throw mapStorageError(error, "updating the job");
    }
  }

  async listByOwner(owner: string, since: string): Promise<JobRecord[]> {
    const filter = odata`PartitionKey eq ${owner} and (CreatedAt ge ${since} or Status eq 'queued' or Status eq 'running' or FinishedAt ge ${since})`;
    return this.query(filter, SUMMARY_COLUMNS);
  }

  async listQueued(): Promise<Array<Pick<JobRecord, "id" | "owner" | "updatedAt">>> {
    const records = await this.query("Status eq 'queued'", ["PartitionKey", "RowKey", "UpdatedAt"]);
    return records
      .map(({ id, owner, updatedAt }) => ({ id, owner, updatedAt }))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
  }

  async listSucceededBefore(before: string): Promise<Array<Pick<JobRecord, "id" | "owner">>> {
    const filter = odata`Status eq 'succeeded' and FinishedAt lt ${before}`;
    const records = await this.query(filter, ["PartitionKey", "RowKey"]);
    return records.map(({ id, owner }) => ({ id, owner }));
  }

  async delete(owner: string, id: string): Promise<void> {
    await this.ensureReady();
    try {
      await this.table.deleteEntity(owner, id);
    } catch (error) {
      const mapped = mapStorageError(error, "removing the job");
      if (mapped.code !== "not_found") throw mapped;
    }
  }

  private async query(filter: string, select: string[]): Promise<JobRecord[]> {
    await this.ensureReady();
    const records: JobRecord[] = [];
    try {
      for await (const entity of this.table.listEntities<JobEntity>({ queryOptions: { filter, select } })) {
        records.push(fromEntity(entity));
      }
    } catch (error) {
      throw mapStorageError(error, "listing jobs");
    }
    return records;
  }
}

function toEntity(record: NewJobRecord): JobEntity {
  const entity: JobEntity = {
    partitionKey: record.owner,
    rowKey: record.id,
    RecordingId: record.recordingId,
    Title: record.title,
    Language: record.language,
    Diarize: record.settings.diarize,
    Status: record.status,
    Stage: record.stage,
    Progress: record.progress,
    Attempts: record.attempts,
    CreatedAt: record.createdAt,
    UpdatedAt: record.updatedAt,
  };
  if (record.settings.speakers !== undefined) entity.Speakers = record.settings.speakers;
  if (record.error) {
    entity.ErrorCode = record.error.code;
    entity.ErrorMessage = record.error.message.slice(0, 2_000);
  }
  if (record.durationSec !== undefined) entity.DurationSec = record.durationSec;
  if (record.workerId) entity.WorkerId = record.workerId;
  if (record.leaseUntil) entity.LeaseUntil = record.leaseUntil;
  if (record.startedAt) entity.StartedAt = record.startedAt;
  if (record.finishedAt) entity.FinishedAt = record.finishedAt;
  if (record.segmentsSoFar?.length) {
    const chunks = chunkSegments(record.segmentsSoFar);
    entity.SegmentChunks = chunks.length;
    chunks.forEach((chunk, index) => (entity[`Segments${index}`] = chunk));
  }
  return entity;
}

/** The newest segments that fit in the chunks, as JSON split into property-sized strings. */
function chunkSegments(segments: Segment[]): string[] {
  let kept = segments;
  let json = JSON.stringify(kept);
  while (json.length > CHUNK_CHARS * MAX_CHUNKS && kept.length > 1) {
    kept = kept.slice(Math.ceil(kept.length / 10));
    json = JSON.stringify(kept);
  }
  const chunks: string[] = [];
  for (let at = 0; at < json.length; at += CHUNK_CHARS) chunks.push(json.slice(at, at + CHUNK_CHARS));
  return chunks.slice(0, MAX_CHUNKS);
}

function fromEntity(entity: TableEntityResult<JobEntity>): JobRecord {
  const record: JobRecord = {
    id: entity.rowKey ?? "",
    owner: entity.partitionKey ?? "",
    recordingId: entity.RecordingId,
    title: entity.Title,
    language: entity.Language,
    settings: transcriptSettings(entity.Diarize ?? false, entity.Speakers),
    status: entity.Status,
    stage: entity.Stage,
    progress: entity.Progress ?? 0,
    attempts: entity.Attempts ?? 0,
    createdAt: entity.CreatedAt,
    updatedAt: entity.UpdatedAt,
    etag: entity.etag,
  };
  if (entity.ErrorCode) {
    record.error = { code: entity.ErrorCode as ErrorCode, message: entity.ErrorMessage ?? "" };
  }
  if (typeof entity.DurationSec === "number") record.durationSec = entity.DurationSec;
  if (entity.WorkerId) record.workerId = entity.WorkerId;
  if (entity.LeaseUntil) record.leaseUntil = entity.LeaseUntil;
  if (entity.StartedAt) record.startedAt = entity.StartedAt;
  if (entity.FinishedAt) record.finishedAt = entity.FinishedAt;
  const chunks = entity.SegmentChunks ?? 0;
  if (chunks > 0) {
    const json = Array.from({ length: chunks }, (_, index) => entity[`Segments${index}`] ?? "").join("");
    try {
      record.segmentsSoFar = JSON.parse(json) as Segment[];
    } catch {
      // A record cut short by hand is still a job; only its preview is lost.
    }
  }
  return record;
}
