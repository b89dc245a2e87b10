import { AppError } from "@/lib/domain/errors";
import { logger } from "@/lib/log";
import { maskEmail } from "@/lib/util/mask-email";
import type { ServiceContext } from "./context";
import { buildTranscriptEmail } from "./email-message";

/**
 * E-mails a saved transcript (with its summary and settings) to one address. Limited per client;
 * the address is never logged in full. A provider failure leaves the transcript untouched.
 */
export async function emailTranscript(
  { services, owner }: ServiceContext,
  id: string,
  to: string,
  clientKey: string,
): Promise<{ id: string }> {
  const { storage, email, config, engine } = services;
  const transcript = await storage.transcripts.get(owner, id);
  if (!transcript) throw new AppError("not_found", "No transcription has this id.");
  const allowed = email.limiter.take(clientKey);
  if (!allowed.allowed) {
    throw new AppError(
      "rate_limited",
      `Too many e-mails sent from here. Try again in ${Math.ceil(allowed.retryAfterSec / 60)} min.`,
      { retryAfterSec: allowed.retryAfterSec },
    );
  }
  const engineName = transcript.engine === engine.info.id ? engine.info.name : transcript.engine;
  const message = await buildTranscriptEmail(transcript, { from: config.email.from, to }, engineName);
  const sent = await email.sender.send(message, { owner });
  logger.info("transcript e-mailed", { transcriptId: id, to: maskEmail(to), provider: email.sender.info.id });
  return sent;
}
