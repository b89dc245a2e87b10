import type { Segment } from "@/lib/speech/types";
import {
  alignWords,
  normalizeWhitespace,
  realignSegments,
  replaceSegmentText,
  segmentsMatchText,
  splitWords,
} from "@/lib/domain/realign-segments";

// Segments as the local engine recognised them: tests/fixtures/jfk.wav (11 s) ...
const jfk: Segment[] = [
  {
    start: 0.15,
    end: 10.59,
    text: "And so, my fellow Americans ask not what your country can do for you, ask what you can do for your country.",
  },
];
const jfkText = jfk[0]!.text;
const jfkSentence = jfkText;

// ... jfk.wav, 2 s of silence, jfk.wav again and 3 s of silence (27 s) ...
const jfkTwice: Segment[] = [
  { start: 0.15, end: 11.15, text: ` ${jfkSentence}` },
  { start: 13.15, end: 23.65, text: jfkSentence },
];

// ... and the first two minutes of a public-domain audiobook recording (346.69 s in all).
const book: Segment[] = [
  {
    start: 0,
    end: 10,
    text: "A very few years saw the birth of Roman character not only in Italy, but in Germany and France, then in the same operations with ugly ones.",
  },
  { start: 11, end: 15, text: "Yet these thoughts affected Hester Prenn Lass with hope than apprehension." },
  {
    start: 16,
    end: 24,
    text: 'The earliest book printed with movable type, the aforementioned "Gottenburg Bible" is printed in letters which are an exact imitation.',
  },
  {
    start: 24.95,
    end: 36.95,
    text: "Eight of spades, four of close, seven of hearts. In 1465, Swainheim and Panerts began printing in the monastery of Subiakal near Rome.",
  },
  { start: 36.95, end: 39.95, text: "Go forward, 10 meters." },
  { start: 39.95, end: 43.95, text: "Concord returned to its place amidst the tents." },
  {
    start: 43.95,
    end: 48.95,
    text: "It is of the first importance that the letter used should be fine and form.",
  },
  {
    start: 49.4,
    end: 67.4,
    text: "Especially as no more time is occupied or cost incurred in casting, setting, or printing beautiful letters, imitates a much freer hand, simpler, rounder and less spiky, and therefore far pleasanter and easier to read.",
  },
  {
    start: 67.4,
    end: 77.1,
    text: "The forms of printed letters should be beautiful, and that their arrangement on the page should be reasonable and a help to the shapeliness of the letters themselves.",
  },
  {
    start: 77.24,
    end: 102.73,
    text: 'But, though on the whole, except in Italy, Gothic letter was most often used. "Seven of clubs." "And so, my fellow Americans ask, not, what your country can do for you, ask what you can do for your country." And it is worth mentioning in passing that, as an example of fine typography,',
  },
  {
    start: 102.81,
    end: 108.17,
    text: "produced the block books, which were the immediate predecessors of the true printed book.",
  },
  {
    start: 108.17,
    end: 115.05,
    text: "After early nightfall, the yellow lamps would light up here and there the squalid quarter of the brothels.",
  },
];
const bookDuration = 346.69;
const bookText = book.map((segment) => segment.text).join(" ");

/** The invariants every realignment keeps, checked on every result below. */
function expectConsistent(segments: Segment[], text: string, durationSec: number) {
  expect(normalizeWhitespace(segments.map((segment) => segment.text).join(" "))).toBe(
    normalizeWhitespace(text),
  );
  const problems: string[] = [];
  segments.forEach((segment, index) => {
    const previousStart = index > 0 ? segments[index - 1]!.start : 0;
    if (splitWords(segment.text).length === 0) problems.push(`${index}: no words`);
    if (segment.start < previousStart) problems.push(`${index}: starts before the previous segment`);
    if (segment.end < segment.start) problems.push(`${index}: ends before it starts`);
    if (segment.end > durationSec) problems.push(`${index}: ends after the audio`);
  });
  expect(problems).toEqual([]);
}

function realign(segments: Segment[], text: string, durationSec: number): Segment[] {
  const result = realignSegments(segments, text, durationSec);
  expectConsistent(result, text, durationSec);
  return result;
}

