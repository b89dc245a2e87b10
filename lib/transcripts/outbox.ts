import { AppError } from "@/lib/http/errors";
import type { OutboxEntry } from "@/lib/email/types";
import { getServices } from "./context";

async function activeOutbox() {
  const { email } = await getServices();
  if (!email.outbox) {
    throw new AppError(
      "not_found",
      "The outbox is only kept while e-mail is not sent for real (EMAIL_PROVIDER=outbox).",
    );
  }
  return email.outbox;
}

/** Messages the outbox kept, newest first. */
export async function listOutbox(): Promise<OutboxEntry[]> {
  return (await activeOutbox()).list();
}

/** One kept message as raw RFC 5322 bytes. */
export async function readOutboxMessage(id: string): Promise<Buffer> {
  const message = await (await activeOutbox()).read(id);
  if (!message) throw new AppError("not_found", "No message has this id.");
  return message;
}
