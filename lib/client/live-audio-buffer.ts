/** Live audio held in the browser by sample offset, so that a dropped connection loses nothing. */

interface Chunk {
  /** Sample offset of the chunk's first sample in the session. */
  offset: number;
  samples: Int16Array;
}

export interface LiveAudioBufferOptions {
  /**
   * How many samples of audio already sent are kept: a connection that drops may have lost them
   * in flight, and the server says on resume how much it really holds.
   */
  keepSentSamples: number;
}

/**
 * The captured audio of one live session: everything not yet sent, plus the most recent
 * `keepSentSamples` of what was sent. Offsets count samples from the start of the session.
 */
export class LiveAudioBuffer {
  private readonly keepSentSamples: number;
  private chunks: Chunk[] = [];
  private capturedSamples = 0;
  private sentSamples = 0;

  constructor(options: LiveAudioBufferOptions) {
    this.keepSentSamples = options.keepSentSamples;
  }

  /** Samples captured since the session started. */
  get captured(): number {
    return this.capturedSamples;
  }

  /** Offset of the first sample that still has to be sent. */
  get sentUntil(): number {
    return this.sentSamples;
  }

  /** Offset of the oldest sample still held: where a resumed session can start again. */
  get oldestOffset(): number {
    return this.chunks[0]?.offset ?? this.capturedSamples;
  }

  /** Samples captured but not sent yet. */
  get unsentSamples(): number {
    return this.capturedSamples - this.sentSamples;
  }

  /** Appends newly captured samples (the buffer keeps a reference; do not reuse the array). */
  push(samples: Int16Array): void {
    if (samples.length === 0) return;
    this.chunks.push({ offset: this.capturedSamples, samples });
    this.capturedSamples += samples.length;
  }

  /**
   * Everything not sent yet, in order, as chunks of at most `maxSamples`; marks it sent and lets
   * go of sent audio older than the retention.
   */
  takeUnsent(maxSamples = Number.POSITIVE_INFINITY): Int16Array[] {
    const out: Int16Array[] = [];
    for (const chunk of this.chunks) {
      const end = chunk.offset + chunk.samples.length;
      if (end <= this.sentSamples) continue;
      let from = Math.max(0, this.sentSamples - chunk.offset);
      while (from < chunk.samples.length) {
        const to = Math.min(chunk.samples.length, from + maxSamples);
        out.push(chunk.samples.subarray(from, to));
        from = to;
      }
    }
    this.sentSamples = this.capturedSamples;
    this.prune();
    return out;
  }

  /**
   * Makes everything from `offset` on unsent again and lets go of what lies before (a resumed
   * connection that continues the session at `offset`). When `offset` is older than the oldest
   * sample kept, the missing stretch is filled with silence so that later audio keeps its place in
   * time; answers how many samples that was.
   */
  rewindTo(offset: number): { silenceSamples: number } {
    const target = Math.max(0, Math.min(Math.floor(offset), this.capturedSamples));
    const oldest = this.oldestOffset;
    this.chunks = this.chunks
      .filter((chunk) => chunk.offset + chunk.samples.length > target)
      .map((chunk) =>
        chunk.offset >= target
          ? chunk
          : { offset: target, samples: chunk.samples.subarray(target - chunk.offset) },
      );
    const silenceSamples = Math.max(0, oldest - target);
    if (silenceSamples > 0) {
      this.chunks.unshift({ offset: target, samples: new Int16Array(silenceSamples) });
    }
    this.sentSamples = target;
    return { silenceSamples };
  }

  private prune(): void {
    const keepFrom = this.sentSamples - this.keepSentSamples;
    while (this.chunks.length > 0) {
      const first = this.chunks[0]!;
      if (first.offset + first.samples.length > keepFrom) break;
      this.chunks.shift();
    }
  }
}
