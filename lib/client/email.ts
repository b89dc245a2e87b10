import { emailResultSchema, type EmailRequest, type EmailResult } from "@/lib/contract";
import { requestJson } from "./request";

/**
 * E-mails the saved transcript (text, summary, settings; TXT and DOCX attached) to `to`.
 * Failures carry the server's message: `validation_failed`, `rate_limited`, `email_failed`…
 */
export async function emailTranscript(id: string, to: string): Promise<EmailResult> {
  const body: EmailRequest = { to };
  return requestJson(`/api/transcriptions/${encodeURIComponent(id)}/email`, emailResultSchema, {
    method: "POST",
    json: body,
  });
}
