import { AppError } from "@/lib/domain/errors";
import type { SummarizeOptions, Summarizer, SummaryInput } from "../types";
import { rankSentences, similarity, splitSentences, topTerms, weighTerms, type Sentence } from "./text-rank";

/** Result of {@link summarizeExtractive}, before it is written out as text. */
export interface ExtractiveSummary {
  overview: string[];
  keyPoints: string[];
  topics: string[];
}

const MIN_WORDS = 5;
const MAX_WORDS = 60;

/**
 * Picks the transcript's own sentences: TextRank (PageRank over TF-IDF sentence similarity)
 * finds central sentences, maximal marginal relevance keeps the key points from repeating each
 * other, and the overview is the sentence closest to the whole. Deterministic, no network.
 */
export function summarizeExtractive(text: string): ExtractiveSummary {
  const sentences = splitSentences(text);
  if (sentences.length === 0) return { overview: [], keyPoints: [], topics: [] };
  const candidates = sentences.filter(
    (s) => s.words >= MIN_WORDS && s.words <= MAX_WORDS && s.terms.size >= 2,
  );
  const pool = candidates.length > 0 ? candidates : sentences;
  if (pool.length === 1) return { overview: [pool[0]!.text], keyPoints: [], topics: topTerms(sentences, 5) };

  const vectors = weighTerms(pool);
  const ranks = rankSentences(vectors);
  const centroid = centroidOf(vectors);
  const scores = pool.map((sentence, i) => {
    const lengthFactor = Math.min(1, sentence.words / 12);
    return ranks[i]! * (0.6 + 0.4 * lengthFactor) * (0.7 + 0.3 * similarity(vectors[i]!, centroid));
  });

  const overviewIndex = argMax(
    pool.map((_, i) => similarity(vectors[i]!, centroid) + scores[i]! * pool.length * 0.05),
  );
  const pointCount = Math.max(2, Math.min(8, Math.round(Math.sqrt(pool.length))));
  const chosen = pickDiverse(pool, vectors, scores, pointCount + 1, overviewIndex);
  const overview = pool[overviewIndex]!;
  const keyPoints = chosen
    .filter((i) => i !== overviewIndex)
    .slice(0, pointCount)
    .sort((a, b) => pool[a]!.index - pool[b]!.index)
    .map((i) => pool[i]!.text);
  return { overview: [overview.text], keyPoints, topics: topTerms(sentences, 6) };
}

/** Writes a summary as plain text: an overview, key points as a list, and topics. */
export function formatSummary(summary: ExtractiveSummary): string {
  const parts: string[] = [];
  if (summary.overview.length) parts.push(`Overview: ${summary.overview.join(" ")}`);
  if (summary.keyPoints.length)
    parts.push(["Key points:", ...summary.keyPoints.map((point) => `- ${point}`)].join("\n"));
  if (summary.topics.length) parts.push(`Topics: ${summary.topics.join(", ")}`);
  return parts.join("\n\n");
}

/** The embedded default summariser. */
export class ExtractiveSummarizer implements Summarizer {
  readonly info = { id: "local", name: "Local extractive summary", local: true } as const;

  async summarize(input: SummaryInput, options: SummarizeOptions = {}): Promise<string> {
    options.signal?.throwIfAborted();
    if (!input.text.trim()) throw new AppError("empty_transcript", "There is no text to summarise yet.");
    const summary = formatSummary(summarizeExtractive(input.text));
    options.onDelta?.(summary);
    return summary;
  }
}

function centroidOf(vectors: Array<Map<string, number>>): Map<string, number> {
  const sum = new Map<string, number>();
  for (const vector of vectors)
    for (const [term, weight] of vector) sum.set(term, (sum.get(term) ?? 0) + weight);
  const norm = Math.sqrt([...sum.values()].reduce((total, weight) => total + weight * weight, 0)) || 1;
  for (const [term, weight] of sum) sum.set(term, weight / norm);
  return sum;
}

function pickDiverse(
  pool: Sentence[],
  vectors: Array<Map<string, number>>,
  scores: number[],
  count: number,
  first: number,
): number[] {
  const maxScore = Math.max(...scores) || 1;
  const chosen = [first];
  while (chosen.length < Math.min(count, pool.length)) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < pool.length; i++) {
      if (chosen.includes(i)) continue;
      const redundancy = Math.max(...chosen.map((j) => similarity(vectors[i]!, vectors[j]!)));
      const value = 0.7 * (scores[i]! / maxScore) - 0.3 * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(best);
  }
  return chosen;
}

function argMax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
