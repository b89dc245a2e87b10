const stopWords = new Set(
  (
    "a about above after again against all also am an and any are aren't as at be because been before being below " +
    "between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few " +
    "for from further get got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself " +
    "him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most " +
    "mustn't my myself no nor not now of off on once only or other ought our ours ourselves out over own same shan't " +
    "she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then there " +
    "there's these they they'd they'll they're they've this those through to too under until up upon us very was " +
    "wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom " +
    "why why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves " +
    "um uh erm hmm yeah yes okay ok oh like well really actually basically literally right gonna wanna kind sort " +
    "thing things lot lots mean know think going go said say says one two also may might must shall us"
  ).split(/\s+/),
);

/** A sentence of the transcript with its position. */
export interface Sentence {
  index: number;
  text: string;
  terms: Map<string, number>;
  words: number;
}

/** Splits transcript text into sentences (punctuation, line breaks) and their content terms. */
export function splitSentences(text: string): Sentence[] {
  const pieces = text
    .replace(/[^\S\n]+/g, " ")
    .split(/(?<!\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs)\.)(?<=[.!?…]["”’')\]]?)\s+(?=["“‘'(]?[A-Z0-9])|\n+/)
    .map((piece) => piece.trim())
    .filter(Boolean);
  return pieces.map((piece, index) => {
    const words = piece.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
    const terms = new Map<string, number>();
    for (const word of words) {
      const lower = word.toLowerCase().replace(/’/g, "'");
      if (stopWords.has(lower) || lower.length < 3) continue;
      const stem = stemTerm(lower);
      terms.set(stem, (terms.get(stem) ?? 0) + 1);
    }
    return { index, text: piece, terms, words: words.length };
  });
}

/** A light suffix stripper: enough to group "printing"/"printed"/"prints" as one term. */
export function stemTerm(word: string): string {
  const trimmed = word.replace(/'s$/, "");
  for (const suffix of [
    "ations",
    "ation",
    "ingly",
    "ings",
    "ing",
    "edly",
    "ies",
    "ied",
    "ed",
    "es",
    "ly",
    "s",
  ]) {
    if (trimmed.endsWith(suffix) && trimmed.length - suffix.length >= 4) {
      const stem = trimmed.slice(0, -suffix.length);
      return suffix === "ies" || suffix === "ied" ? `${stem}y` : stem;
    }
  }
  return trimmed;
}

/** TF-IDF vectors (unit length) for each sentence. */
export function weighTerms(sentences: Sentence[]): Array<Map<string, number>> {
  const documentFrequency = new Map<string, number>();
  for (const sentence of sentences) {
    for (const term of sentence.terms.keys())
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const count = sentences.length;
  return sentences.map((sentence) => {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [term, frequency] of sentence.terms) {
      const weight = (1 + Math.log(frequency)) * Math.log(1 + count / (documentFrequency.get(term) ?? 1));
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  });
}

/** Cosine similarity of two unit vectors. */
export function similarity(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [term, weight] of small) sum += weight * (large.get(term) ?? 0);
  return sum;
}

/** PageRank over the sentence-similarity graph (TextRank); deterministic. */
export function rankSentences(
  vectors: Array<Map<string, number>>,
  iterations = 40,
  damping = 0.85,
): number[] {
  const n = vectors.length;
  if (n === 0) return [];
  const edges: Array<Array<[number, number]>> = vectors.map(() => []);
  const outWeight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const weight = similarity(vectors[i]!, vectors[j]!);
      if (weight <= 0.02) continue;
      edges[i]!.push([j, weight]);
      edges[j]!.push([i, weight]);
      outWeight[i]! += weight;
      outWeight[j]! += weight;
    }
  }
  let scores = new Float64Array(n).fill(1 / n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const next = new Float64Array(n).fill((1 - damping) / n);
    for (let i = 0; i < n; i++) {
      if (outWeight[i] === 0) continue;
      const share = (damping * scores[i]!) / outWeight[i]!;
      for (const [j, weight] of edges[i]!) next[j]! += share * weight;
    }
    scores = next;
  }
  return Array.from(scores);
}

/** The terms that carry the most weight across the whole transcript. */
export function topTerms(sentences: Sentence[], count: number): string[] {
  const surface = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const documentFrequency = new Map<string, number>();
  for (const sentence of sentences) {
    for (const word of sentence.text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []) {
      const lower = word.toLowerCase();
      if (stopWords.has(lower) || lower.length < 4) continue;
      const stem = stemTerm(lower);
      const forms = surface.get(stem) ?? new Map<string, number>();
      forms.set(lower, (forms.get(lower) ?? 0) + 1);
      surface.set(stem, forms);
    }
    for (const [term, frequency] of sentence.terms) {
      totals.set(term, (totals.get(term) ?? 0) + frequency);
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
  }
  return [...totals.entries()]
    .filter(([term, total]) => total >= 2 && surface.has(term))
    .map(([term, total]) => ({
      term,
      score: total * Math.log(1 + sentences.length / documentFrequency.get(term)!),
    }))
    .sort((a, b) => b.score - a.score || a.term.localeCompare(b.term))
    .slice(0, count)
    .map(({ term }) => {
      const forms = [...surface.get(term)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      return forms[0]![0];
    });
}
