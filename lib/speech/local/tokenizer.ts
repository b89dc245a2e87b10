/** Vocabulary taken from the Whisper graph's BpeDecoder node. */
export interface TokenizerData {
  /** Byte-level BPE tokens by id (GPT-2 style: bytes mapped to printable code points). */
  vocab: string[];
  /** Special tokens by id, e.g. `50257` -> `<|startoftranscript|>`, `50363` -> `<|0.00|>`. */
  addedTokens: Record<string, string>;
  /** Printable code point -> byte value. */
  byteDecoder: Record<string, number>;
  vocabSize: number;
}

/** A piece of text between two of Whisper's timestamp tokens, relative to the window start. */
export interface TokenSegment {
  start: number;
  end: number;
  text: string;
  /** False when Whisper gave no timestamp after the text: its end is only the window's end. */
  closed: boolean;
}

const timestampPattern = /^<\|(\d+\.\d+)\|>$/;

/** Turns Whisper token ids into text and timestamped segments, in TypeScript. */
export class WhisperTokenizer {
  readonly endOfText: number;
  readonly startOfTranscript: number;
  readonly noTimestamps: number;
  /** Id of `<|0.00|>`; every id from here up is a timestamp, 0.02 s apart. */
  readonly timestampBegin: number;
  readonly vocabSize: number;
  private readonly vocab: string[];
  private readonly special = new Map<number, string>();
  private readonly byteOf = new Map<number, number>();

  constructor(data: TokenizerData) {
    this.vocab = data.vocab;
    this.vocabSize = data.vocabSize;
    for (const [id, token] of Object.entries(data.addedTokens)) this.special.set(Number(id), token);
    for (const [codePoint, byte] of Object.entries(data.byteDecoder))
      this.byteOf.set(Number(codePoint), byte);
    this.endOfText = this.idOf("<|endoftext|>");
    this.startOfTranscript = this.idOf("<|startoftranscript|>");
    this.noTimestamps = this.idOf("<|notimestamps|>");
    this.timestampBegin = this.idOf("<|0.00|>");
  }

  /** Special tokens that are not timestamps and not `<|endoftext|>`: Whisper never generates them. */
  controlTokens(): number[] {
    return [...this.special.keys()].filter((id) => id !== this.endOfText && !this.isTimestamp(id));
  }

  /** True for `<|0.00|>` … `<|30.00|>`. */
  isTimestamp(id: number): boolean {
    return id >= this.timestampBegin && timestampPattern.test(this.special.get(id) ?? "");
  }

  /** Seconds a timestamp token stands for. */
  timeOf(id: number): number {
    return (id - this.timestampBegin) * 0.02;
  }

  /** Decodes text tokens to a string; special tokens are skipped unless asked for. */
  decode(ids: Iterable<number>, options: { keepSpecial?: boolean } = {}): string {
    const bytes: number[] = [];
    let text = "";
    for (const id of ids) {
      const special = this.special.get(id);
      if (special !== undefined) {
        if (options.keepSpecial) {
          text += Buffer.from(bytes.splice(0)).toString("utf8") + special;
        }
        continue;
      }
      const token = this.vocab[id];
      if (token === undefined) continue;
      for (const char of token) {
        const byte = this.byteOf.get(char.codePointAt(0) ?? -1);
        if (byte !== undefined) bytes.push(byte);
      }
    }
    return text + Buffer.from(bytes).toString("utf8");
  }

  /**
   * Splits one window's output into segments using the timestamp tokens Whisper emits around
   * each phrase. Text after the last timestamp ends at `windowSec`. Timestamps never go backwards.
   */
  segment(ids: Iterable<number>, windowSec: number): TokenSegment[] {
    const segments: TokenSegment[] = [];
    let start: number | null = null;
    let pending: number[] = [];
    let lastTime = 0;
    const flush = (end: number, closed: boolean) => {
      const text = this.decode(pending).trim();
      if (text) {
        const from = Math.min(start ?? lastTime, windowSec);
        const to = Math.min(Math.max(end, from), windowSec);
        segments.push({ start: from, end: to, text, closed });
      }
      pending = [];
    };
    for (const id of ids) {
      if (id === this.endOfText) break;
      if (this.isTimestamp(id)) {
        const time = Math.max(this.timeOf(id), lastTime);
        if (pending.length > 0) {
          flush(time, true);
          start = null;
        } else {
          start = time;
        }
        lastTime = time;
        continue;
      }
      if (this.special.has(id)) continue;
      if (start === null) start = lastTime;
      pending.push(id);
    }
    if (pending.length > 0) flush(windowSec, false);
    return segments;
  }

  private idOf(token: string): number {
    for (const [id, value] of this.special) if (value === token) return id;
    throw new Error(`Tokenizer has no ${token} token.`);
  }
}