describe("realignSegments", () => {
  it("returns the same segments, unchanged, when the words are unchanged", () => {
    const result = realign(book, `${bookText.replace(/ /g, "\n")}\n`, bookDuration);
    expect(result).toHaveLength(book.length);
    result.forEach((segment, index) => expect(segment).toBe(book[index]));
    // The leading space Whisper puts before a segment is kept as long as nothing else changes.
    expect(realign(jfkTwice, jfkTwice.map((s) => s.text).join(" "), 27)[0]).toBe(jfkTwice[0]);
  });

  it("puts a changed word in its segment, keeping the segment's times", () => {
    const text = bookText.replace("Hester Prenn Lass", "Hester Prynne less");
    const result = realign(book, text, bookDuration);
    expect(result).toHaveLength(book.length);
    expect(result[1]).toEqual({
      start: 11,
      end: 15,
      text: "Yet these thoughts affected Hester Prynne less with hope than apprehension.",
    });
    result.forEach((segment, index) => {
      if (index !== 1) expect(segment).toBe(book[index]);
    });
  });

  it("changes the word in the right one of two identical recognised sentences", () => {
    const text = `${jfkSentence} ${jfkSentence.replace("Americans", "citizens")}`;
    const result = realign(jfkTwice, text, 27);
    expect(result[0]).toBe(jfkTwice[0]);
    expect(result[1]).toEqual({ ...jfkTwice[1], text: jfkSentence.replace("Americans", "citizens") });
  });

  it("adds a sentence appended to a recording that ends with speech to the last segment", () => {
    const result = realign(jfk, `${jfkText} Thank you, and good night.`, 11);
    expect(result).toEqual([{ start: 0.15, end: 10.59, text: `${jfkText} Thank you, and good night.` }]);
  });

  it("makes a sentence appended after the last segment a new final segment up to the end of the audio", () => {
    const text = `${jfkSentence}\n\n${jfkSentence}\n\nThank you, and good night.`;
    const result = realign(jfkTwice, text, 27);
    expect(result).toEqual([
      jfkTwice[0],
      jfkTwice[1],
      { start: 23.65, end: 27, text: "Thank you, and good night." },
    ]);
    expect(result[2]!.speaker).toBeUndefined();
  });

  it("removes a deleted sentence from its segment and keeps the rest of the segment and its times", () => {
    const text = bookText.replace("Eight of spades, four of close, seven of hearts. ", "");
    const result = realign(book, text, bookDuration);
    expect(result).toHaveLength(book.length);
    expect(result[3]).toEqual({
      start: 24.95,
      end: 36.95,
      text: "In 1465, Swainheim and Panerts began printing in the monastery of Subiakal near Rome.",
    });
  });

  it("drops a segment whose words are all deleted", () => {
    const text = bookText.replace(`${book[1]!.text} `, "").replace(` ${book[11]!.text}`, "");
    const result = realign(book, text, bookDuration);
    expect(result).toEqual(book.filter((_, index) => index !== 1 && index !== 11));
    result.forEach((segment) => expect(book).toContain(segment));
  });

  it("drops the segment of a deleted sentence that shares its opening words with the next one", () => {
    const changed: Segment[] = [
      jfkTwice[0]!,
      { ...jfkTwice[1]!, text: jfkSentence.replace("Americans", "citizens") },
    ];
    const closing: Segment = { start: 23.65, end: 27, text: "Thank you." };
    const result = realign([...changed, closing], `${changed[1]!.text}\n\nThank you.`, 27);
    expect(result).toEqual([changed[1], closing]);
    expect(result[0]).toBe(changed[1]);
  });

  it("drops the segments of a deletion that spans several and trims the ones at its edges", () => {
    // From "Go forward" (segment 4) to "first importance that" (segment 6).
    const from = bookText.indexOf("Go forward");
    const to = bookText.indexOf("the letter used");
    const result = realign(book, bookText.slice(0, from) + bookText.slice(to), bookDuration);
    expect(result.map((segment) => segment.start)).toEqual(
      book.filter((_, index) => index !== 4 && index !== 5).map((segment) => segment.start),
    );
    expect(result[4]).toEqual({ ...book[6], text: "the letter used should be fine and form." });
  });

  it("adds words inserted at the start to the first segment", () => {
    const result = realign(jfkTwice, `Good evening. ${jfkSentence} ${jfkSentence}`, 27);
    expect(result).toEqual([{ start: 0.15, end: 11.15, text: `Good evening. ${jfkSentence}` }, jfkTwice[1]]);
  });

  it("adds words inserted between two segments to the one before them", () => {
    const text = bookText.replace("apprehension. The earliest", "apprehension. (Inaudible.) The earliest");
    const result = realign(book, text, bookDuration);
    expect(result[1]!.text).toBe(`${book[1]!.text} (Inaudible.)`);
    expect(result[2]).toBe(book[2]);
  });

  it("treats punctuation and case-only changes as the same words, in the edited form", () => {
    const text =
      "and so my fellow americans: Ask not what your country can do for you; ask what you can do for your country! " +
      "AND SO, MY FELLOW AMERICANS ask not what your country can do for you, ask what you can do for your country";
    const result = realign(jfkTwice, text, 27);
    expect(result).toEqual([
      {
        start: 0.15,
        end: 11.15,
        text: "and so my fellow americans: Ask not what your country can do for you; ask what you can do for your country!",
      },
      {
        start: 13.15,
        end: 23.65,
        text: "AND SO, MY FELLOW AMERICANS ask not what your country can do for you, ask what you can do for your country",
      },
    ]);
  });

  it("spreads a replacement across the segments it replaces, in order", () => {
    // Two words of segment 0 and two of segment 1 replaced by five words.
    const text = bookText.replace("ugly ones. Yet these", "quite awful letters; still, those");
    const result = realign(book, text, bookDuration);
    expect(result).toHaveLength(book.length);
    expect(result[0]!.text.endsWith("operations with quite awful letters;")).toBe(true);
    expect(result[1]!.text).toBe(
      "still, those thoughts affected Hester Prenn Lass with hope than apprehension.",
    );
    expect(result[1]!.start).toBe(11);
  });

  it("keeps speaker labels", () => {
    const labelled = book
      .slice(0, 4)
      .map((segment, index) => ({ ...segment, speaker: `Speaker ${(index % 2) + 1}` }));
    const text = labelled
      .map((segment) => segment.text)
      .join(" ")
      .replace("Roman character", "Roman type");
    const result = realign(labelled, `${text} Thanks.`, bookDuration);
    expect(result.map((segment) => segment.speaker)).toEqual([
      "Speaker 1",
      "Speaker 2",
      "Speaker 1",
      "Speaker 2",
      undefined,
    ]);
    expect(result[0]!.text).toContain("Roman type");
    expect(result[4]).toEqual({ start: 36.95, end: bookDuration, text: "Thanks." });
  });

  it("makes text without previous segments one segment over the whole audio", () => {
    expect(realign([], "Typed from scratch.\nSecond line.", 12.5)).toEqual([
      { start: 0, end: 12.5, text: "Typed from scratch. Second line." },
    ]);
    expect(realign([{ start: 1, end: 2, text: "  " }], "Hello.", 3)).toEqual([
      { start: 0, end: 3, text: "Hello." },
    ]);
    expect(realignSegments([], "Hello.", 0)).toEqual([{ start: 0, end: 0, text: "Hello." }]);
  });

  it("has no segments for a text without words", () => {
    expect(realignSegments(book, " \n\t ", bookDuration)).toEqual([]);
  });

  it("keeps times ordered and within the audio even when the segments were not", () => {
    const messy: Segment[] = [
      { start: 2, end: 1, text: "one" },
      { start: 1.5, end: 4, text: "two" },
      { start: 3, end: 12, text: "three" },
    ];
    const result = realign(messy, "one two three four", 10);
    expect(result).toEqual([
      { start: 2, end: 2, text: "one" },
      { start: 2, end: 4, text: "two" },
      { start: 3, end: 10, text: "three four" },
    ]);
  });

  it("follows scattered edits across thousands of segments quickly", () => {
    const many: Segment[] = Array.from({ length: 5000 }, (_, index) => ({
      start: index * 2,
      end: index * 2 + 1.5,
      text: `Sentence ${index} says a few words.`,
    }));
    const words = many
      .map((segment) => segment.text)
      .join(" ")
      .split(" ");
    // Change a word in every 100th segment, delete one word in every 250th, insert one in every 333rd.
    const edited = many.map((segment, index) => {
      let text = segment.text;
      if (index % 100 === 7) text = text.replace("says", "tells");
      if (index % 250 === 11) text = text.replace(" a ", " ");
      if (index % 333 === 5) text = text.replace("few", "few more");
      return text;
    });
    const started = performance.now();
    const result = realignSegments(many, edited.join(" "), 10_000);
    expect(performance.now() - started).toBeLessThan(1000);
    expectConsistent(result, edited.join(" "), 10_000);
    expect(result.map((segment) => [segment.start, segment.text])).toEqual(
      many.map((segment, index) => [segment.start, edited[index]]),
    );
    const untouched = result.filter((segment, index) => segment === many[index]);
    expect(untouched).toHaveLength(edited.filter((text, index) => text === many[index]!.text).length);
    expect(words.length).toBe(30_000);
  });

  it("still keeps the invariants when most of a long text is rewritten", () => {
    const many: Segment[] = Array.from({ length: 1500 }, (_, index) => ({
      start: index,
      end: index + 0.9,
      text: `alpha${index} beta${index}`,
    }));
    const rewritten = Array.from({ length: 2500 }, (_, index) => `gamma${index}`).join(" ");
    const text = `alpha0 beta0 ${rewritten} alpha1499 beta1499`;
    const result = realign(many, text, 1500);
    expect(result[0]).toBe(many[0]);
    expect(result.at(-1)).toBe(many[1499]);
  });

  it("keeps every surviving word in its own segment under random edits", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 200; round++) {
      const segments: Segment[] = [];
      const home = new Map<string, number>();
      let counter = 0;
      const count = 1 + Math.floor(random() * 8);
      for (let index = 0; index < count; index++) {
        const words = Array.from({ length: 1 + Math.floor(random() * 6) }, () => `w${counter++}`);
        for (const word of words) home.set(word, index * 10);
        segments.push({ start: index * 10, end: index * 10 + 8, text: words.join(" ") });
      }
      const edited: string[] = [];
      let fresh = 0;
      for (const word of segments.flatMap((segment) => splitWords(segment.text))) {
        const roll = random();
        if (roll < 0.2) continue;
        if (roll < 0.3) edited.push(`new${fresh++}`);
        else if (roll < 0.4) edited.push(`new${fresh++}`, word);
        else edited.push(word);
      }
      if (random() < 0.3) edited.push(`new${fresh++}`);
      const text = edited.join(" ");
      const result = realign(segments, text, count * 10);
      for (const segment of result) {
        for (const word of splitWords(segment.text)) {
          if (home.has(word)) expect(segment.start).toBe(home.get(word));
        }
      }
    }
  });

  it("keeps the invariants under random edits of text made of a few repeated words", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = () => ["ask", "not", "Ask", "what,", "you"][Math.floor(random() * 5)]!;
    for (let round = 0; round < 500; round++) {
      const segments: Segment[] = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, index) => ({
        start: index * 3,
        end: index * 3 + 2,
        text: Array.from({ length: 1 + Math.floor(random() * 5) }, pick).join(" "),
      }));
      const edited = segments
        .flatMap((segment) => splitWords(segment.text))
        .flatMap((word) => {
          const roll = random();
          return roll < 0.25 ? [] : roll < 0.35 ? [pick()] : roll < 0.45 ? [word, pick()] : [word];
        });
      realign(segments, edited.join(" "), 20);
    }
  });
});

