/** Who waits for the model: a live session's final decode, its partial decode, or a file window. */
export type GatePriority = "final" | "partial" | "file";

/** How file windows give way to live sessions. */
export interface GateTiming {
  /** Live decodes less than this long ago mean a session is speaking: file windows wait. */
  liveQuietMs: number;
  /** Yet a file window waits at most this long. */
  fileMaxWaitMs: number;
  now?: () => number;
}

/**
 * Runs tasks on the model one at a time. Waiting live finals go first, then live partials, then
 * file windows. A file window, once started, holds the model for up to a second; so while a live
 * session is speaking (a live decode within `liveQuietMs`), a file window waits for a quiet
 * moment, but never longer than `fileMaxWaitMs`: live work goes first, and file jobs move on.
 */
export class PriorityGate {
  private busy = false;
  private lastLiveAt = Number.NEGATIVE_INFINITY;
  private fileTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly live: Record<"final" | "partial", Array<() => void>> = { final: [], partial: [] };
  private readonly files: Array<{ start: () => void; since: number }> = [];
  private readonly now: () => number;

  constructor(private readonly timing: GateTiming) {
    this.now = timing.now ?? (() => performance.now());
  }

  async run<T>(priority: GatePriority, task: () => Promise<T>): Promise<T> {
    const now = this.now();
    if (priority !== "file") this.lastLiveAt = now;
    if (priority === "file" && (this.busy || this.files.length > 0 || this.fileMustWait(now, now))) {
      await new Promise<void>((start) => {
        this.files.push({ start, since: now });
        if (!this.busy) this.scheduleFileCheck();
      });
    } else if (priority !== "file" && this.busy) {
      await new Promise<void>((start) => this.live[priority].push(start));
    } else {
      this.busy = true;
    }
    try {
      return await task();
    } finally {
      this.next();
    }
  }

  /**
   * Runs a live partial decode, or skips it (null) when the model is taken and another live
   * decode already waits: on a busy server partials thin out instead of queueing up, so that no
   * session's final ever waits behind a pile of stale partials.
   */
  async runPartial<T>(task: () => Promise<T>): Promise<T | null> {
    if (this.busy && this.live.final.length + this.live.partial.length > 0) {
      this.lastLiveAt = this.now();
      return null;
    }
    return this.run("partial", task);
  }

  /** Hands the model to the next waiting task (staying busy), or frees it. */
  private next(): void {
    const live = this.live.final.shift() ?? this.live.partial.shift();
    if (live) {
      this.busy = true;
      live();
      return;
    }
    const file = this.files[0];
    if (file && !this.fileMustWait(this.now(), file.since)) {
      this.files.shift();
      this.busy = true;
      file.start();
      return;
    }
    this.busy = false;
    if (file) this.scheduleFileCheck();
  }

  private fileMustWait(now: number, since: number): boolean {
    return now - this.lastLiveAt < this.timing.liveQuietMs && now - since < this.timing.fileMaxWaitMs;
  }

  private scheduleFileCheck(): void {
    const file = this.files[0];
    if (this.fileTimer || !file) return;
    const due = Math.min(this.lastLiveAt + this.timing.liveQuietMs, file.since + this.timing.fileMaxWaitMs);
    this.fileTimer = setTimeout(
      () => {
        this.fileTimer = null;
        if (!this.busy) this.next();
      },
      Math.max(1, due - this.now()),
    );
  }
}
