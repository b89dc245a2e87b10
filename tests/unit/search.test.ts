import { buildSnippet, foldText, matchesAll, parseQuery } from "@/lib/services/search";

/** The marked spans of a snippet, folded. */
function marked(result: { snippet: string; matches: Array<[number, number]> }): string[] {
  return result.matches.map(([a, b]) => foldText(result.snippet.slice(a, b)));
}

const words = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `w${from + i}`).join(" ");

describe("foldText", () => {
  it("lower-cases and strips accents", () => {
    expect(foldText("Café")).toBe("cafe");
    expect(foldText("ÀÉÎÕÜ ñ Ç Å ø")).toBe("aeiou n c a ø");
    expect(foldText("Crème Brûlée, PLEASE")).toBe("creme brulee, please");
    expect(foldText("İstanbul")).toBe("istanbul");
    expect(foldText("ΆΈΉ")).toBe("αεη");
  });

  it("keeps the length, so offsets in the folded text are offsets in the original", () => {
    for (const text of [
      "Café Ünïcode",
      "İİİ and ǅ",
      "Straße ẞ",
      "e\u0301 decomposed",
      "東京 が ガ 한국어",
      "emoji 😀 and 𝐀 math",
      "ﬁ ligature and Ⅻ",
      "lone \ud800 surrogate",
      "",
    ]) {
      expect(foldText(text)).toHaveLength(text.length);
    }
  });

  it("leaves characters without a one-unit folding as they are, lower-cased where possible", () => {
    expect(foldText("ǅ")).toBe("ǆ");
    expect(foldText("한")).toBe("한");
    expect(foldText("ẞ")).toBe("ß");
    expect(foldText("😀")).toBe("😀");
  });
});

describe("parseQuery", () => {
  it("splits on any whitespace and folds each term", () => {
    expect(parseQuery("  Café\tCENTRAL \n vienna ")).toEqual(["cafe", "central", "vienna"]);
  });

  it("drops duplicates after folding", () => {
    expect(parseQuery("cafe CAFÉ Café central")).toEqual(["cafe", "central"]);
  });

  it("answers no terms for an empty or blank query", () => {
    expect(parseQuery("")).toEqual([]);
    expect(parseQuery(" \t\n ")).toEqual([]);
  });

  it("keeps at most 8 terms", () => {
    expect(parseQuery("a b c d e f g h i j")).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
  });
});

describe("matchesAll", () => {
  it("needs every term, in the title or the text", () => {
    expect(matchesAll(["budget", "review"], "Quarterly review", "We talked about the budget.")).toBe(true);
    expect(matchesAll(["budget", "paris"], "Quarterly review", "We talked about the budget.")).toBe(false);
    expect(matchesAll([], "anything", "at all")).toBe(true);
  });

  it("ignores case and accents and matches inside words", () => {
    expect(matchesAll(parseQuery("CAFE"), "Notes", "At the Café.")).toBe(true);
    expect(matchesAll(parseQuery("café"), "Notes", "At the cafe.")).toBe(true);
    expect(matchesAll(["budget"], "Notes", "Budgets were cut.")).toBe(true);
  });

  it("does not match a term across the title and the text", () => {
    expect(matchesAll(["reviewwe"], "Quarterly review", "We met.")).toBe(false);
    expect(matchesAll(["review we"], "Quarterly review", "We met.")).toBe(false);
  });
});

