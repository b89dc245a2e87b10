import type { QueueClient } from "@azure/storage-queue";
import { createOnce, mapStorageError } from "@/lib/azure/storage-errors";
import type { JobMessage, ReceivedMessage, WorkQueue } from "../types";

/** An Azure Storage queue whose messages are `{ owner, id }` as base64 JSON. */
export class StorageWorkQueue implements WorkQueue {
  private readonly ensureReady = createOnce(() => this.queue.createIfNotExists(), "opening the job queue");

  constructor(private readonly queue: QueueClient) {}

  async send(job: JobMessage): Promise<void> {
    await this.ensureReady();
    try {
      // Messages never expire: a job waits as long as it takes for a worker to come.
      await this.queue.sendMessage(encode(job), { messageTimeToLive: -1 });
    } catch (error) {
      throw mapStorageError(error, "queuing the transcription");
    }
  }

  async receive(visibilitySec: number): Promise<ReceivedMessage | null> {
    await this.ensureReady();
    try {
      const answer = await this.queue.receiveMessages({
        numberOfMessages: 1,
        visibilityTimeout: visibilitySec,
      });
      const message = answer.receivedMessageItems[0];
      if (!message) return null;
      return {
        job: decode(message.messageText),
        messageId: message.messageId,
        popReceipt: message.popReceipt,
        dequeueCount: message.dequeueCount,
      };
    } catch (error) {
      throw mapStorageError(error, "reading the job queue");
    }
  }

  async extend(message: ReceivedMessage, visibilitySec: number): Promise<ReceivedMessage> {
    try {
      const answer = await this.queue.updateMessage(
        message.messageId,
        message.popReceipt,
        undefined,
        visibilitySec,
      );
      return { ...message, popReceipt: answer.popReceipt ?? message.popReceipt };
    } catch (error) {
      throw mapStorageError(error, "holding the job");
    }
  }

  async delete(message: ReceivedMessage): Promise<void> {
    try {
      await this.queue.deleteMessage(message.messageId, message.popReceipt);
    } catch (error) {
      const mapped = mapStorageError(error, "finishing the job");
      if (mapped.code !== "not_found") throw mapped;
    }
  }

  async length(): Promise<number> {
    await this.ensureReady();
    try {
      const properties = await this.queue.getProperties();
      return properties.approximateMessagesCount ?? 0;
    } catch (error) {
      throw mapStorageError(error, "reading the job queue");
    }
  }
}

function encode(job: JobMessage): string {
  return Buffer.from(JSON.stringify({ owner: job.owner, id: job.id })).toString("base64");
}

/** A message that is not ours decodes to an id no record has, so it is simply removed. */
function decode(text: string): JobMessage {
  try {
    const value = JSON.parse(Buffer.from(text, "base64").toString("utf8")) as Partial<JobMessage>;
    return { owner: String(value.owner ?? ""), id: String(value.id ?? "") };
  } catch {
    return { owner: "", id: "" };
  }
}
