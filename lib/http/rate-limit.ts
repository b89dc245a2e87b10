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
