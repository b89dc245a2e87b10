// Live transcription's local-agreement rule: words are confirmed once two decodes in a row agree on
// them and everything before; confirmed words never change; re-heard words are not confirmed twice.
import { LocalAgreement, sameWord, wordsOf, type TimedWord } from "@/lib/speech/live/local-agreement";

/** A hypothesis whose words each last 0.4 s from `start`. */
function words(text: string, start = 0): TimedWord[] {
  return text.split(" ").map((word, index) => ({
    text: word,
    start: start + index * 0.4,
    end: start + (index + 1) * 0.4,
  }));
}

const texts = (list: readonly TimedWord[]) => list.map((word) => word.text).join(" ");

describe("local agreement", () => {
  it("confirms the prefix two decodes agree on, and keeps the rest as a guess", () => {
    const agreement = new LocalAgreement();
    expect(agreement.insert(words("And so my"))).toEqual({ confirmed: [], tentative: words("And so my") });
    const second = agreement.insert(words("And so my fellow"));
    expect(texts(second.confirmed)).toBe("And so my");
    expect(texts(second.tentative)).toBe("fellow");
    const third = agreement.insert(words("And so my fellow Americans, ask"));
    expect(texts(third.confirmed)).toBe("fellow");
    expect(texts(third.tentative)).toBe("Americans, ask");
  });

  it("stops at the first word two decodes disagree on, whatever follows", () => {
    const agreement = new LocalAgreement();
    agreement.insert(words("and so my fellow"));
    const next = agreement.insert(words("and sew my fellow"));
    expect(texts(next.confirmed)).toBe("and");
    expect(texts(next.tentative)).toBe("sew my fellow");
  });

  it("compares words as a reader does: case and punctuation aside", () => {
    expect(sameWord("Americans,", "americans")).toBe(true);
    expect(sameWord("don't", "dont")).toBe(false);
    const agreement = new LocalAgreement();
    agreement.insert(words("ask not what"));
    expect(texts(agreement.insert(words("Ask not, what your")).confirmed)).toBe("Ask not, what");
  });

  it("does not confirm again words a later decode hears again", () => {
    const agreement = new LocalAgreement();
    agreement.insert(words("and so my"));
    agreement.insert(words("and so my"));
    // The window moved on: the next decode starts with the last confirmed word, heard again.
    const later = words("my fellow americans", 0.8);
    agreement.insert(later);
    const next = agreement.insert(words("my fellow americans ask", 0.8));
    expect(texts(next.confirmed)).toBe("fellow americans");
    expect(texts(next.tentative)).toBe("ask");
  });

  it("never changes a confirmed word, on any sequence of growing, wavering decodes", () => {
    const truth = "and so my fellow americans ask not what your country can do for you".split(" ");
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let run = 0; run < 50; run++) {
      const agreement = new LocalAgreement();
      const shown: string[] = [];
      for (let heard = 1; heard <= truth.length; heard++) {
        // A decode of what was heard so far, with its last word often misheard.
        const guess = truth
          .slice(0, heard)
          .map((word, index) => (index === heard - 1 && random() < 0.5 ? `${word}x` : word));
        const { confirmed } = agreement.insert(words(guess.join(" ")));
        shown.push(...confirmed.map((word) => word.text));
        expect(shown).toEqual(truth.slice(0, shown.length));
      }
      // Confirmation keeps up: at most the words of the last two decodes wait.
      expect(shown.length).toBeGreaterThanOrEqual(truth.length - 2);
    }
  });

  it("spreads a segment's time over its words by length", () => {
    const spread = wordsOf([{ start: 1, end: 2, text: " ab  abcd" }]);
    expect(spread.map((word) => word.text)).toEqual(["ab", "abcd"]);
    expect(spread[0]).toMatchObject({ start: 1, end: 1.375 });
    expect(spread[1]).toMatchObject({ start: 1.375, end: 2 });
  });
});
