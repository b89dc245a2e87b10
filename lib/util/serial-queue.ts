/**
 * Runs async tasks at most `concurrency` at a time, in arrival order. Used so that concurrent
 * requests take turns on the CPU-bound model instead of thrashing the cores.
 */
export class TaskQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency = 1) {}

  /** Tasks waiting for a turn (not counting the running ones). */
  get pending(): number {
    return this.waiting.length;
  }

  /** Runs `task` when a slot is free; settles with the task's outcome. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      // A finishing task hands its slot straight to us, so `running` stays counted.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
