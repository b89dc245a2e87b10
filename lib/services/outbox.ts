import { AppError } from "@/lib/domain/errors";
import type { OutboxEntry } from "@/lib/email/types";
import type { Services } from "./context";

function activeOutbox({ email }: Pick<Services, "email">) {
  if (!email.outbox) {
    throw new AppError(
      "not_found",
      "The outbox is only kept while e-mail is not sent for real (EMAIL_PROVIDER=outbox).",
    );
  }
  return email.outbox;
}

/** Messages the outbox kept, newest first. */
export async function listOutbox(services: Pick<Services, "email">): Promise<OutboxEntry[]> {
  return activeOutbox(services).list();
}

/** One kept message as raw RFC 5322 bytes. */
export async function readOutboxMessage(services: Pick<Services, "email">, id: string): Promise<Buffer> {
  const message = await activeOutbox(services).read(id);
  if (!message) throw new AppError("not_found", "No message has this id.");
  return message;
}
