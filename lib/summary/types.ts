/** What a summariser is given. */
export interface SummaryInput {
  title: string;
  text: string;
  language: string;
}

/** Per-call options. */
export interface SummarizeOptions {
  signal?: AbortSignal;
  /** Receives the summary as it is produced (the whole summary arrives as deltas in order). */
  onDelta?: (text: string) => void;
}

/** Shown in the UI and `/api/health`. */
export interface SummarizerInfo {
  id: "local" | "azure-openai" | "openai-compatible";
  name: string;
  /** True when nothing leaves the machine. */
  local: boolean;
}

/** Turns a transcript into a short summary. Implementations map vendor errors to `AppError`s. */
export interface Summarizer {
  readonly info: SummarizerInfo;
  /** Resolves with the full summary; rejects with an `AppError`. */
  summarize(input: SummaryInput, options?: SummarizeOptions): Promise<string>;
  /**
   * Asks the service, at no cost, whether it answers and takes the credentials (once, at start-up).
   * Rejects with an `AppError` whose message is safe to show. Absent when there is nothing to ask.
   */
  check?(signal: AbortSignal): Promise<void>;
}