describe("alignWords", () => {
  function lcsLength(a: string[], b: string[]): number {
    const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        table[i]![j] =
          a[i - 1] === b[j - 1] ? table[i - 1]![j - 1]! + 1 : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
      }
    }
    return table[a.length]![b.length]!;
  }

  it("matches a longest common subsequence, in order, for random sequences of repeated words", () => {
    let seed = 1234;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const sequence = () =>
      Array.from({ length: Math.floor(random() * 14) }, () => "abc"[Math.floor(random() * 3)]!);
    let slid = 0;
    for (let round = 0; round < 2000; round++) {
      const a = sequence();
      const b = random() < 0.5 ? sequence() : a.filter(() => random() < 0.7);
      const segmentOf = a.map((_, index) => Math.floor(index / (1 + Math.floor(random() * 4))));
      const matchOfOld = alignWords(a, b, segmentOf);
      const pairs = [...matchOfOld].map((j, i) => [i, j] as const).filter(([, j]) => j >= 0);
      expect(pairs).toHaveLength(lcsLength(a, b));
      pairs.forEach(([i, j], index) => {
        expect(a[i]).toBe(b[j]);
        if (index > 0) expect(j).toBeGreaterThan(pairs[index - 1]![1]);
      });
      const plain = alignWords(
        a,
        b,
        a.map(() => 0),
      );
      if (plain.some((j, i) => j !== matchOfOld[i])) slid++;
    }
    // Segment boundaries did change the choice among equally long alignments in many rounds.
    expect(slid).toBeGreaterThan(50);
  });

  it("deletes whole segments when a deletion could sit in several places", () => {
    // "a b c | a b" minus one "a b c": Myers' first choice deletes "b c a" across the boundary.
    expect([...alignWords(["a", "b", "c", "a", "b"], ["a", "b"], [0, 0, 0, 1, 1])]).toEqual([
      -1, -1, -1, 0, 1,
    ]);
    expect([...alignWords(["a", "b", "a", "b", "c"], ["a", "b"], [0, 0, 1, 1, 1])]).toEqual([
      0, 1, -1, -1, -1,
    ]);
  });
});

