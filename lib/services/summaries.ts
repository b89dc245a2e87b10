import { AppError } from "@/lib/domain/errors";
import type { StoredTranscript } from "@/lib/domain/transcript";
import type { ServiceContext } from "./context";

/**
 * Summarises a saved transcript (the text as edited), streaming the summary through `onDelta`,
 * then saves it with the transcript. If the transcript changed meanwhile, the summary is saved
 * onto the newest version (edits are never overwritten).
 */
export async function summarizeTranscript(
  { services: { storage, summarizer }, owner }: ServiceContext,
  id: string,
  options: { onDelta?: (text: string) => void; signal?: AbortSignal } = {},
): Promise<{ summary: string; transcript: StoredTranscript }> {
  const transcript = await storage.transcripts.get(owner, id);
  if (!transcript) throw new AppError("not_found", "No transcription has this id.");
  const summary = await summarizer.summarize(
    { title: transcript.title, text: transcript.text, language: transcript.language },
    options,
  );
  for (let attempt = 0; ; attempt++) {
    const latest = attempt === 0 ? transcript : await storage.transcripts.get(owner, id);
    if (!latest) throw new AppError("not_found", "The transcript was deleted while it was being summarised.");
    const { etag, ...rest } = latest;
    try {
      const saved = await storage.transcripts.replace(
        owner,
        { ...rest, summary, updatedAt: new Date().toISOString() },
        etag,
      );
      return { summary, transcript: saved };
    } catch (error) {
      if (!(error instanceof AppError && error.code === "precondition_failed") || attempt >= 2) throw error;
    }
  }
}
