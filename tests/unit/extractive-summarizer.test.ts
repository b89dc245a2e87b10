// The embedded summariser on real transcripts: it must quote the transcript's own content
// sentences, skip the small talk, and stay deterministic.
import fs from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/domain/errors";
import {
  ExtractiveSummarizer,
  formatSummary,
  summarizeExtractive,
} from "@/lib/summary/local/extractive-summarizer";
import { splitSentences, stemTerm } from "@/lib/summary/local/text-rank";

const jfk = fs.readFileSync(path.join(__dirname, "..", "fixtures", "jfk.txt"), "utf8").trim();

// Speech evaluation data shared beside the project; used when present, never required.
const evalDir = path.join(__dirname, "..", "..", "..", "shared", "eval");
const optionalTexts = [
  ["long_concat_5min46s", path.join(evalDir, "hard", "long_concat_5min46s.txt")],
  ["synthetic_conversation_7spk", path.join(evalDir, "diarization", "synthetic_conversation_7spk.txt")],
]
  .filter(([, file]) => fs.existsSync(file!))
  .map(([name, file]) => [name!, fs.readFileSync(file!, "utf8")] as [string, string]);

const fillers = [
  "Okay.",
  "Can everyone hear me?",
  "Yeah, yeah.",
  "Yes, we can hear you.",
  "Great, let me share my screen.",
  "Can you see it now?",
  "Mm-hmm.",
  "Right.",
  "Sorry, go ahead.",
  "Okay, good.",
  "Um, so, yeah.",
  "True.",
  "Nice.",
  "Hmm.",
  "Does anyone object to that?",
  "No.",
  "No, sounds good.",
  "Got it.",
  "Anything else?",
  "Right, right.",
  "Thanks, everyone.",
  "Bye.",
];

/** A weekly project call as speech recognition writes it: small talk between the decisions. */
const meetingSentences = [
  "Okay.",
  "Can everyone hear me?",
  "Yeah, yeah.",
  "Yes, we can hear you.",
  "Great, let me share my screen.",
  "Can you see it now?",
  "Mm-hmm.",
  "So the main item today is the budget for the mobile app redesign.",
  "Finance approved a total budget of forty-eight thousand dollars for the redesign, which covers design, development and testing.",
  "Right.",
  "Of that budget, about twelve thousand dollars goes to the outside design agency for the new screens.",
  "Sorry, go ahead.",
  "I was just going to ask whether the budget includes the accessibility audit.",
  "Yes, the accessibility audit is included in the budget at three thousand dollars.",
  "Okay, good.",
  "The hard deadline for the redesign is the fourteenth of March, because the marketing campaign starts the week after.",
  "Um, so, yeah.",
  "If we miss the March deadline, the campaign launches with the old screens, which nobody wants.",
  "True.",
  "Priya, where are we on the onboarding screens?",
  "The onboarding screens are finished and the agency sent the final files on Monday.",
  "Nice.",
  "The checkout flow is the riskiest part, because the payment provider changes its interface in February.",
  "Hmm.",
  "We decided to build the checkout flow first so that the payment changes do not threaten the deadline.",
  "Does anyone object to that?",
  "No.",
  "No, sounds good.",
  "We also decided to drop the tablet layout from this release and to revisit it after the launch.",
  "That saves roughly eight thousand dollars of the budget and two weeks of development.",
  "Okay.",
  "Marco will write the test plan for the checkout flow by next Friday.",
  "Priya will ask the design agency for a revised quote without the tablet layout.",
  "Got it.",
  "Anything else?",
  "Oh, the beta testers need the new build two weeks before the March deadline to leave time for fixes.",
  "Right, right.",
  "Let's meet again next Tuesday to review the checkout progress and the remaining budget.",
  "Thanks, everyone.",
  "Bye.",
];
const meeting = meetingSentences.join(" ");

const input = (text: string) => ({ title: "Weekly sync", text, language: "en-US" });

/** Reads the plain-text layout back: overview, key points, topics. */
function parseFormatted(summary: string) {
  const overview = /^Overview: (.+)$/m.exec(summary)?.[1];
  const topics = /^Topics: (.+)$/m.exec(summary)?.[1]?.split(", ");
  const keyPoints = (/^Key points:\n((?:- .+\n?)+)/m.exec(summary)?.[1] ?? "")
    .split("\n")
    .filter(Boolean)
    .map((line) => line.slice(2));
  return { overview, keyPoints, topics };
}

