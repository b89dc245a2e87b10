import type { Segment } from "@/lib/domain/transcript";
import type { LiveEvent } from "@/lib/speech/types";
import { LocalAgreement, wordsOf, type TimedWord } from "./local-agreement";
import { findRepetition, isLoop, normalizedWords } from "@/lib/speech/local/text-quality";
import {
  UtteranceTracker,
  type CloseReason,
  type SampleRange,
  type UtteranceEvent,
} from "./utterance-tracker";

export type { LiveEvent };

/**
 * Decodes audio of the stream (`samples` start `startSec` into it); segments have times in seconds
 * from the start of `samples`. `final` asks for the full-quality decode of a finished utterance
 * (quality checks and fallbacks); partial decodes may be cheaper.
 */
export type StreamDecoder = (
  samples: Float32Array,
  options: { final: boolean; startSec: number },
) => Promise<Array<{ start: number; end: number; text: string }>>;

/**
 * Voice activity of the stream: takes the next audio and answers the speech probability of every
 * VAD frame it completes, in order (a stateful stream, as Silero's).
 */
export type StreamVad = (samples: Float32Array) => Promise<number[]>;

/** How a live stream is transcribed. */
export interface StreamingOptions {
  sampleRate: number;
  frameSamples: number;
  vad: StreamVad;
  decode: StreamDecoder;
  emit: (event: LiveEvent) => void;
  /** Least time between two decodes of the open utterance. */
  partialEverySec?: number;
  pauseSec?: number;
  maxUtteranceSec?: number;
}

interface OpenUtterance {
  id: number;
  start: number;
  agreement: LocalAgreement;
  /** The latest decode of it: how far it reached, and its segments (null if it failed). */
  latest: { end: number; result: Promise<DecodedSegments | null> } | null;
  /** Decodes started, and the number of the newest one shown. */
  decodes: number;
  shown: number;
}

type DecodedSegments = Awaited<ReturnType<StreamDecoder>>;

/**
 * Live transcription of one stream: voice activity cuts it into utterances; the open one is
 * decoded again at least every `partialEverySec` while it grows and sent as a partial whose
 * agreed words never change; a closed one is decoded in full and sent as a final segment. Only
 * one partial decode runs at a time, and none while a final waits, so a stream that falls behind
 * gets fewer partials but every final. Audio is kept only from the open utterance on.
 */
export class StreamingTranscriber {
  private readonly tracker: UtteranceTracker;
  private readonly partialEvery: number;
  /** Audio from sample `bufferStart` on, `buffered` samples of it. */
  private buffer = new Float32Array(16_000 * 8);
  private bufferStart = 0;
  private buffered = 0;
  /** Samples the VAD has answered for. */
  private analysed = 0;
  private open: OpenUtterance | null = null;
  private lastUtteranceId = 0;
  private partialRunning = false;
  /** A decode started in the silence after speech (a likely final) is in flight. */
  private closingRunning = false;
  private lastPartialAt = 0;
  private finalsWaiting = 0;
  private finals: Promise<void> = Promise.resolve();
  private work: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private closed = false;
  /** Audio pushed and not yet handed to the VAD. */
  private incoming: Float32Array[] = [];
  private readonly segments: Segment[] = [];

  constructor(private readonly options: StreamingOptions) {
    this.tracker = new UtteranceTracker({
      sampleRate: options.sampleRate,
      frameSamples: options.frameSamples,
      pauseSec: options.pauseSec,
      maxSec: options.maxUtteranceSec,
    });
    this.partialEvery = Math.round((options.partialEverySec ?? 0.5) * options.sampleRate);
  }

  /**
   * Takes the next audio of the stream. Resolves once its frames went through the VAD. Audio that
   * arrives while the VAD is busy goes to it in one piece next, so voice activity keeps up with
   * the stream however long one answer takes (the model may be decoding meanwhile).
   */
  push(samples: Float32Array): Promise<void> {
    this.incoming.push(samples);
    this.work = this.work.then(() => this.consumeIncoming());
    return this.work;
  }

  /** Ends the stream: the open utterance is closed and decoded; resolves with every final segment. */
  async finish(): Promise<Segment[]> {
    await this.work;
    this.handle(this.tracker.finish());
    await this.finals;
    if (this.failure) throw this.failure;
    return [...this.segments];
  }

  /** Stops at once: no more decodes start and nothing more is emitted. */
  close(): void {
    this.closed = true;
  }

  private async consumeIncoming(): Promise<void> {
    if (this.incoming.length === 0) return;
    const parts = this.incoming;
    this.incoming = [];
    const samples = parts.length === 1 ? parts[0]! : concat(parts);
    await this.consume(samples);
  }

  private async consume(samples: Float32Array): Promise<void> {
    if (this.closed) return;
    this.append(samples);
    for (const probability of await this.options.vad(samples)) {
      this.analysed += this.options.frameSamples;
      this.handle(this.tracker.push(probability));
    }
    this.maybeDecodePartial();
  }

  private handle(events: UtteranceEvent[]): void {
    for (const event of events) {
      if (event.type === "open") {
        this.open = {
          id: ++this.lastUtteranceId,
          start: event.start,
          agreement: new LocalAgreement(),
          latest: null,
          decodes: 0,
          shown: 0,
        };
        this.lastPartialAt = event.start;
      } else {
        this.closeUtterance(event.range, event.reason);
      }
    }
    this.trim();
  }

