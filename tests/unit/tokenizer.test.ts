import fs from "node:fs";
import path from "node:path";
import { WhisperTokenizer, type TokenizerData } from "@/lib/speech/local/tokenizer";

const tokenizerFile = path.join(__dirname, "..", "..", ".cache", "models", "whisper-tiny-en.tokenizer.json");
let data: TokenizerData;
let tokenizer: WhisperTokenizer;

beforeAll(() => {
  if (!fs.existsSync(tokenizerFile))
    throw new Error(`${tokenizerFile} is missing: run \`npm run prepare-models\`.`);
  data = JSON.parse(fs.readFileSync(tokenizerFile, "utf8")) as TokenizerData;
  tokenizer = new WhisperTokenizer(data);
});

// Whisper tiny.en's output for the first sentence of jfk.wav.
const sot = 50257;
const eot = 50256;
const jfkIds = [
  sot,
  50363,
  843,
  523,
  616,
  5891,
  3399,
  1265,
  407,
  644,
  534,
  1499,
  460,
  466,
  329,
  345,
  11,
  50895,
  eot,
];
const jfkText = " And so my fellow Americans ask not what your country can do for you,";
const fellowAmericans = [843, 523, 616, 5891, 3399]; // " And so my fellow Americans"
const askNot = [1265, 407, 644, 534, 1499, 460, 466, 329, 345, 11]; // " ask not what your country can do for you,"
const space = 220;

/** The timestamp token for `seconds` (0.02 s steps from `<|0.00|>` = 50363). */
const ts = (seconds: number) => 50363 + Math.round(seconds / 0.02);

/** Id of the byte-level BPE token spelling exactly these UTF-8 bytes (GPT-2 byte-to-character map). */
function tokenFor(bytes: number[]): number {
  const charOf = new Map(
    Object.entries(data.byteDecoder).map(([codePoint, byte]) => [byte, Number(codePoint)]),
  );
  const spelled = String.fromCodePoint(...bytes.map((byte) => charOf.get(byte) ?? -1));
  const id = data.vocab.indexOf(spelled);
  if (id < 0) throw new Error(`no token for bytes ${bytes.join(",")}`);
  return id;
}

describe("WhisperTokenizer vocabulary", () => {
  it("finds its special tokens", () => {
    expect(tokenizer.endOfText).toBe(50256);
    expect(tokenizer.startOfTranscript).toBe(50257);
    expect(tokenizer.noTimestamps).toBe(50362);
    expect(tokenizer.timestampBegin).toBe(50363);
    expect(tokenizer.vocabSize).toBe(51864);
  });

  it("refuses data without the tokens it needs", () => {
    const addedTokens = Object.fromEntries(
      Object.entries(data.addedTokens).filter(([, token]) => token !== "<|0.00|>"),
    );
    expect(() => new WhisperTokenizer({ ...data, addedTokens })).toThrow(/<\|0\.00\|>/);
  });
});

describe("WhisperTokenizer.decode", () => {
  it("decodes Whisper's ids for jfk.wav", () => {
    expect(tokenizer.decode(jfkIds)).toBe(jfkText);
  });

  it("skips special tokens unless asked to keep them", () => {
    expect(tokenizer.decode([sot, 50258, 50358, ...fellowAmericans, eot])).toBe(
      " And so my fellow Americans",
    );
    expect(tokenizer.decode(jfkIds, { keepSpecial: true })).toBe(
      `<|startoftranscript|><|0.00|>${jfkText}<|10.64|><|endoftext|>`,
    );
  });

  it("ignores ids outside the vocabulary", () => {
    expect(tokenizer.decode([999_999, ...fellowAmericans, -1])).toBe(" And so my fellow Americans");
  });

  it("joins a UTF-8 character split across tokens", () => {
    const eAcute = [...Buffer.from("é", "utf8")]; // C3 A9
    const whole = tokenFor(eAcute);
    const [first, second] = eAcute.map((byte) => tokenFor([byte]));
    expect(tokenizer.decode([whole])).toBe("é");
    expect(tokenizer.decode([first!, second!])).toBe("é");
    const caf = tokenFor([...Buffer.from(" caf", "utf8")]);
    expect(tokenizer.decode([caf, first!, second!])).toBe(" café");
  });

  it("joins a four-byte emoji split over two and over four tokens", () => {
    const bytes = [...Buffer.from("😀", "utf8")]; // F0 9F 98 80
    const head = tokenFor(bytes.slice(0, 3));
    const tail = tokenFor(bytes.slice(3));
    expect(tokenizer.decode([head, tail])).toBe("😀");
    expect(tokenizer.decode(bytes.map((byte) => tokenFor([byte])))).toBe("😀");
    expect(tokenizer.decode([...fellowAmericans, head, tail])).toBe(" And so my fellow Americans😀");
  });
});