/** The checks every summary of a multi-sentence transcript must pass. */
function expectWellFormed(text: string, summary: string) {
  const normalized = text.replace(/\s+/g, " ");
  const { overview, keyPoints, topics } = parseFormatted(summary);
  expect(summary.startsWith("Overview: ")).toBe(true);
  expect(overview).toBeDefined();
  expect(normalized).toContain(overview);
  expect(keyPoints.length).toBeGreaterThanOrEqual(2);
  expect(keyPoints.length).toBeLessThanOrEqual(8);
  // Quoted verbatim, each once, not repeating the overview, in the order they were said.
  for (const point of keyPoints) expect(normalized).toContain(point);
  expect(new Set(keyPoints).size).toBe(keyPoints.length);
  expect(keyPoints).not.toContain(overview);
  const positions = keyPoints.map((point) => normalized.indexOf(point));
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  expect(topics?.length).toBeGreaterThan(0);
  expect(summary).toMatch(/\n\nTopics: [^\n]+$/);
  return { overview: overview!, keyPoints, topics: topics! };
}

describe("ExtractiveSummarizer on a meeting with small talk", () => {
  const summarizer = new ExtractiveSummarizer();

  it("quotes content sentences about the budget, the deadline and the decisions, not fillers", async () => {
    const summary = await summarizer.summarize(input(meeting));
    const { overview, keyPoints, topics } = expectWellFormed(meeting, summary);
    const picked = [overview, ...keyPoints];

    for (const sentence of picked) {
      expect(fillers).not.toContain(sentence);
      expect(meetingSentences).toContain(sentence);
      expect(sentence.split(" ").length).toBeGreaterThanOrEqual(5);
    }
    expect(picked.some((s) => /budget/.test(s) && /dollars/.test(s))).toBe(true);
    expect(picked.some((s) => /deadline/.test(s))).toBe(true);
    expect(picked.some((s) => /decided/.test(s))).toBe(true);
    expect(topics).toEqual(expect.arrayContaining(["budget", "deadline"]));
    for (const filler of ["okay", "yeah", "right", "hmm"]) expect(topics).not.toContain(filler);
  });

  it("gives the whole summary as one delta, equal to the result", async () => {
    const deltas: string[] = [];
    const summary = await summarizer.summarize(input(meeting), { onDelta: (text) => deltas.push(text) });
    expect(deltas).toEqual([summary]);
  });

  it("is deterministic and does not depend on object identity", async () => {
    const first = await summarizer.summarize(input(meeting));
    const second = await summarizer.summarize(input(meeting));
    // A fresh summariser and a string built anew from its characters.
    const rebuilt = meeting.split("").join("");
    const third = await new ExtractiveSummarizer().summarize({ ...input(rebuilt), title: "Other title" });
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(formatSummary(summarizeExtractive(meeting))).toBe(first);
  });

  it("refuses empty and whitespace-only text with empty_transcript", async () => {
    for (const text of ["", "   ", "\n\t \n"]) {
      const error: unknown = await summarizer.summarize(input(text)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("empty_transcript");
      expect((error as AppError).message).toMatch(/no text/i);
    }
  });

  it("stops before work when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(summarizer.summarize(input(meeting), { signal: controller.signal })).rejects.toThrow();
  });
});

describe("ExtractiveSummarizer on real transcripts", () => {
  it("summarises one sentence (jfk.txt) as an overview only", async () => {
    const summary = await new ExtractiveSummarizer().summarize(input(jfk));
    expect(summary.startsWith(`Overview: ${jfk}`)).toBe(true);
    expect(summary).not.toContain("Key points");
    expect(summarizeExtractive(jfk)).toEqual({ overview: [jfk], keyPoints: [], topics: ["country"] });
  });

  // The files beside the project when present, always the embedded meeting.
  it.each([["embedded meeting", meeting], ...optionalTexts])(
    "quotes %s verbatim, in order, without repeats",
    async (_name, text) => {
      const summary = await new ExtractiveSummarizer().summarize(input(text));
      expectWellFormed(text, summary);
    },
  );

  it("completes on a one-hour-sized transcript (~10,000 words of varied real sentences)", () => {
    const pool = [
      ...meetingSentences,
      jfk,
      ...optionalTexts.flatMap(([, text]) => text.split("\n")).filter((line) => line.trim()),
    ];
    const parts: string[] = [];
    let words = 0;
    for (let i = 0; words < 10_000; i++) {
      // A stride that is prime to the pool's length walks it in a varied order.
      const sentence = pool[(i * 7) % pool.length]!;
      parts.push(sentence);
      words += sentence.split(/\s+/).length;
    }
    const text = parts.join(" ");
    expect(text.split(/\s+/).length).toBeGreaterThanOrEqual(10_000);

    const result = summarizeExtractive(text);
    expect(result.overview).toHaveLength(1);
    expect(result.keyPoints.length).toBeGreaterThanOrEqual(2);
    expect(result.keyPoints.length).toBeLessThanOrEqual(8);
    expect(new Set(result.keyPoints).size).toBe(result.keyPoints.length);
    expect(result.keyPoints).not.toContain(result.overview[0]);
    for (const point of result.keyPoints) expect(text).toContain(point);
    expect(result.topics.length).toBeGreaterThan(0);
  });
});

