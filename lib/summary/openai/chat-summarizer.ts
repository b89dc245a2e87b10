import OpenAI from "openai";
import { AppError } from "@/lib/domain/errors";
import { chunkText } from "../chunk";
import {
  chunkSystemPrompt,
  chunkUserPrompt,
  reduceUserPrompt,
  summarySystemPrompt,
  summaryUserPrompt,
} from "../prompt";
import type { SummarizeOptions, Summarizer, SummarizerInfo, SummaryInput } from "../types";

type Message = { role: "system" | "user"; content: string };

/**
 * Summaries from any chat-completions endpoint (Azure OpenAI, OpenAI, Ollama, vLLM, LM Studio).
 * Long transcripts are cut into parts that fit the context (map), whose notes are then
 * summarised together (reduce); the final answer is streamed. The client retries 429/5xx with
 * backoff; what still fails comes back as a readable error.
 */
export class ChatSummarizer implements Summarizer {
  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
    readonly info: SummarizerInfo,
    private readonly chunkChars: number,
  ) {}

  /**
   * Lists the service's models, which costs nothing: it answers and takes the credentials. A
   * service without that endpoint (a 404) answered all the same.
   */
  async check(signal: AbortSignal): Promise<void> {
    try {
      await this.client.models.list({ signal, maxRetries: 0, timeout: 10_000 });
    } catch (error) {
      const failure = checkFailure(error);
      if (failure) throw new AppError("summary_unavailable", failure, { cause: error });
    }
  }

  async summarize(input: SummaryInput, options: SummarizeOptions = {}): Promise<string> {
    const chunks = chunkText(input.text, this.chunkChars);
    if (chunks.length === 0) throw new AppError("empty_transcript", "There is no text to summarise yet.");
    try {
      if (chunks.length === 1) {
        return await this.stream(
          [
            { role: "system", content: summarySystemPrompt },
            { role: "user", content: summaryUserPrompt(input.title, chunks[0]!) },
          ],
          options,
        );
      }
      const notes: string[] = [];
      for (const [i, chunk] of chunks.entries()) {
        notes.push(
          await this.complete(
            [
              { role: "system", content: chunkSystemPrompt },
              { role: "user", content: chunkUserPrompt(input.title, i + 1, chunks.length, chunk) },
            ],
            options.signal,
          ),
        );
      }
      return await this.stream(
        [
          { role: "system", content: summarySystemPrompt },
          { role: "user", content: reduceUserPrompt(input.title, notes) },
        ],
        options,
      );
    } catch (error) {
      throw mapOpenAiError(error, this.info.name);
    }
  }

  private async complete(messages: Message[], signal?: AbortSignal): Promise<string> {
    const response = await this.client.chat.completions.create(
      { model: this.model, messages, temperature: 0.2 },
      { signal },
    );
    return response.choices[0]?.message?.content?.trim() ?? "";
  }

  private async stream(messages: Message[], options: SummarizeOptions): Promise<string> {
    const stream = await this.client.chat.completions.create(
      { model: this.model, messages, temperature: 0.2, stream: true },
      { signal: options.signal },
    );
    let text = "";
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        text += delta;
        options.onDelta?.(delta);
      }
    }
    if (!text.trim()) throw new AppError("summary_failed", `${this.info.name} returned an empty summary.`);
    return text.trim();
  }
}

/** Why a start-up check failed, or null when the service answered (any answer but a refusal or a fault). */
function checkFailure(error: unknown): string | null {
  if (error instanceof OpenAI.APIConnectionError) {
    return "It could not be reached: check the endpoint and that the service is running.";
  }
  if (!(error instanceof OpenAI.APIError)) return "The check failed before the service answered.";
  const status = error.status ?? 0;
  if (status === 401 || status === 403) {
    return `It refused the credentials (error ${status}): check the key or identity.`;
  }
  return status >= 500 ? `It answered with an error (${status}).` : null;
}

/** Maps the `openai` package's errors to ours, with messages a person can act on. */
export function mapOpenAiError(error: unknown, service: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof OpenAI.APIConnectionError) {
    return new AppError(
      "summary_unavailable",
      `${service} could not be reached. Check the endpoint and try again.`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    if (status === 429) {
      return new AppError("rate_limited", `${service} is busy (rate limited). Try again in a minute.`, {
        cause: error,
      });
    }
    if (status === 401 || status === 403) {
      return new AppError(
        "summary_unavailable",
        `${service} rejected the credentials. Check the key or identity.`,
        {
          cause: error,
        },
      );
    }
    if (status === 404) {
      return new AppError(
        "summary_unavailable",
        `${service} does not know the configured model or deployment.`,
        {
          cause: error,
        },
      );
    }
    return new AppError(
      "summary_failed",
      `${service} could not summarise this transcript (error ${status}).`,
      {
        cause: error,
      },
    );
  }
  if ((error as { name?: string })?.name === "AbortError") {
    return new AppError("summary_failed", "The summary was cancelled.", { cause: error });
  }
  return new AppError("summary_failed", `${service} failed while summarising.`, { cause: error });
}