describe("WhisperTokenizer timestamps", () => {
  it("knows which ids are timestamps", () => {
    expect(tokenizer.isTimestamp(50363)).toBe(true);
    expect(tokenizer.isTimestamp(50364)).toBe(true);
    expect(tokenizer.isTimestamp(51863)).toBe(true); // <|30.00|>
    expect(tokenizer.isTimestamp(50362)).toBe(false); // <|notimestamps|>
    expect(tokenizer.isTimestamp(eot)).toBe(false);
    expect(tokenizer.isTimestamp(843)).toBe(false);
    expect(tokenizer.isTimestamp(51864)).toBe(false);
  });

  it("converts them to seconds", () => {
    expect(tokenizer.timeOf(50363)).toBe(0);
    expect(tokenizer.timeOf(50364)).toBe(0.02);
    expect(tokenizer.timeOf(50895)).toBeCloseTo(10.64, 10);
    expect(tokenizer.timeOf(51863)).toBeCloseTo(30, 10);
  });
});

describe("WhisperTokenizer.segment", () => {
  const text = (ids: number[]) => tokenizer.decode(ids).trim();

  it("turns Whisper's jfk output into one segment", () => {
    const segments = tokenizer.segment(jfkIds, 30);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.text).toBe(jfkText.trim());
    expect(segments[0]!.start).toBe(0);
    expect(segments[0]!.end).toBeCloseTo(10.64, 10);
  });

  it("makes one segment per pair of timestamps", () => {
    const ids = [sot, ts(0), ...fellowAmericans, ts(2.5), ts(2.5), ...askNot, ts(5.2), eot];
    const segments = tokenizer.segment(ids, 30);
    expect(segments.map((s) => s.text)).toEqual([text(fellowAmericans), text(askNot)]);
    expect(segments[0]).toMatchObject({ start: 0 });
    expect(segments[0]!.end).toBeCloseTo(2.5, 10);
    expect(segments[1]!.start).toBeCloseTo(2.5, 10);
    expect(segments[1]!.end).toBeCloseTo(5.2, 10);
  });

  it("ends text after the last timestamp at the end of the window", () => {
    const segments = tokenizer.segment([ts(0), ...fellowAmericans, ts(2), ...askNot], 7.5);
    expect(segments).toHaveLength(2);
    expect(segments[1]!.text).toBe(text(askNot));
    expect(segments[1]!.start).toBeCloseTo(2, 10);
    expect(segments[1]!.end).toBe(7.5);
  });

  it("spans the whole window when there are no timestamps at all", () => {
    expect(tokenizer.segment(askNot, 12)).toEqual([{ start: 0, end: 12, text: text(askNot), closed: false }]);
  });

  it("starts at the later of two consecutive timestamps", () => {
    const segments = tokenizer.segment([ts(0), ts(1), ts(1.5), ...askNot, ts(3)], 30);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.start).toBeCloseTo(1.5, 10);
    expect(segments[0]!.end).toBeCloseTo(3, 10);
  });

  it("stops at end-of-text", () => {
    const afterEnd = tokenizer.segment([ts(0), ...fellowAmericans, ts(2), eot, ts(2), ...askNot, ts(4)], 30);
    expect(afterEnd.map((s) => s.text)).toEqual([text(fellowAmericans)]);
    const openEnded = tokenizer.segment([ts(1), ...fellowAmericans, eot, ...askNot], 20);
    expect(openEnded).toHaveLength(1);
    expect(openEnded[0]).toMatchObject({ text: text(fellowAmericans), end: 20, closed: false });
    expect(openEnded[0]!.start).toBeCloseTo(1, 10);
  });

  it("never lets timestamps go backwards", () => {
    const segments = tokenizer.segment([ts(0), ...fellowAmericans, ts(5), ts(3), ...askNot, ts(4)], 30);
    expect(segments.map((s) => s.text)).toEqual([text(fellowAmericans), text(askNot)]);
    expect(segments[1]!.start).toBeCloseTo(5, 10);
    for (const [i, segment] of segments.entries()) {
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
      if (i > 0) expect(segment.start).toBeGreaterThanOrEqual(segments[i - 1]!.end);
    }
  });

  it("keeps segments inside the window", () => {
    const segments = tokenizer.segment([ts(0), ...fellowAmericans, ts(20)], 10);
    expect(segments).toEqual([{ start: 0, end: 10, text: text(fellowAmericans), closed: true }]);
  });

  it("produces no segment for empty text", () => {
    expect(tokenizer.segment([], 30)).toEqual([]);
    expect(tokenizer.segment([sot, eot], 30)).toEqual([]);
    expect(tokenizer.segment([ts(0), ts(1)], 30)).toEqual([]);
    expect(tokenizer.segment([ts(0), space, space, ts(1)], 30)).toEqual([]);
    const segments = tokenizer.segment([ts(0), space, ts(1), ts(1), ...askNot, ts(2)], 30);
    expect(segments.map((s) => s.text)).toEqual([text(askNot)]);
  });
});
