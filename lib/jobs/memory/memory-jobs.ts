import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/domain/errors";
import type {
  JobMessage,
  JobRecord,
  JobStore,
  Jobs,
  NewJobRecord,
  ReceivedMessage,
  WorkQueue,
} from "../types";

/** Job records in this process's memory (tests), with the Table's conditional updates. */
class MemoryJobStore implements JobStore {
  private readonly records = new Map<string, JobRecord>();

  async create(record: NewJobRecord): Promise<JobRecord> {
    const key = `${record.owner}/${record.id}`;
    if (this.records.has(key)) throw new AppError("conflict", "It already exists.");
    const stored = { ...structuredClone(record), etag: randomUUID() };
    this.records.set(key, stored);
    return structuredClone(stored);
  }

  async get(owner: string, id: string): Promise<JobRecord | null> {
    const record = this.records.get(`${owner}/${id}`);
    return record ? structuredClone(record) : null;
  }

  async update(record: JobRecord): Promise<JobRecord> {
    const key = `${record.owner}/${record.id}`;
    const current = this.records.get(key);
    if (!current) throw new AppError("not_found", "It no longer exists.");
    if (current.etag !== record.etag) throw new AppError("precondition_failed", "The job changed meanwhile.");
    const stored = { ...structuredClone(record), etag: randomUUID() };
    this.records.set(key, stored);
    return structuredClone(stored);
  }

  async listByOwner(owner: string, since: string): Promise<JobRecord[]> {
    return [...this.records.values()]
      .filter(
        (record) =>
          record.owner === owner &&
          (record.createdAt >= since ||
            record.status === "queued" ||
            record.status === "running" ||
            (record.finishedAt ?? "") >= since),
      )
      .map((record) => {
        const copy = structuredClone(record);
        delete copy.segmentsSoFar;
        return copy;
      });
  }

  async listQueued(): Promise<Array<Pick<JobRecord, "id" | "owner" | "updatedAt">>> {
    return [...this.records.values()]
      .filter((record) => record.status === "queued")
      .map(({ id, owner, updatedAt }) => ({ id, owner, updatedAt }))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
  }

  async listSucceededBefore(before: string): Promise<Array<Pick<JobRecord, "id" | "owner">>> {
    return [...this.records.values()]
      .filter((record) => record.status === "succeeded" && (record.finishedAt ?? "") < before)
      .map(({ id, owner }) => ({ id, owner }));
  }

  async delete(owner: string, id: string): Promise<void> {
    this.records.delete(`${owner}/${id}`);
  }
}

interface QueuedMessage {
  job: JobMessage;
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
  visibleAt: number;
}

/** A queue in this process's memory (tests), with Azure Queue Storage's visibility rules. */
class MemoryWorkQueue implements WorkQueue {
  private readonly messages: QueuedMessage[] = [];

  async send(job: JobMessage): Promise<void> {
    this.messages.push({
      job: { ...job },
      messageId: randomUUID(),
      popReceipt: "",
      dequeueCount: 0,
      visibleAt: 0,
    });
  }

  async receive(visibilitySec: number): Promise<ReceivedMessage | null> {
    const now = Date.now();
    const message = this.messages.find((candidate) => candidate.visibleAt <= now);
    if (!message) return null;
    message.popReceipt = randomUUID();
    message.dequeueCount += 1;
    message.visibleAt = now + visibilitySec * 1000;
    return this.view(message);
  }

  async extend(held: ReceivedMessage, visibilitySec: number): Promise<ReceivedMessage> {
    const message = this.held(held);
    message.popReceipt = randomUUID();
    message.visibleAt = Date.now() + visibilitySec * 1000;
    return this.view(message);
  }

  async delete(held: ReceivedMessage): Promise<void> {
    const index = this.messages.findIndex(
      (message) => message.messageId === held.messageId && message.popReceipt === held.popReceipt,
    );
    if (index >= 0) this.messages.splice(index, 1);
  }

  async length(): Promise<number> {
    return this.messages.length;
  }

  private held(held: ReceivedMessage): QueuedMessage {
    const message = this.messages.find(
      (candidate) => candidate.messageId === held.messageId && candidate.popReceipt === held.popReceipt,
    );
    if (!message) throw new AppError("not_found", "It no longer exists.");
    return message;
  }

  private view(message: QueuedMessage): ReceivedMessage {
    const { job, messageId, popReceipt, dequeueCount } = message;
    return { job: { ...job }, messageId, popReceipt, dequeueCount };
  }
}

/** Job records and queue in memory: the doubles used with memory storage in tests. */
export function createMemoryJobs(): Jobs {
  return { records: new MemoryJobStore(), queue: new MemoryWorkQueue() };
}
