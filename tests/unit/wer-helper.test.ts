import { droppedWords, wordErrorRate } from "../helpers/wer";

describe("test WER helpers", () => {
  it("counts words left out, not words misheard or added", () => {
    const reference = "and so my fellow americans ask not what your country can do for you";
    expect(droppedWords(reference, reference)).toBe(0);
    expect(droppedWords(reference, reference.replace("ask", "asked"))).toBe(0);
    expect(droppedWords(reference, `${reference} and more`)).toBe(0);
    expect(droppedWords(reference, "and so my fellow americans")).toBe(9);
    expect(droppedWords(reference, "")).toBe(14);
    expect(droppedWords("", "anything")).toBe(0);
  });

  it("scores substitutions, deletions and insertions", () => {
    expect(wordErrorRate("a b c d", "a b c d")).toBe(0);
    expect(wordErrorRate("a b c d", "a x c")).toBe(0.5);
    expect(wordErrorRate("", "")).toBe(0);
  });
});
