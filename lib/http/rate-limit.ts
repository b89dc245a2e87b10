/** A sliding-window limiter kept in memory: at most `limit` events per `windowMs` for each key. */
export class RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records an event for `key` if allowed; returns the seconds to wait when it is not. */
  take(key: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSec: number } {
    const recent = (this.events.get(key) ?? []).filter((time) => time > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.events.set(key, recent);
      return { allowed: false, retryAfterSec: Math.ceil((recent[0]! + this.windowMs - now) / 1000) };
    }
    recent.push(now);
    this.events.set(key, recent);
    if (this.events.size > 10_000) this.prune(now);
    return { allowed: true };
  }

  private prune(now: number): void {
    for (const [key, times] of this.events) {
      if (times.every((time) => time <= now - this.windowMs)) this.events.delete(key);
    }
  }
}

/** Counts work in progress for each key: at most `limit` at once (e.g. uploads per client). */
export class ConcurrencyLimiter {
  private readonly active = new Map<string, number>();

  /** Takes a slot for `key` if one is free: the returned function gives it back (once). */
  acquire(key: string, limit: number): (() => void) | null {
    const count = this.active.get(key) ?? 0;
    if (count >= limit) return null;
    this.active.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.active.get(key) ?? 1) - 1;
      if (left > 0) this.active.set(key, left);
      else this.active.delete(key);
    };
  }

  /** Slots taken for `key` now. */
  count(key: string): number {
    return this.active.get(key) ?? 0;
  }
}