describe("replaceSegmentText", () => {
  const text = `${book[0]!.text}\n\n${book[1]!.text} ${book[2]!.text}\n\n${book[3]!.text}`;
  const four = book.slice(0, 4);

  it("replaces the segment's words in the text and leaves the rest of the text as it was", () => {
    const result = replaceSegmentText(
      four,
      text,
      1,
      "  Yet these thoughts affected Hester Prynne\nless with hope than apprehension. ",
    );
    expect(result.text).toBe(
      `${book[0]!.text}\n\nYet these thoughts affected Hester Prynne less with hope than apprehension. ${book[2]!.text}\n\n${book[3]!.text}`,
    );
    expect(result.segments[1]).toEqual({
      ...book[1],
      text: "Yet these thoughts affected Hester Prynne less with hope than apprehension.",
    });
    expect(result.segments[0]).toBe(book[0]);
    expect(segmentsMatchText(result.segments, result.text)).toBe(true);
    // Saving the text alone then keeps the edit where it was made.
    expect(realignSegments(result.segments, result.text, bookDuration)).toEqual(result.segments);
  });

  it("removes a segment emptied by the edit, and its words from the text", () => {
    const middle = replaceSegmentText(four, text, 2, "   ");
    expect(middle.segments).toEqual([book[0], book[1], book[3]]);
    expect(middle.text).toBe(`${book[0]!.text}\n\n${book[1]!.text}\n\n${book[3]!.text}`);
    const last = replaceSegmentText(four, text, 3, "");
    expect(last.text).toBe(`${book[0]!.text}\n\n${book[1]!.text} ${book[2]!.text}`);
    const first = replaceSegmentText(four, text, 0, "");
    expect(first.text).toBe(`${book[1]!.text} ${book[2]!.text}\n\n${book[3]!.text}`);
    for (const result of [middle, last, first])
      expect(segmentsMatchText(result.segments, result.text)).toBe(true);
  });

  it("changes nothing when the words are the same", () => {
    const result = replaceSegmentText(four, text, 1, ` ${book[1]!.text.replace(/ /g, "  ")}`);
    expect(result.text).toBe(text);
    expect(result.segments).toEqual(four);
  });

  it("rebuilds the text from the segments when they did not match it", () => {
    const result = replaceSegmentText(jfkTwice, "Something else entirely.", 1, "Ask not.");
    expect(result.text).toBe(`${jfkSentence} Ask not.`);
    expect(segmentsMatchText(result.segments, result.text)).toBe(true);
  });
});

describe("segmentsMatchText", () => {
  it("compares the words, whatever the whitespace and Unicode composition", () => {
    expect(segmentsMatchText(jfkTwice, `${jfkSentence}\n\n   ${jfkSentence}\n`)).toBe(true);
    expect(segmentsMatchText([{ start: 0, end: 1, text: "Cafe\u0301" }], "Café")).toBe(true);
    expect(segmentsMatchText(jfkTwice, `${jfkSentence} ${jfkSentence} More.`)).toBe(false);
    expect(segmentsMatchText(jfkTwice, `${jfkSentence}${jfkSentence}`)).toBe(false);
    expect(segmentsMatchText([], "")).toBe(true);
  });
});
