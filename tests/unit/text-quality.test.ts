import {
  collapseLoops,
  countWords,
  findRepetition,
  isLoop,
  isSoundLabel,
  normalizedWords,
} from "@/lib/speech/local/text-quality";

const words = (text: string) => normalizedWords(text);

describe("findRepetition and isLoop", () => {
  it("finds one word said again and again", () => {
    const repetition = findRepetition(words(`And so my ${"fellow ".repeat(400)}Americans`));
    expect(repetition).toMatchObject({ phrase: "fellow", size: 1, count: 400, at: 3 });
    expect(isLoop(repetition)).toBe(true);
  });

  it("finds a whole sentence repeated", () => {
    const sentence = "the quick brown fox jumps over the lazy dog near the river bank today and every day";
    const repetition = findRepetition(words(`${sentence} ${sentence} ${sentence} ${sentence} ${sentence}`));
    expect(repetition).toMatchObject({ size: 17, count: 5, at: 0 });
    expect(isLoop(repetition)).toBe(true);
  });

  it("leaves what people really say alone", () => {
    for (const text of [
      "No, no, no. That is not what I said.",
      "It was very very good.",
      "Ask not what your country can do for you, ask what you can do for your country.",
      "I said it twice: come here, come here.",
      "",
    ]) {
      expect(isLoop(findRepetition(words(text)))).toBe(false);
    }
  });
});

describe("collapseLoops", () => {
  it("keeps one of each looping run and the original spelling of the rest", () => {
    expect(collapseLoops("And so my fellow fellow fellow fellow fellow, Americans.")).toBe(
      "And so my fellow Americans.",
    );
    expect(collapseLoops("Ask not. Ask not. Ask not. Ask not. What you can do.")).toBe(
      "Ask not. What you can do.",
    );
  });

  it("changes nothing without a loop", () => {
    const text = "No, no, no. It was very very good.";
    expect(collapseLoops(text)).toBe(text);
  });
});

describe("isSoundLabel", () => {
  it("recognises Whisper's descriptions of sounds", () => {
    for (const label of [
      "[BLANK_AUDIO]",
      "(music)",
      " [Applause] ",
      "♪ ♪",
      "(upbeat music) [laughs]",
      "*coughs*",
    ]) {
      expect(isSoundLabel(label)).toBe(true);
    }
  });

  it("keeps words, even with a label beside them", () => {
    for (const text of ["Five.", "Thank you.", "[laughs] That was funny.", "(1) First point", "Hello"]) {
      expect(isSoundLabel(text)).toBe(false);
    }
  });
});

describe("countWords", () => {
  it("counts words, not punctuation", () => {
    expect(countWords("And so, my fellow Americans — ask not.")).toBe(7);
    expect(countWords(" ... ")).toBe(0);
  });
});