describe("buildSnippet", () => {
  it("answers a short text whole, without ellipses, with exact offsets", () => {
    const text = "We met at the Café Central in Vienna.";
    const result = buildSnippet(["vienna"], text);
    expect(result.snippet).toBe(text);
    expect(result.matches).toEqual([[30, 36]]);
    expect(result.snippet.slice(30, 36)).toBe("Vienna");
  });

  it("marks accented text found by a folded term", () => {
    const result = buildSnippet(parseQuery("CAFE"), "We met at the Café Central.");
    expect(result.matches).toEqual([[14, 18]]);
    expect(result.snippet.slice(14, 18)).toBe("Café");
  });

  it("marks every occurrence of every term, sorted by position", () => {
    const text = "Budget first. Then the review. Then the budget again, and the review.";
    const result = buildSnippet(["review", "budget"], text);
    expect(marked(result)).toEqual(["budget", "review", "budget", "review"]);
    const starts = result.matches.map(([a]) => a);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
    for (const [a, b] of result.matches) expect(b).toBeGreaterThan(a);
  });

  it("merges overlapping and touching matches", () => {
    const overlapping = buildSnippet(["cafe", "fecund"], "A cafecund day.");
    expect(overlapping.matches).toEqual([[2, 10]]);
    const nested = buildSnippet(["cafe", "caf"], "The cafe.");
    expect(nested.matches).toEqual([[4, 8]]);
    const touching = buildSnippet(["ab", "cd"], "xx abcd yy");
    expect(touching.matches).toEqual([[3, 7]]);
  });

  it("cuts a long text around the first match, at word boundaries, with ellipses", () => {
    const text = `${words(0, 100)} target ${words(100, 100)}`;
    const result = buildSnippet(["target"], text);
    expect(result.snippet.startsWith("…")).toBe(true);
    expect(result.snippet.endsWith("…")).toBe(true);
    expect(result.snippet.length).toBeLessThan(text.length);
    expect(result.snippet.length).toBeLessThanOrEqual(270 + 2);
    // Whole words only: the text between the ellipses is a slice of the original that starts and ends at spaces.
    const inner = result.snippet.slice(1, -1);
    const at = text.indexOf(inner);
    expect(at).toBeGreaterThan(0);
    expect(text[at - 1]).toBe(" ");
    expect(text[at + inner.length]).toBe(" ");
    expect(marked(result)).toEqual(["target"]);
    const [[a, b]] = result.matches as [[number, number]];
    expect(result.snippet.slice(a, b)).toBe("target");
  });

  it("centres on the earliest term and marks later ones only when they fall inside the window", () => {
    const text = `${words(0, 100)} alpha ${words(100, 200)} omega`;
    const result = buildSnippet(["omega", "alpha"], text);
    expect(result.snippet).toContain("alpha");
    expect(result.snippet).not.toContain("omega");
    expect(marked(result)).toEqual(["alpha"]);
  });

  it("handles a term at the very start of the text", () => {
    const text = `Target ${words(0, 200)}`;
    const result = buildSnippet(["target"], text);
    expect(result.snippet.startsWith("Target ")).toBe(true);
    expect(result.snippet.endsWith("…")).toBe(true);
    expect(result.matches[0]).toEqual([0, 6]);
  });

  it("handles a term at the very end of the text", () => {
    const text = `${words(0, 200)} the end`;
    const result = buildSnippet(["end"], text);
    expect(result.snippet.startsWith("…")).toBe(true);
    expect(result.snippet.endsWith("the end")).toBe(true);
    const last = result.matches.at(-1)!;
    expect(last).toEqual([result.snippet.length - 3, result.snippet.length]);
  });

  it("answers the start of the text and no matches when no term occurs", () => {
    const short = buildSnippet(["zebra"], "Nothing to see here.");
    expect(short).toEqual({ snippet: "Nothing to see here.", matches: [] });
    const long = buildSnippet(["zebra"], words(0, 200));
    expect(long.snippet.startsWith("w0 w1 ")).toBe(true);
    expect(long.snippet.endsWith("…")).toBe(true);
    expect(long.matches).toEqual([]);
  });

  it("keeps offsets exact around characters of two UTF-16 units", () => {
    const text = "😀😀 naïve café 😀 Café";
    const result = buildSnippet(["cafe"], text);
    expect(result.snippet).toBe(text);
    expect(result.matches.map(([a, b]) => text.slice(a, b))).toEqual(["café", "Café"]);
  });

  // The window start moves forward to the next space and the end back to the previous space, without
  // checking that those spaces are on the right side of the match. In text without spaces near the match
  // (Chinese or Japanese, a long URL) the match is cut out of its own snippet.
  // Bug: lib/services/search.ts buildSnippet, lines 46-47 - see report.
  it("keeps the match in Japanese text with a space only before it", () => {
    const text = `Hello there ${"あ".repeat(50)}東京${"い".repeat(300)}`;
    const result = buildSnippet(["東京"], text);
    expect(result.snippet).toContain("東京");
    expect(marked(result)).toEqual(["東京"]);
  });

  it("keeps the match inside a long token such as a URL", () => {
    const text = `${words(0, 20)} https://example.com/${"x".repeat(100)}/target tail`;
    const result = buildSnippet(["target"], text);
    expect(result.snippet).toContain("target");
    expect(marked(result)).toEqual(["target"]);
  });
});
