import { AppError } from "@/lib/domain/errors";
import type { OutboxEntry } from "@/lib/email/types";
import type { ServiceContext, Services } from "./context";

function activeOutbox({ email }: Pick<Services, "email">) {
  if (!email.outbox) {
    throw new AppError(
      "not_found",
      "The outbox is only kept while e-mail is not sent for real (EMAIL_PROVIDER=outbox).",
    );
  }
  return email.outbox;
}

/** Messages the outbox kept for the caller, newest first. */
export async function listOutbox({ services, owner }: ServiceContext): Promise<OutboxEntry[]> {
  return activeOutbox(services).list(owner);
}

/** One message the caller sent, as raw RFC 5322 bytes; 404 for another owner's. */
export async function readOutboxMessage({ services, owner }: ServiceContext, id: string): Promise<Buffer> {
  const message = await activeOutbox(services).read(owner, id);
  if (!message) throw new AppError("not_found", "No message has this id.");
  return message;
}
