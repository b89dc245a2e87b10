/** A stretch of the stream in samples, end exclusive. */
export interface SampleRange {
  start: number;
  end: number;
}

/** What a frame of voice activity changed. */
export type UtteranceEvent =
  /** Speech began: the open utterance starts here (with a little audio before it). */
  | { type: "open"; start: number }
  /** The open utterance ended (a pause, or its longest length, cut at its quietest point). */
  | { type: "close"; range: SampleRange; reason: CloseReason };

/** Why an utterance closed: a pause, its longest length, or the end of the stream. */
export type CloseReason = "pause" | "max-length";

/** How utterances are cut from voice activity. */
export interface UtteranceOptions {
  sampleRate: number;
  /** Samples per VAD frame. */
  frameSamples: number;
  /** Silence that ends an utterance. */
  pauseSec?: number;
  /** Longest utterance; a longer one is cut at its quietest frame in its second half. */
  maxSec?: number;
  /** Probability that starts speech, and the lower one under which speech is over (hysteresis). */
  startThreshold?: number;
  endThreshold?: number;
  /** Audio kept before speech starts and after it ends, so first and last sounds are heard. */
  padSec?: number;
}

/**
 * Cuts a live stream into utterances from its voice-activity probabilities, one frame at a time:
 * an utterance opens when speech starts and closes at a pause, or at the maximum length (cut where
 * the voice is quietest, and the rest opens the next utterance). Pure: time is counted in frames.
 */
export class UtteranceTracker {
  private readonly frame: number;
  private readonly pauseFrames: number;
  private readonly maxSamples: number;
  private readonly startThreshold: number;
  private readonly endThreshold: number;
  private readonly pad: number;
  private frames = 0;
  private open: { start: number; lastSpeechEnd: number; probabilities: number[] } | null = null;
  private silentFrames = 0;

  constructor(options: UtteranceOptions) {
    this.frame = options.frameSamples;
    this.pauseFrames = Math.round(((options.pauseSec ?? 0.6) * options.sampleRate) / options.frameSamples);
    this.maxSamples = Math.round((options.maxSec ?? 24) * options.sampleRate);
    this.startThreshold = options.startThreshold ?? 0.5;
    this.endThreshold = options.endThreshold ?? 0.35;
    this.pad = Math.round((options.padSec ?? 0.2) * options.sampleRate);
  }

  /** Samples seen so far. */
  get position(): number {
    return this.frames * this.frame;
  }

  /**
   * Where the open utterance would end if the silence heard since its last speech became a pause
   * (null between utterances): a decode reaching this far holds all of it.
   */
  get pauseEnd(): number | null {
    return this.open ? Math.min(this.position, this.open.lastSpeechEnd + this.pad) : null;
  }

  /** Samples of silence heard since the open utterance's last speech (0 between utterances). */
  get trailingSilence(): number {
    return this.open ? this.silentFrames * this.frame : 0;
  }

  /** The open utterance from its start to the audio seen so far, or null between utterances. */
  get current(): SampleRange | null {
    return this.open ? { start: this.open.start, end: this.position } : null;
  }

  /** Takes the next frame's speech probability; returns what it changed. */
  push(probability: number): UtteranceEvent[] {
    const frameStart = this.position;
    this.frames++;
    const events: UtteranceEvent[] = [];
    if (!this.open) {
      if (probability < this.startThreshold) return events;
      const start = Math.max(0, frameStart - this.pad);
      this.open = { start, lastSpeechEnd: this.position, probabilities: [] };
      this.silentFrames = 0;
      events.push({ type: "open", start });
    }
    const open = this.open;
    open.probabilities.push(probability);
    if (probability >= this.endThreshold) {
      open.lastSpeechEnd = this.position;
      this.silentFrames = 0;
    } else {
      this.silentFrames++;
    }
    if (this.silentFrames >= this.pauseFrames) {
      events.push(this.close(Math.min(this.position, open.lastSpeechEnd + this.pad), "pause"));
      return events;
    }
    if (this.position - open.start >= this.maxSamples) {
      const cut = this.quietestPoint(open);
      events.push(this.close(cut, "max-length"));
      // The rest is still speech: it opens the next utterance at once.
      this.open = { start: cut, lastSpeechEnd: this.position, probabilities: [] };
      events.push({ type: "open", start: cut });
    }
    return events;
  }

  /** Ends the stream: closes the open utterance, if any, at the last speech heard. */
  finish(): UtteranceEvent[] {
    if (!this.open) return [];
    return [this.close(Math.min(this.position, this.open.lastSpeechEnd + this.pad), "pause")];
  }

  private close(end: number, reason: "pause" | "max-length"): UtteranceEvent {
    const range = { start: this.open!.start, end: Math.max(end, this.open!.start + this.frame) };
    this.open = null;
    this.silentFrames = 0;
    return { type: "close", range, reason };
  }

  /** The end of the quietest frame in the second half of the open utterance. */
  private quietestPoint(open: { start: number; probabilities: number[] }): number {
    const { probabilities } = open;
    // Frames of this utterance are counted from the first one pushed after it opened.
    const firstFrameStart = this.position - probabilities.length * this.frame;
    let best = probabilities.length - 1;
    for (let index = probabilities.length - 1; index >= Math.floor(probabilities.length / 2); index--) {
      if (probabilities[index]! < probabilities[best]!) best = index;
    }
    return firstFrameStart + (best + 1) * this.frame;
  }
}