describe("splitSentences and stemTerm", () => {
  it("splits after a quoted sentence end and keeps decimals and lower-case abbreviations whole", () => {
    expect(splitSentences('He said "Stop." Next we went home.').map((s) => s.text)).toEqual([
      'He said "Stop."',
      "Next we went home.",
    ]);
    expect(
      splitSentences("It costs $3.5 million, i.e. more than planned. We agreed.").map((s) => s.text),
    ).toEqual(["It costs $3.5 million, i.e. more than planned.", "We agreed."]);
    expect(splitSentences("Really? Yes! Fine… Done.").map((s) => s.text)).toEqual([
      "Really?",
      "Yes!",
      "Fine…",
      "Done.",
    ]);
  });

  it("numbers sentences in order and counts their words", () => {
    const sentences = splitSentences("The budget is approved. The deadline is in March.");
    expect(sentences.map((s) => [s.index, s.words])).toEqual([
      [0, 4],
      [1, 5],
    ]);
    expect([...sentences[0]!.terms.keys()]).toEqual(["budget", "approv"]);
  });

  // Bug: a title before a name ends the sentence, so "Mr. Quilter is ..." becomes "Mr." and a
  // sentence starting "Quilter", and key points quote half-sentences (seen on the 5 min 46 s
  // reference text). Fix in lib/summary/local/text-rank.ts line 29: do not split after common
  // abbreviations, e.g. start the regex with `(?<!\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs)\.)` so it reads
  // /(?<!\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs)\.)(?<=[.!?…]["”’')\]]?)\s+(?=["“‘'(]?[A-Z0-9])|\n+/.
  it("keeps titles such as Mr. and Dr. inside their sentence", () => {
    expect(
      splitSentences("Mr. Quilter is the apostle of the middle classes. Dr. Smith agreed.").map(
        (s) => s.text,
      ),
    ).toEqual(["Mr. Quilter is the apostle of the middle classes.", "Dr. Smith agreed."]);
  });

  // Bug: the doc comment promises splits at line breaks, but all whitespace (newlines included)
  // is collapsed to spaces before splitting, so the `|\n+` alternative never matches. Transcripts
  // with one unpunctuated utterance per line (segments, the 5 min 46 s reference) become a few
  // run-on "sentences" of 100+ words; key points then glue unrelated utterances together. Fix in
  // lib/summary/local/text-rank.ts line 28: `.replace(/[^\S\n]+/g, " ")` instead of
  // `.replace(/\s+/g, " ")`, so newlines survive until the split.
  it("splits at line breaks, so line-per-utterance transcripts give one sentence per line", () => {
    const lines = [
      "we need to agree on the budget for the warehouse project today",
      "finance approved two hundred thousand dollars for the warehouse",
      "the deadline for the warehouse contract is the end of June",
      "we decided to hire the second contractor because their quote was lower",
      "the contractor starts work on the warehouse roof in May",
      "the budget review happens again after the roof is finished",
    ];
    expect(splitSentences(lines.join("\n")).map((s) => s.text)).toEqual(lines);
    const result = summarizeExtractive(lines.join("\n"));
    for (const point of [...result.overview, ...result.keyPoints]) expect(lines).toContain(point);
  });

  it("groups print, prints, printing and printed under one stem", () => {
    const stems = ["print", "prints", "printing", "printed"].map(stemTerm);
    expect(new Set(stems)).toEqual(new Set(["print"]));
    expect(stemTerm("decisions")).toBe(stemTerm("decision"));
    expect(stemTerm("companies")).toBe("company");
    // Short words are left alone rather than cut to nothing.
    expect(stemTerm("is")).toBe("is");
    expect(stemTerm("bed")).toBe("bed");
  });
});
