import {
  summaryEventSchema,
  summaryResultSchema,
  summaryStreamType,
  type SummaryResult,
} from "@/lib/contract";
import { ApiRequestError, errorFromResponse, NETWORK_MESSAGE, parseResponse } from "./request";

const summaryUrl = (id: string) => `/api/transcriptions/${encodeURIComponent(id)}/summary`;

export const INCOMPLETE_SUMMARY_MESSAGE =
  "The summary stopped before it was finished. Try again in a moment.";

export interface StreamSummaryOptions {
  signal?: AbortSignal;
  /** Receives each piece of the summary in order, as the server produces it. */
  onDelta?: (text: string) => void;
}

function parseEvent(line: string) {
  try {
    const event = summaryEventSchema.safeParse(JSON.parse(line));
    return event.success ? event.data : null;
  } catch {
    return null;
  }
}

/**
 * Asks the server to summarise the saved transcript, streaming newline-delimited JSON events
 * (`delta`, then `done` or `error`). The summary is saved with the transcript by the server;
 * the result carries the transcript's new version. Errors before the stream starts arrive as
 * the usual JSON envelope; every failure becomes an {@link ApiRequestError} (aborts rethrow).
 */
export async function streamSummary(id: string, options: StreamSummaryOptions = {}): Promise<SummaryResult> {
  const { signal, onDelta } = options;
  let response: Response;
  try {
    response = await fetch(summaryUrl(id), {
      method: "POST",
      signal,
      cache: "no-store",
      headers: { Accept: `${summaryStreamType}, application/json` },
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError(NETWORK_MESSAGE, 0);
  }

  const { status } = response;
  if (!response.ok) throw errorFromResponse(status, await response.text());
  const type = response.headers.get("Content-Type") ?? "";
  if (!type.includes(summaryStreamType) || !response.body) {
    return parseResponse(summaryResultSchema, status, await response.text());
  }

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const handle = (line: string): SummaryResult | null => {
    if (!line.trim()) return null;
    const event = parseEvent(line);
    if (!event) return null;
    if (event.type === "delta") {
      onDelta?.(event.text);
      return null;
    }
    if (event.type === "error") throw new ApiRequestError(event.message, status, event.code);
    return { summary: event.summary, etag: event.etag };
  };

  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ApiRequestError(INCOMPLETE_SUMMARY_MESSAGE, 0);
      }
      if (chunk.done) break;
      buffer += chunk.value;
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const result = handle(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        if (result) return result;
        newline = buffer.indexOf("\n");
      }
    }
    const last = handle(buffer);
    if (last) return last;
    throw new ApiRequestError(INCOMPLETE_SUMMARY_MESSAGE, 0);
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