  private closeUtterance(range: SampleRange, reason: CloseReason): void {
    const utterance = this.open;
    this.open = null;
    if (!utterance) return;
    const samples = this.slice(range);
    const { sampleRate } = this.options;
    // A decode that already heard the whole utterance (and only silence after it) is its final,
    // unless it loops: then the full-quality decode with its guards runs.
    const covering =
      reason === "pause" && utterance.latest && utterance.latest.end >= range.end
        ? utterance.latest.result
        : null;
    this.finalsWaiting++;
    this.finals = this.finals.then(async () => {
      if (this.closed) return void this.finalsWaiting--;
      try {
        let decoded = covering ? await covering : null;
        // An empty covering decode may be a skipped partial: the final decode says.
        if (!decoded?.length || loops(decoded)) {
          decoded = await this.options.decode(samples, { final: true, startSec: range.start / sampleRate });
        }
        // The final is the decode of the whole utterance, with all of its context: where it differs
        // from words the partials agreed on, it is the better reading (measured: 4.4 % WER against
        // 7.8 % when agreed words are kept, and 3.5 % for the same audio as a file).
        const text = decoded
          .map((segment) => segment.text.trim())
          .filter(Boolean)
          .join(" ");
        if (text && !this.closed) {
          const segment = {
            start: round(range.start / sampleRate),
            end: round(range.end / sampleRate),
            text,
          };
          this.segments.push(segment);
          this.options.emit({ type: "final", segment });
        }
      } catch (error) {
        this.failure ??= error;
      } finally {
        this.finalsWaiting--;
      }
    });
  }

  /**
   * Decodes the open utterance again when it grew by `partialEvery` since the last decode, or at
   * once when its speech may have just ended (silence as long as the pad after speech) and no
   * decode holds all of it yet: if the pause holds, that decode is the final, ready on time.
   */
  private maybeDecodePartial(): void {
    const utterance = this.open;
    if (!utterance || this.finalsWaiting > 0 || this.closed) return;
    const position = this.tracker.position;
    const pauseEnd = this.tracker.pauseEnd ?? position;
    const speechMayHaveEnded = this.tracker.trailingSilence > 0 && pauseEnd < position;
    if (speechMayHaveEnded) {
      // Not held up by a partial in flight: this decode is the likely final.
      if (this.closingRunning || (utterance.latest && utterance.latest.end >= pauseEnd)) return;
    } else if (this.partialRunning || position - this.lastPartialAt < this.partialEvery) {
      return;
    }
    const kind = speechMayHaveEnded ? "closingRunning" : "partialRunning";
    this[kind] = true;
    this.lastPartialAt = position;
    const range = { start: utterance.start, end: position };
    const samples = this.slice(range);
    const offset = range.start / this.options.sampleRate;
    // A decode that may become the final is asked for as one: it goes ahead of other partials.
    const result = this.options
      .decode(samples, { final: speechMayHaveEnded, startSec: offset })
      .catch(() => null);
    utterance.latest = { end: position, result };
    const sequence = ++utterance.decodes;
    void result
      .then((decoded) => {
        // The utterance closed meanwhile: its final says it all. A looping decode is neither shown
        // nor agreed on (agreed words would reach the final); nor is one older than what is shown.
        if (!decoded?.length || this.open?.id !== utterance.id || this.closed || loops(decoded)) return;
        if (sequence < utterance.shown) return;
        utterance.shown = sequence;
        const { tentative } = utterance.agreement.insert(shift(wordsOf(decoded), offset));
        const stable = utterance.agreement.confirmedWords.map((word) => word.text).join(" ");
        const guess = tentative.map((word) => word.text).join(" ");
        this.options.emit({
          type: "partial",
          start: round(offset),
          text: [stable, guess].filter(Boolean).join(" "),
          stable,
        });
      })
      .finally(() => {
        this[kind] = false;
      });
  }

  private append(samples: Float32Array): void {
    const needed = this.buffered + samples.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.buffered));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.buffered);
    this.buffered += samples.length;
  }

  /** Drops audio nothing needs any more: before the open utterance, or before the VAD's pad. */
  private trim(): void {
    const keepFrom = this.open ? this.open.start : Math.max(0, this.analysed - this.options.sampleRate);
    const drop = keepFrom - this.bufferStart;
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.buffered);
    this.buffered -= drop;
    this.bufferStart = keepFrom;
  }

  private slice(range: SampleRange): Float32Array {
    const from = Math.max(0, range.start - this.bufferStart);
    const to = Math.max(from, Math.min(this.buffered, range.end - this.bufferStart));
    return this.buffer.slice(from, to);
  }
}

function loops(segments: Array<{ text: string }>): boolean {
  return isLoop(findRepetition(normalizedWords(segments.map((segment) => segment.text).join(" "))));
}

function concat(parts: Float32Array[]): Float32Array {
  const joined = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((at, part) => (joined.set(part, at), at + part.length), 0);
  return joined;
}

function shift(words: TimedWord[], offset: number): TimedWord[] {
  return words.map((word) => ({ ...word, start: word.start + offset, end: word.end + offset }));
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
