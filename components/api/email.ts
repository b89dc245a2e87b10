import { ApiRequestError, isObject, requestJson, str, UNEXPECTED_MESSAGE } from "./client";

export interface EmailResult {
  id: string;
  status: "sent";
}

/**
 * E-mails the saved transcript (text, summary, settings; TXT and DOCX attached) to `to`.
 * Failures carry the server's message: `validation_failed`, `rate_limited`, `email_failed`…
 */
export async function emailTranscript(id: string, to: string): Promise<EmailResult> {
  const body = await requestJson(`/api/transcriptions/${encodeURIComponent(id)}/email`, {
    method: "POST",
    json: { to },
  });
  if (!isObject(body)) throw new ApiRequestError(UNEXPECTED_MESSAGE, 202);
  return { id: str(body.id), status: "sent" };
}
